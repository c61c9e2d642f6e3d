"""Who may see which clinic's patients is itself audited: every membership granted or
withdrawn, by whatever path (admin, shell, command), lands in the append-only log."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from painpath.access.models import AuditAction, AuditEvent, ClinicMembership


@receiver(post_save, sender=ClinicMembership)
def membership_granted(sender, instance, created, **kwargs):
    if created:
        _log(instance, "beviljad")


@receiver(post_delete, sender=ClinicMembership)
def membership_withdrawn(sender, instance, **kwargs):
    _log(instance, "återkallad")


def _log(membership: ClinicMembership, what: str) -> None:
    AuditEvent.objects.create(
        username="system",
        action=AuditAction.CHANGE,
        detail=f"behörighet {what}: {membership.user.get_username()} @ {membership.clinic.code}",
    )
