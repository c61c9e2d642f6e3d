"""Removing things on the indicator pages (painpath/improvement/views_indicators.py): an
indicator (asked first; the later ones are renumbered), a chart note and a hand-entered
month. Each is a POST, audited, and a 404 for a user at another clinic."""

import re
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from painpath.access.models import AuditAction, AuditEvent
from painpath.improvement import actions
from painpath.improvement.models import ChartNote, Indicator, Measurement, Pdsa
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def olle(client, other_clinic):
    client.force_login(make_user("olle", other_clinic))
    return client


def by_hand(project, name="Andel nöjda patienter"):
    return actions.add_indicator(project, name=name, kind="outcome", source="enkät", direction="up")


def page(indicator):
    return reverse("improvement_indicator", args=[indicator.project_id, indicator.pk])


def url(name, indicator, *more):
    return reverse(name, args=[indicator.project_id, indicator.pk, *more])


def changes(text: str):
    return AuditEvent.objects.filter(action=AuditAction.CHANGE, patient=None, detail__contains=text)


def month_row(html: str, iso: str) -> str:
    return re.search(rf'<tr data-month="{iso}".*?</tr>', html, re.S).group(0)


# the indicator


def by_hand_pk(project, name: str) -> int:
    return project.indicators.get(name=name).pk


def test_deleting_an_indicator_renumbers_the_later_ones(project):
    first, second, third, fourth = (by_hand(project, f"Antal {n}") for n in "abcd")
    other = actions.create_project(project.clinic, None, year=2025, theme="annat")
    elsewhere = by_hand(other, "Antal e")

    assert actions.delete_indicator(second) == 2

    assert list(project.indicators.values_list("name", "number")) == [
        ("Antal a", 1), ("Antal c", 2), ("Antal d", 3),
    ]  # fmt: skip
    assert not Indicator.objects.filter(pk=second.pk).exists()
    elsewhere.refresh_from_db()
    assert elsewhere.number == 1
    # the next new indicator follows on
    assert by_hand(project, "Antal f").number == 4
    # fourth's page still said number 4; it is 3 now, and "Antal f" after it moves down
    assert actions.delete_indicator(fourth) == 1
    assert list(project.indicators.values_list("pk", "number")) == [
        (first.pk, 1), (third.pk, 2), (by_hand_pk(project, "Antal f"), 3),
    ]  # fmt: skip


def test_the_indicator_page_asks_first_then_removes_it_and_what_goes_with_it(project, lena):
    indicator = by_hand(project)
    later = by_hand(project, "Antal samtal")
    actions.enter_value(indicator, date(2024, 3, 1), None, numerator=3, denominator=10)
    actions.add_note(indicator, date(2024, 3, 1), "Ny rutin")
    cycle = actions.start_pdsa(
        project, None, indicators=[indicator, later], title="Checklista", objective="o",
        prediction="p", plan="p", starts_on=date(2024, 3, 4),
    )  # fmt: skip
    delete = url("improvement_indicator_delete", indicator)

    assert f'href="{delete}"' in lena.get(page(indicator)).content.decode()
    html = lena.get(delete).content.decode()
    assert "Ta bort indikator 1?" in html
    assert "Alla dess månadsvärden (1) och anteckningar i diagrammet (1)" in html
    assert "förlorar kopplingen till indikatorn: Checklista." in html
    assert "Indikatorn efter den får ett nummer lägre" in html
    assert Indicator.objects.filter(pk=indicator.pk).exists()  # asking removes nothing

    response = lena.post(delete)

    assert response.status_code == 302
    assert response.url == reverse("improvement_project", args=[project.pk]) + "#indikatorer"
    assert not Indicator.objects.filter(pk=indicator.pk).exists()
    assert not Measurement.objects.filter(indicator_id=indicator.pk).exists()
    assert not ChartNote.objects.filter(indicator_id=indicator.pk).exists()
    cycle = Pdsa.objects.get(pk=cycle.pk)  # the cycle goes on, linked to the other one only
    later.refresh_from_db()
    assert list(cycle.indicators.all()) == [later] and later.number == 1
    event = changes(f"indikator 1 ({indicator.pk}): borttagen").get()
    assert "Andel nöjda patienter" in event.detail
    assert "1 månadsvärden och 1 anteckningar" in event.detail
    project_page = lena.get(response.url).content.decode()
    assert 'id="indikatorer"' in project_page
    assert "Indikator 1 är borttagen." in project_page
    assert "fått ett nummer lägre" in project_page


def test_another_clinic_cannot_see_or_delete_an_indicator(project, olle, other_clinic):
    indicator = by_hand(project)
    delete = url("improvement_indicator_delete", indicator)

    assert olle.get(delete).status_code == 404
    assert olle.post(delete).status_code == 404
    assert Indicator.objects.filter(pk=indicator.pk).exists()
    # nor through a project of the user's own clinic
    mine = actions.create_project(other_clinic, None, year=2024, theme="annat")
    elsewhere = reverse("improvement_indicator_delete", args=[mine.pk, indicator.pk])
    assert olle.post(elsewhere).status_code == 404
    assert Indicator.objects.filter(pk=indicator.pk).exists()
    assert not changes("borttagen").exists()


# a chart note


