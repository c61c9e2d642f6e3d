"""Prescription indicators (förskrivning): how many prescriptions of an ATC code or group,
to how many patients, in oral morphine equivalents where that can be known, month by month.

Definitions, within the period (both days included) and the clinic(s) when given:
- a prescription counts when its ATC code is one of the given codes or under one of them
  (`N02A` matches every opioid, `N02AA05` oxycodone only).
- `patients`: distinct patients with at least one such prescription.
- amount in mg: strength_mg × pack_size × packages, when all three are known; strength_mg
  is the opioid's strength per unit (for codeine + paracetamol, the codeine).
- oral morphine equivalents (OME, mg): the amount × the substance's factor (CDC 2022,
  shared/spec/instruments.md): morphine 1, oxycodone 1.5, hydromorphone 5, codeine 0.15,
  tramadol 0.2, tapentadol 0.4, methadone 4.7. Patches (fentanyl, buprenorphine) are dosed
  per µg/h, not per mg, and other substances have no factor: their prescriptions count
  in `without_ome` and add nothing to `ome_mg`. OME are estimates for indicators, never a
  dosing guide.
- `monthly`: every calendar month the period touches, with zeros where nothing was
  prescribed, so a run chart has no gaps.
"""

from collections.abc import Sequence
from datetime import date

import ibis
from ibis import _

from painpath.analytics.tables import (
    ClinicScope,
    Period,
    Tables,
    clinic_ids,
    codes_under,
    in_clinics,
    in_period,
    normalise_atc,
    rows,
)

# ATC code or prefix -> oral morphine equivalents per mg (the longest matching prefix wins).
OME_PER_MG = {
    "N02AA01": 1.0,  # morphine
    "N02AA03": 5.0,  # hydromorphone
    "N02AA05": 1.5,  # oxycodone
    "N02AA55": 1.5,  # oxycodone + naloxone
    "N02AJ17": 1.5,  # oxycodone + paracetamol
    "N02AJ18": 1.5,  # oxycodone + acetylsalicylic acid
    "N02AJ19": 1.5,  # oxycodone + ibuprofen
    "N02AJ06": 0.15,  # codeine + paracetamol
    "N02AJ13": 0.2,  # tramadol + paracetamol
    "N02AX02": 0.2,  # tramadol
    "N02AX06": 0.4,  # tapentadol
    "N07BC02": 4.7,  # methadone (use with caution)
}


def prescriptions(
    tables: Tables,
    atc: Sequence[str],
    start: date,
    end: date,
    *,
    clinic: ClinicScope = None,
) -> dict:
    codes = tuple(dict.fromkeys(normalise_atc(code) for code in atc))
    if not codes:
        raise ValueError("no ATC code given")
    period = Period(start, end)
    empty = _summary([], codes, period)
    if tables.prescriptions is None:
        return empty
    rx = in_clinics(tables.prescriptions, clinic_ids(clinic))
    rx = rx.filter(codes_under(rx.atc.upper(), codes), in_period(rx.date, period))
    rx = rx.select(
        "patient_id",
        atc=_.atc.upper(),
        year=_.date.year(),
        month=_.date.month(),
        ome=_.strength_mg * _.pack_size * _.packages * _ome_factor(_.atc.upper()),
    )
    with tables.reused(rx) as rx:
        total = rows(rx.aggregate(**_measures(rx)))[0]
        by_atc = rows(rx.group_by("atc").aggregate(**_measures(rx)).order_by("atc"))
        by_month = rows(rx.group_by(["year", "month"]).aggregate(**_measures(rx)))
    return {
        **_summary([total], codes, period),
        "by_atc": [{"atc": row["atc"], **_figures(row)} for row in by_atc],
        "monthly": _monthly(by_month, period),
    }


def _ome_factor(atc):
    """The factor of the longest prefix in OME_PER_MG that the code starts with; null when
    none does."""
    prefixes = sorted(OME_PER_MG, key=len, reverse=True)
    return ibis.cases(*[(atc.startswith(prefix), OME_PER_MG[prefix]) for prefix in prefixes])


def _measures(rx) -> dict:
    return {
        "prescriptions": rx.count(),
        "patients": rx.patient_id.nunique(),
        "ome_mg": rx.ome.sum(),
        "with_ome": rx.ome.count(),
    }


def _figures(row: dict) -> dict:
    prescribed = row.get("prescriptions") or 0
    return {
        "prescriptions": prescribed,
        "patients": row.get("patients") or 0,
        "ome_mg": round(row["ome_mg"], 1) if row.get("ome_mg") is not None else 0.0,
        "without_ome": prescribed - (row.get("with_ome") or 0),
    }


def _summary(total: list[dict], codes, period: Period) -> dict:
    return {
        "atc": list(codes),
        "period": period.as_dict(),
        **_figures(total[0] if total else {}),
        **({} if total else {"by_atc": [], "monthly": _monthly([], period)}),
    }


def _monthly(by_month: list[dict], period: Period) -> list[dict]:
    found = {(row["year"], row["month"]): row for row in by_month}
    series = []
    year, month = period.start.year, period.start.month
    while (year, month) <= (period.end.year, period.end.month):
        series.append(
            {"month": f"{year:04d}-{month:02d}", **_figures(found.get((year, month), {}))}
        )
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return series
