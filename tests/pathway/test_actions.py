"""The pathway's states and the actions that move an enrolment (painpath/pathway/actions.py)."""

from datetime import UTC, date, datetime, timedelta

import pytest

from painpath.pathway import actions
from painpath.pathway.models import Enrolment, StateChange
from painpath.pathway.states import ALLOWED, CancelledBy, Channel, Criterion, State, Timepoint
from painpath.records.models import Patient
from tests.factories import make_user

pytestmark = pytest.mark.django_db
T0 = datetime(2025, 2, 3, 9, 0, tzinfo=UTC)


@pytest.fixture
def nurse(clinic):
    return make_user("sara", clinic)


@pytest.fixture
def enrolment(clinic, nurse):
    patient = Patient.objects.create(id_hash="h1", pseudonym="PAAAAAAAAAAAA")
    return actions.enrol(
        patient, clinic, criterion=Criterion.NEW_LONG_PAIN, profession="nurse",
        channel=Channel.PHONE, user=nurse, first_name="Anna", at=T0,
    )  # fmt: skip


def test_every_state_has_its_rules_written_down():
    assert set(ALLOWED) == set(State)


def test_the_way_through_is_kept_with_time_and_user(enrolment, nurse):
    invitation, token = actions.invite(enrolment, ["oempsq_sf"], nurse, at=T0)
    assert len(token) >= 43 and invitation.token_hash != token
    enrolment = actions.submit(enrolment, Timepoint.BASELINE, invitation=invitation)
    booked = actions.book_assessment(
        enrolment, scheduled_at=T0 + timedelta(days=7), length_minutes=45, clinician=nurse,
        profession="physician", user=nurse,
    )  # fmt: skip
    enrolment = actions.assessed(booked, nurse, at=T0 + timedelta(days=7))
    assert enrolment.follow_up_due_on == date(2025, 8, 10)
    assert actions.open_due_follow_ups(date(2025, 7, 1)) == 0
    assert actions.open_due_follow_ups(date(2025, 7, 15)) == 1
    enrolment.refresh_from_db()
    enrolment = actions.submit(enrolment, Timepoint.FOLLOW_UP)
    assert enrolment.state == State.FOLLOWED_UP
    history = list(StateChange.objects.filter(enrolment=enrolment).order_by("id").values_list(
        "to_state", "actor"))  # fmt: skip
    assert history == [
        ("identified", "sara"),
        ("invited", "sara"),
        ("answered", "patient"),
        ("assessed", "sara"),
        ("follow_up_due", "system"),
        ("followed_up", "patient"),
    ]


def test_a_change_the_rules_do_not_allow_is_refused_and_not_written(enrolment, nurse):
    with pytest.raises(actions.NotAllowed):
        actions.move(enrolment, State.ASSESSED, nurse)
    assert Enrolment.objects.get().state == State.IDENTIFIED
    assert StateChange.objects.count() == 1


def test_ends_say_who_and_why_and_can_be_reopened(enrolment, nurse):
    enrolment = actions.cancel(enrolment, nurse, cancelled_by=CancelledBy.CLINIC, reason="flytt")
    assert (enrolment.state, enrolment.cancelled_by, enrolment.end_reason) == (
        State.CANCELLED, "clinic", "flytt",
    )  # fmt: skip
    enrolment = actions.reopen(enrolment, nurse)
    assert (enrolment.state, enrolment.cancelled_by) == (State.IDENTIFIED, "")
    with pytest.raises(ValueError, match="reason"):
        actions.drop_out(enrolment, nurse, reason=" ")


def test_a_token_opens_its_invitation_only_while_valid_and_unused(enrolment, nurse):
    invitation, token = actions.invite(enrolment, ["oempsq_sf"], nurse, days=21)
    assert actions.find_invitation(token) == invitation
    assert actions.find_invitation(token + "x") is None
    assert actions.find_invitation(token, now=invitation.expires_at) is None
    actions.submit(enrolment, Timepoint.BASELINE, invitation=invitation)
    assert actions.find_invitation(token) is None


def test_six_months_after_the_end_of_august_is_the_end_of_february():
    assert actions.add_months(date(2025, 8, 31), 6) == date(2026, 2, 28)
    assert actions.add_months(date(2023, 8, 31), 6) == date(2024, 2, 29)


def test_a_new_link_ends_the_older_one_and_submitting_uses_up_every_link(enrolment, nurse):
    _, first_token = actions.invite(enrolment, ["oempsq_sf"], nurse)
    second, second_token = actions.invite(enrolment, ["oempsq_sf"], nurse)
    assert actions.find_invitation(first_token) is None
    assert actions.find_invitation(second_token) == second
    actions.submit(enrolment, Timepoint.BASELINE)  # from paper: no invitation named
    assert actions.find_invitation(second_token) is None


def test_the_first_opening_is_the_one_kept(enrolment, nurse):
    invitation, _ = actions.invite(enrolment, ["oempsq_sf"], nurse)
    actions.opened(invitation, at=T0)
    actions.opened(invitation, at=T0 + timedelta(days=1))
    invitation.refresh_from_db()
    assert invitation.opened_at == T0
