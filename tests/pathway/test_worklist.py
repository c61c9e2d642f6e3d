"""The worklist's sections (painpath/pathway/worklist.py), on fixed dates."""

from datetime import UTC, date, datetime, timedelta

import pytest

from painpath.pathway import actions, worklist
from painpath.pathway.models import Invitation
from painpath.pathway.states import CancelledBy, Channel, Criterion, Source, Timepoint
from painpath.records.models import Patient
from tests.factories import make_user

pytestmark = pytest.mark.django_db
T0 = datetime(2025, 2, 3, 9, 0, tzinfo=UTC)  # a Monday morning in Stockholm
DAY0 = date(2025, 2, 3)


@pytest.fixture
def nurse(clinic):
    return make_user("sara", clinic)


def enrolled(clinic, user, name: str):
    patient = Patient.objects.create(
        id_hash=f"h-{name}", pseudonym=f"P{name.upper()}XXXXXXXXXXXX"[:13]
    )
    return actions.enrol(
        patient, clinic, criterion=Criterion.NEW_LONG_PAIN, profession="nurse",
        channel=Channel.PHONE, user=user, first_name=name, at=T0,
    )  # fmt: skip


def invited(enrolment, user, at=T0, timepoint=Timepoint.BASELINE):
    invitation, _token = actions.invite(enrolment, ["oempsq_sf"], user, at=at, timepoint=timepoint)
    Invitation.objects.filter(pk=invitation.pk).update(created_at=at)  # auto_now_add
    invitation.refresh_from_db()
    return invitation


def answered(enrolment, user, at=T0):
    invitation = invited(enrolment, user, at=at)
    return actions.submit(enrolment, Timepoint.BASELINE, invitation=invitation, at=at)


def assessed(enrolment, user, at):
    booking = actions.book_assessment(
        enrolment, scheduled_at=at, length_minutes=45, clinician=user, profession="physician",
        user=user,
    )  # fmt: skip
    return actions.assessed(booking, user, at=at)


def keys(rows):
    return [row.enrolment.first_name for row in rows]


def test_it_lists_an_unanswered_invitation_with_its_age_and_expiry(clinic, nurse):
    invitation = invited(enrolled(clinic, nurse, "anna"), nurse)

    (row,) = worklist.unanswered_invitations([clinic], DAY0 + timedelta(days=5))

    assert (row.invitation, row.on, row.days) == (invitation, DAY0, 5)
    assert row.expires_on == DAY0 + timedelta(days=21)


def test_it_shows_only_the_newest_link_when_a_new_one_was_made(clinic, nurse):
    enrolment = enrolled(clinic, nurse, "anna")
    invited(enrolment, nurse)
    renewed = invited(enrolment, nurse, at=T0 + timedelta(days=25))

    rows = worklist.unanswered_invitations([clinic], DAY0 + timedelta(days=26))

    assert [row.invitation for row in rows] == [renewed]


def test_answers_move_a_patient_from_the_invitations_to_booking(clinic, nurse):
    waiting = enrolled(clinic, nurse, "anna")
    invited(waiting, nurse)
    answered(enrolled(clinic, nurse, "bertil"), nurse, at=T0 + timedelta(days=2))
    today = DAY0 + timedelta(days=10)

    assert keys(worklist.unanswered_invitations([clinic], today)) == ["anna"]
    (row,) = worklist.awaiting_booking([clinic], today)
    assert (row.enrolment.first_name, row.on, row.days) == ("bertil", DAY0 + timedelta(2), 8)


def test_a_booking_takes_a_patient_off_the_list_to_book_and_its_cancellation_puts_them_back(
    clinic, nurse
):
    enrolment = answered(enrolled(clinic, nurse, "anna"), nurse)
    booking = actions.book_assessment(
        enrolment, scheduled_at=T0 + timedelta(days=7), length_minutes=30, clinician=nurse,
        profession="physician", user=nurse,
    )  # fmt: skip
    today = DAY0 + timedelta(days=1)

    assert worklist.awaiting_booking([clinic], today) == []
    (row,) = worklist.booked_assessments([clinic], today)
    assert (row.assessment, row.days, row.short) == (booking, 6, True)

    actions.cancel_assessment(booking, cancelled_by=CancelledBy.PATIENT)
    assert keys(worklist.awaiting_booking([clinic], today)) == ["anna"]
    assert worklist.booked_assessments([clinic], today) == []


def test_a_booking_of_45_minutes_is_not_flagged(clinic, nurse):
    enrolment = answered(enrolled(clinic, nurse, "anna"), nurse)
    actions.book_assessment(
        enrolment, scheduled_at=T0 + timedelta(days=7), length_minutes=45, clinician=nurse,
        profession="physician", user=nurse,
    )  # fmt: skip

    (row,) = worklist.booked_assessments([clinic], DAY0)

    assert row.short is False


