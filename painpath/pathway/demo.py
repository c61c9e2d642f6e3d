"""Pathway patients for the demo clinic: 25 of its R52.2 cohort enrolled, with every state
of the pathway and every detour present, on dates relative to today.

Run after the import and `painpath demousers` (the nurse "triage" and the physician "lakare"
act in the history). Everything goes through painpath/pathway/actions.py, so the history,
invitations and scores are what the app itself would have written; answers are built from
the instruments' items and scored with instruments.score. The same clinic and seed choose
the same patients and answers. Patients already enrolled at the clinic are left alone, so
running it again adds nothing; `reset=True` rebuilds the demo's enrolments on today's dates.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from painpath.pathway import actions, instruments
from painpath.pathway.models import Enrolment, Invitation
from painpath.pathway.states import (
    FOLLOW_UP_WINDOW_DAYS,
    INVITATION_DAYS,
    CancelledBy,
    Channel,
    Criterion,
    Source,
    State,
    Timepoint,
)
from painpath.records.models import Clinic, Diagnosis, Patient, Sex
from painpath.synth.identity import FEMALE_NAMES, MALE_NAMES

COHORT_CODE = "R52.2"  # the cohort the demo clinic's report is about; sub-codes included
NURSE, PHYSICIAN = "triage", "lakare"  # from painpath/access/demo.py
# The history form as a few patients would fill it in: one is drawn per patient.
HISTORIES = (
    {
        "investigations": "Röntgen av ländryggen 2022, inget särskilt.",
        "treatments": "Sjukgymnastik med hemövningar, hjälpte lite. Värme på kvällarna.",
        "rehabilitation": False,
        "medicines": "Paracetamol vid behov, blodtrycksmedicin.",
        "occupation": "working",
        "work": "Undersköterska i hemtjänsten. Svårt med tunga lyft.",
        "sick_leave": True,
        "sick_leave_extent": 50,
        "sick_leave_weeks": 12,
        "goals": "Orka arbeta halvtid utan att ha ont hela kvällen. Gå promenader med hunden.",
        "expectations": "Få veta vad smärtan beror på och vad jag själv kan göra.",
    },
    {
        "investigations": "Blodprover och magnetkamera av nacken.",
        "treatments": "Akupunktur (ingen effekt), massage (bättre några dagar).",
        "rehabilitation": True,
        "rehabilitation_details": "Smärtskola på vårdcentralen 2021. Bra att träffa andra.",
        "medicines": "Ibuprofen och ibland tramadol.",
        "occupation": "retired",
        "work": "Pensionär sedan två år. Ont när jag pysslar i trädgården.",
        "sick_leave": False,
        "goals": "Kunna sova en hel natt och leka med barnbarnen.",
        "expectations": "Att någon tar ett samlat grepp om min smärta.",
        "other": "Jag är orolig för att bli beroende av värktabletter.",
    },
    {
        "investigations": "Inga som jag minns.",
        "treatments": "Har tränat på gym, blev sämre. Provat yoga.",
        "rehabilitation": False,
        "medicines": "Inga just nu.",
        "occupation": "studying",
        "work": "Läser till lärare. Svårt att sitta på långa föreläsningar.",
        "sick_leave": False,
        "goals": "Klara studierna i normal takt och börja träna igen.",
        "expectations": "Råd om träning och hur jag ska tänka kring smärtan.",
    },
)
# Where it hurts, as a few patterns of the body map (the last one is widespread).
PAIN_AREAS = (
    ("lower_back", "hip_left", "upper_leg_left"),
    ("neck", "shoulder_left", "shoulder_right", "upper_back"),
    ("lower_back", "upper_back"),
    ("neck", "upper_back", "lower_back", "shoulder_right", "hip_left", "lower_leg_right"),
)


class DemoError(Exception):
    """The demo cannot be built here; the message says what to run first."""


@dataclass(frozen=True)
class Measures:
    """The outcome measures a patient reports at one time: NRS pain, PEG-3's three items
    (pain, enjoyment, activity) and the PDI total."""

    nrs: int
    peg: tuple[int, int, int]
    pdi: int


SEVERE = Measures(nrs=7, peg=(7, 6, 7), pdi=38)


class Story:
    """One patient's way through the pathway, told step by step on days relative to today."""

    def __init__(self, patient: Patient, clinic: Clinic, staff: dict, rng: random.Random, today):
        self.patient, self.clinic, self.staff, self.rng, self.today = (
            patient, clinic, staff, rng, today,
        )  # fmt: skip
        self.enrolment: Enrolment | None = None
        self.invitation: Invitation | None = None
        self.assessment = None

    def at(self, days_ago: int, hour: int = 9, minute: int | None = None) -> datetime:
        day = self.today - timedelta(days=days_ago)
        minute = self.rng.randrange(60) if minute is None else minute
        return timezone.make_aware(datetime.combine(day, time(hour, minute)))

    # The steps, as the app's actions take them.
    def enrol(self, days_ago, profession="nurse", channel=None, criterion=None):
        # The demo has one nurse and one physician; a psychologist's finds are recorded by
        # the physician's account, with the psychologist's profession (what the figures count).
        user = self.staff[NURSE if profession == "nurse" else PHYSICIAN]
        # Nurses find them on the phone, the others at a visit, unless the story says.
        channel = channel or (Channel.PHONE if profession == "nurse" else Channel.VISIT)
        criterion = criterion or self.rng.choices(list(Criterion), weights=(6, 3, 1))[0]
        at = self.at(days_ago)
        self.enrolment = actions.enrol(
            self.patient, self.clinic, criterion=criterion, profession=profession,
            channel=channel, user=user, first_name=first_name(self.patient, self.rng), at=at,
        )  # fmt: skip
        Enrolment.objects.filter(pk=self.enrolment.pk).update(created_at=at)
        return self

    def invite(self, days_ago, timepoint=Timepoint.BASELINE, codes=None):
        at = self.at(days_ago, 10)
        codes = codes or [i.code for i in instruments.for_timepoint(timepoint, clinic=self.clinic)]
        self.invitation, _token = actions.invite(
            self._fresh(), codes, self.staff[NURSE], timepoint=timepoint, days=INVITATION_DAYS,
            at=at,
        )  # fmt: skip
        Invitation.objects.filter(pk=self.invitation.pk).update(created_at=at)
        return self

    def answer(self, days_ago, measures=SEVERE, timepoint=Timepoint.BASELINE, paper=False,
               alert=False):  # fmt: skip
        """All the instruments of the invitation (or the default set, on paper) answered
        and submitted."""
        at = self.at(days_ago, 19)
        if paper:
            invitation = None
            codes = [i.code for i in instruments.for_timepoint(timepoint, clinic=self.clinic)]
        else:
            invitation = self.invitation
            codes = invitation.instruments
            Invitation.objects.filter(pk=invitation.pk).update(opened_at=at)
        for code in codes:
            inst = instruments.get(code, clinic=self.clinic)
            given = answers_for(inst, measures, self.rng, alert=alert)
            actions.save_answers(
                self._fresh(), timepoint, code, given, instruments.score(inst, given),
                source=Source.PAPER if paper else Source.LINK,
                user=self.staff[NURSE] if paper else None, invitation=invitation,
            )  # fmt: skip
        self.enrolment = actions.submit(
            self._fresh(), timepoint, user=self.staff[NURSE] if paper else None,
            invitation=invitation, at=at,
        )  # fmt: skip
        return self

    def book(self, days_ago, minutes=45):
        """Booked for `days_ago` (negative: a day to come), on a quarter hour."""
        at = self.at(days_ago, self.rng.choice((8, 10, 13, 15)), self.rng.choice((0, 15, 30)))
        self.assessment = actions.book_assessment(
            self._fresh(), scheduled_at=at, length_minutes=minutes,
            clinician=self.staff[PHYSICIAN], profession="physician", user=self.staff[NURSE],
        )  # fmt: skip
        return self

    def cancel_booking(self, days_ago, by=CancelledBy.PATIENT):
        actions.cancel_assessment(self.assessment, cancelled_by=by, at=self.at(days_ago, 8))
        return self

    def assess(self, days_ago, minutes=45):
        self.book(days_ago, minutes)
        done = self.assessment.scheduled_at + timedelta(minutes=minutes)
        self.enrolment = actions.assessed(self.assessment, self.staff[PHYSICIAN], at=done)
        return self

    def follow_up_due(self, invite=True):
        """The window opens a month before six months have passed (as
        actions.open_due_follow_ups does, on the day it opened), and the nurse sends the
        follow-up questionnaires the same day unless `invite` is false."""
        due = self._fresh().follow_up_due_on
        opened = self.at((self.today - due).days + FOLLOW_UP_WINDOW_DAYS, 6)
        self.enrolment = actions.move(
            self._fresh(), State.FOLLOW_UP_DUE, actor=actions.SYSTEM,
            reason=actions.FOLLOW_UP_REASON, at=opened,
        )  # fmt: skip
        if not invite:
            return self
        return self.invite((self.today - opened.date()).days, Timepoint.FOLLOW_UP)

    def end(self, days_ago, state, reason, by=CancelledBy.PATIENT):
        self.enrolment = actions.move(
            self._fresh(), state, self.staff[NURSE], reason=reason, cancelled_by=by,
            at=self.at(days_ago, 14),
        )  # fmt: skip
        return self

    def reopen(self, days_ago, reason):
        self.enrolment = actions.move(
            self._fresh(), State.IDENTIFIED, self.staff[NURSE], reason=reason,
            at=self.at(days_ago, 14),
        )  # fmt: skip
        return self

    def _fresh(self) -> Enrolment:
        self.enrolment.refresh_from_db()
        return self.enrolment


