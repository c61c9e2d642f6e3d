"""The structured pathway's states, and the changes allowed between them: the rules in one
place (Vendelsö's routine, shared/seeds/001_…).

The way through:
  identified → invited → answered → assessed → follow_up_due → followed_up
- identified: someone at the clinic found the patient by one of the three criteria.
- invited: the patient has a link (or a letter with a QR code) to the questionnaires.
- answered: the patient (or staff, from paper) has submitted the baseline questionnaires.
- assessed: the 45-minute first assessment has taken place.
- follow_up_due: six months after the assessment, the follow-up questionnaires are due.
- followed_up: the follow-up answers are in; the pathway is complete.

Ends and detours, each kept with who and when:
- declined: the patient said no (before the assessment). An end.
- cancelled: the pathway was called off, by the patient or by the clinic. An end.
- dropped_out: the patient stopped taking part after saying yes, with a reason. An end.
- Any end may be reopened (back to identified) when the patient comes back; the history
  keeps both.
- An invitation that expired may be renewed (invited → invited), and answers may arrive on
  paper before any invitation (identified → answered).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    IDENTIFIED = "identified", _("Identifierad")
    INVITED = "invited", _("Inbjuden")
    ANSWERED = "answered", _("Formulär besvarade")
    ASSESSED = "assessed", _("Bedömd")
    FOLLOW_UP_DUE = "follow_up_due", _("Uppföljning aktuell")
    FOLLOWED_UP = "followed_up", _("Uppföljd")
    DECLINED = "declined", _("Tackade nej")
    CANCELLED = "cancelled", _("Avbruten")
    DROPPED_OUT = "dropped_out", _("Avbröt deltagandet")


ENDS = frozenset({State.DECLINED, State.CANCELLED, State.DROPPED_OUT, State.FOLLOWED_UP})
STOPPED = frozenset({State.DECLINED, State.CANCELLED, State.DROPPED_OUT})
ACTIVE = frozenset(State) - ENDS

# The stage a patient had reached: what the indicators count drop-outs and cancellations by.
WAY = (
    State.IDENTIFIED,
    State.INVITED,
    State.ANSWERED,
    State.ASSESSED,
    State.FOLLOW_UP_DUE,
    State.FOLLOWED_UP,
)

ALLOWED: dict[State, frozenset[State]] = {
    State.IDENTIFIED: frozenset({State.INVITED, State.ANSWERED, *STOPPED}),
    State.INVITED: frozenset({State.INVITED, State.ANSWERED, *STOPPED}),
    State.ANSWERED: frozenset({State.ASSESSED, *STOPPED}),
    State.ASSESSED: frozenset(
        {State.FOLLOW_UP_DUE, State.FOLLOWED_UP, State.CANCELLED, State.DROPPED_OUT}
    ),
    State.FOLLOW_UP_DUE: frozenset({State.FOLLOWED_UP, State.CANCELLED, State.DROPPED_OUT}),
    State.FOLLOWED_UP: frozenset(),
    State.DECLINED: frozenset({State.IDENTIFIED}),
    State.CANCELLED: frozenset({State.IDENTIFIED}),
    State.DROPPED_OUT: frozenset({State.IDENTIFIED}),
}


class Criterion(models.TextChoices):
    """Why the patient is offered the pathway: Vendelsö's three inclusion criteria."""

    NEW_LONG_PAIN = "new_long_pain", _("Första kontakt för smärta som varat mer än 3 månader")
    NOT_ASSESSED_2_YEARS = (
        "not_assessed_2_years",
        _("Känd långvarig smärta, mer än 2 år sedan senaste bedömning"),
    )
    SECOND_OPINION = "second_opinion", _("Önskar en ny bedömning (second opinion)")


class Channel(models.TextChoices):
    """How the patient was identified."""

    PHONE = "phone", _("Telefon")
    DIGITAL = "digital", _("Digital kanal")
    VISIT = "visit", _("Besök")


class CancelledBy(models.TextChoices):
    PATIENT = "patient", _("Patienten")
    CLINIC = "clinic", _("Vårdcentralen")


class Timepoint(models.TextChoices):
    BASELINE = "baseline", _("Före bedömningen")
    FOLLOW_UP = "follow_up", _("Uppföljning efter 6 månader")


class Source(models.TextChoices):
    LINK = "link", _("Patienten via länk")
    PAPER = "paper", _("Från pappersformulär")


def allowed(current: State, target: State) -> bool:
    return State(target) in ALLOWED[State(current)]


ASSESSMENT_MINUTES = 45  # the first assessment's length in the routine
FOLLOW_UP_MONTHS = 6
FOLLOW_UP_WINDOW_DAYS = 30  # due from 6 months minus this, overdue after 6 months plus this
INVITATION_DAYS = 21  # how long a questionnaire link works