@pytest.mark.parametrize(
    ("days_from_due", "section"),
    [
        (-31, None),
        (-30, "follow_ups_due"),
        (0, "follow_ups_due"),
        (30, "follow_ups_due"),
        (31, "overdue"),
    ],
)
def test_the_follow_up_is_due_six_months_after_the_assessment_within_the_window(
    clinic, nurse, days_from_due, section
):
    enrolment = assessed(answered(enrolled(clinic, nurse, "anna"), nurse), nurse, T0)
    assert enrolment.follow_up_due_on == date(2025, 8, 3)
    today = enrolment.follow_up_due_on + timedelta(days=days_from_due)

    found = {key for key, rows in worklist_sections(clinic, today).items() if rows}

    assert found == ({section} if section else set())


def worklist_sections(clinic, today):
    return {section.key: section.rows for section in worklist.build([clinic], today)}


def test_the_sections_read_the_dates_whether_or_not_the_state_has_moved_on(clinic, nurse):
    enrolment = assessed(answered(enrolled(clinic, nurse, "anna"), nurse), nurse, T0)
    today = date(2025, 7, 20)
    before = worklist_sections(clinic, today)

    assert actions.open_due_follow_ups(today) == 1

    assert worklist_sections(clinic, today) == before
    (row,) = before["follow_ups_due"]
    assert (row.enrolment.pk, row.days) == (enrolment.pk, 14)


def test_a_follow_up_link_waiting_for_answers_is_listed_as_an_invitation(clinic, nurse):
    enrolment = assessed(answered(enrolled(clinic, nurse, "anna"), nurse), nurse, T0)
    actions.open_due_follow_ups(date(2025, 7, 20))
    invitation = invited(
        enrolment, nurse, at=datetime(2025, 7, 20, 9, tzinfo=UTC), timepoint=Timepoint.FOLLOW_UP
    )

    sections = worklist_sections(clinic, date(2025, 7, 25))

    assert [row.invitation for row in sections["invitations"]] == [invitation]
    assert sections["follow_ups_due"] == []


def test_an_unanswered_follow_up_is_overdue_once_the_window_has_closed(clinic, nurse):
    enrolment = assessed(answered(enrolled(clinic, nurse, "anna"), nurse), nurse, T0)
    invited(
        enrolment, nurse, at=datetime(2025, 7, 20, 9, tzinfo=UTC), timepoint=Timepoint.FOLLOW_UP
    )

    sections = worklist_sections(clinic, date(2025, 9, 12))

    assert sections["invitations"] == []
    (row,) = sections["overdue"]
    assert (row.on, row.days) == (date(2025, 8, 3), 10)


def test_follow_up_answers_take_the_patient_off_the_worklist(clinic, nurse):
    enrolment = assessed(answered(enrolled(clinic, nurse, "anna"), nurse), nurse, T0)
    actions.open_due_follow_ups(date(2025, 7, 20))
    enrolment.refresh_from_db()
    actions.submit(enrolment, Timepoint.FOLLOW_UP, at=datetime(2025, 7, 30, tzinfo=UTC))

    assert not any(worklist_sections(clinic, date(2025, 9, 30)).values())


def test_it_lists_only_the_clinics_asked_for(clinic, other_clinic, nurse):
    invited(enrolled(clinic, nurse, "anna"), nurse)
    invited(enrolled(other_clinic, make_user("olle", other_clinic), "olle"), nurse)

    assert keys(worklist.unanswered_invitations([other_clinic], DAY0)) == ["olle"]
    assert keys(worklist.unanswered_invitations([clinic], DAY0)) == ["anna"]


def test_an_ended_pathway_is_on_no_list(clinic, nurse):
    invitation = invited(enrolled(clinic, nurse, "anna"), nurse)
    actions.cancel(invitation.enrolment, nurse, cancelled_by=CancelledBy.PATIENT, reason="flytt")

    assert not any(worklist_sections(clinic, DAY0 + timedelta(days=3)).values())


def test_rows_are_sorted_by_date_either_way_and_alerts_are_marked(clinic, nurse):
    late = invited(enrolled(clinic, nurse, "bertil"), nurse, at=T0 + timedelta(days=3))
    early = invited(enrolled(clinic, nurse, "anna"), nurse)
    actions.save_answers(
        late.enrolment, Timepoint.BASELINE, "phq9", {"9": 1},
        {"total": 1, "alerts": ["Fråga 9 besvarad med mer än 0."]}, source=Source.LINK,
    )  # fmt: skip
    today = DAY0 + timedelta(days=5)

    oldest_first = worklist.build([clinic], today)[0].rows
    newest_first = worklist.build([clinic], today, newest_first=True)[0].rows

    assert keys(oldest_first) == ["anna", "bertil"] and keys(newest_first) == ["bertil", "anna"]
    assert [row.alert for row in oldest_first] == [False, True]
    assert early.enrolment.pk == oldest_first[0].enrolment.pk


def test_a_reminder_is_kept_on_the_invitation(clinic, nurse):
    invitation = invited(enrolled(clinic, nurse, "anna"), nurse)

    worklist.record_reminder(invitation, at=T0 + timedelta(days=8))

    invitation.refresh_from_db()
    assert invitation.reminded_at == T0 + timedelta(days=8)
