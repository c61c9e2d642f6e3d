"""The deep-dive's definitions (painpath/analytics/cohort.py), each a tiny table and the
expected figures, on every engine."""

from painpath.analytics import deep_dive, frequent_attenders, professions_met
from tests.analytics.cast import certificate, contact, contacts, d, dx, listing, patient

PERIOD = {"start": d("2020-01-01"), "end": d("2023-12-31")}


def run(engine, codes=("R52.2",), clinic=None, threshold=10, **rows):
    return deep_dive(engine.tables(**rows), codes, **PERIOD, clinic=clinic,
                     threshold=threshold)  # fmt: skip


def test_it_gives_every_figure_of_a_small_clinic(engine):
    result = run(
        engine,
        patients=[patient(1, "female", 1950), patient(2, "male", 1980), patient(3), patient(4)],
        listings=[listing(1), listing(2), listing(3), listing(4)],
        diagnoses=[
            dx(1, "2020-02-01", caregiver="doc1"),
            dx(1, "2021-02-01", caregiver="doc1"),
            dx(2, "2022-03-01", caregiver="doc1"),
            dx(2, "2022-04-01", caregiver="pt1", profession="physiotherapist"),
            dx(3, "2022-04-01", code="M54.5"),
        ],
        contacts=contacts(1, 11) + contacts(2, 3) + contacts(3, 20),
        sick_leave=[certificate(2, "2022-03-01", "2022-03-31")],
    )
    assert result == {
        "diagnoses": ["R52.2"],
        "period": {"from": "2020-01-01", "to": "2023-12-31"},
        "patients": 2,
        "listed_patients": 4,
        "share_of_listed": 0.5,
        "sex": {"female": 1, "male": 1, "unknown": 0},
        "birth_year": {"min": 1950, "max": 1980},
        "by_profession": {"physician": 2, "physiotherapist": 1},
        "professions_per_patient": {"1": 1, "2": 1},
        "combinations": [{"professions": ["physician", "physiotherapist"], "patients": 1}],
        "multi_profession": {"patients": 1, "share": 0.5},
        "single_profession_same_caregiver": 1,
        "same_profession_several_caregivers": {"patients": 0, "by_profession": {}},
        "contacts": {
            "threshold": 10,
            "frequent_attenders": 1,
            "clinic_top10": [{"rank": 2, "contacts": 11}, {"rank": 3, "contacts": 3}],
            "per_patient": [
                {"band": "0", "patients": 0},
                {"band": "1–5", "patients": 1},
                {"band": "6–10", "patients": 0},
                {"band": "11–20", "patients": 1},
                {"band": "21–50", "patients": 0},
                {"band": "51–100", "patients": 0},
                {"band": ">100", "patients": 0},
            ],
        },
        "sick_leave": {
            "patients": 1,
            "female": 0,
            "male": 1,
            "spells": 1,
            "under_90_days": 1,
            "longest_days": 31,
        },
    }


def test_it_counts_registrations_on_the_periods_first_and_last_day_and_not_beyond(engine):
    result = run(
        engine,
        patients=[patient(i) for i in range(1, 5)],
        diagnoses=[
            dx(1, "2020-01-01"),
            dx(2, "2023-12-31"),
            dx(3, "2019-12-31"),
            dx(4, "2024-01-01"),
            dx(1, "2023-12-31"),
        ],
    )
    assert result["patients"] == 2


def test_a_code_matches_itself_and_every_code_under_it(engine):
    people = [patient(i) for i in range(1, 6)]
    registrations = [
        dx(1, "2021-01-01", code="R52.2"),
        dx(2, "2021-01-01", code="R52.2A"),
        dx(3, "2021-01-01", code="R52.1"),
        dx(4, "2021-01-01", code="R52"),
        dx(5, "2021-01-01", code="M79.7"),
    ]
    assert run(engine, ("R52.2",), patients=people, diagnoses=registrations)["patients"] == 2
    assert run(engine, ("R52",), patients=people, diagnoses=registrations)["patients"] == 4
    assert run(engine, ("R52.2A",), patients=people, diagnoses=registrations)["patients"] == 1
    both = run(engine, ("r522", "M79.7"), patients=people, diagnoses=registrations)
    assert both["diagnoses"] == ["R52.2", "M79.7"]
    assert both["patients"] == 3


