"""Who may run a deep-dive on which clinics, and what is written down when they do."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection

from painpath.access.models import AuditEvent
from painpath.deepdive.service import DeepDiveQuery, deep_dive_csv, run_deep_dive
from painpath.records.models import Patient
from tests.factories import make_user

pytestmark = pytest.mark.django_db
QUERY = DeepDiveQuery(start=date(2020, 1, 1), end=date(2023, 12, 31))


@pytest.fixture
def data(habo_and_annan):
    pass


def test_a_user_gets_their_own_clinics_and_the_run_is_audited(data, clinic):
    lena = make_user("lena", clinic)
    result = run_deep_dive(QUERY, user=lena)
    assert result["query"]["clinics"] == ["habo"]
    assert result["main"]["patients"] == 2
    event = AuditEvent.objects.get(username="lena")
    assert event.detail == "djupdykning R52.2 2020-01-01..2023-12-31"
    assert event.patient is None


def test_a_user_cannot_name_another_clinic_or_one_that_does_not_exist(data, clinic):
    lena = make_user("lena", clinic)
    for codes in (("annan",), ("habo", "annan"), ("nowhere",)):
        with pytest.raises(PermissionDenied):
            run_deep_dive(DeepDiveQuery(**{**QUERY.__dict__, "clinic_codes": codes}), user=lena)


def test_a_user_without_a_clinic_sees_nothing(data):
    with pytest.raises(PermissionDenied):
        run_deep_dive(QUERY, user=make_user("nobody", None))


def test_hidden_counts_hide_their_differences_too(data, clinic):
    query = DeepDiveQuery(
        **{
            **QUERY.__dict__,
            "hide_small": True,
            "compare_start": date(2024, 1, 1),
            "compare_end": date(2024, 10, 31),
        }
    )
    result = run_deep_dive(query, user=make_user("lena", clinic))
    assert result["main"]["patients"] is None
    assert result["compare"]["patients"] == 0
    assert result["difference"]["patients"] is None
    assert "Patienter;Unika patienter med diagnosen;;0;" in deep_dive_csv(result)


def test_analytics_leave_djangos_case_insensitive_search_working(data, clinic):
    run_deep_dive(QUERY, user=make_user("lena", clinic))
    assert Patient.objects.filter(sex__icontains="FEMALE").exists()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            assert cursor.execute("PRAGMA case_sensitive_like").fetchone() in (None, (0,))