def first_name(patient: Patient, rng: random.Random) -> str:
    return rng.choice(FEMALE_NAMES if patient.sex == Sex.FEMALE else MALE_NAMES)


def answers_for(inst, measures: Measures, rng: random.Random, alert: bool = False) -> dict:
    """A whole form's answers: the outcome measures as given, every other item drawn near
    the severity of the patient's pain (worse answers for worse pain, in each item's own
    direction)."""
    items = list(inst.items)
    if inst.code == "nrs_pain":
        return {items[0].id: measures.nrs}
    if inst.code == "peg3":
        return {item.id: value for item, value in zip(items, measures.peg, strict=True)}
    if inst.code == "pdi":
        return dict(zip([i.id for i in items], _spread(measures.pdi, len(items), rng), strict=True))
    if inst.code == "history":
        ids = {item.id for item in items}
        return {key: value for key, value in rng.choice(HISTORIES).items() if key in ids}
    if inst.code == "pain_drawing":
        return {items[0].id: sorted(rng.choice(PAIN_AREAS))}
    severity = measures.nrs / 10
    mic = instruments.mic(inst)
    if mic and mic["direction"] == "higher_is_better":
        severity = 1 - severity
    reversed_items = inst.scoring.reversed
    given = {}
    for item in items:
        level = 1 - severity if item.id in reversed_items else severity
        given[item.id] = _answer(item, level, rng)
    if alert and inst.code == "phq9":
        given[items[8].id] = 1  # thoughts of death or self-harm on several days
    elif inst.code == "phq9":
        given[items[8].id] = 0
    return {key: value for key, value in given.items() if value is not None}


