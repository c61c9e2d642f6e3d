"""The Djupdykning page and its CSV download, against a small imported extract.

The extract (tests/factories.small_extract): at Habo, Anna (woman, born 1942) had R52.2 set
by a physician and by a physiotherapist in 2021; Bertil (man) had R52.2A set by a physician
in 2022 and a four-week sick-leave certificate; a third patient has no diagnosis. At
"annan", one patient with a contact and no diagnosis.
"""

import re

import pytest
from django.urls import reverse

from painpath.access.models import AuditEvent
from tests.factories import make_user

pytestmark = pytest.mark.django_db

PAGE = reverse("deep_dive")
CSV = reverse("deep_dive_csv")
PERIOD = {"diagnoses": "R52.2", "start": "2020-01-01", "end": "2023-12-31", "threshold": "10"}


@pytest.fixture
def extract(habo_and_annan):
    pass


@pytest.fixture
def lena(clinic):
    return make_user("lena", clinic)


@pytest.fixture
def anna_at_annan(other_clinic):
    return make_user("anna", other_clinic)


def deep_dive_events(username: str):
    return AuditEvent.objects.filter(username=username, detail__startswith="djupdykning")


def row(response, table: str, key: str) -> list[str]:
    """The cells of one row of one table, as shown."""
    tables = response.context["tables"]
    for group in tables[table].groups:
        for found in group.rows:
            if found.key == key:
                return [cell.text for cell in found.cells]
    raise AssertionError(f"no row {key!r} in {table!r}")


@pytest.mark.parametrize("url", [PAGE, CSV, f"{PAGE}?diagnoses=R52.2"])
def test_it_needs_a_login(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_offers_the_reports_question_and_counts_nothing_before_asked(client, extract, lena):
    client.force_login(lena)

    response = client.get(PAGE)

    assert response.status_code == 200
    assert 'aria-current="page">Djupdykning<' in response.text
    assert 'name="diagnoses" value="R52.2"' in response.text
    assert 'value="2020-01-01"' in response.text and 'value="2023-12-31"' in response.text
    assert response.context["result"] is None
    assert not deep_dive_events("lena").exists()


def test_it_shows_the_cohort_as_the_report_lays_it_out(client, extract, lena):
    client.force_login(lena)

    response = client.get(PAGE, PERIOD)

    assert response.status_code == 200
    assert 'data-figure="patients">2<' in response.text
    assert "unika patienter med diagnos R52.2" in response.text
    assert row(response, "professions", "physician") == ["2"]
    assert row(response, "professions", "physiotherapist") == ["1"]
    assert "Profession" in response.text and "Antal patienter" in response.text
    assert "Patienten har träffat 2 professioner" in response.text
    assert row(response, "combinations", "physician+physiotherapist") == ["1"]
    assert row(response, "summary", "share_of_listed") == ["100,0 %"]
    assert (row(response, "sex", "female"), row(response, "sex", "male")) == (["1"], ["1"])
    assert row(response, "birth_year", "min") == ["1942"]
    assert row(response, "sick_leave", "sick_leave") == ["1"]
    assert row(response, "sick_leave", "longest_days") == ["28"]
    assert row(response, "contacts_per_patient", "1–5") == ["2"]


def test_each_chart_is_drawn_beside_its_table_and_says_the_table_is_its_alternative(
    client, extract, lena
):
    client.force_login(lena)

    response = client.get(PAGE, PERIOD)

    for key in ("professions", "combinations", "contacts_per_patient"):
        start = response.text.index(f'data-chart="{key}"')
        figure = response.text[start : response.text.index("</figure>", start)]
        assert 'role="img"' in figure and "<svg" in figure
        assert "Samma siffror står i tabellen bredvid" in figure
    assert "<script" not in response.text  # drawn on the server: nothing to fetch or run


def test_the_view_of_the_figures_is_audited(client, extract, lena):
    client.force_login(lena)

    client.get(PAGE, PERIOD)

    event = deep_dive_events("lena").get()
    assert "R52.2" in event.detail and event.path.startswith(PAGE)


def test_it_compares_two_periods_side_by_side(client, extract, lena):
    client.force_login(lena)

    response = client.get(
        PAGE, {**PERIOD, "compare_start": "2022-01-01", "compare_end": "2022-12-31"}
    )

    assert row(response, "summary", "patients") == ["2", "1", "−1"]
    assert row(response, "professions", "physiotherapist") == ["1", "0", "−1"]
    # listed on 2022-12-31: all three (the third left in 2023)
    assert row(response, "summary", "share_of_listed") == ["100,0 %", "33,3 %", "−66,7 %-enheter"]
    assert row(response, "birth_year", "min") == ["1942", "1944", ""]  # no difference of years
    assert "Period B" in response.text and "Skillnad" in response.text
    assert 'data-figure="compare_patients">1<' in response.text
    assert '<details class="compare" open>' in response.text


def test_a_user_counts_only_their_own_clinics(client, extract, anna_at_annan):
    client.force_login(anna_at_annan)

    response = client.get(PAGE, PERIOD)

    # Annan's one patient with R52.2, none of Habo's two
    assert response.context["result"]["main"]["patients"] == 1
    assert 'data-figure="patients">1<' in response.text
    assert "Bra Liv Habo" not in response.text


def test_another_clinics_code_is_refused(client, extract, anna_at_annan):
    client.force_login(anna_at_annan)

    response = client.get(PAGE, {**PERIOD, "clinics": "habo"})

    assert response.status_code == 200
    assert "Du har inte tillgång till vårdcentralen habo" in response.text
    assert response.context["result"] is None
    assert not deep_dive_events("anna").exists()
    assert client.get(CSV, {**PERIOD, "clinics": "habo"}).status_code == 302


def test_a_user_of_two_clinics_chooses_one(client, extract, lena, other_clinic):
    lena.memberships.create(clinic=other_clinic)
    client.force_login(lena)

    both = client.get(PAGE, PERIOD)
    only_annan = client.get(PAGE, {**PERIOD, "clinics": "annan"})

    offered = re.findall(
        r'<input type="checkbox" name="clinics" value="(\w+)"[^>]*checked', client.get(PAGE).text
    )
    assert sorted(offered) == ["annan", "habo"]  # both offered, both ticked
    assert both.context["result"]["main"]["patients"] == 3
    assert only_annan.context["result"]["main"]["patients"] == 1


def test_it_says_what_is_wrong_beside_each_field_in_swedish(client, extract, lena):
    client.force_login(lena)

    response = client.get(
        PAGE,
        {
            **PERIOD,
            "diagnoses": "R52.2 hej",
            "start": "2023-01-01",
            "end": "2022-12-31",
            "compare_start": "2024-01-01",
        },
    )

    assert response.status_code == 200
    assert response.context["result"] is None
    text = response.text
    assert "”hej” är ingen ICD-10-kod" in text
    assert "Slutdatum kan inte vara före startdatum" in text
    assert "Ange både från- och till-datum för jämförelsen" in text
    assert 'id="id_diagnoses_error"' in text
    assert 'aria-describedby="id_diagnoses_helptext id_diagnoses_error"' in text
    assert 'id="id_end_error"' in text and 'aria-describedby="id_end_error"' in text
    assert 'aria-invalid="true"' in text and 'role="alert"' in text
    assert "<legend>Jämförelseperiod</legend>" in text
    assert not deep_dive_events("lena").exists()


def test_it_reads_codes_as_the_importer_does_separated_by_commas_or_spaces(client, extract, lena):
    client.force_login(lena)

    response = client.get(PAGE, {**PERIOD, "diagnoses": "r522, R52.2A  M79.7,r522"})

    assert response.context["result"]["query"]["diagnoses"] == ("R52.2", "R52.2A", "M79.7")
    assert response.context["result"]["main"]["patients"] == 2


def test_the_csv_download_has_the_figures_of_the_same_query_for_excel(client, extract, lena):
    client.force_login(lena)

    page = client.get(PAGE, PERIOD)
    link = page.text.split('class="download" href="')[1].split('"')[0].replace("&amp;", "&")
    response = client.get(link)

    assert link.startswith(CSV) and "start=2020-01-01" in link
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="djupdykning-R522-2020-01-01-2023-12-31.csv"'
    )
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeffAvsnitt;Mått;Period\r\n")
    assert "Patienter;Unika patienter med diagnosen;2\r\n" in text
    assert ";Läkare;2\r\n" in text
    assert deep_dive_events("lena").count() == 2  # the page and the download


