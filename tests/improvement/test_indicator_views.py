"""The indicator pages of an improvement project (painpath/improvement/views_indicators.py):
a clinician at Habo adds, measures, charts and fills in indicators; a colleague at Annan
sees nothing of them."""

import re
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from painpath.access.models import AuditAction, AuditEvent
from painpath.improvement import actions, catalogue, charting
from tests.factories import make_user

pytestmark = pytest.mark.django_db
EXTRACT = catalogue.months_between(date(2021, 2, 1), date(2022, 1, 1))  # one month each side


def page(indicator, query=""):
    return reverse("improvement_indicator", args=[indicator.project_id, indicator.pk]) + query


def hand_share(project, **fields):
    return actions.add_indicator(
        project, name="Andel nöjda patienter", kind="outcome", source="enkät", direction="up",
        **fields,
    )  # fmt: skip


def edit_fields(indicator, **changes) -> dict:
    """The edit form as posted: the indicator as it is, with the changes."""
    fields = {key: getattr(indicator, key) for key in ("name", "kind", "definition", "source",
                                                         "chart", "direction")}  # fmt: skip
    return fields | changes


def month_row(html: str, iso: str) -> str:
    return re.search(rf'<tr data-month="{iso}".*?</tr>', html, re.S).group(0)


def test_it_adds_a_computed_indicator_and_measures_it_at_once(habo_and_annan, project, lena):
    url = reverse("improvement_indicator_new", args=[project.pk])
    response = lena.post(url, {"origin": "cohort_patients", "direction": "up", "target": "10"})

    indicator = project.indicators.get()
    assert response.status_code == 302 and response.url == page(indicator)
    assert indicator.name == "Antal patienter med långvarig smärta"
    assert indicator.measurements.count() == 24
    html = lena.get(page(indicator)).content.decode()
    assert "24 månader mätta på" in html and "sekunder" in html
    # the 24 months up to the extract's last whole month (December 2021); the 14 before
    # its first contact (March 2021) say why they have no value, instead of 0
    assert html.count("journaluttaget täcker inte månaden") == 14
    assert '<td class="num value">1</td>' in month_row(html, "2021-03")
    before = month_row(html, "2020-06")
    assert "inget värde" in before and ">0<" not in before
    assert "<svg" in html
    assert AuditEvent.objects.filter(
        action=AuditAction.CHANGE, patient=None, detail__contains="ny indikator"
    ).exists()


def test_a_month_outside_the_extract_shows_its_note_not_zero(habo_and_annan, project, lena):
    indicator = actions.add_indicator(project, name="", catalogue_key="cohort_patients")
    actions.measure(indicator, EXTRACT, today=date(2026, 1, 15))
    html = lena.get(page(indicator)).content.decode()

    march = month_row(html, "2021-03")
    assert '<td class="num value">1</td>' in march
    may = month_row(html, "2021-05")
    assert '<td class="num value">0</td>' in may  # a real zero: nobody that month
    for outside in ("2021-02", "2022-01"):
        row = month_row(html, outside)
        assert "journaluttaget täcker inte månaden" in row and "inget värde" in row
        assert ">0<" not in row


def test_the_name_must_start_with_antal_or_andel(project, lena):
    url = reverse("improvement_indicator_new", args=[project.pk])
    response = lena.post(
        url,
        {"origin": "manual", "name": "Nöjda patienter", "kind": "outcome", "source": "enkät",
         "direction": "up"},
    )  # fmt: skip
    assert response.status_code == 200
    html = response.content.decode()
    assert "En indikator ska börja med ”Antal” eller ”Andel”." in html
    assert 'aria-invalid="true"' in html and not project.indicators.exists()


def test_an_own_indicator_needs_its_kind_and_source_and_a_fitting_chart(project, lena):
    url = reverse("improvement_indicator_new", args=[project.pk])
    response = lena.post(
        url, {"origin": "manual", "name": "Andel nöjda", "direction": "up", "chart": "c"}
    )
    html = response.content.decode()
    assert html.count("Fyll i det här för en egen indikator.") == 2
    assert "Diagrammet passar inte" in html
    lena.post(
        url,
        {"origin": "manual", "name": "Andel nöjda", "kind": "outcome", "source": "enkät",
         "direction": "up"},
    )  # fmt: skip
    made = project.indicators.get()
    assert (made.catalogue_key, made.chart, made.measurements.count()) == ("", "run", 0)


def test_a_count_per_unit_chart_is_only_for_an_own_count_with_its_exposure(project, lena):
    url = reverse("improvement_indicator_new", args=[project.pk])
    computed = {"origin": "rehab_meetings", "direction": "up", "chart": "u"}
    assert "U- och U′-diagram behöver en nämnare" in lena.post(url, computed).content.decode()
    own = {"origin": "manual", "name": "Antal fall", "kind": "balancing", "source": "avvikelser",
           "direction": "down", "chart": "u"}  # fmt: skip
    lena.post(url, own)
    made = project.indicators.get()
    assert made.chart == "u"
    actions.enter_value(made, date(2024, 1, 1), None, numerator=3, denominator=300)
    assert charting.chosen_chart(made) == "u"