def test_it_counts_a_profession_only_when_it_registered_a_code_of_the_set(engine):
    result = run(
        engine,
        patients=[patient(1)],
        diagnoses=[
            dx(1, "2021-01-01", profession="physician"),
            dx(1, "2021-02-01", code="M54.5", profession="psychologist", caregiver="ps"),
            dx(1, "2025-01-01", profession="nurse", caregiver="n"),
        ],
    )
    assert result["by_profession"] == {"physician": 1}
    assert result["professions_per_patient"] == {"1": 1}
    assert result["combinations"] == []


def test_it_lists_combinations_sorted_by_patients_then_by_codes(engine):
    met = {
        1: ["physician", "physiotherapist"],
        2: ["physician", "physiotherapist"],
        3: ["physician", "nurse"],
        4: ["occupational_therapist", "physician"],
        5: ["physician", "physiotherapist", "occupational_therapist", "psychologist"],
        6: ["physician"],
    }
    registrations = [
        dx(pid, "2021-01-01", profession=p, caregiver=f"{p}-1")
        for pid, professions in met.items()
        for p in professions
    ]
    result = run(engine, patients=[patient(i) for i in met], diagnoses=registrations)
    assert result["combinations"] == [
        {"professions": ["physician", "physiotherapist"], "patients": 2},
        {"professions": ["nurse", "physician"], "patients": 1},
        {"professions": ["occupational_therapist", "physician"], "patients": 1},
        {
            "professions": [
                "occupational_therapist",
                "physician",
                "physiotherapist",
                "psychologist",
            ],
            "patients": 1,
        },
    ]
    assert result["professions_per_patient"] == {"1": 1, "2": 4, "4": 1}
    assert result["multi_profession"] == {"patients": 5, "share": 0.8333}
    assert result["by_profession"] == {
        "physician": 6,
        "physiotherapist": 3,
        "occupational_therapist": 2,
        "psychologist": 1,
        "nurse": 1,
    }


def test_a_registration_without_profession_counts_for_the_cohort_but_no_profession(engine):
    result = run(
        engine,
        patients=[patient(1), patient(2)],
        diagnoses=[
            dx(1, "2021-01-01", profession=None),
            dx(2, "2021-01-01", profession=""),
            dx(2, "2021-01-02", profession="nurse"),
        ],
    )
    assert result["patients"] == 2
    assert result["professions_per_patient"] == {"0": 1, "1": 1}
    assert result["by_profession"] == {"nurse": 1}


def test_same_caregiver_needs_one_profession_one_caregiver_and_every_caregiver_named(engine):
    result = run(
        engine,
        patients=[patient(i) for i in range(1, 5)],
        diagnoses=[
            dx(1, "2021-01-01", caregiver="a"),
            dx(1, "2022-01-01", caregiver="a"),
            dx(2, "2021-01-01", caregiver="a"),
            dx(2, "2022-01-01", caregiver="b"),
            dx(3, "2021-01-01", caregiver="a"),
            dx(3, "2022-01-01", caregiver=None),
            dx(4, "2021-01-01", caregiver="a"),
            dx(4, "2022-01-01", caregiver="p", profession="physiotherapist"),
        ],
    )
    assert result["single_profession_same_caregiver"] == 1
    assert result["same_profession_several_caregivers"] == {
        "patients": 1,
        "by_profession": {"physician": 1},
    }


