"""The comparison page (/forbattring/jamforelse/): the funnel plot as SVG with its limits, the
table in words, JSON with the same numbers, audit without a patient, and caregivers only of
the user's own clinic."""

import pytest
from django.urls import reverse

from painpath.access.models import AuditEvent
from painpath.ingest.actions import run_import
from tests.factories import make_clinic, make_user, write_extract

URL = "improvement_funnel"
PERIOD = {"start": "2021-01-01", "end": "2022-12-31"}


@pytest.fixture
def lena(clinic):
    return make_user("lena", clinic)


def staffed_extract(tmp_path, code: str, caregiver: str, name: str, patients: int):
    """One clinic where `caregiver` (a physician) alone registered R52.2 for `patients`
    patients in 2022, and a physiotherapist also saw the first two."""
    rows = ["patient_id,date,code,caregiver_id"]
    for i in range(patients):
        rows.append(f"{code}-{i},2022-03-0{1 + i % 9},R52.2,{caregiver}")
        rows.append(f"{code}-{i},2022-04-0{1 + i % 9},R52.2,{caregiver}")
    rows += [f"{code}-0,2022-05-01,R52.2,{code}-fys", f"{code}-1,2022-05-01,R52.2,{code}-fys"]
    write_extract(
        tmp_path / code,
        {
            "patients": "patient_id,clinic_id\n"
            + "".join(f"{code}-{i},{code}\n" for i in range(patients)),
            "staff": f"caregiver_id,profession,name\n{caregiver},läkare,{name}\n"
            f"{code}-fys,fysioterapeut,Fys {code}\n",
            "contacts": f"patient_id,date\n{code}-0,2022-03-01\n",
            "diagnoses": "\n".join(rows) + "\n",
        },
    )
    run_import(tmp_path / code, rejects_path=tmp_path / f"{code}-rejects.csv")


def test_the_page_draws_the_funnel_with_its_limits_and_a_table_in_words(
    client, habo_and_annan, lena
):
    client.force_login(lena)

    response = client.get(reverse(URL), {"indicator": "multi_profession", **PERIOD})

    page = response.content.decode()
    assert response.status_code == 200
    assert "För lärande, inte för att döma" in page
    assert "gränser för 99,8 %" in page  # the chart's key names the limits
    figure = page.split('data-chart="funnel"')[1].split("</figure>")[0]
    assert "<svg" in figure and figure.count("<path") >= 4  # limit curves and points
    assert "Sammanvägd andel (mållinjen): 33,3 %" in page  # 1 of 3 patients
    table = page.split('class="funnel-table"')[1].split("</table>")[0]
    assert "inom gränserna" in table
    assert "(din vårdcentral)" in table  # Habo, small but the user's own, named
    assert "Bra Liv Habo" in table
    assert "Annan vårdcentral" not in table  # one patient: drawn, not named
    assert "Vårdcentral med färre än 5 patienter" in table
    event = AuditEvent.objects.get(username="lena", action="view")
    assert event.detail == "jämförelse multi_profession" and event.patient is None


def test_the_json_has_the_same_numbers(client, habo_and_annan, lena):
    client.force_login(lena)

    found = client.get(
        reverse(URL), {"indicator": "same_caregiver", "format": "json", **PERIOD}
    ).json()

    assert found["indicator"] == "same_caregiver" and found["unit"] == "clinics"
    assert found["period"] == {"start": "2021-01-01", "end": "2022-12-31"}
    assert found["theta"] == pytest.approx(2 / 3)
    rows = [(u["name"], u["numerator"], u["denominator"], u["position"]) for u in found["units"]]
    assert rows == [("Bra Liv Habo", 1, 2, "within"), (None, 1, 1, "within")]
    assert AuditEvent.objects.filter(username="lena", action="view", patient=None).exists()


def test_units_with_nothing_to_count_are_left_out_with_a_note(client, habo_and_annan, lena):
    make_clinic("tom", "Tom vårdcentral")
    client.force_login(lena)

    page = client.get(reverse(URL), {"indicator": "multi_profession", **PERIOD}).content.decode()
    found = client.get(
        reverse(URL), {"indicator": "multi_profession", "format": "json", **PERIOD}
    ).json()

    assert "1 enhet utan något att räkna (nämnaren 0) är utelämnad." in page
    assert "Tom vårdcentral" not in page.split('class="funnel-table"')[1]
    assert found["left_out"] == 1 and len(found["units"]) == 2


def test_caregivers_are_only_those_of_the_users_own_clinic(client, tmp_path, db):
    staffed_extract(tmp_path, "vik", "vik-dr", "Dr Vik", 6)
    staffed_extract(tmp_path, "ost", "ost-dr", "Dr Öst", 7)
    client.force_login(make_user("vera", make_clinic("vik")))
    query = {"indicator": "multi_profession", "unit": "caregivers", **PERIOD}

    page = client.get(reverse(URL), query).content.decode()
    found = client.get(reverse(URL), query | {"format": "json"}).json()
    foreign = client.get(reverse(URL), query | {"clinic": "ost", "format": "json"})

    assert "Dr Vik" in page and "Dr Öst" not in page
    assert "Vårdgivarna på vik." in page
    # Dr Vik registered most diagnoses of all six; the physiotherapist saw two of them too.
    units = [(u["name"], u["numerator"], u["denominator"]) for u in found["units"]]
    assert units == [("Dr Vik", 2, 6)]
    assert found["clinic"] == "vik"
    assert foreign.status_code == 400 and "ost" not in str(found)
    assert "clinic" in foreign.json()["errors"]


def test_a_clinic_measure_cannot_be_split_by_caregiver(client, clinic, lena):
    client.force_login(lena)

    response = client.get(reverse(URL), {"indicator": "opioid_agreement", "unit": "caregivers"})

    assert "kan bara jämföras mellan vårdcentraler" in response.content.decode()
    assert not AuditEvent.objects.filter(action="view").exists()


def test_a_user_without_a_clinic_compares_clinics_but_not_caregivers(client, habo_and_annan):
    client.force_login(make_user("utan", None))

    clinics = client.get(reverse(URL), {"format": "json", **PERIOD})
    caregivers = client.get(reverse(URL), {"unit": "caregivers", "format": "json", **PERIOD})

    assert clinics.status_code == 200
    assert not any(unit["own"] for unit in clinics.json()["units"])
    assert caregivers.status_code == 400 and "unit" in caregivers.json()["errors"]


def test_over_dispersion_shows_its_figure(client, tmp_path, clinic, lena):
    staffed_extract(tmp_path, "vik", "vik-dr", "Dr Vik", 6)
    staffed_extract(tmp_path, "ost", "ost-dr", "Dr Öst", 7)
    client.force_login(lena)

    multiplicative = client.get(
        reverse(URL), {"overdispersion": "multiplicative", **PERIOD}
    ).content.decode()
    additive = client.get(reverse(URL), {"overdispersion": "additive", **PERIOD}).content.decode()
    none = client.get(reverse(URL), PERIOD).content.decode()

    assert "φ = " in multiplicative and "τ² = " in additive
    assert 'data-figure="overdispersion"' not in none


def test_the_page_opens_on_the_last_whole_twelve_months_of_the_extract(
    client, habo_and_annan, lena
):
    client.force_login(lena)

    found = client.get(reverse(URL), {"format": "json"}).json()

    # The extract ends 2022-02-02: February 2022 is not whole; Annan's only patient falls
    # outside the period and is left out.
    assert found["period"] == {"start": "2021-02-01", "end": "2022-01-31"}
    assert found["left_out"] == 1
