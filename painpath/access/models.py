"""Who may see which clinic's patients, and the audit log of every look at patient data."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from painpath.records.models import Clinic, Patient


class Role(models.TextChoices):
    """Roles are Django groups with these names (created by migration 0002)."""

    CLINICIAN = "clinician", _("Kliniker")
    TRIAGE = "triage", _("Telefonrådgivning")
    IMPROVEMENT_LEAD = "improvement_lead", _("Förbättringsledare")
    ADMINISTRATOR = "administrator", _("Administratör")


class ClinicMembership(models.Model):
    """A user works at a clinic, and so may see its patients."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="memberships", on_delete=models.CASCADE
    )
    clinic = models.ForeignKey(Clinic, related_name="memberships", on_delete=models.CASCADE)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "clinic"], name="one_membership_per_clinic")
        ]
        verbose_name = _("tillhörighet")
        verbose_name_plural = _("tillhörigheter")

    def __str__(self):
        return f"{self.user} @ {self.clinic}"


class AuditAction(models.TextChoices):
    VIEW = "view", _("visade")
    CHANGE = "change", _("ändrade")
    LOOKUP = "lookup", _("sökte")
    IMPORT = "import", _("importerade")
    EXPORT = "export", _("exporterade")


class AppendOnlyError(Exception):
    pass


class AuditEvent(models.Model):
    """One look at, or change of, patient data. Append-only: the database refuses UPDATE
    and DELETE on this table (triggers in migration 0003), and so does the model."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    # PROTECT: a user with a history is deactivated, never deleted.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT)
    username = models.CharField(max_length=150)
    action = models.CharField(max_length=16, choices=AuditAction.choices)
    # No foreign-key constraint: the log outlives a patient erased on request.
    patient = models.ForeignKey(
        Patient, null=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    pseudonym = models.CharField(max_length=16, blank=True)
    path = models.CharField(max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(null=True)
    detail = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["patient", "at"])]
        verbose_name = _("loggpost")
        verbose_name_plural = _("granskningslogg")

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit events are append-only")
