"""The measuring benchmark's baseline (the whole deep-dive per month) gives painpath's own
numerators and denominators, so the benchmark compares like with like."""

from datetime import date

import pytest

from benchmarks.measure_bench import INDICATORS, baseline
from painpath.improvement import actions, catalogue

pytestmark = pytest.mark.django_db


def test_the_baseline_counts_what_painpath_measures(habo_and_annan, clinic):
    project = actions.create_project(clinic, None, year=2023, theme="långvarig smärta")
    for key in INDICATORS:
        indicator = actions.add_indicator(
            project, name="", catalogue_key=key, parameters={"diagnoses": ["R52.2"],
                                                             "window_months": 1},
        )  # fmt: skip
        months = catalogue.months_between(date(2021, 1, 1), date(2021, 12, 1))
        measured = actions.measure(indicator, months, today=date(2026, 11, 23))
        covered = [m.month for m in measured if m.denominator is not None]
        assert len(covered) >= 6  # the months the small extract covers (the demo's: all 24)
        assert [(m.numerator, m.denominator) for m in measured if m.month in covered] == (
            baseline(indicator, covered)
        )