def test_the_chart_shows_the_pdsa_the_target_and_the_runs_figures(project, lena):
    indicator = hand_share(project, target=60)
    values = [3, 4, 2, 5, 3, 4, 2, 3, 4, 3, 12, 13, 14, 12, 15, 13, 14, 12, 13, 14]
    months = catalogue.months_between(date(2023, 1, 1), date(2024, 8, 1))
    for month, r in zip(months, values, strict=True):
        actions.enter_value(indicator, month, None, numerator=r, denominator=20)
    actions.start_pdsa(
        project, None, title="Gemensam bedömning", objective="o", prediction="p", plan="x",
        starts_on=date(2023, 11, 6), indicators=[indicator],
    )  # fmt: skip
    html = lena.get(page(indicator)).content.decode()

    assert "<svg" in html and "PDSA: Gemensam bedömning" in html
    assert "grön prickad: mål" in html
    result = charting.analyse(indicator)
    phase = result.phases[0]
    for figure in ("n_useful", "longest_run", "longest_run_max", "n_crossings", "n_crossings_min"):
        assert f'data-figure="{figure}">{getattr(phase, figure)}<' in html
    assert "Ovanligt lång serie: 10 punkter i rad över medianen" in html
    assert "Förändringen är åt det håll ni vill." in html


def test_the_switcher_offers_the_charts_that_fit(project, lena):
    indicator = hand_share(project)
    for month in catalogue.months_between(date(2024, 1, 1), date(2024, 6, 1)):
        actions.enter_value(indicator, month, None, numerator=3, denominator=10)
    html = lena.get(page(indicator, "?diagram=p")).content.decode()
    assert 'href="?diagram=p#diagrammet" aria-current="page"' in html
    assert 'href="?diagram=pp#diagrammet"' in html and "?diagram=c" not in html
    assert "P-diagram" in html and "styrgränser" in html
    # a chart that does not fit an Andel falls back to the run chart
    html = lena.get(page(indicator, "?diagram=c")).content.decode()
    assert 'href="?diagram=run#diagrammet" aria-current="page"' in html


def test_a_rolling_window_warns_of_false_alarms(project, lena):
    rolling = actions.add_indicator(project, name="", catalogue_key="multi_profession")
    single = actions.add_indicator(project, name="", catalogue_key="cohort_patients")
    assert "Varje punkt räknar 12 månader bakåt" in lena.get(page(rolling)).content.decode()
    assert "Varje punkt räknar" not in lena.get(page(single)).content.decode()


def test_a_hand_entered_month_is_checked_and_errors_sit_on_their_field(project, lena):
    indicator = hand_share(project)
    url = reverse("improvement_measurement_entry", args=[project.pk, indicator.pk])
    response = lena.post(url, {"varde-month": "2024-03", "varde-numerator": "5",
                               "varde-denominator": "4"})  # fmt: skip
    html = response.content.decode()
    assert response.status_code == 200 and "Täljaren kan inte vara större än nämnaren." in html
    assert re.search(r'id="id_varde-numerator_error"', html)
    response = lena.post(url, {"varde-month": "2024-03", "varde-numerator": "3"})
    assert "En andel behöver en nämnare större än 0." in response.content.decode()
    response = lena.post(url, {"varde-month": "2024-03"})
    assert "Ange ett värde, eller skriv varför" in response.content.decode()
    response = lena.post(url, {"varde-month": "mars", "varde-numerator": "1"})
    assert "Ange en månad som ÅÅÅÅ-MM" in response.content.decode()
    assert not indicator.measurements.exists()

    lena.post(url, {"varde-month": "2024-03", "varde-numerator": "3", "varde-denominator": "4"})
    lena.post(url, {"varde-month": "2024-04", "varde-note": "enkäten skickades inte ut"})
    html = lena.get(page(indicator)).content.decode()
    assert "75,0 %" in month_row(html, "2024-03")
    assert "enkäten skickades inte ut" in month_row(html, "2024-04")


