import pytest
from django.db import DatabaseError, connection, transaction
from django.http import Http404
from django.test import RequestFactory

from painpath.access.models import AppendOnlyError, AuditAction, AuditEvent
from painpath.access.policies import audit, get_patient_for_user, patients_for
from painpath.ingest.importer import import_extract
from painpath.records.models import Patient
from tests.factories import make_user, small_extract, write_extract

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_clinics(tmp_path, clinic, other_clinic):
    import_extract(small_extract(tmp_path / "habo"))
    write_extract(
        tmp_path / "annan",
        {
            "patients": "patient_id,clinic_id\nA-1,annan\n",
            "contacts": "patient_id,date\nA-1,2022-02-02\n",
        },
    )
    import_extract(tmp_path / "annan")


def test_a_user_sees_only_patients_of_their_own_clinics(two_clinics, clinic, other_clinic):
    at_habo = make_user("lena", clinic)
    at_annan = make_user("anna", other_clinic)
    nowhere = make_user("nils", None)

    assert patients_for(at_habo).count() == 3
    assert list(patients_for(at_annan).values_list("external_id", flat=True)) == ["A-1"]
    assert patients_for(nowhere).count() == 0


def test_a_superuser_is_no_exception(two_clinics, clinic):
    root = make_user("root", None)
    root.is_superuser = True
    root.save()

    assert patients_for(root).count() == 0


def test_an_audit_event_records_who_what_when_and_from_where(two_clinics, clinic):
    user = make_user("lena", clinic)
    request = RequestFactory().get("/patienter/x/", REMOTE_ADDR="10.1.2.3")
    request.user = user
    patient = Patient.objects.first()

    event = audit(request, AuditAction.VIEW, patient)

    assert (event.username, event.action, event.pseudonym) == ("lena", "view", patient.pseudonym)
    assert (event.ip_address, event.path) == ("10.1.2.3", "/patienter/x/")
    assert event.at is not None


def test_the_audit_log_cannot_be_changed_or_deleted(clinic):
    event = AuditEvent.objects.create(username="x", action=AuditAction.VIEW)

    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()


def test_the_database_itself_refuses_updates_and_deletes_of_the_audit_log(clinic):
    AuditEvent.objects.create(username="x", action=AuditAction.VIEW)

    attempts = [
        lambda: AuditEvent.objects.update(username="y"),  # bulk: no model method runs
        lambda: AuditEvent.objects.all().delete(),
        lambda: connection.cursor().execute("DELETE FROM access_auditevent"),
    ]
    for attempt in attempts:
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            attempt()
    assert AuditEvent.objects.get().username == "x"


def test_granting_and_withdrawing_a_clinic_membership_is_logged(clinic):
    user = make_user("lena", clinic)

    user.memberships.get().delete()

    details = list(AuditEvent.objects.order_by("id").values_list("detail", flat=True))
    assert details == ["behörighet beviljad: lena @ habo", "behörighet återkallad: lena @ habo"]


@pytest.mark.parametrize(
    ("typed", "detail"),
    [
        ("PNOSUCH23456Q", "ingen träff: PNOSUCH23456Q"),  # pseudonym-shaped: identifies no one
        ("19121212-1212", "ingen träff (personnummer utelämnat)"),
        ("121212-1212", "ingen träff (personnummer utelämnat)"),
        ("1912121212 12", "ingen träff (personnummer utelämnat)"),  # mistyped, near one
    ],
)
def test_a_miss_is_logged_without_a_personnummer(clinic, typed, detail):
    request = RequestFactory().get("/patienter/x/")
    request.user = make_user("lena", clinic)

    with pytest.raises(Http404):
        get_patient_for_user(request, typed)

    event = AuditEvent.objects.get(action=AuditAction.LOOKUP)
    assert event.detail == detail and event.patient is None


@pytest.mark.parametrize(
    "path",
    ["/patienter/19121212-1212/", "/patienter/191212121212/", "/x/?q=121212%2B1212"],
)
def test_a_personnummer_typed_into_the_address_is_masked_in_the_audit_log(clinic, path):
    request = RequestFactory().get(path)
    request.user = make_user("lena", clinic)

    with pytest.raises(Http404):
        get_patient_for_user(request, "PNOBODY000001")

    event = AuditEvent.objects.get(action=AuditAction.LOOKUP)
    assert "1212" not in event.path and "[personnummer]" in event.path


def test_a_personnummer_typed_into_free_text_is_masked_in_the_audit_detail(clinic):
    request = RequestFactory().get("/")
    request.user = make_user("lena", clinic)
    event = audit(
        request, AuditAction.CHANGE, detail="anteckning: pat 19121212-1212, 220313-221231"
    )
    assert event.detail == "anteckning: pat [personnummer], 220313-221231"
