"""Comparison (jämförelse): one share indicator of the catalogue across clinics or across the
caregivers of one clinic, as numerator and denominator per unit, judged on a funnel plot
(funnel.py) "for learning, not judgement" (shared/spec/qi.md, Funnel plots).

Definitions, for a period start..end (both days included):

- **indicators**: the catalogue's (catalogue.py) definitions, computed for the whole
  period at once (not month by month): `multi_profession` and `same_caregiver` from the
  deep-dive's cohort (patients with a registration of the entry's diagnoses in the
  period); `current_agreement` and `opioid_agreement` from coordination, as they stood on
  the period's last day (care/indicators.py). The last two belong to a clinic, not to a
  caregiver, so they are compared between clinics only.
- **clinics** (vårdcentraler): every clinic in the database, each computed on its own with
  the same function the catalogue uses (analytics.professions_met, the deep-dive's own
  definitions, or care.indicators.measure).
  Aggregates only: the region's view, open to any logged-in user.
- **caregivers** (vårdgivare på min vårdcentral): only for the deep-dive shares and only
  for one of the user's own clinics. Each cohort patient is attributed to one caregiver,
  of any profession: the one who registered most of the patient's cohort diagnoses at the
  clinic in the period (the deep-dive counts "met" by who set the diagnosis); a tie goes
  to the caregiver whose first such registration came earliest. The numerator is then the
  deep-dive's: the patient's registrations name two or more professions
  (multi_profession), or one profession and one caregiver and every registration names its
  caregiver (same_caregiver). A patient none of whose registrations names a caregiver
  cannot be attributed and is counted in a note. Only registrations made at the clinic
  count, so no other clinic's caregivers appear. Summed over the caregivers and the
  unattributed, numerators and denominators are the clinic's own.
- **left out**: units with nothing to count (denominator 0) are not plotted, and their
  number is given in a note (a clinic without data is one of them).
- **where a unit lies**: against the exact binomial limits, by the exact test (a count as
  high, or as low, is less likely than 2.5 % or 0.1 % under Binomial(n, θ)); against
  over-dispersed limits, by whether its share is outside them.
- **privacy**: no patient is ever shown, only counts per unit. A unit with a denominator
  under 5 (the deep-dive's small-cell threshold) is plotted and listed with its numbers
  but not named: with so few patients, a colleague who knows whom a caregiver (or a small
  clinic) saw could tell something about those patients. The user's own clinic is always
  named: its members see its figures anyway.
"""

from collections import Counter, defaultdict
from dataclasses import asdict, dataclass
from datetime import date, timedelta

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from painpath import analytics
from painpath.analytics.schema import PROFESSIONS
from painpath.analytics.suppression import THRESHOLD
from painpath.analytics.tables import normalise_icd10
from painpath.care import indicators as care
from painpath.deepdive.source import app_tables
from painpath.improvement import funnel
from painpath.improvement.catalogue import (
    CATALOGUE,
    add_months,
    extract_covers,
    month_end,
    month_start,
)
from painpath.records.models import Caregiver, Clinic, Diagnosis

SMALL = THRESHOLD  # a unit with fewer patients than this is plotted but not named

# The catalogue's share indicators that can be split by unit, and whether by caregiver too.
INDICATORS: dict[str, bool] = {
    "multi_profession": True,
    "same_caregiver": True,
    "current_agreement": False,
    "opioid_agreement": False,
}
DEEP_DIVE = {"multi_profession", "same_caregiver"}

CLINICS = "clinics"
CAREGIVERS = "caregivers"
OVERDISPERSION = ("none", "multiplicative", "additive")
LIMITS = {"none": "exact", "multiplicative": "multiplicative", "additive": "additive"}

POSITION_WORDS = {
    "within": _("inom gränserna"),
    "above_95": _("över gränsen för 95 %"),
    "above_99.8": _("över gränsen för 99,8 %"),
    "below_95": _("under gränsen för 95 %"),
    "below_99.8": _("under gränsen för 99,8 %"),
}


@dataclass(frozen=True)
class Unit:
    code: str  # the clinic's code, or the caregiver's id in the extract
    name: str
    numerator: int
    denominator: int
    own: bool = False  # the user's own clinic: highlighted, always named

    @property
    def named(self) -> bool:
        return self.own or self.denominator >= SMALL


def default_period(clinics, today: date) -> tuple[date, date]:
    """The last 12 whole months the clinics' extract covers (and that have ended)."""
    last = extract_covers(clinics)[1]
    end = min(last, today - timedelta(days=1)) if last else today - timedelta(days=1)
    if month_end(month_start(end)) != end:
        end = month_start(end) - timedelta(days=1)
    return add_months(month_start(end), -11), end


