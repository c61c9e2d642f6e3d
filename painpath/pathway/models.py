"""The structured pathway (strukturerat omhändertagande): enrolment, its history of states,
questionnaire invitations and answers, and the first assessment.

Changes of state go through painpath/pathway/actions.py, which checks them against
states.py and writes the history; nothing else sets `Enrolment.state`.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from painpath.pathway.states import (
    CancelledBy,
    Channel,
    Criterion,
    Source,
    State,
    Timepoint,
)
from painpath.records.models import Clinic, Patient
from painpath.records.professions import Profession


class Enrolment(models.Model):
    """One patient's way through the pathway at one clinic."""

    patient = models.ForeignKey(Patient, related_name="enrolments", on_delete=models.PROTECT)
    clinic = models.ForeignKey(Clinic, related_name="enrolments", on_delete=models.PROTECT)
    criterion = models.CharField(_("kriterium"), max_length=32, choices=Criterion.choices)
    identified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", null=True, on_delete=models.SET_NULL
    )
    identified_profession = models.CharField(
        _("identifierad av profession"), max_length=32, choices=Profession.choices
    )
    channel = models.CharField(_("hur"), max_length=16, choices=Channel.choices)
    first_name = models.CharField(
        _("tilltalsnamn"),
        max_length=60,
        blank=True,
        help_text=_("Det enda patienten ser om sig själv i formulären."),
    )
    family_name = models.CharField(
        _("efternamn"),
        max_length=100,
        blank=True,
        help_text=_("För telefonrådgivningens sökning på namn; visas aldrig för patienten."),
    )
    # first and family name, casefolded, for triage's search by name (SQLite's LIKE folds
    # only ASCII, so Ö and ö must already be equal here). Set by save().
    name_key = models.CharField(max_length=170, blank=True, editable=False, db_index=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.IDENTIFIED)
    state_since = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    follow_up_due_on = models.DateField(null=True, blank=True)  # six months after assessment
    cancelled_by = models.CharField(max_length=8, choices=CancelledBy.choices, blank=True)
    end_reason = models.CharField(_("orsak"), max_length=300, blank=True)

    class Meta:
        indexes = [models.Index(fields=["clinic", "state"])]
        verbose_name = _("inskrivning i vårdförloppet")
        verbose_name_plural = _("inskrivningar i vårdförloppet")

    def __str__(self):
        return f"{self.patient} ({self.get_state_display()})"

    def save(self, *args, **kwargs):
        self.name_key = name_key(self.first_name, self.family_name)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_key"}
        super().save(*args, **kwargs)


def name_key(*names: str) -> str:
    """Names as triage's search compares them: casefolded, single spaces."""
    return " ".join(" ".join(names).casefold().split())


class StateChange(models.Model):
    """Every change of an enrolment's state: when, by whom, why. Never edited."""

    enrolment = models.ForeignKey(Enrolment, related_name="changes", on_delete=models.CASCADE)
    from_state = models.CharField(max_length=16, choices=State.choices, blank=True)
    to_state = models.CharField(max_length=16, choices=State.choices)
    at = models.DateTimeField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", null=True, on_delete=models.SET_NULL
    )
    actor = models.CharField(max_length=150)  # the username, or "patient" for the link
    cancelled_by = models.CharField(max_length=8, choices=CancelledBy.choices, blank=True)
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "id"]


class InstrumentDefinition(models.Model):
    """An instrument a clinic added (a licensed form it holds, its own history form), or its
    own text for a shipped one (Välmåendeskalan's items). Shipped definitions are files in
    painpath/pathway/instruments/; a clinic's row with the same code takes their place."""

    clinic = models.ForeignKey(Clinic, related_name="instruments", on_delete=models.CASCADE)
    code = models.SlugField(max_length=40)
    definition = models.JSONField()
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", null=True, on_delete=models.SET_NULL
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "code"], name="one_instrument_code_per_clinic"
            )
        ]


class Invitation(models.Model):
    """A link to questionnaires for the patient: a long random token, kept only as its hash,
    valid until `expires_at`, submitted once."""

    enrolment = models.ForeignKey(Enrolment, related_name="invitations", on_delete=models.CASCADE)
    timepoint = models.CharField(max_length=16, choices=Timepoint.choices)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    instruments = models.JSONField()  # instrument codes, in the order the patient answers them
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", null=True, on_delete=models.SET_NULL
    )
    expires_at = models.DateTimeField()
    opened_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)


class Response(models.Model):
    """One instrument's answers at one timepoint, as given, with the score computed from
    them when they were saved (painpath/pathway/instruments/scoring.py)."""

    enrolment = models.ForeignKey(Enrolment, related_name="responses", on_delete=models.CASCADE)
    invitation = models.ForeignKey(
        Invitation, related_name="responses", null=True, blank=True, on_delete=models.SET_NULL
    )
    timepoint = models.CharField(max_length=16, choices=Timepoint.choices)
    instrument = models.CharField(max_length=40)
    answers = models.JSONField(default=dict)  # item id -> value as given
    score = models.JSONField(default=dict)
    source = models.CharField(max_length=8, choices=Source.choices)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", null=True, blank=True, on_delete=models.SET_NULL
    )
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "timepoint", "instrument"], name="one_response_per_timepoint"
            )
        ]


class Assessment(models.Model):
    """The first assessment (bedömning): booked with its length, done or cancelled."""

    enrolment = models.ForeignKey(Enrolment, related_name="assessments", on_delete=models.CASCADE)
    scheduled_at = models.DateTimeField(_("tid"))
    length_minutes = models.PositiveSmallIntegerField(_("längd i minuter"), default=45)
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", null=True, on_delete=models.SET_NULL
    )
    profession = models.CharField(max_length=32, choices=Profession.choices, blank=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", null=True, on_delete=models.SET_NULL
    )
    done_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.CharField(max_length=8, choices=CancelledBy.choices, blank=True)

    class Meta:
        ordering = ["scheduled_at"]
