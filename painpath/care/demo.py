"""Coordination for the demo clinic: a staff roster, care teams, rehab plans, patient
agreements, rehab meetings, a running and a finished pain-school group, ACT training and
opioid treatment agreements, on dates relative to today.

Run after `painpath demopathway` (it works on the pathway's demo patients). Everything goes
through painpath/care/actions.py. Running it again adds nothing: each part is built only when
the clinic has none of it yet.
"""

import random
from datetime import date, datetime, time, timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from painpath.care import actions
from painpath.care.courses import ACT_PAIN_SCHOOL, ACT_PAIN_SCHOOL_SESSIONS, ACT_TRAINING
from painpath.care.models import (
    CourseTemplate,
    OpioidAgreement,
    PainSchoolGroup,
    StaffMember,
    TrainingCourse,
)
from painpath.care.states import OPIOID_ATC_PREFIXES, GroupFormat, ParticipantStatus, StaffKind
from painpath.pathway import actions as pathway
from painpath.pathway.demo import cohort, first_name
from painpath.pathway.models import Enrolment
from painpath.pathway.states import Channel, Criterion
from painpath.records import identity
from painpath.records.models import Caregiver, Clinic, Patient, Prescription
from painpath.records.professions import Profession
from painpath.synth.identity import SURNAMES, staff_names
from painpath.synth.testnumbers import SKATTEVERKET_TEST_NUMBERS

# The demo users who are staff (painpath/access/demo.py), as they appear on the roster.
DEMO_STAFF = (
    ("lakare", StaffKind.CAREGIVER, Profession.PHYSICIAN),
    ("triage", StaffKind.CAREGIVER, Profession.NURSE),
    ("admin", StaffKind.ADMINISTRATOR, ""),
)
ADMINISTRATORS = 6  # receptionists and medical secretaries, beside the demo's own
# What patients say they want, and do, in their own words.
GOALS = (
    "Kunna gå till affären och tillbaka utan att behöva vila.",
    "Orka jobba halvtid och ändå ha kraft kvar till barnen på kvällen.",
    "Sova bättre och kunna gå på mina körövningar igen.",
    "Klara trädgården i sommar, lite i taget.",
)
PATIENT_DOES = (
    "Promenerar 20 minuter varje dag. Gör hemövningarna tre gånger i veckan.",
    "Tar pauser varje timme på jobbet. Skriver dagbok över sömn och aktivitet.",
    "Provar avslappningsövningen från smärtskolan varje kväll.",
)
DECISIONS = "Fortsätt enligt planen. Psykologkontakt erbjuds. Ny avstämning om tre månader."
BY_PROFESSION = {
    Profession.PHYSICIAN: "Ser över läkemedlen och planerar nedtrappning av tramadol.",
    Profession.PHYSIOTHERAPIST: "Träningsprogram för rygg och ben, uppföljning varannan vecka.",
    Profession.OCCUPATIONAL_THERAPIST: "Går igenom vardagen och arbetsplatsen; hjälpmedel.",
    Profession.PSYCHOLOGIST: "Samtal med ACT-inriktning, sex gånger.",
    Profession.NURSE: "Ringer efter fyra veckor och frågar hur det går.",
}


@transaction.atomic
def seed_care(clinic: Clinic, today: date | None = None, seed: int = 1) -> dict[str, int]:
    """Build the demo's coordination at the clinic; returns what was made, by kind."""
    today = today or timezone.localdate()
    rng = random.Random(f"democare:{clinic.code}:{seed}")
    user = User.objects.filter(username="lakare").first()
    made = {"staff": _roster(clinic, rng)}
    made["teams"] = _teams_plans_agreements(clinic, today, rng, user)
    made["groups"] = _pain_school(clinic, today, rng, user)
    made["trainings"] = _training(clinic, today, rng, user)
    made["opioid_agreements"] = _opioid_agreements(clinic, today, rng, user)
    already = len(triage_patients_enrolled(clinic))
    made["triage"] = len(triage_patients(clinic, today, seed)) - already
    return made