def test_an_invalid_csv_query_goes_back_to_the_page_that_says_why(client, extract, lena):
    client.force_login(lena)

    response = client.get(CSV, {**PERIOD, "end": "2019-01-01"})

    assert response.status_code == 302
    assert response["Location"].startswith(PAGE) and "end=2019-01-01" in response["Location"]


def test_counts_under_five_can_be_hidden_for_sharing(client, extract, lena):
    client.force_login(lena)

    response = client.get(PAGE, {**PERIOD, "hide_small": "on"})
    download = client.get(CSV, {**PERIOD, "hide_small": "on"})

    assert 'data-figure="patients">&lt;5<' in response.text
    assert row(response, "professions", "physician") == ["<5"]
    assert row(response, "sex", "female") == ["–"]
    assert row(response, "birth_year", "min") == ["–"]
    assert "1942" not in response.text
    assert "Dolt vid delning: uppgifter om enskilda patienter" in response.text
    assert "Patienter;Unika patienter med diagnosen;\r\n" in download.content.decode("utf-8")


def test_a_user_without_a_clinic_is_told_so_and_nothing_is_counted(client, extract):
    client.force_login(make_user("nils", None))

    response = client.get(PAGE, PERIOD)

    assert "inte kopplat till någon vårdcentral" in response.text
    assert response.context["result"] is None
    assert not deep_dive_events("nils").exists()


def test_the_page_is_in_english_for_whoever_chooses_it(client, extract, lena):
    client.force_login(lena)
    client.post("/i18n/setlang/", {"language": "en", "next": PAGE})

    response = client.get(PAGE, PERIOD)

    assert "<h1>Deep dive</h1>" in response.text
    assert "Patient met 2 professions" in response.text
    assert row(response, "professions", "physician") == ["2"]