def clinic_units(key: str, start: date, end: date, own=()) -> list[Unit]:
    """Every clinic's numerator and denominator, by the catalogue's definition."""
    own = {clinic.pk for clinic in own}
    clinics = list(Clinic.objects.order_by("name"))
    if key in DEEP_DIVE:
        params = CATALOGUE[key].parameters
        with app_tables() as tables:
            found = [
                _deep_dive_share(
                    key,
                    analytics.professions_met(
                        tables, params["diagnoses"], start, end, clinic=[c.pk]
                    ),
                )
                for c in clinics
            ]
    else:
        found = [
            (m["numerator"], m["denominator"])
            for m in (care.measure(key, [c], start, end) for c in clinics)
        ]
    return [
        Unit(c.code, c.name, int(r), int(n), own=c.pk in own)
        for c, (r, n) in zip(clinics, found, strict=True)
    ]


def _deep_dive_share(key: str, result: dict) -> tuple[int, int]:
    if key == "multi_profession":
        return result["multi_profession"]["patients"], result["patients"]
    return result["single_profession_same_caregiver"], result["patients"]


def caregiver_units(key: str, clinic: Clinic, start: date, end: date) -> tuple[list[Unit], int]:
    """The clinic's caregivers with their attributed patients (module docstring), and the
    number of patients that could not be attributed to anyone."""
    if key not in DEEP_DIVE:
        raise ValueError(f"{key} is not measured per caregiver")
    codes = Q()
    for code in CATALOGUE[key].parameters["diagnoses"]:
        codes |= Q(code__startswith=normalise_icd10(code))
    registrations = (
        Diagnosis.objects.filter(codes, clinic=clinic, date__range=(start, end))
        .order_by("date", "id")
        .values_list("patient_id", "caregiver_id", "profession")
    )
    per_patient = defaultdict(list)
    for patient, caregiver, profession in registrations.iterator():
        per_patient[patient].append((caregiver, profession))
    counts = defaultdict(lambda: [0, 0])  # caregiver id -> [numerator, denominator]
    unattributed = 0
    for found in per_patient.values():
        caregiver = _attributed(found)
        if caregiver is None:
            unattributed += 1
            continue
        counts[caregiver][0] += _counts(key, found)
        counts[caregiver][1] += 1
    staff = Caregiver.objects.in_bulk(list(counts))
    units = [
        Unit(staff[pk].source_id, staff[pk].name or staff[pk].source_id, r, n)
        for pk, (r, n) in counts.items()
    ]
    return units, unattributed


def _attributed(registrations: list[tuple]) -> int | None:
    """Who registered most of them; a tie to the first to register (they come in order)."""
    named = [caregiver for caregiver, _profession in registrations if caregiver is not None]
    if not named:
        return None
    tally = Counter(named)  # Counter keeps first-seen order, and max keeps the first maximum
    return max(tally, key=tally.__getitem__)


def _counts(key: str, registrations: list[tuple]) -> bool:
    professions = {p for _caregiver, p in registrations if p in PROFESSIONS}
    if key == "multi_profession":
        return len(professions) >= 2
    caregivers = {caregiver for caregiver, _profession in registrations}
    return len(professions) == 1 and len(caregivers) == 1 and None not in caregivers


def compare(units: list[Unit], overdispersion: str = "none") -> dict:
    """The funnel of the units with something to count: θ, φ, τ², and per unit its share,
    limits at its denominator (exact, or over-dispersed when asked) and where it lies."""
    kept = [unit for unit in units if unit.denominator > 0]
    result = {
        "overdispersion": overdispersion,
        "left_out": len(units) - len(kept),
        "theta": None,
        "phi": None,
        "tau2": None,
        "units": [],
    }
    if not kept:
        return result
    found = funnel.funnel([(unit.code, unit.numerator, unit.denominator) for unit in kept])
    kind = LIMITS[overdispersion]
    rows = []
    for unit, row in zip(kept, found["units"], strict=True):
        rows.append(
            asdict(unit)
            | {
                "name": unit.name if unit.named else None,
                "code": unit.code if unit.named else None,
                "named": unit.named,
                "share": row["y"],
                "limits_95": list(row[f"{kind}_95"]),
                "limits_99.8": list(row[f"{kind}_99.8"]),
                "position": _position(row | {"theta": found["theta"]}, kind),
            }
        )
    # Largest first (the funnel's x axis); the unnamed after the named of their size.
    rows.sort(key=lambda r: (-r["denominator"], not r["named"], r["name"] or ""))
    phi = found["phi"]
    result |= {
        "theta": found["theta"],
        "phi": None if phi != phi else phi,  # NaN (a single unit) is no estimate
        "tau2": found["tau2"] if len(kept) > 1 else None,
        "units": rows,
    }
    return result


def _position(row: dict, kind: str) -> str:
    if kind == "exact":
        return funnel.exact_position(int(row["numerator"]), int(row["denominator"]), row["theta"])
    for level in ("99.8", "95"):
        low, high = row[f"{kind}_{level}"]
        if row["y"] > high:
            return f"above_{level}"
        if row["y"] < low:
            return f"below_{level}"
    return "within"
