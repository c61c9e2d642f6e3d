"""From an indicator's measurements, notes and PDSA cycles to its chart
(painpath/improvement/charting.py)."""

from datetime import date

import pytest

from painpath.improvement import actions, catalogue, charting, spc

pytestmark = pytest.mark.django_db
FIRST = date(2024, 1, 1)


def share_with_a_gap(project):
    """Twelve months of an Andel by hand; April has no value, only a note why."""
    indicator = actions.add_indicator(
        project, name="Andel nöjda patienter", kind="outcome", source="enkät", direction="up",
        target=60,
    )  # fmt: skip
    for i, month in enumerate(catalogue.months_between(FIRST, date(2024, 12, 1))):
        if month.month == 4:
            actions.enter_value(indicator, month, None, note="enkäten skickades inte ut")
        else:
            actions.enter_value(indicator, month, None, numerator=i + 1, denominator=20)
    return indicator


def test_a_share_goes_to_the_core_as_numerator_and_denominator(project):
    indicator = share_with_a_gap(project)
    result = charting.analyse(indicator)
    march = result.points[2]
    assert (march.label, march.numerator, march.denominator, march.y) == (
        "mars 2024",
        3,
        20,
        3 / 20,
    )


def test_a_month_without_a_value_is_a_missing_point_not_zero(project):
    indicator = share_with_a_gap(project)
    result = charting.analyse(indicator)
    april = result.points[3]
    assert april.y is None and april.numerator is None
    assert result.phases[0].n_useful <= 11  # April is not in the runs analysis
    expected = spc.analyse(
        "run",
        numerators=[i + 1 if i != 3 else None for i in range(12)],
        denominators=[20 if i != 3 else None for i in range(12)],
    )
    assert result.phases[0].n_useful == expected.phases[0].n_useful


def test_months_nobody_measured_are_missing_too(project):
    indicator = actions.add_indicator(project, name="Antal möten", kind="process", source="x")
    actions.enter_value(indicator, date(2024, 1, 1), None, numerator=4)
    actions.enter_value(indicator, date(2024, 4, 1), None, numerator=6)
    data = charting.series(indicator)
    assert data.labels == ["januari 2024", "februari 2024", "mars 2024", "april 2024"]
    assert [m is None for m in data.measurements] == [False, True, True, False]


def test_the_chart_draws_the_pdsa_and_the_target(project):
    indicator = share_with_a_gap(project)
    cycle = actions.start_pdsa(
        project, None, title="Teamträff varje vecka", objective="o", prediction="p", plan="x",
        starts_on=date(2024, 6, 12), indicators=[indicator],
    )  # fmt: skip
    actions.add_note(indicator, date(2024, 9, 3), "Ny rutin")
    svg = charting.indicator_chart_svg(indicator)
    assert svg.startswith("<svg")
    assert f"PDSA: {cycle.title}" in svg and "Ny rutin" in svg
    assert "grön prickad: mål" in svg  # the key names the target line
    spec = charting.indicator_spec(indicator)
    targets = [layer["data"]["values"] for layer in spec["layer"] if "data" in layer]
    assert [{"target": 0.6}] in targets  # 60 % as a proportion, on the chart's scale


def test_the_png_for_documents_is_a_png(project):
    indicator = share_with_a_gap(project)
    assert charting.indicator_chart_png(indicator, scale=1).startswith(b"\x89PNG")


def test_nothing_measured_gives_no_chart(project):
    indicator = actions.add_indicator(project, name="Antal möten", kind="process", source="x")
    assert charting.indicator_chart_svg(indicator) == ""
    assert charting.indicator_chart_png(indicator) == b""


def test_the_baseline_and_phases_become_freeze_and_parts(project):
    indicator = share_with_a_gap(project)
    indicator.baseline_months = 6
    indicator.phase_starts = ["2024-09-01", "2024-01-01", "2030-01-01"]
    indicator.save()
    result = charting.analyse(indicator)
    assert [(p.first, p.last, p.freeze) for p in result.phases] == [(1, 8, 6), (9, 12, None)]


def test_only_charts_that_fit_are_chosen(project):
    share = share_with_a_gap(project)
    count = actions.add_indicator(project, name="Antal möten", kind="process", source="x")
    actions.enter_value(count, date(2024, 1, 1), None, numerator=4)
    assert charting.chart_types(share) == ("run", "p", "pp")
    assert charting.chart_types(count) == ("run", "c", "i", "mr", "g")  # no exposure: no U
    assert charting.chosen_chart(share, "c") == "run"
    assert charting.chosen_chart(share, "pp") == "pp"
    assert charting.analyse(count, "c").chart == "c"
    assert charting.chosen_chart(count, "u") == "run"


def test_a_count_with_its_exposure_every_month_is_drawn_per_unit(project):
    count = actions.add_indicator(project, name="Antal fall", kind="balancing", source="x")
    for month, (falls, bed_days) in enumerate([(3, 300), (6, 400), (2, 100)], 1):
        actions.enter_value(count, date(2024, month, 1), None, numerator=falls,
                            denominator=bed_days)  # fmt: skip
    assert "u" in charting.chart_types(count) and "up" in charting.chart_types(count)
    result = charting.analyse(count, "u")
    assert [point.y for point in result.points] == [0.01, 0.015, 0.02]
    assert result.phases[0].cl == pytest.approx(11 / 800)
    assert charting.analyse(count, "g").chart == "g"
    assert [p.y for p in charting.analyse(count, "mr").points][1:] == [3, 4]


def test_a_pdsa_in_a_month_without_a_value_or_after_the_last_is_drawn_all_the_same(project):
    indicator = share_with_a_gap(project)
    for title, day in [("Ny enkät", date(2024, 4, 10)), ("Nästa steg", date(2025, 2, 3))]:
        actions.start_pdsa(project, None, indicators=[indicator], title=title, objective="o",
                           prediction="p", plan="p", starts_on=day)  # fmt: skip
    data = charting.series(indicator)
    assert (data.months[0], data.months[-1]) == (FIRST, date(2025, 2, 1))  # widened to it
    svg = charting.indicator_chart_svg(indicator)
    assert "PDSA: Ny enkät" in svg and "PDSA: Nästa steg" in svg


def test_a_note_before_the_first_measured_month_leaves_the_baseline_where_it_was(project):
    indicator = share_with_a_gap(project)
    indicator.baseline_months = 6
    indicator.save()
    before = charting.analyse(indicator).phases[0].cl
    actions.add_note(indicator, date(2023, 7, 1), "Projektet planeras")
    after = charting.series(indicator)
    assert after.months[0] == FIRST and charting.analyse(indicator).phases[0].cl == before