def _roster(clinic: Clinic, rng: random.Random) -> int:
    if StaffMember.objects.filter(clinic=clinic).exists():
        return 0
    members = [
        StaffMember(
            clinic=clinic,
            name=c.name or c.source_id,
            kind=StaffKind.CAREGIVER,
            profession=c.profession,
            caregiver=c,
        )
        for c in Caregiver.objects.filter(clinic=clinic).exclude(profession="").order_by("id")
    ]
    for username, kind, profession in DEMO_STAFF:
        if account := User.objects.filter(username=username).first():
            name = account.get_full_name() or username
            members.append(
                StaffMember(
                    clinic=clinic, name=name, kind=kind, profession=profession, user=account
                )
            )
    for name in staff_names(rng, ADMINISTRATORS):
        members.append(StaffMember(clinic=clinic, name=name, kind=StaffKind.ADMINISTRATOR))
    # One administrator left last year: on the roster for past dates, not for today's.
    members[-1].active_to = date(2024, 12, 31)
    StaffMember.objects.bulk_create(members)
    return len(members)


def _by_profession(clinic: Clinic) -> dict[str, list[StaffMember]]:
    roster: dict[str, list[StaffMember]] = {}
    caregivers = StaffMember.objects.filter(clinic=clinic, kind=StaffKind.CAREGIVER)
    for member in caregivers.order_by("-user_id", "id"):  # the demo users first
        roster.setdefault(member.profession, []).append(member)
    return roster


def _teams_plans_agreements(clinic, today, rng, user) -> int:
    enrolments = list(
        Enrolment.objects.filter(clinic=clinic, state__in=actions.IN_CARE)
        .select_related("patient")
        .order_by("pk")
    )
    for enrolment in Enrolment.objects.filter(clinic=clinic, family_name="").order_by("pk"):
        enrolment.family_name = rng.choice(SURNAMES)
        enrolment.save(update_fields=["family_name"])
    if any(e.team.exists() for e in enrolments):
        return 0
    roster = _by_profession(clinic)
    physician = roster[Profession.PHYSICIAN][0]
    others = [p for p in BY_PROFESSION if p != Profession.PHYSICIAN and roster.get(p)]
    for index, enrolment in enumerate(enrolments):
        since = enrolment.state_since.date() - timedelta(days=1)
        since = min(since, today)
        actions.add_member(enrolment, physician, user, responsible=index % 3 != 2, joined_on=since)
        professions = rng.sample(others, k=min(len(others), 1 + index % 3))
        for profession in professions:
            lead = index % 3 == 2 and profession == professions[0]
            member = rng.choice(roster[profession])
            actions.add_member(enrolment, member, user, responsible=lead, joined_on=since)
        if index % 5 == 4:
            continue  # a patient in care with a team but no plan or agreement yet: a gap to see
        everyone = [Profession.PHYSICIAN, *professions]
        _plan_and_agreement(enrolment, everyone, since, today, rng, user)
        if index % 2 == 0:
            attendees = [physician, *(roster[p][0] for p in professions)]
            plan = {
                "goals": rng.choice(GOALS),
                "patient_actions": rng.choice(PATIENT_DOES),
                "review_on": since + timedelta(days=111),
                "actions": [(p, BY_PROFESSION[p]) for p in everyone],
            }
            actions.record_meeting(
                enrolment,
                user,
                held_on=min(since + timedelta(days=21), today),
                attendees=attendees,
                patient_present=index % 4 == 0,
                decisions=DECISIONS,
                plan=plan,
            )
    return len(enrolments)