def test_several_caregivers_of_one_profession_are_counted_per_profession(engine):
    result = run(
        engine,
        patients=[patient(1), patient(2)],
        diagnoses=[
            dx(1, "2021-01-01", caregiver="d1"),
            dx(1, "2021-02-01", caregiver="d2"),
            dx(1, "2021-03-01", caregiver="p1", profession="physiotherapist"),
            dx(1, "2021-04-01", caregiver="p2", profession="physiotherapist"),
            dx(2, "2021-01-01", caregiver="d1"),
            dx(2, "2021-02-01", caregiver="d3"),
        ],
    )
    assert result["same_profession_several_caregivers"] == {
        "patients": 2,
        "by_profession": {"physician": 2, "physiotherapist": 1},
    }


def test_frequent_attenders_have_more_than_the_threshold_in_the_period(engine):
    rows = {
        "patients": [patient(1), patient(2), patient(3)],
        "diagnoses": [dx(1, "2021-01-01"), dx(2, "2021-01-01"), dx(3, "2021-01-01")],
        "contacts": contacts(1, 10)
        + contacts(2, 11)
        + contacts(3, 10)
        + [contact(3, "2024-02-01"), contact(3, "2019-12-31")],
    }
    assert run(engine, **rows)["contacts"]["frequent_attenders"] == 1
    assert run(engine, threshold=9, **rows)["contacts"]["frequent_attenders"] == 3


def test_the_light_figures_for_monthly_indicators_are_the_deep_dives_own(engine):
    rows = {
        "patients": [patient(i) for i in range(1, 6)],
        "diagnoses": [
            dx(1, "2021-01-01"),
            dx(1, "2021-02-01", caregiver="pt1", profession="physiotherapist"),
            dx(2, "2021-01-01"),
            dx(2, "2021-03-01", caregiver="c2"),
            dx(3, "2021-01-01", caregiver=""),
            dx(4, "2021-01-01", clinic="b"),
            dx(5, "2019-01-01"),
        ],
        "contacts": contacts(1, 11) + contacts(2, 10) + contacts(4, 20, clinic="b"),
    }
    for clinic in (None, "a", ["b"]):
        whole = run(engine, clinic=clinic, threshold=9, **rows)
        tables = engine.tables(**rows)
        met = professions_met(tables, ["R52.2"], **PERIOD, clinic=clinic)
        assert met == {key: whole[key] for key in met}
        frequent = frequent_attenders(tables, ["R52.2"], **PERIOD, clinic=clinic, threshold=9)
        assert frequent == {
            "patients": whole["patients"],
            "frequent_attenders": whole["contacts"]["frequent_attenders"],
        }
    assert (met["patients"], met["multi_profession"]["patients"]) == (1, 0)
    assert frequent == {"patients": 1, "frequent_attenders": 1}


def test_the_heaviest_users_share_a_rank_when_tied_and_only_the_cohorts_are_listed(engine):
    heavy = {100 + i: 50 - i for i in range(12)}  # 50, 49, … 39 contacts
    heavy[103] = 49  # ties with 101 for rank 2
    people = [patient(pid) for pid in heavy]
    result = run(
        engine,
        patients=people,
        diagnoses=[dx(101, "2021-01-01"), dx(103, "2021-01-01"), dx(111, "2021-01-01")],
        contacts=[c for pid, n in heavy.items() for c in contacts(pid, n)],
    )
    # ranks: 100→1, 101→2, 103→2, 102→4, 104→5 … 109→10, 110→11, 111→12
    assert result["contacts"]["clinic_top10"] == [
        {"rank": 2, "contacts": 49},
        {"rank": 2, "contacts": 49},
    ]


def test_contacts_per_patient_bands_include_cohort_patients_without_contacts(engine):
    result = run(
        engine,
        patients=[patient(1), patient(2)],
        diagnoses=[dx(1, "2021-01-01"), dx(2, "2021-01-01")],
        contacts=contacts(2, 101),
    )
    bands = {row["band"]: row["patients"] for row in result["contacts"]["per_patient"]}
    assert bands["0"] == 1
    assert bands[">100"] == 1
    assert sum(bands.values()) == 2


