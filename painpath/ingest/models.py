from django.db import models
from django.utils.translation import gettext_lazy as _

from painpath.records.models import Clinic


class ImportRun(models.Model):
    """One run of `painpath import`: what came in, what was rejected and where that went.
    Holds counts only; no patient data."""

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    source = models.CharField(max_length=500)
    imported_by = models.CharField(max_length=150)
    exit_code = models.SmallIntegerField()
    error = models.TextField(blank=True)  # why nothing was imported, for exit code 2
    files = models.JSONField(default=dict)  # file -> {read, imported, rejected, new}
    rejected = models.PositiveIntegerField(default=0)
    reasons = models.JSONField(default=dict)  # reason -> count (no values from rows)
    rejects_path = models.CharField(max_length=500, blank=True)
    clinics = models.ManyToManyField(Clinic, related_name="import_runs", blank=True)

    class Meta:
        ordering = ["-finished_at"]
        get_latest_by = "finished_at"
        verbose_name = _("import")
        verbose_name_plural = _("importer")

    def __str__(self):
        return f"{self.source} ({self.finished_at:%Y-%m-%d %H:%M})"