def _plan_and_agreement(enrolment, professions, since, today, rng, user) -> None:
    written = timezone.make_aware(datetime.combine(since, time(14, 0)))
    actions.write_plan(
        enrolment,
        user,
        goals=rng.choice(GOALS),
        patient_actions=rng.choice(PATIENT_DOES),
        review_on=since + timedelta(days=90),
        actions=[(p, BY_PROFESSION[p]) for p in professions],
        at=written,
    )
    # Most agreements are current; every fourth ran out without being renewed.
    until = since + timedelta(days=182 if enrolment.pk % 4 else 60)
    actions.write_agreement(
        enrolment,
        user,
        at=written,
        patient_will=rng.choice(PATIENT_DOES),
        clinic_will="Fysioterapeuten följer upp träningen. Läkaren ser över läkemedlen.",
        next_step="Återbesök hos fysioterapeuten",
        next_step_on=min(since + timedelta(days=28), today + timedelta(days=14)),
        contact="Din fasta vårdkontakt via vårdcentralens telefon, eller 1177 på kvällen.",
        valid_from=since,
        valid_until=until,
    )


def _pain_school(clinic, today, rng, user) -> int:
    if PainSchoolGroup.objects.filter(host=clinic).exists():
        return 0
    template, _ = CourseTemplate.objects.get_or_create(
        name=ACT_PAIN_SCHOOL, defaults={"sessions": ACT_PAIN_SCHOOL_SESSIONS}
    )
    partner = Clinic.objects.filter(code="annan").first()
    patients = cohort(clinic)
    rng.shuffle(patients)
    weeks = len(template.sessions)

    def weekly(first: date) -> list[datetime]:
        return [
            timezone.make_aware(datetime.combine(first + timedelta(weeks=i), time(14, 0)))
            for i in range(weeks)
        ]

    finished = actions.create_group(
        template, name="Smärtskola våren", host=clinic, capacity=8,
        starts=weekly(today - timedelta(days=200)), user=user,
        format=GroupFormat.ON_SITE, place="Vårdcentralens samlingsrum",
    )  # fmt: skip
    running = actions.create_group(
        template, name="Smärtskola hösten (digital, med Annan vårdcentral)", host=clinic,
        clinics=[partner] if partner else [], capacity=8,
        starts=weekly(today - timedelta(days=17)), user=user,
        format=GroupFormat.DIGITAL, place="Videomöte, länk skickas i 1177",
    )  # fmt: skip
    for group, people in ((finished, patients[:8]), (running, patients[8:18])):
        queued = timezone.make_aware(datetime.combine(today - timedelta(days=60), time(9)))
        for i, patient in enumerate(people):
            actions.add_participant(group, patient, clinic, user, at=queued + timedelta(hours=i))
        for session in group.sessions.filter(starts_at__date__lt=today):
            for participant in group.participants.filter(status=ParticipantStatus.PLACED):
                actions.mark_attendance(session, participant, rng.random() < 0.8)
    return 2


def _training(clinic, today, rng, user) -> int:
    course, _ = TrainingCourse.objects.get_or_create(name=ACT_TRAINING)
    if course.completions.filter(staff__clinic=clinic).exists():
        return 0
    done = 0
    for member in StaffMember.objects.filter(clinic=clinic).order_by("id"):
        share = 0.7 if member.kind == StaffKind.CAREGIVER else 0.5
        if rng.random() < share:
            actions.record_training(
                course, member, today - timedelta(days=rng.randint(10, 400)), user
            )
            done += 1
    return done


