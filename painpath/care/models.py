"""Coordination of a pathway patient's care, and the clinic's shared work around it.

The rules (who is responsible, which agreement is current, waiting lists, completion) are
written once in states.py; the changes go through actions.py.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from painpath.care.states import GroupFormat, ParticipantStatus, StaffKind
from painpath.pathway.models import Enrolment
from painpath.records.models import Caregiver, Clinic, Patient
from painpath.records.professions import Profession

USER = settings.AUTH_USER_MODEL


class StaffMember(models.Model):
    """A person on a clinic's roster (personal): a caregiver from the extract's staff list,
    or an administrator (receptionist, medical secretary) who is not in it."""

    clinic = models.ForeignKey(Clinic, related_name="staff", on_delete=models.CASCADE)
    name = models.CharField(_("namn"), max_length=200)
    kind = models.CharField(_("slag"), max_length=16, choices=StaffKind.choices)
    profession = models.CharField(
        _("profession"), max_length=32, choices=Profession.choices, blank=True
    )
    caregiver = models.ForeignKey(
        Caregiver, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    user = models.ForeignKey(
        USER, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    active_from = models.DateField(_("anställd från"), null=True, blank=True)
    active_to = models.DateField(_("anställd till"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("medarbetare")
        verbose_name_plural = _("medarbetare")

    def __str__(self):
        return self.name


class TeamMember(models.Model):
    """One person's part in a patient's care team (vårdteam), from joined_on to left_on."""

    enrolment = models.ForeignKey(Enrolment, related_name="team", on_delete=models.CASCADE)
    staff = models.ForeignKey(StaffMember, related_name="teams", on_delete=models.PROTECT)
    profession = models.CharField(_("profession"), max_length=32, choices=Profession.choices)
    responsible = models.BooleanField(_("fast vårdkontakt"), default=False)
    joined_on = models.DateField(_("från"))
    left_on = models.DateField(_("till"), null=True, blank=True)
    added_by = models.ForeignKey(USER, null=True, related_name="+", on_delete=models.SET_NULL)

    class Meta:
        ordering = ["-responsible", "joined_on", "id"]


class RehabMeeting(models.Model):
    """A rehab meeting (rehabmöte) about one patient, with several professions."""

    enrolment = models.ForeignKey(Enrolment, related_name="meetings", on_delete=models.CASCADE)
    held_on = models.DateField(_("datum"))
    attendees = models.ManyToManyField(StaffMember, related_name="meetings", blank=True)
    patient_present = models.BooleanField(_("patienten deltog"), default=False)
    others_present = models.CharField(_("andra närvarande"), max_length=300, blank=True)
    decisions = models.TextField(_("beslut"))
    recorded_by = models.ForeignKey(USER, null=True, related_name="+", on_delete=models.SET_NULL)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]


class Versioned(models.Model):
    """A document kept in versions: a change writes a new version, never over the old."""

    enrolment = models.ForeignKey(Enrolment, related_name="+", on_delete=models.CASCADE)
    version = models.PositiveSmallIntegerField()
    written_at = models.DateTimeField()
    written_by = models.ForeignKey(USER, null=True, related_name="+", on_delete=models.SET_NULL)

    class Meta:
        abstract = True
        ordering = ["-version"]


class RehabPlan(Versioned):
    """Rehabiliteringsplan: the patient's goals in their own words, what each profession
    does (PlanAction), what the patient does, and when it is reviewed."""

    enrolment = models.ForeignKey(Enrolment, related_name="plans", on_delete=models.CASCADE)
    goals = models.TextField(_("mål, med patientens egna ord"))
    patient_actions = models.TextField(_("det här gör patienten"))
    review_on = models.DateField(_("följs upp"))
    meeting = models.ForeignKey(
        RehabMeeting, null=True, blank=True, related_name="plans", on_delete=models.SET_NULL
    )

    class Meta(Versioned.Meta):
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "version"], name="one_plan_version")
        ]


class PlanAction(models.Model):
    plan = models.ForeignKey(RehabPlan, related_name="actions", on_delete=models.CASCADE)
    profession = models.CharField(_("profession"), max_length=32, choices=Profession.choices)
    action = models.TextField(_("insats"))

    class Meta:
        ordering = ["id"]


class Agreement(Versioned):
    """Patientöverenskommelse: what the patient will do, what the clinic will do, the next
    step and when, who to contact; valid from/until. Printed for the patient."""

    enrolment = models.ForeignKey(Enrolment, related_name="agreements", on_delete=models.CASCADE)
    patient_will = models.TextField(_("det här gör jag själv"))
    clinic_will = models.TextField(_("det här gör vårdcentralen"))
    next_step = models.CharField(_("nästa steg"), max_length=300)
    next_step_on = models.DateField(_("nästa steg, datum"), null=True, blank=True)
    contact = models.CharField(_("kontakta"), max_length=300)
    valid_from = models.DateField(_("gäller från"))
    valid_until = models.DateField(_("gäller till"))

    class Meta(Versioned.Meta):
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "version"], name="one_agreement_version")
        ]


class CourseTemplate(models.Model):
    """A pain-school course (smärtskola): its sessions in order, e.g. ACT-based."""

    name = models.CharField(_("namn"), max_length=200, unique=True)
    description = models.TextField(_("beskrivning"), blank=True)
    sessions = models.JSONField(_("träffar"), default=list)  # session titles, in order

    def __str__(self):
        return self.name


class PainSchoolGroup(models.Model):
    """One run of a course: dates, place or digital, capacity, and the clinics whose
    patients may take part (the host clinic and any it shares the group with)."""

    template = models.ForeignKey(CourseTemplate, related_name="groups", on_delete=models.PROTECT)
    name = models.CharField(_("namn"), max_length=200)
    host = models.ForeignKey(Clinic, related_name="hosted_groups", on_delete=models.PROTECT)
    clinics = models.ManyToManyField(Clinic, related_name="pain_school_groups")
    format = models.CharField(
        _("form"), max_length=16, choices=GroupFormat.choices, default=GroupFormat.ON_SITE
    )
    place = models.CharField(_("plats eller länk"), max_length=300, blank=True)
    capacity = models.PositiveSmallIntegerField(_("antal platser"))
    completion_sessions = models.PositiveSmallIntegerField(_("träffar för att ha genomgått kursen"))
    created_by = models.ForeignKey(USER, null=True, related_name="+", on_delete=models.SET_NULL)

    class Meta:
        ordering = ["-id"]

    def __str__(self):
        return self.name


class GroupSession(models.Model):
    group = models.ForeignKey(PainSchoolGroup, related_name="sessions", on_delete=models.CASCADE)
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    starts_at = models.DateTimeField(_("tid"))

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["group", "number"], name="one_session_number")
        ]


class Participant(models.Model):
    """A patient in a group, or on its waiting list (in order of `queued_at`)."""

    group = models.ForeignKey(
        PainSchoolGroup, related_name="participants", on_delete=models.CASCADE
    )
    patient = models.ForeignKey(Patient, related_name="+", on_delete=models.PROTECT)
    clinic = models.ForeignKey(Clinic, related_name="+", on_delete=models.PROTECT)
    status = models.CharField(max_length=16, choices=ParticipantStatus.choices)
    queued_at = models.DateTimeField()
    placed_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    added_by = models.ForeignKey(USER, null=True, related_name="+", on_delete=models.SET_NULL)

    class Meta:
        ordering = ["queued_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["group", "patient"], name="one_place_per_patient")
        ]


class Attendance(models.Model):
    participant = models.ForeignKey(
        Participant, related_name="attendance", on_delete=models.CASCADE
    )
    session = models.ForeignKey(GroupSession, related_name="attendance", on_delete=models.CASCADE)
    present = models.BooleanField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["participant", "session"], name="one_mark_per_session")
        ]


class TrainingCourse(models.Model):
    """A course staff take, e.g. ACT (acceptance and commitment therapy) as a common
    language for every caregiver and administrator."""

    name = models.CharField(_("namn"), max_length=200, unique=True)
    description = models.TextField(_("beskrivning"), blank=True)

    def __str__(self):
        return self.name


class TrainingCompletion(models.Model):
    course = models.ForeignKey(TrainingCourse, related_name="completions", on_delete=models.CASCADE)
    staff = models.ForeignKey(StaffMember, related_name="trainings", on_delete=models.CASCADE)
    completed_on = models.DateField(_("genomförd"))
    recorded_by = models.ForeignKey(USER, null=True, related_name="+", on_delete=models.SET_NULL)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["course", "staff"], name="one_completion_per_course")
        ]


class OpioidAgreement(models.Model):
    """Opioid treatment agreement (behandlingsavtal för opioider): the substance, the
    maximum daily dose (also in oral morphine equivalents), prescriber, review date and
    tapering plan."""

    patient = models.ForeignKey(Patient, related_name="+", on_delete=models.PROTECT)
    clinic = models.ForeignKey(Clinic, related_name="opioid_agreements", on_delete=models.PROTECT)
    atc = models.CharField(_("ATC-kod"), max_length=10)
    substance = models.CharField(_("substans"), max_length=100)
    max_daily_mg = models.FloatField(_("högsta dygnsdos (mg)"))
    max_daily_ome = models.FloatField(_("i orala morfinekvivalenter (mg)"), null=True, blank=True)
    prescriber = models.ForeignKey(StaffMember, related_name="+", on_delete=models.PROTECT)
    agreed_on = models.DateField(_("avtalat"))
    review_on = models.DateField(_("omprövas"))
    tapering_plan = models.TextField(_("nedtrappningsplan"), blank=True)
    ended_on = models.DateField(_("avslutat"), null=True, blank=True)
    written_by = models.ForeignKey(USER, null=True, related_name="+", on_delete=models.SET_NULL)

    class Meta:
        ordering = ["-agreed_on", "-id"]
        indexes = [models.Index(fields=["clinic", "patient"])]
