"""Running a deep-dive or a prescription summary for a user or a command: which clinics,
which engine, the comparison, small-cell protection and the audit trail.

Views and commands call these; painpath.analytics does the counting.
"""

from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

from django.core.exceptions import PermissionDenied

from painpath import analytics
from painpath.access.models import AuditAction, AuditEvent
from painpath.access.policies import client_ip, clinics_for
from painpath.analytics.sources import duckdb_parquet
from painpath.analytics.suppression import hide_small_counts
from painpath.deepdive.export import deep_dive_csv
from painpath.deepdive.source import app_tables
from painpath.records.models import Clinic

__all__ = ["DeepDiveQuery", "PrescriptionQuery", "deep_dive_csv", "run_deep_dive",
           "run_prescriptions"]  # fmt: skip


class UnknownClinic(ValueError):
    pass


@dataclass(frozen=True)
class DeepDiveQuery:
    start: date
    end: date
    diagnoses: tuple[str, ...] = ("R52.2",)
    clinic_codes: tuple[str, ...] = ()  # none: every clinic the user may see
    threshold: int = 10
    compare_start: date | None = None
    compare_end: date | None = None
    hide_small: bool = False

    @property
    def compares(self) -> bool:
        return self.compare_start is not None and self.compare_end is not None


@dataclass(frozen=True)
class PrescriptionQuery:
    start: date
    end: date
    atc: tuple[str, ...] = ("N02AA05",)
    clinic_codes: tuple[str, ...] = ()
    compare_start: date | None = None
    compare_end: date | None = None

    @property
    def compares(self) -> bool:
        return self.compare_start is not None and self.compare_end is not None


@contextmanager
def data_for(clinic_codes: Sequence[str], user=None, parquet: Path | None = None):
    """(tables, clinic scope, clinic codes) for the app database, or for a region's Parquet
    folder on DuckDB (`parquet`; its clinic ids are the clinic codes; no user)."""
    if parquet is not None:
        yield duckdb_parquet(parquet), (list(clinic_codes) or None), list(clinic_codes)
        return
    clinics = clinic_scope(clinic_codes, user)
    if user is not None and not clinics:
        raise PermissionDenied
    with app_tables() as tables:
        yield tables, ([clinic.pk for clinic in clinics] or None), [c.code for c in clinics]


def clinic_scope(codes: Sequence[str], user=None) -> list[Clinic]:
    """The clinics a query covers. A user gets only their own clinics (all of them when none
    is named); a command without a user gets the named clinics, or all (an empty list)."""
    allowed = clinics_for(user) if user is not None else Clinic.objects.all()
    if not codes:
        return list(allowed) if user is not None else []
    found = {clinic.code: clinic for clinic in Clinic.objects.filter(code__in=codes)}
    unknown = [code for code in codes if code not in found]
    if unknown:
        if user is not None:  # a user must not learn which other clinics exist
            raise PermissionDenied
        known = ", ".join(Clinic.objects.values_list("code", flat=True)) or "inga"
        raise UnknownClinic(f"Okänd vårdcentral: {', '.join(unknown)} (finns: {known}).")
    clinics = [found[code] for code in codes]
    if user is not None and not set(allowed.filter(pk__in=[c.pk for c in clinics])) >= set(clinics):
        raise PermissionDenied
    return clinics


def run_deep_dive(
    query: DeepDiveQuery, user=None, request=None, parquet: Path | None = None
) -> dict:
    """{"query", "main", "compare", "difference"}: the contract's dict for the period, and for
    the comparison period with the differences (second minus first) when one is asked for."""
    with data_for(query.clinic_codes, user, parquet) as (tables, scope, codes):
        arguments = {"clinic": scope, "threshold": query.threshold}
        main = analytics.deep_dive(tables, query.diagnoses, query.start, query.end, **arguments)
        second = (
            analytics.deep_dive(
                tables, query.diagnoses, query.compare_start, query.compare_end, **arguments
            )
            if query.compares
            else None
        )
    difference = analytics.compare(main, second) if second else None
    if query.hide_small:
        main = hide_small_counts(main)
        second = hide_small_counts(second) if second else None
        difference = _hide_differences(difference, main, second) if second else None
    if user is not None:
        _audit(user, request, f"djupdykning {','.join(query.diagnoses)} "
               f"{query.start}..{query.end}")  # fmt: skip
    return {
        "query": {**asdict(query), "clinics": codes},
        "main": main,
        "compare": second,
        "difference": difference,
    }


def _hide_differences(difference: dict, first: dict, second: dict) -> dict:
    """A difference of hidden counts would reveal them: hide it where either side is."""

    def walk(diff, a, b):
        for key, value in diff.items():
            source_key = key.removesuffix("_pp")
            left = a.get(source_key) if isinstance(a, dict) else None
            right = b.get(source_key) if isinstance(b, dict) else None
            if isinstance(value, dict):
                walk(value, _keyed(left), _keyed(right))
            elif left is None or right is None:
                diff[key] = None

    walk(difference, first, second)
    return difference


def _keyed(value):
    if isinstance(value, list):  # combinations, bands: keyed as analytics.compare keys them
        keyed = {}
        for item in value:
            name = item.get("professions") or item.get("band")
            keyed["+".join(name) if isinstance(name, list) else name] = item
        return keyed
    return value


def _audit(user, request, detail: str) -> None:
    AuditEvent.objects.create(
        user=user,
        username=user.get_username(),
        action=AuditAction.VIEW,
        path=request.get_full_path()[:500] if request else "",
        ip_address=client_ip(request) if request else None,
        detail=detail[:500],
    )


def run_prescriptions(query: PrescriptionQuery, user=None, parquet: Path | None = None) -> dict:
    """The contract's prescription dict; with a comparison period, that period's figures
    under "compare" and the relative change in prescriptions ("change") and patients."""
    with data_for(query.clinic_codes, user, parquet) as (tables, scope, codes):
        first = analytics.prescriptions(tables, query.atc, query.start, query.end, clinic=scope)
        if not query.compares:
            return {**first, "clinics": codes}
        second = analytics.prescriptions(
            tables, query.atc, query.compare_start, query.compare_end, clinic=scope
        )
    return {
        **first,
        "clinics": codes,
        "compare": second,
        "change": relative_change(first["prescriptions"], second["prescriptions"]),
        "change_patients": relative_change(first["patients"], second["patients"]),
    }


def relative_change(first: int, second: int) -> float | None:
    """(second - first) / first, rounded to 4 decimals; None when first is 0."""
    return round((second - first) / first, 4) if first else None