def _opioid_agreements(clinic, today, rng, user) -> int:
    if OpioidAgreement.objects.filter(clinic=clinic).exists():
        return 0
    opioid = Prescription.objects.filter(clinic=clinic, atc__startswith=OPIOID_ATC_PREFIXES[0])
    latest = opioid.order_by("-date").values_list("date", flat=True).first()
    if latest is None:
        return 0
    recent = opioid.filter(date__gt=latest - timedelta(days=180)).order_by("patient_id", "-date")
    seen: dict[int, Prescription] = {}
    for rx in recent:
        seen.setdefault(rx.patient_id, rx)
    prescriber = _by_profession(clinic)[Profession.PHYSICIAN][0]
    # a fifth of them, so the list of those without an agreement is the longer one
    chosen = sorted(seen.values(), key=lambda rx: rx.patient_id)[::5][:25]
    for i, rx in enumerate(chosen):
        agreed = today - timedelta(days=30 + 20 * i)
        actions.write_opioid_agreement(
            rx.patient, clinic, user, atc=rx.atc, substance=rx.product or rx.atc,
            max_daily_mg=float(rng.choice((20, 30, 40, 60))), prescriber=prescriber,
            agreed_on=agreed, review_on=agreed + timedelta(days=90),
            tapering_plan="Minska med 10 % varannan vecka när målen i rehabplanen nåtts.",
        )  # fmt: skip
    return len(chosen)


def triage_patients(clinic: Clinic, today: date | None = None, seed: int = 1) -> list[Enrolment]:
    """Enrol (once) every patient of the clinic whose personnummer is one of Skatteverket's
    published test numbers (the synthetic clinic gives them to a few), with a whole card for
    telephone triage: a responsible nurse, a plan, an agreement, a booked visit and an open
    questionnaire link. The demo's other pathway patients have opaque ids, which triage
    cannot search by number. Returns every enrolment of a patient with a personnummer."""
    today, rng = today or timezone.localdate(), random.Random(f"triage:{clinic.code}:{seed}")
    user = User.objects.filter(username="triage").first()
    nurse = actions.on_roster([clinic], today).filter(profession=Profession.NURSE).first()
    waiting = (
        Patient.objects.filter(listings__clinic=clinic, id_hash__in=published_test_hashes())
        .exclude(enrolments__clinic=clinic)
        .distinct()
        .order_by("pk")
    )
    for patient in waiting:
        enrolment = pathway.enrol(
            patient, clinic, criterion=Criterion.NEW_LONG_PAIN, profession=Profession.NURSE,
            channel=Channel.PHONE, user=user, first_name=first_name(patient, rng),
            family_name=rng.choice(SURNAMES),
        )  # fmt: skip
        pathway.invite(enrolment, ["nrs_pain", "peg3"], user)
        if nurse is not None:
            actions.add_member(enrolment, nurse, user, responsible=True, joined_on=today)
        actions.write_plan(
            enrolment, user, goals="Orka promenera till affären och tillbaka.",
            patient_actions="Promenerar 20 minuter varje dag.", review_on=today + timedelta(90),
            actions=[(Profession.PHYSIOTHERAPIST, "Träningsprogram, två besök i månaden.")],
        )  # fmt: skip
        actions.write_agreement(
            enrolment, user, patient_will="Jag gör hemövningarna tre gånger i veckan.",
            clinic_will="Fysioterapeuten ringer efter två veckor.", next_step="Återbesök",
            next_step_on=today + timedelta(30), contact="Ring vårdcentralen",
            valid_from=today, valid_until=today + timedelta(180),
        )  # fmt: skip
        visit = timezone.make_aware(datetime.combine(today, time(10))) + timedelta(
            days=rng.randint(2, 20)
        )
        pathway.book_assessment(
            enrolment, scheduled_at=visit, length_minutes=45, clinician=user,
            profession=Profession.PHYSICIAN, user=user,
        )  # fmt: skip
    return triage_patients_enrolled(clinic)


def triage_patients_enrolled(clinic: Clinic) -> list[Enrolment]:
    hashes = published_test_hashes()
    found = Enrolment.objects.filter(clinic=clinic, patient__id_hash__in=hashes)
    return list(found.select_related("patient").order_by("pk"))


def published_test_hashes() -> list[str]:
    """The look-up hashes of Skatteverket's published test numbers: the only personnummer
    the demo touches, so that democare run against a real clinic's data by mistake enrols
    and prints no real person."""
    return [identity.personnummer_hash(number) for number, _sex in SKATTEVERKET_TEST_NUMBERS]
