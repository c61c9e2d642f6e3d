"""Telephone triage (telefonrådgivning): find a pathway patient by personnummer or name, and
the one screen a nurse on the phone needs about them.

- A query shaped like a personnummer is checked (check digit, date) and looked up by its
  keyed hash (records/identity.py), never by the number itself; an invalid one is refused
  with the reason, and no search is made.
- Anything else with letters is a name search over the enrolments' casefolded names
  (Enrolment.name_key): every word typed must occur, at least two letters in all; the 20
  most recent enrolments first.
- Only the user's own clinics: a patient elsewhere is not found, exactly as one who does not
  exist (access/policies.py).
- The card (`snapshot`) holds the current agreement, plan, responsible caregiver, next
  booked step and open questionnaires, and nothing else of the record: no contacts,
  diagnoses, prescriptions or answers.

No requests here: the views audit every look-up (views_triage.py).
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _

from painpath.access.policies import clinics_for
from painpath.care import actions
from painpath.care.models import Agreement, PlanAction, RehabPlan, TeamMember
from painpath.pathway.models import Assessment, Enrolment, Invitation, name_key
from painpath.records import identity
from painpath.records.models import Patient

MAX_RESULTS = 20
MIN_NAME_LETTERS = 2
PERSONNUMMER, NAME = "personnummer", "name"  # the kinds of search, as the audit log names them


@dataclass
class Result:
    """What a search found: `kind` is PERSONNUMMER, NAME or "" (nothing searched); `error`
    says why no search was made. `patient` is set by a personnummer hit."""

    kind: str = ""
    error: str = ""
    patient: Patient | None = None
    enrolments: list[Enrolment] = field(default_factory=list)

    @property
    def searched(self) -> bool:
        return bool(self.kind) and not self.error

    @property
    def found(self) -> bool:
        return self.patient is not None or bool(self.enrolments)

    @property
    def patients(self) -> list[Patient]:
        """The distinct patients found, in the order of the results."""
        seen = {} if self.patient is None else {self.patient.pk: self.patient}
        for enrolment in self.enrolments:
            seen.setdefault(enrolment.patient_id, enrolment.patient)
        return list(seen.values())


def _enrolments(user):
    return (
        Enrolment.objects.filter(clinic__in=clinics_for(user))
        .select_related("patient", "clinic")
        .order_by("-created_at", "-pk")
    )


def search(user, query: str) -> Result:
    """Find the user's pathway patients by personnummer or name (module docstring)."""
    text = " ".join(query.split())
    if not text:
        return Result()
    if identity.looks_like_personnummer(text) or identity.NEAR_PNR.match(text):
        return _by_personnummer(user, text)
    if any(ch.isdigit() for ch in text):
        return Result(NAME, _("Skriv ett personnummer (ÅÅÅÅMMDD-NNNN) eller ett namn, inte båda."))
    return _by_name(user, text)


def _by_personnummer(user, text: str) -> Result:
    if not identity.looks_like_personnummer(text):
        return Result(PERSONNUMMER, _("Personnumret är ogiltigt: fel antal siffror."))
    try:
        id_hash = identity.personnummer_hash(text)
    except identity.InvalidPersonnummer as error:
        reason = str(error).split(":", 1)[-1].strip()  # "kontrollsiffran stämmer inte"
        return Result(PERSONNUMMER, _("Personnumret är ogiltigt: %(reason)s.") % {"reason": reason})
    # patients_for(user)'s rule (listed, in any period, at one of the user's clinics) as a
    # join, so the unique index on id_hash leads: as `id IN (listings)` SQLite first lists
    # every listing of the clinic (8 ms for the demo clinic's 12,000, against 0.1 ms).
    patient = (
        Patient.objects.filter(id_hash=id_hash, listings__clinic__in=clinics_for(user))
        .distinct()
        .first()
    )
    if patient is None:
        return Result(PERSONNUMMER)
    enrolments = list(_enrolments(user).filter(patient=patient)[:MAX_RESULTS])
    return Result(PERSONNUMMER, patient=patient, enrolments=enrolments)


def _by_name(user, text: str) -> Result:
    words = name_key(text).split()
    if sum(len(word) for word in words) < MIN_NAME_LETTERS:
        return Result(NAME, _("Skriv minst två bokstäver av namnet."))
    enrolments = _enrolments(user)
    for word in words:
        enrolments = enrolments.filter(name_key__contains=word)
    return Result(NAME, enrolments=list(enrolments[:MAX_RESULTS]))


# --- the card ----------------------------------------------------------------------------


@dataclass(frozen=True)
class NextStep:
    on: date | None
    what: str
    at: datetime | None = None  # a booking's time
    booked: bool = False  # a booked assessment, not the agreement's next step


@dataclass
class Card:
    """The one screen: what triage may see of an enrolment, and nothing else."""

    enrolment: Enrolment
    name: str
    birth_year: int | None
    clinic: str
    state: str
    responsible: TeamMember | None
    agreement: Agreement | None
    plan: RehabPlan | None
    plan_actions: list[PlanAction]
    next_steps: list[NextStep]  # earliest first; an undated step last
    questionnaires: list[Invitation]  # open: not submitted, not expired


def snapshot(enrolment: Enrolment, today: date | None = None) -> Card:
    today = today or timezone.localdate()
    now = timezone.now()
    # The enrolment comes with its patient and clinic (search, get_enrolment_for_user).
    prefetch_related_objects(
        [enrolment],
        Prefetch(
            "assessments",
            Assessment.objects.filter(
                cancelled_at__isnull=True, done_at__isnull=True, scheduled_at__gte=now
            ).order_by("scheduled_at"),
            to_attr="booked",
        ),
        Prefetch(
            "invitations",
            Invitation.objects.filter(submitted_at__isnull=True, expires_at__gt=now).order_by(
                "expires_at"
            ),
            to_attr="open_invitations",
        ),
    )
    agreement = actions.current_agreement(enrolment, today)
    plan = actions.current_plan(enrolment)
    return Card(
        enrolment=enrolment,
        name=" ".join(filter(None, [enrolment.first_name, enrolment.family_name])),
        birth_year=enrolment.patient.birth_year,
        clinic=enrolment.clinic.name,
        state=enrolment.get_state_display(),
        responsible=actions.responsible(enrolment, today),
        agreement=agreement,
        plan=plan,
        plan_actions=list(plan.actions.all()) if plan else [],
        next_steps=_next_steps(enrolment.booked[:1], agreement),
        questionnaires=enrolment.open_invitations,
    )


def _next_steps(bookings: list[Assessment], agreement: Agreement | None) -> list[NextStep]:
    steps = [
        NextStep(
            on=timezone.localdate(b.scheduled_at),
            at=b.scheduled_at,
            booked=True,
            what=_("Bedömning, %(n)s minuter") % {"n": b.length_minutes},
        )
        for b in bookings
    ]
    if agreement is not None and agreement.next_step:
        steps.append(NextStep(on=agreement.next_step_on, what=agreement.next_step))
    return sorted(steps, key=lambda s: (s.on is None, s.on or date.max, not s.booked))