def test_notes_settings_and_targets_are_saved_and_drawn(project, lena):
    indicator = hand_share(project)
    for month in catalogue.months_between(date(2024, 1, 1), date(2024, 12, 1)):
        actions.enter_value(indicator, month, None, numerator=month.month, denominator=20)
    args = [project.pk, indicator.pk]
    lena.post(reverse("improvement_note_add", args=args),
              {"anteckning-month": "2024-05", "anteckning-text": "Ny rutin"})  # fmt: skip
    lena.post(
        reverse("improvement_indicator_settings", args=args),
        {"diagram-baseline_months": "6", "diagram-phase_1": "2024-09", "diagram-target": "50"},
    )
    response = lena.post(
        reverse("improvement_indicator_edit", args=args),
        edit_fields(indicator, start_value="20", start_period="2024-01", target="50",
                    target_text=">50 %", target_date="2024-12-31", result_value="55",
                    result_date="2025-01-15", result_text="Ökning med 35 procentenheter"),
    )  # fmt: skip
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert (indicator.baseline_months, indicator.phase_starts) == (6, ["2024-09-01"])
    assert (indicator.target, indicator.result_value) == (50, 55)
    html = lena.get(page(indicator)).content.decode()
    assert "Ny rutin" in html and "Fas 2" in html and "&gt;50 %" in html
    assert "Ökning med 35 procentenheter" in html
    assert AuditEvent.objects.filter(detail__contains="anteckning 2024-05").exists()


def test_an_indicator_is_renamed_and_its_report_chart_chosen_but_stays_an_andel(project, lena):
    indicator = hand_share(project)
    url = reverse("improvement_indicator_edit", args=[project.pk, indicator.pk])
    html = lena.post(url, edit_fields(indicator, name="Antal nöjda")).content.decode()
    assert "Namnet ska fortsätta börja med ”Andel”" in html
    html = lena.post(url, edit_fields(indicator, chart="c")).content.decode()
    assert "Diagrammet passar inte" in html
    changed = edit_fields(indicator, name="Andel mycket nöjda patienter", chart="p",
                          definition="Täljare: svar 5 av 5. Nämnare: alla svar.")  # fmt: skip
    assert lena.post(url, changed).status_code == 302
    indicator.refresh_from_db()
    assert (indicator.name, indicator.chart) == ("Andel mycket nöjda patienter", "p")
    assert AuditEvent.objects.filter(detail__contains="ändrad: name, definition, chart").exists()


def test_a_computed_indicator_is_measured_again_on_request(project, lena):
    indicator = actions.add_indicator(project, name="", catalogue_key="rehab_meetings")
    url = reverse("improvement_indicator_measure", args=[project.pk, indicator.pk])
    assert lena.get(url).status_code == 405
    response = lena.post(url, follow=True)
    assert indicator.measurements.count() == 24
    assert "24 månader mätta på" in response.content.decode()


def test_another_clinics_project_and_indicator_are_not_found(project, other_clinic, client):
    indicator = hand_share(project)
    client.force_login(make_user("olle", other_clinic))
    args = [project.pk, indicator.pk]
    for name in ("improvement_indicator", "improvement_indicator_edit",
                 "improvement_measurement_entry", "improvement_note_add"):  # fmt: skip
        assert client.get(reverse(name, args=args)).status_code == 404
    assert client.post(reverse("improvement_indicator_measure", args=args)).status_code == 404
    assert client.get(reverse("improvement_indicator_new", args=[project.pk])).status_code == 404
    # nor under another project of the user's own clinic
    mine = actions.create_project(other_clinic, None, year=2024, theme="annat")
    assert (
        client.get(reverse("improvement_indicator", args=[mine.pk, indicator.pk])).status_code
        == 404
    )


def test_the_measure_command_measures_computed_indicators_only(project, clinic):
    computed = actions.add_indicator(project, name="", catalogue_key="rehab_meetings")
    by_hand = hand_share(project)
    other = actions.create_project(clinic, None, year=2025, theme="annat")
    elsewhere = actions.add_indicator(other, name="", catalogue_key="rehab_meetings")
    out = StringIO()

    call_command("measure", "--project", str(project.pk), "--months", "3", stdout=out)

    assert computed.measurements.count() == 3
    assert not by_hand.measurements.exists() and not elsewhere.measurements.exists()
    assert "Antal rehabmöten" in out.getvalue() and "de senaste 3 månaderna" in out.getvalue()
    call_command("measure", stdout=StringIO())
    assert elsewhere.measurements.count() == 24


@pytest.mark.parametrize("arguments", [["--months", "0"], ["--project", "999999"]])
def test_the_measure_command_refuses_bad_arguments_with_exit_code_2(db, arguments):
    with pytest.raises(CommandError) as refused:
        call_command("measure", *arguments, stdout=StringIO())
    assert refused.value.returncode == 2


def test_the_measure_command_says_when_there_is_nothing_to_measure(project):
    hand_share(project)
    out = StringIO()
    call_command("measure", stdout=out)
    assert "Inga beräknade indikatorer att mäta." in out.getvalue()


def test_months_with_notes_only_draw_no_chart_and_no_zeros(project, lena):
    indicator = hand_share(project)
    actions.enter_value(indicator, date(2024, 2, 1), None, note="ingen enkät i februari")
    html = lena.get(page(indicator)).content.decode()
    assert "<svg" not in html and "Inget diagram ännu: ingen månad har något värde." in html
    row = month_row(html, "2024-02")
    assert "ingen enkät i februari" in row and ">0<" not in row and "0 %" not in row
