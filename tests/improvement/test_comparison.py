"""Comparison across clinics and caregivers: numerators and denominators by the catalogue's
definitions, attribution of patients to caregivers, units with nothing to count, privacy."""

from datetime import date

import pytest

from painpath import analytics
from painpath.deepdive.source import app_tables
from painpath.improvement import comparison
from painpath.improvement.comparison import Unit
from painpath.ingest.actions import run_import
from painpath.records.models import Clinic
from tests.factories import make_clinic, write_extract

START, END = date(2021, 1, 1), date(2022, 12, 31)


def figures(units):
    return {unit.code: (unit.numerator, unit.denominator) for unit in units}


def vik_extract(tmp_path):
    """Vik: four patients. V-1 seen by the physician once and the physiotherapist twice
    (attributed to the physiotherapist, most registrations); V-2 by the nurse and the
    physician once each (a tie: the physician registered first); V-3 by the physician
    alone; V-4 only in registrations naming no caregiver (cannot be attributed)."""
    write_extract(
        tmp_path / "vik",
        {
            "patients": "patient_id,clinic_id\nV-1,vik\nV-2,vik\nV-3,vik\nV-4,vik\n",
            "staff": (
                "caregiver_id,profession,name\nv-dr,läkare,Dr Vik\n"
                "v-fys,fysioterapeut,Fys Vik\nv-ssk,sjuksköterska,Ssk Vik\n"
            ),
            "contacts": "patient_id,date\nV-1,2022-03-01\n",
            "diagnoses": (
                "patient_id,date,code,caregiver_id,profession\n"
                "V-1,2022-03-01,R52.2,v-dr,\n"
                "V-1,2022-04-01,R52.2,v-fys,\n"
                "V-1,2022-05-01,R52.2,v-fys,\n"
                "V-2,2022-03-02,R52.2,v-dr,\n"
                "V-2,2022-03-09,R52.2,v-ssk,\n"
                "V-3,2022-06-01,R52.2,v-dr,\n"
                "V-3,2022-07-01,R52.2A,v-dr,\n"
                "V-4,2022-06-01,R52.2,,läkare\n"
                "V-1,2023-06-01,R52.2,v-dr,\n"
            ),
        },
    )
    run_import(tmp_path / "vik", rejects_path=tmp_path / "vik-rejects.csv")
    return Clinic.objects.get(code="vik")


def test_it_counts_each_clinic_as_the_deep_dive_does(habo_and_annan):
    multi = comparison.clinic_units("multi_profession", START, END)
    same = comparison.clinic_units("same_caregiver", START, END)

    # Habo: Anna met a physician and a physiotherapist, Bertil a physician alone; Annan's
    # one patient met a psychologist alone.
    assert figures(multi) == {"habo": (1, 2), "annan": (0, 1)}
    assert figures(same) == {"habo": (1, 2), "annan": (1, 1)}


def test_it_marks_the_users_own_clinic(habo_and_annan, clinic):
    units = comparison.clinic_units("multi_profession", START, END, own=[clinic])

    assert {unit.code: unit.own for unit in units} == {"habo": True, "annan": False}


def test_a_clinic_indicator_has_a_denominator_of_zero_without_pathway_patients(habo_and_annan):
    units = comparison.clinic_units("current_agreement", START, END)

    assert figures(units) == {"habo": (0, 0), "annan": (0, 0)}


def test_it_attributes_each_patient_to_the_caregiver_with_most_registrations(tmp_path, db):
    clinic = vik_extract(tmp_path)

    multi, unattributed = comparison.caregiver_units("multi_profession", clinic, START, END)
    same, _ = comparison.caregiver_units("same_caregiver", clinic, START, END)

    # V-1 → v-fys (2 of 3), V-2 → v-dr (a tie, first), V-3 → v-dr; V-4 names no one.
    assert figures(multi) == {"v-fys": (1, 1), "v-dr": (1, 2)}
    assert figures(same) == {"v-fys": (0, 1), "v-dr": (1, 2)}
    assert unattributed == 1
    assert {unit.name for unit in multi} == {"Fys Vik", "Dr Vik"}