def test_a_chart_note_is_removed_from_the_list_but_not_a_pdsa_cycle(project, lena):
    indicator = by_hand(project)
    kept = actions.add_note(indicator, date(2024, 2, 1), "Personalmöte")
    note = actions.add_note(indicator, date(2024, 3, 1), "Ny rutin")
    actions.start_pdsa(
        project, None, indicators=[indicator], title="Checklista", objective="o",
        prediction="p", plan="p", starts_on=date(2024, 3, 4),
    )  # fmt: skip
    delete = url("improvement_note_delete", indicator, note.pk)

    html = lena.get(page(indicator)).content.decode()
    events = re.search(r'<ul class="events">.*?</ul>', html, re.S).group(0)
    assert f'action="{delete}"' in events
    assert events.count("<form") == 2  # the two notes; the cycle is changed on its own page
    assert 'Ta bort<span class="visually-hidden"> anteckningen för mars 2024</span>' in events

    assert lena.get(delete).status_code == 405
    response = lena.post(delete)

    assert response.status_code == 302 and response.url == page(indicator) + "#diagrammet"
    assert list(indicator.notes.all()) == [kept]
    assert changes(f"({indicator.pk}): anteckning 2024-03 borttagen: Ny rutin").exists()
    html = lena.get(page(indicator)).content.decode()
    assert "Anteckningen för mars 2024 är borttagen." in html
    assert "PDSA: Checklista" in html and "Ny rutin" not in html


def test_another_clinic_or_indicator_cannot_delete_a_note(project, client, clinic, other_clinic):
    indicator = by_hand(project)
    note = actions.add_note(indicator, date(2024, 3, 1), "Ny rutin")
    client.force_login(make_user("olle", other_clinic))
    assert client.post(url("improvement_note_delete", indicator, note.pk)).status_code == 404
    # the note of one indicator, through another's URL, at its own clinic: not found either
    other = by_hand(project, "Antal samtal")
    client.force_login(make_user("lena", clinic))
    assert client.post(url("improvement_note_delete", other, note.pk)).status_code == 404
    assert ChartNote.objects.filter(pk=note.pk).exists()


# a hand-entered month


def test_a_hand_entered_month_is_removed(project, lena):
    indicator = by_hand(project)
    march = actions.enter_value(indicator, date(2024, 3, 1), None, numerator=3, denominator=10)
    actions.enter_value(indicator, date(2024, 4, 1), None, numerator=4, denominator=10)
    delete = url("improvement_measurement_delete", indicator, march.pk)

    row = month_row(lena.get(page(indicator)).content.decode(), "2024-03")
    assert f'action="{delete}"' in row
    assert 'Ta bort<span class="visually-hidden"> värdet för mars 2024</span>' in row

    assert lena.get(delete).status_code == 405
    response = lena.post(delete)

    assert response.status_code == 302 and response.url == page(indicator) + "#manader"
    assert list(indicator.measurements.values_list("month", flat=True)) == [date(2024, 4, 1)]
    event = changes(f"({indicator.pk}): värde för 2024-03 borttaget").get()
    assert "täljare 3.0, nämnare 10.0" in event.detail
    assert "Värdet för mars 2024 är borttaget." in lena.get(page(indicator)).content.decode()


def test_another_clinic_cannot_delete_a_month(project, olle):
    indicator = by_hand(project)
    march = actions.enter_value(indicator, date(2024, 3, 1), None, numerator=3, denominator=10)
    delete = url("improvement_measurement_delete", indicator, march.pk)
    assert olle.post(delete).status_code == 404
    assert olle.get(delete).status_code == 405  # POST only, before anything is looked up
    assert Measurement.objects.filter(pk=march.pk).exists()
    assert not changes("borttaget").exists()


def test_a_computed_indicator_has_no_delete_buttons_and_refuses_one(project, lena):
    indicator = actions.add_indicator(project, name="", catalogue_key="rehab_meetings")
    actions.measure(indicator, [date(2024, 3, 1)], today=date(2024, 5, 1))
    measured = indicator.measurements.get()

    html = lena.get(page(indicator)).content.decode()
    table = re.search(r'<table class="months">.*?</table>', html, re.S).group(0)
    assert "Ta bort" not in table and "<form" not in table

    with pytest.raises(ValidationError):
        actions.delete_measurement(measured)
    response = lena.post(url("improvement_measurement_delete", indicator, measured.pk))
    assert response.status_code == 302
    assert indicator.measurements.filter(pk=measured.pk).exists()
    assert not changes("borttaget").exists()
    assert "beräknas ur painpaths data" in lena.get(page(indicator)).content.decode()


def test_a_hand_entered_month_without_value_can_be_removed_too(project):
    indicator = by_hand(project)
    empty = actions.enter_value(indicator, date(2024, 3, 1), None, note="enkäten kom bort")
    actions.delete_measurement(empty)
    assert not indicator.measurements.exists()


def test_a_removal_with_a_stale_number_renumbers_from_the_numbers_as_they_are(project):
    """Two removals at once: the second was loaded before the first moved it down."""
    _one, two, three, _four = (
        actions.add_indicator(project, name=f"Antal {n}", kind="process", source="x")
        for n in "abcd"
    )
    stale = project.indicators.get(pk=three.pk)  # number 3, as its page showed it
    actions.delete_indicator(two)  # three becomes 2, four becomes 3
    actions.delete_indicator(stale)
    assert list(project.indicators.values_list("name", "number")) == [
        ("Antal a", 1),
        ("Antal d", 2),
    ]
    assert actions.delete_indicator(stale) == 0  # already gone: nothing to do