def _answer(item, level: float, rng: random.Random):
    if item.kind == "scale":
        span = item.max - item.min
        value = item.min + round(level * span) + rng.choice((-1, 0, 0, 1))
        return max(item.min, min(item.max, value))
    if item.kind == "choice":
        options = [value for value, _label in item.options]
        return options[min(len(options) - 1, int(level * len(options)))]
    if item.kind == "yesno":
        return rng.random() < 0.5
    if item.kind == "number":
        low = item.min if item.min is not None else 0
        high = item.max if item.max is not None else low + 10
        return rng.randint(int(low), int(min(high, low + 10)))
    if item.kind == "regions":
        regions = [value for value, _label in item.options]
        return sorted(rng.sample(regions, 3))
    return None


def _spread(total: int, n: int, rng: random.Random) -> list[int]:
    """n answers of 0–10 that add up to `total`."""
    values = [total // n] * n
    for i in rng.sample(range(n), total % n):
        values[i] += 1
    return values


# (what it shows, how it went). Days are days ago; a negative day is still to come.
BETTER_PAIN = Measures(nrs=4, peg=(4, 6, 6), pdi=36)
BETTER_LIFE = Measures(nrs=6, peg=(6, 3, 4), pdi=27)
BETTER_BOTH = Measures(nrs=3, peg=(3, 3, 3), pdi=20)
NO_BETTER = Measures(nrs=7, peg=(7, 6, 7), pdi=39)
NOT_MEASURED = ["oempsq_sf", "phq9", "gad7"]  # a short set on follow-up: no pain measure
STORIES: list[tuple[str, Callable[[Story], Story]]] = [
    ("identifierad via telefon", lambda s: s.enrol(2)),
    (
        "identifierad vid besök",
        lambda s: s.enrol(9, "physician", Channel.VISIT, Criterion.NOT_ASSESSED_2_YEARS),
    ),
    ("inbjuden", lambda s: s.enrol(8).invite(6)),
    ("inbjuden, länken har gått ut", lambda s: s.enrol(40, channel=Channel.DIGITAL).invite(35)),
    ("besvarat på papper", lambda s: s.enrol(20, "psychologist").answer(10, paper=True)),
    ("besvarat, PHQ-9 fråga 9 larmar", lambda s: s.enrol(15).invite(12).answer(4, alert=True)),
    ("bedömning bokad, 45 minuter", lambda s: s.enrol(30).invite(28).answer(20).book(-8)),
    (
        "bedömning bokad, för kort",
        lambda s: s.enrol(26, "physician").invite(25).answer(18).book(-3, minutes=30),
    ),
    ("bedömd på 30 minuter", lambda s: s.enrol(70).invite(68).answer(55).assess(30, minutes=30)),
    (
        "bedömd, second opinion",
        lambda s: (
            s.enrol(140, "physician", Channel.VISIT, Criterion.SECOND_OPINION)
            .invite(138).answer(120).assess(90)
        ),
    ),
    (
        "uppföljning aktuell",
        lambda s: s.enrol(215).invite(212).answer(200).assess(165).follow_up_due(invite=False),
    ),
    (
        "uppföljning försenad",
        lambda s: s.enrol(280, channel=Channel.DIGITAL).invite(278).answer(262).assess(240)
        .follow_up_due(),
    ),
    (
        "uppföljd, mindre smärta",
        lambda s: s.enrol(300).invite(298).answer(285).assess(270).follow_up_due()
        .answer(104, BETTER_PAIN, Timepoint.FOLLOW_UP),
    ),
    (
        "uppföljd, mindre påverkan på dagligt liv",
        lambda s: s.enrol(260, "psychologist").invite(258).answer(250).assess(235)
        .follow_up_due().answer(69, BETTER_LIFE, Timepoint.FOLLOW_UP),
    ),
    (
        "uppföljd, bättre i båda",
        lambda s: s.enrol(240, "physician").invite(238).answer(230).assess(210).follow_up_due()
        .answer(44, BETTER_BOTH, Timepoint.FOLLOW_UP),
    ),
    (
        "uppföljd, ingen förbättring",
        lambda s: s.enrol(275).invite(273).answer(262).assess(250).follow_up_due()
        .answer(84, NO_BETTER, Timepoint.FOLLOW_UP),
    ),
    (
        "uppföljd, kan inte mätas",
        lambda s: s.enrol(250, channel=Channel.DIGITAL).invite(248).answer(240).assess(220)
        .follow_up_due().invite(40, Timepoint.FOLLOW_UP, NOT_MEASURED)
        .answer(35, timepoint=Timepoint.FOLLOW_UP),
    ),
    (
        "tackade nej direkt",
        lambda s: s.enrol(60).end(59, State.DECLINED, "Vill inte delta just nu"),
    ),
    (
        "tackade nej efter inbjudan",
        lambda s: s.enrol(100, channel=Channel.DIGITAL).invite(99)
        .end(90, State.DECLINED, "Tycker inte att formulären passar"),
    ),
    (
        "avbokade bedömningen",
        lambda s: s.enrol(120).invite(118).answer(110).book(95).cancel_booking(96)
        .end(96, State.CANCELLED, "Avbokade bedömningen och vill inte boka ny tid"),
    ),
    (
        "avbrutet av vårdcentralen",
        lambda s: s.enrol(160, "physician").invite(158).answer(150)
        .end(140, State.CANCELLED, "Remitterad till smärtrehabilitering i specialistvården",
             CancelledBy.CLINIC),
    ),
    (
        "avbröt efter inbjudan",
        lambda s: s.enrol(75).invite(74)
        .end(50, State.DROPPED_OUT, "Orkar inte fylla i formulären"),
    ),
    (
        "avbröt efter formulären",
        lambda s: s.enrol(130).invite(129).answer(120)
        .end(112, State.DROPPED_OUT, "Oro för att förlora sin smärtmedicin"),
    ),
    (
        "avbröt efter bedömningen",
        lambda s: s.enrol(200, "psychologist").invite(198).answer(185).assess(170)
        .end(100, State.DROPPED_OUT, "Ingen kontakt trots påminnelser"),
    ),
    (
        "kom tillbaka efter avbrott",
        lambda s: s.enrol(190).invite(188)
        .end(150, State.CANCELLED, "Inlagd på sjukhus, vill vänta")
        .reopen(20, "Vill börja igen").invite(18),
    ),
]  # fmt: skip


def cohort(clinic: Clinic) -> list[Patient]:
    """The clinic's listed patients with a diagnosis in the cohort, in a stable order."""
    with_diagnosis = Diagnosis.objects.filter(clinic=clinic, code__startswith=COHORT_CODE)
    return list(
        Patient.objects.filter(
            id__in=with_diagnosis.values("patient_id"),
            listings__clinic=clinic,
            listings__listed_to__isnull=True,
        )
        .distinct()
        .order_by("id")
    )


def demo_staff() -> dict[str, User]:
    staff = {u.username: u for u in User.objects.filter(username__in=(NURSE, PHYSICIAN))}
    if len(staff) < 2:
        raise DemoError("Demoanvändarna saknas: kör painpath demousers --clinic KOD först.")
    return staff


def chosen_patients(clinic: Clinic, seed: int) -> list[Patient]:
    patients = cohort(clinic)
    if len(patients) < len(STORIES):
        raise DemoError(
            f"{clinic.code} har {len(patients)} listade patienter med {COHORT_CODE}; "
            f"demon behöver {len(STORIES)}. Importera det syntetiska utdraget först."
        )
    return random.Random(f"demopathway:{clinic.code}:{seed}").sample(patients, len(STORIES))


@transaction.atomic
def build_demo(
    clinic: Clinic, *, seed: int = 1, today: date | None = None, reset: bool = False
) -> dict[str, int]:
    """Enrol the demo's patients; returns {"created": n, "kept": m}."""
    today = today or timezone.localdate()
    staff = demo_staff()
    patients = chosen_patients(clinic, seed)
    if reset:
        ours = Enrolment.objects.filter(clinic=clinic, patient__in=patients)
        ours.delete()  # with their history, invitations, answers and assessments
    enrolled = set(
        Enrolment.objects.filter(clinic=clinic, patient__in=patients).values_list(
            "patient_id", flat=True
        )
    )
    created = 0
    for index, (patient, (_what, tell)) in enumerate(zip(patients, STORIES, strict=True)):
        if patient.id in enrolled:
            continue
        rng = random.Random(f"demopathway:{clinic.code}:{seed}:{index}")
        tell(Story(patient, clinic, staff, rng, today))
        created += 1
    return {"created": created, "kept": len(patients) - created}