def test_listed_patients_are_those_listed_on_the_periods_last_day(engine):
    result = run(
        engine,
        patients=[patient(i) for i in range(1, 7)],
        listings=[
            listing(1),
            listing(2, listed_from="2023-12-31"),
            listing(3, listed_from="2024-01-01"),
            listing(4, listed_to="2023-12-30"),
            listing(5, listed_to="2023-12-31"),
            listing(6, listed_from="2010-01-01", listed_to="2015-01-01"),
            listing(6, listed_from="2020-01-01"),
        ],
        diagnoses=[dx(1, "2021-01-01")],
    )
    assert result["listed_patients"] == 4
    assert result["share_of_listed"] == 0.25


def test_a_clinic_sees_its_own_registrations_contacts_and_listing(engine):
    rows = {
        "patients": [patient(1), patient(2), patient(3)],
        "listings": [listing(1, "a"), listing(2, "b"), listing(3, "b")],
        "diagnoses": [dx(1, "2021-01-01", clinic="a"), dx(2, "2021-01-01", clinic="b")],
        "contacts": contacts(1, 5, clinic="a") + contacts(1, 7, clinic="b"),
    }
    a = run(engine, clinic="a", **rows)
    assert (a["patients"], a["listed_patients"]) == (1, 1)
    assert a["contacts"]["clinic_top10"] == [{"rank": 1, "contacts": 5}]
    b = run(engine, clinic=["b"], **rows)
    assert (b["patients"], b["listed_patients"]) == (1, 2)
    both = run(engine, **rows)
    assert (both["patients"], both["listed_patients"]) == (2, 3)
    assert both["contacts"]["clinic_top10"] == [{"rank": 1, "contacts": 12}]


def test_sick_leave_spells_join_overlapping_and_adjacent_certificates(engine):
    result = run(
        engine,
        patients=[patient(1, "female"), patient(2, "male"), patient(3, "male")],
        sick_leave=[
            # patient 1: 2019-12-01..2020-01-14 adjacent to 01-15..02-29, and overlapping
            # 02-01..03-10: one spell of 101 days, not cut at the period's start
            certificate(1, "2019-12-01", "2020-01-14"),
            certificate(1, "2020-01-15", "2020-02-29"),
            certificate(1, "2020-02-01", "2020-03-10"),
            # two days apart: two spells of 10 and 5 days
            certificate(2, "2021-01-01", "2021-01-10"),
            certificate(2, "2021-01-12", "2021-01-16"),
            # another diagnosis, and before the period: not counted
            certificate(3, "2021-01-01", "2021-12-31", code="F32.1"),
            certificate(3, "2019-01-01", "2019-12-31"),
        ],
    )
    assert result["sick_leave"] == {
        "patients": 2,
        "female": 1,
        "male": 1,
        "spells": 3,
        "under_90_days": 2,
        "longest_days": 101,
    }
    assert result["patients"] == 0  # sick leave is counted for the diagnosis, not the cohort


def test_an_empty_cohort_gives_zeros_and_no_shares(engine):
    result = run(engine, patients=[patient(1)], listings=[listing(1)])
    assert result["patients"] == 0
    assert result["share_of_listed"] == 0.0
    assert result["multi_profession"] == {"patients": 0, "share": None}
    assert result["birth_year"] == {"min": None, "max": None}
    assert result["professions_per_patient"] == {}
    assert result["sick_leave"]["longest_days"] is None
    nobody_listed = run(engine, patients=[patient(1)])
    assert nobody_listed["share_of_listed"] is None


def test_unknown_sex_and_missing_birth_year_are_counted_apart(engine):
    result = run(
        engine,
        patients=[patient(1, "unknown", None), patient(2, "male", 1932), patient(3, "", 1995)],
        diagnoses=[dx(1, "2021-01-01"), dx(2, "2021-01-01"), dx(3, "2021-01-01")],
    )
    assert result["sex"] == {"female": 0, "male": 1, "unknown": 2}
    assert result["birth_year"] == {"min": 1932, "max": 1995}