def test_caregivers_add_up_to_their_clinic(tmp_path, db):
    clinic = vik_extract(tmp_path)

    for key in ("multi_profession", "same_caregiver"):
        units, unattributed = comparison.caregiver_units(key, clinic, START, END)
        with app_tables() as tables:
            whole = analytics.deep_dive(tables, ["R52.2"], START, END, clinic=[clinic.pk])
        numerator = sum(unit.numerator for unit in units)
        # V-4, unattributed, met one profession and named no caregiver: in neither numerator.
        assert sum(unit.denominator for unit in units) + unattributed == whole["patients"]
        expected = comparison._deep_dive_share(key, whole)[0]
        assert numerator == expected


def test_no_caregiver_of_another_clinic_is_counted(habo_and_annan, clinic):
    units, _ = comparison.caregiver_units("multi_profession", clinic, START, END)

    assert {unit.code for unit in units} == {"hsa-1"}  # Annan's psychologist x-1 is not here


def test_a_clinic_measure_is_not_split_by_caregiver(clinic):
    with pytest.raises(ValueError):
        comparison.caregiver_units("opioid_agreement", clinic, START, END)


def test_units_with_nothing_to_count_are_left_out_and_counted():
    units = [Unit("a", "A", 10, 40), Unit("b", "B", 30, 60), Unit("c", "C", 0, 0)]

    result = comparison.compare(units)

    assert result["left_out"] == 1
    assert [row["code"] for row in result["units"]] == ["b", "a"]
    assert result["theta"] == pytest.approx(40 / 100)
    assert result["units"][1]["position"] == "within"


def test_a_unit_outside_the_limits_says_where():
    units = [Unit(str(i), f"U{i}", 20, 50) for i in range(8)] + [Unit("x", "X", 48, 50)]

    rows = {row["code"]: row for row in comparison.compare(units)["units"]}

    assert rows["x"]["position"] == "above_99.8"
    assert rows["0"]["position"] == "within"
    low, high = rows["x"]["limits_99.8"]
    assert low < rows["x"]["share"] and high < rows["x"]["share"]


def test_over_dispersion_widens_the_limits_and_reports_phi_and_tau2():
    units = [Unit(str(i), f"U{i}", r, 100) for i, r in enumerate([10, 20, 30, 40, 50, 60])]

    exact = comparison.compare(units)
    wide = comparison.compare(units, "multiplicative")
    additive = comparison.compare(units, "additive")

    assert wide["phi"] > 1 and additive["tau2"] > 0
    assert wide["units"][0]["limits_95"][1] > exact["units"][0]["limits_95"][1]
    assert additive["units"][0]["limits_95"][1] > exact["units"][0]["limits_95"][1]
    assert sum(row["position"] != "within" for row in wide["units"]) < sum(
        row["position"] != "within" for row in exact["units"]
    )


def test_a_small_unit_is_drawn_but_not_named_unless_it_is_the_users_own():
    units = [Unit("a", "A", 10, 40), Unit("b", "Liten", 1, 4), Unit("c", "Egen", 2, 3, own=True)]

    rows = comparison.compare(units)["units"]

    assert [(row["name"], row["code"], row["denominator"]) for row in rows] == [
        ("A", "a", 40),
        (None, None, 4),
        ("Egen", "c", 3),
    ]


def test_the_default_period_is_the_last_twelve_whole_months_of_the_extract(habo_and_annan):
    make_clinic("tom", "Tom vårdcentral")
    clinics = Clinic.objects.all()

    # The extract's last day is 2022-02-02 (Annan): January 2022 is the last whole month.
    assert comparison.default_period(clinics, date(2025, 1, 1)) == (
        date(2021, 2, 1),
        date(2022, 1, 31),
    )
    assert comparison.default_period(clinics, date(2021, 9, 15)) == (
        date(2020, 9, 1),
        date(2021, 8, 31),
    )


def test_a_single_patient_at_a_hundred_percent_is_not_called_unusual():
    # θ = 2/3: one patient of one happens two times in three, though the interpolated
    # 99.8 % limit at n = 1 is 0.9985.
    units = [Unit("a", "A", 1, 2), Unit("b", "B", 1, 1)]

    single = comparison.compare(units)["units"][1]  # largest first

    assert (single["numerator"], single["denominator"]) == (1, 1)
    assert single["limits_99.8"][1] < 1
    assert single["position"] == "within"


def test_a_unit_far_below_the_pooled_share_is_below_the_limits():
    units = [Unit(str(i), f"U{i}", 30, 50) for i in range(8)] + [Unit("x", "X", 5, 50)]

    rows = {row["code"]: row for row in comparison.compare(units)["units"]}

    assert rows["x"]["position"] == "below_99.8"
