"""The closed vocabulary of professions, and the labels Swedish EHR statistics use for them.

Analytics build combination keys from this fixed order (see shared/spec/engines.md, trap 2),
so the order of PROFESSIONS is part of the contract: append, never reorder.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Profession(models.TextChoices):
    PHYSICIAN = "physician", _("Läkare")
    NURSE = "nurse", _("Sjuksköterska")
    ASSISTANT_NURSE = "assistant_nurse", _("Undersköterska")
    PHYSIOTHERAPIST = "physiotherapist", _("Fysioterapeut/sjukgymnast")
    OCCUPATIONAL_THERAPIST = "occupational_therapist", _("Arbetsterapeut")
    PSYCHOLOGIST = "psychologist", _("Psykolog")
    COUNSELLOR = "counsellor", _("Kurator")
    REHAB_COORDINATOR = "rehab_coordinator", _("Rehabkoordinator")
    DIETITIAN = "dietitian", _("Dietist")


PROFESSIONS: tuple[str, ...] = tuple(Profession.values)

_LABELS = {
    Profession.PHYSICIAN: [
        "läkare",
        "allmänläkare",
        "specialist i allmänmedicin",
        "st-läkare",
        "at-läkare",
        "bt-läkare",
        "underläkare",
        "physician",
        "doctor",
        "gp",
        "general practitioner",
    ],
    Profession.NURSE: [
        "sjuksköterska",
        "distriktssköterska",
        "legitimerad sjuksköterska",
        "nurse",
        "registered nurse",
        "district nurse",
    ],
    Profession.ASSISTANT_NURSE: ["undersköterska", "assistant nurse", "assistant_nurse"],
    Profession.PHYSIOTHERAPIST: [
        "fysioterapeut",
        "sjukgymnast",
        "fysioterapeut/sjukgymnast",
        "sjukgymnast/fysioterapeut",
        "physiotherapist",
        "physical therapist",
    ],
    Profession.OCCUPATIONAL_THERAPIST: [
        "arbetsterapeut",
        "occupational therapist",
        "occupational_therapist",
    ],
    Profession.PSYCHOLOGIST: ["psykolog", "ptp-psykolog", "psychologist"],
    Profession.COUNSELLOR: ["kurator", "counsellor", "counselor", "social worker"],
    Profession.REHAB_COORDINATOR: [
        "rehabkoordinator",
        "rehabiliteringskoordinator",
        "rehab coordinator",
        "rehab_coordinator",
    ],
    Profession.DIETITIAN: ["dietist", "dietitian", "dietician"],
}
_BY_LABEL = {label: code.value for code, labels in _LABELS.items() for label in labels}
_BY_LABEL.update({code: code for code in PROFESSIONS})


def profession_code(label: str) -> str | None:
    """The canonical code for a Swedish or English label in any case, or None if unknown."""
    return _BY_LABEL.get(" ".join(label.split()).lower())
