"""Improvement projects' use cases (painpath/improvement/actions.py) and the computed
indicators' catalogue, on a tiny extract."""

from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from painpath.improvement import actions, catalogue
from painpath.improvement.states import Source

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 23)


def test_an_indicator_must_start_with_antal_or_andel(project):
    with pytest.raises(ValidationError, match="Antal"):
        actions.add_indicator(project, name="Patienter som fått plan", kind="process", source="x")
    ok = actions.add_indicator(project, name="Antal patienter", kind="process", source="x")
    assert ok.number == 1 and not ok.is_share


def test_a_computed_indicator_keeps_antal_or_andel_as_its_values_are(project):
    with pytest.raises(ValidationError, match="”Antal”"):
        actions.add_indicator(project, name="Andel fel", catalogue_key="cohort_patients")
    with pytest.raises(ValidationError, match="”Andel”"):
        actions.add_indicator(project, name="Antal fel", catalogue_key="multi_profession")
    renamed = actions.add_indicator(
        project, name="Antal patienter med R52.2", catalogue_key="cohort_patients"
    )
    assert renamed.name == "Antal patienter med R52.2"


def test_a_computed_indicator_takes_the_catalogues_name_and_definition(project):
    found = actions.add_indicator(project, name="", catalogue_key="multi_profession")
    entry = catalogue.CATALOGUE["multi_profession"]
    assert (found.name, found.kind, found.chart) == (entry.name, "outcome", "run")
    assert found.parameters == {"diagnoses": ["R52.2"], "window_months": 12}


def test_it_measures_each_month_and_says_why_instead_of_zero(habo_and_annan, project):
    indicator = actions.add_indicator(project, name="", catalogue_key="multi_profession")
    months = catalogue.months_between(date(2022, 1, 1), date(2022, 12, 31))

    measured = actions.measure(indicator, months, today=TODAY)

    assert len(measured) == 12 and all(m.source == Source.COMPUTED for m in measured)
    by_month = {m.month: m for m in measured}
    # the small extract's contacts begin in 2022: a 12-month window needs all of it
    assert by_month[date(2022, 1, 1)].value is None
    assert "täcker inte" in by_month[date(2022, 1, 1)].note
    assert actions.measure(indicator, months, today=TODAY)  # again: replaced, not added
    assert indicator.measurements.count() == 12


def test_a_month_that_has_not_ended_is_not_measured(project):
    indicator = actions.add_indicator(project, name="", catalogue_key="rehab_meetings")
    [measured] = actions.measure(indicator, [date(2026, 11, 1)], today=TODAY)
    assert (measured.value, measured.note) == (None, "månaden är inte slut")


def test_hand_entered_shares_need_a_denominator_and_keep_both(project):
    share = actions.add_indicator(project, name="Andel nöjda", kind="outcome", source="enkät")
    with pytest.raises(ValidationError, match="nämnare"):
        actions.enter_value(share, date(2024, 3, 1), None, numerator=3)
    with pytest.raises(ValidationError, match="större än nämnaren"):
        actions.enter_value(share, date(2024, 3, 1), None, numerator=5, denominator=4)
    saved = actions.enter_value(share, date(2024, 3, 9), None, numerator=3, denominator=4)
    assert (saved.month, saved.value, saved.source) == (date(2024, 3, 1), 0.75, Source.MANUAL)
    empty = actions.enter_value(share, date(2024, 4, 1), None, note="enkäten skickades inte")
    assert (empty.value, empty.note) == (None, "enkäten skickades inte")


def test_causes_and_ideas_are_numbered_as_the_template_numbers_them(project):
    first = actions.add_cause(project, "Bristande kunskap")
    second = actions.add_cause(project, "Tidsbrist")
    actions.add_idea(first, "Internutbildning")
    idea = actions.add_idea(first, "Utbildning via APC")
    assert (second.number, idea.label) == (2, "1.2")


def test_a_pdsa_ends_when_it_is_acted_on(project):
    cycle = actions.start_pdsa(
        project, None, title="45 minuter", objective="x", prediction="y", plan="z",
        starts_on=date(2024, 3, 1),
    )  # fmt: skip
    actions.update_pdsa(cycle, study="som förutsagt", act="adopt")
    assert cycle.ends_on is not None


def test_an_extract_figure_is_measured_over_the_months_the_extract_covers(habo_and_annan, project):
    indicator = actions.add_indicator(project, name="", catalogue_key="cohort_patients")
    last = catalogue.extract_covers([project.clinic])[1]

    months = actions.months_to_measure(indicator, TODAY, months=3)

    assert len(months) == 3 and catalogue.month_end(months[-1]) <= last
    assert catalogue.add_months(months[-1], 1) > catalogue.month_start(last) - timedelta(31)
    rehab = actions.add_indicator(project, name="", catalogue_key="rehab_meetings")
    assert actions.months_to_measure(rehab, TODAY, months=2) == [
        date(2026, 9, 1),
        date(2026, 10, 1),
    ]


def test_the_docs_list_every_computed_indicator():
    docs = (Path(__file__).parents[2] / "docs" / "improvement.md").read_text()
    for key, entry in catalogue.CATALOGUE.items():
        assert f"| `{key}` | {entry.name} |" in docs


def test_two_users_adding_at_once_get_the_next_numbers_not_an_error(project):
    """Both read the same highest number; the second is refused by the unique constraint
    and takes the number after (here: a stale read of the highest number, as the second
    user's was)."""
    from painpath.improvement.models import Cause

    actions.add_cause(project, "Först")

    class ReadBeforeTheOtherSaved:
        def __init__(self):
            self.first = True

        def aggregate(self, **kwargs):
            if self.first:
                self.first = False
                return {"n": 0}
            return project.causes.aggregate(**kwargs)

    made = actions._numbered(
        ReadBeforeTheOtherSaved(),
        lambda number: Cause.objects.create(project=project, number=number, text="Samtidigt"),
    )
    assert made.number == 2
