"""Patients on opioids, read from the extract, beside the clinic's opioid treatment
agreements (behandlingsavtal för opioider).

- *On opioids* on a day: at least one prescription at one of the clinics whose ATC code
  starts with one of OPIOID_ATC_PREFIXES, dated after day − OPIOID_LOOKBACK_DAYS and on or
  before the day (states.py).
- The total in oral morphine equivalents (OME, mg) over that window is strength_mg ×
  packages × pack_size × the substance's factor (actions.ome_factor), summed; it is None
  when any prescription lacks a part or the substance has no factor (patches), since a
  partial sum would look smaller than the truth.
- Both are counted on the extract's last day when the day asked for lies after it (as_of).
- An agreement's review is *overdue* when it is current and its review date has passed.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from painpath.care import actions
from painpath.care.models import OpioidAgreement
from painpath.care.states import OPIOID_ATC_PREFIXES, OPIOID_LOOKBACK_DAYS
from painpath.records.models import Patient, Prescription

# The substances an agreement names, with their ATC codes (FASS' Swedish names).
SUBSTANCES = [
    ("N02AA05", _("Oxikodon")),
    ("N02AA01", _("Morfin")),
    ("N02AX02", _("Tramadol")),
    ("N02AJ06", _("Kodein + paracetamol")),
    ("N02AX06", _("Tapentadol")),
    ("N02AA03", _("Hydromorfon")),
    ("N02AE01", _("Buprenorfin, plåster")),
    ("N02AB03", _("Fentanyl, plåster")),
    ("N07BC02", _("Metadon")),
]


@dataclass
class OpioidPatient:
    patient: Patient
    latest_product: str  # the product as prescribed, else the ATC code
    latest_atc: str
    latest_on: date
    prescriptions: int
    ome_mg: float | None  # total in the window; None when it cannot be computed
    agreement: OpioidAgreement | None  # the current one, if any


def substance_name(atc: str) -> str:
    return str(dict(SUBSTANCES).get(atc, atc))


def as_of(clinics, day: date) -> date:
    """The day the extract can answer for: `day`, or the clinics' last prescription date
    when the extract ends before it. An extract is a snapshot; past its last day it knows of
    no prescriptions, and "on opioids" there would read as nobody."""
    last = (
        Prescription.objects.filter(clinic__in=clinics)
        .order_by("-date")
        .values_list("date", flat=True)
        .first()
    )
    return min(day, last) if last else day


def window(day: date) -> tuple[date, date]:
    """The first and last day that count (both included)."""
    return day - timedelta(days=OPIOID_LOOKBACK_DAYS - 1), day


def opioid_prescriptions(clinics, day: date) -> QuerySet[Prescription]:
    first, last = window(day)
    is_opioid = reduce(or_, (Q(atc__startswith=prefix) for prefix in OPIOID_ATC_PREFIXES))
    return Prescription.objects.filter(
        is_opioid, clinic__in=clinics, date__gte=first, date__lte=last
    )


def _ome(rx: Prescription) -> float | None:
    factor = actions.ome_factor(rx.atc)
    parts = (rx.strength_mg, rx.packages, rx.pack_size, factor)
    if any(part is None for part in parts):
        return None
    return rx.strength_mg * rx.packages * rx.pack_size * factor


def opioid_patients(clinics, day: date, agreed_by: date | None = None) -> list[OpioidPatient]:
    """Everyone on opioids at the clinics on the day, without an agreement first, then by
    pseudonym. Two queries, whatever the number of patients. The agreements are those
    current on `agreed_by` (default: the day): when the extract ends before today, the
    prescriptions are read on its last day but an agreement made since still counts."""
    rows = opioid_prescriptions(clinics, day).select_related("patient").order_by("date", "id")
    agreements = {}
    current = actions.current_opioid_agreements(clinics, agreed_by or day)
    for agreement in current.order_by("agreed_on", "id"):
        agreements[agreement.patient_id] = agreement  # the latest wins
    found: dict[int, OpioidPatient] = {}
    for rx in rows:
        ome = _ome(rx)
        entry = found.get(rx.patient_id)
        if entry is None:
            found[rx.patient_id] = OpioidPatient(
                rx.patient, rx.product or rx.atc, rx.atc, rx.date, 1, ome,
                agreements.get(rx.patient_id),
            )  # fmt: skip
            continue
        entry.latest_product, entry.latest_atc, entry.latest_on = (
            rx.product or rx.atc,
            rx.atc,
            rx.date,
        )
        entry.prescriptions += 1
        entry.ome_mg = None if entry.ome_mg is None or ome is None else entry.ome_mg + ome
    return sorted(found.values(), key=lambda p: (p.agreement is not None, p.patient.pseudonym))


def overdue_reviews(clinics, day: date) -> QuerySet[OpioidAgreement]:
    """Current agreements whose review date has passed (omprövning försenad)."""
    return (
        actions.current_opioid_agreements(clinics, day)
        .filter(review_on__lt=day)
        .select_related("patient", "prescriber")
        .order_by("review_on", "id")
    )
