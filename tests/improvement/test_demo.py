"""The demo improvement project (painpath/improvement/demo.py, `painpath demoimprovement`)."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from painpath.improvement.demo import build_project
from painpath.improvement.models import Project

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 23)


def test_it_builds_a_habo_like_project_measured_over_the_extract(habo_and_annan, clinic):
    project = build_project(clinic, today=TODAY)

    assert [c.number for c in project.causes.all()] == [1, 2, 3, 4]
    assert project.team.count() == 4 and project.cycles.count() == 2
    several = project.indicators.get(catalogue_key="multi_profession")
    assert several.name.startswith("Andel patienter med långvarig smärta")
    assert several.measurements.count() == 24
    assert several.cycles.count() == 2  # both PDSA cycles are drawn on its chart
    hand = project.indicators.get(catalogue_key="")
    assert not hand.measurements.exists()


def test_running_it_again_adds_nothing(habo_and_annan, clinic):
    build_project(clinic, today=TODAY)
    out = StringIO()
    call_command("demoimprovement", clinic="habo", stdout=out)
    assert "fanns redan" in out.getvalue() and Project.objects.count() == 1
