"""What the EHR extract holds: clinics, staff, patients and their listing, contacts,
diagnosis registrations, prescriptions and sick-leave certificates.

Imported rows carry `source_key`: a digest of the row's own id where the extract gives one,
else of its content. It is unique, so re-importing the same extract, or an overlapping later
one, updates rows instead of duplicating them (painpath/ingest/).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from painpath.records import identity
from painpath.records.professions import Profession


class Sex(models.TextChoices):
    FEMALE = "female", _("Kvinna")
    MALE = "male", _("Man")
    UNKNOWN = "unknown", _("Okänt")


class ContactType(models.TextChoices):
    """The contract's contact types; an extract's other free text is kept as written."""

    VISIT = "visit", _("Besök")
    PHONE = "phone", _("Telefon")
    DIGITAL = "digital", _("Digital")
    HOME = "home", _("Hembesök")
    GROUP = "group", _("Grupp")


class Clinic(models.Model):
    """A care unit (vårdcentral)."""

    code = models.CharField(_("kod"), max_length=64, unique=True)
    name = models.CharField(_("namn"), max_length=200)

    class Meta:
        ordering = ["name"]
        verbose_name = _("vårdcentral")
        verbose_name_plural = _("vårdcentraler")

    def __str__(self):
        return self.name


class Caregiver(models.Model):
    """A member of staff (vårdgivare), identified by the EHR's id (often an HSA-id)."""

    source_id = models.CharField(max_length=100, unique=True)
    profession = models.CharField(max_length=32, choices=Profession.choices, blank=True)
    name = models.CharField(max_length=200, blank=True)
    clinic = models.ForeignKey(Clinic, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        verbose_name = _("vårdgivare")
        verbose_name_plural = _("vårdgivare")

    def __str__(self):
        return self.name or self.source_id


class Patient(models.Model):
    id_hash = models.CharField(max_length=64, unique=True, editable=False)
    pseudonym = models.CharField(max_length=16, unique=True, editable=False)
    personnummer_encrypted = models.TextField(blank=True, editable=False)
    external_id = models.CharField(max_length=100, blank=True, editable=False)
    sex = models.CharField(max_length=8, choices=Sex.choices, default=Sex.UNKNOWN)
    birth_year = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("patient")
        verbose_name_plural = _("patienter")

    def __str__(self):
        return self.pseudonym

    @property
    def personnummer(self) -> str:
        """The personnummer as YYYYMMDD-NNNN; only for views that audit their reading."""
        if not self.personnummer_encrypted:
            return ""
        return identity.format_personnummer(identity.decrypt(self.personnummer_encrypted))


# Foreign keys that lead a composite index below get no index of their own
# (db_index=False): the composite serves the same look-ups, and each index slows imports.


class ImportedRow(models.Model):
    source_key = models.CharField(max_length=32, unique=True, editable=False)

    class Meta:
        abstract = True


class Listing(ImportedRow):
    """A patient's listing at a clinic. Listed on a day when listed_from <= day and
    (listed_to empty or >= day); no dates at all means listed always."""

    patient = models.ForeignKey(Patient, related_name="listings", on_delete=models.CASCADE)
    clinic = models.ForeignKey(
        Clinic, related_name="listings", on_delete=models.CASCADE, db_index=False
    )
    listed_from = models.DateField(null=True, blank=True)
    listed_to = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["clinic", "listed_from", "listed_to"])]


class Contact(ImportedRow):
    source_id = models.CharField(max_length=100, blank=True)
    patient = models.ForeignKey(
        Patient, related_name="contacts", on_delete=models.CASCADE, db_index=False
    )
    clinic = models.ForeignKey(
        Clinic, related_name="contacts", on_delete=models.CASCADE, db_index=False
    )
    date = models.DateField()
    caregiver = models.ForeignKey(Caregiver, null=True, blank=True, on_delete=models.SET_NULL)
    profession = models.CharField(max_length=32, choices=Profession.choices, blank=True)
    contact_type = models.CharField(max_length=100, blank=True)  # ContactType, or free text

    class Meta:
        indexes = [
            models.Index(fields=["patient", "date"]),
            models.Index(fields=["clinic", "date"]),
        ]

    @property
    def contact_type_label(self) -> str:
        if self.contact_type in ContactType.values:
            return ContactType(self.contact_type).label
        return self.contact_type


class Diagnosis(ImportedRow):
    """A diagnosis registration: who set which code for whom, when."""

    patient = models.ForeignKey(
        Patient, related_name="diagnoses", on_delete=models.CASCADE, db_index=False
    )
    clinic = models.ForeignKey(Clinic, related_name="diagnoses", on_delete=models.CASCADE)
    date = models.DateField()
    code = models.CharField(max_length=16)  # ICD-10-SE, stored as R52.2 / R52.2A
    caregiver = models.ForeignKey(Caregiver, null=True, blank=True, on_delete=models.SET_NULL)
    profession = models.CharField(max_length=32, choices=Profession.choices, blank=True)
    contact_source_id = models.CharField(max_length=100, blank=True)

    class Meta:
        verbose_name_plural = "diagnoses"
        indexes = [
            # The deep-dive starts from "which codes in which period": a range scan on both.
            models.Index(fields=["code", "date"]),
            models.Index(fields=["patient", "date"]),
        ]


class Prescription(ImportedRow):
    source_id = models.CharField(max_length=100, blank=True)
    patient = models.ForeignKey(
        Patient, related_name="prescriptions", on_delete=models.CASCADE, db_index=False
    )
    clinic = models.ForeignKey(Clinic, related_name="prescriptions", on_delete=models.CASCADE)
    date = models.DateField()
    atc = models.CharField(max_length=10)
    product = models.CharField(max_length=200, blank=True)
    strength_mg = models.FloatField(null=True, blank=True)
    packages = models.FloatField(null=True, blank=True)
    pack_size = models.FloatField(null=True, blank=True)
    caregiver = models.ForeignKey(Caregiver, null=True, blank=True, on_delete=models.SET_NULL)
    profession = models.CharField(max_length=32, choices=Profession.choices, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["atc", "date"]),
            models.Index(fields=["patient", "date"]),
        ]


class SickLeave(ImportedRow):
    """A sick-leave certificate (sjukintyg). Spells are unions of certificates (analytics)."""

    source_id = models.CharField(max_length=100, blank=True)
    patient = models.ForeignKey(
        Patient, related_name="sick_leaves", on_delete=models.CASCADE, db_index=False
    )
    clinic = models.ForeignKey(Clinic, related_name="sick_leaves", on_delete=models.CASCADE)
    start = models.DateField()
    end = models.DateField()
    code = models.CharField(max_length=16, blank=True)
    extent_percent = models.PositiveSmallIntegerField(null=True, blank=True)
    caregiver = models.ForeignKey(Caregiver, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        indexes = [
            models.Index(fields=["code", "start"]),
            models.Index(fields=["patient", "start"]),
        ]
