"""The cohort deep-dive (djupdykning): the Habo report's figures for any diagnosis set,
period and clinic(s), as the contract's JSON (shared/spec/extract-format.md).

Definitions, all within the period, both days included, and within the clinic(s) when
given (every table is filtered on its own clinic_id):

- **cohort**: patients with at least one diagnosis registration of a code in the set.
  A code in the set matches itself and every code under it (`R52` matches `R52.2`,
  `R52.2` matches `R52.2A`).
- **met**: a patient met a profession, or a caregiver, when that profession or caregiver
  registered a code of the set for them (this is how the Habo report counts: "satt
  diagnosen"). A registration without a known profession counts for the cohort and for no
  profession; a patient with only such registrations is counted under `"0"` professions.
- **single_profession_same_caregiver**: met exactly one profession and one caregiver, and
  every registration names its caregiver (one without cannot show it was the same).
- **same_profession_several_caregivers**: met two or more caregivers of one profession;
  `by_profession` counts each such profession, so its values may add up to more than
  `patients`.
- **contacts**: all of the patient's contacts in the period, any type, any reason.
  `frequent_attenders` counts cohort patients with more than `threshold` contacts.
  `clinic_top10`: the patients in scope (the clinic(s), else all the data) are ranked by
  their number of contacts, ties sharing a rank (1, 2, 2, 4 …); the cohort patients with a
  rank of 10 or better are listed, by rank, without any identifier.
  `per_patient` (not in the contract; it draws the chart): cohort patients per band of
  contacts in the period.
- **listed_patients**: patients listed on the period's last day (listed_from empty or on
  or before that day, listed_to empty or on or after it), at the clinic(s) when given.
  `share_of_listed` is patients / listed_patients.
- **sick leave**: certificates with a code in the set that overlap the period, of any
  patient (not only the cohort: the report counts sick leave "for the same diagnosis
  group"). A patient's overlapping or adjacent (next day) certificates are joined into one
  spell, which is not cut at the period's ends; its length counts both ends. `patients`,
  `female`, `male` count patients with a spell; `spells`, `under_90_days` and
  `longest_days` are about spells.
- Shares are fractions rounded to 4 decimals; null when the denominator is 0.

The Habo report's own tables disagree in two places: it writes that 23 patients met more
than one profession but lists 22 (2 + 5 + 15), and its profession totals (106 + 28 + 11 + 9
+ 1 + 1 = 156) imply one patient more than its 124 (102 single-profession patients + 53
profession-patient pairs among the 22 listed = 155). These definitions reproduce what its
lists show: 22 multi-profession patients, whose combinations imply 27 physiotherapist
patients, not 28 (docs/deep-dive.md).
"""

from collections import Counter
from collections.abc import Sequence
from datetime import date

import ibis
from ibis import _

from painpath.analytics.schema import PROFESSIONS
from painpath.analytics.tables import (
    ClinicScope,
    Period,
    Tables,
    clinic_ids,
    codes_under,
    in_clinics,
    in_period,
    normalise_icd10,
    rows,
)

CONTACT_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("0", 0, 0),
    ("1–5", 1, 5),
    ("6–10", 6, 10),
    ("11–20", 11, 20),
    ("21–50", 21, 50),
    ("51–100", 51, 100),
    (">100", 101, None),
)
TOP = 10
LONG_SPELL_DAYS = 90


def deep_dive(
    tables: Tables,
    diagnoses: Sequence[str],
    start: date,
    end: date,
    *,
    clinic: ClinicScope = None,
    threshold: int = 10,
) -> dict:
    """Every figure of the deep-dive for one period, as the contract's JSON dict."""
    codes, period, clinics = _scope(diagnoses, start, end, clinic)
    with tables.reused(_registrations(tables, codes, period, clinics)) as regs:
        cohort = regs.select("patient_id").distinct()
        professions = _professions(regs)
        patients = sum(professions["professions_per_patient"].values())
        result = {
            "diagnoses": list(codes),
            "period": period.as_dict(),
            **_who_and_how_many(tables, cohort, patients, period, clinics),
            **professions,
            "same_profession_several_caregivers": _several_caregivers(regs),
            "contacts": _contacts(tables, cohort, period, clinics, threshold),
            "sick_leave": _sick_leave(tables, codes, period, clinics),
        }
    return result


def professions_met(
    tables: Tables, diagnoses: Sequence[str], start: date, end: date, *, clinic: ClinicScope = None
) -> dict:
    """The deep-dive's `patients` and its figures of the professions met (`by_profession`,
    `professions_per_patient`, `combinations`, `multi_profession`,
    `single_profession_same_caregiver`), by the same definitions, in one round trip: what
    an indicator measured month after month needs, without the rest of the deep-dive."""
    codes, period, clinics = _scope(diagnoses, start, end, clinic)
    professions = _professions(_registrations(tables, codes, period, clinics))
    return {"patients": sum(professions["professions_per_patient"].values()), **professions}


def frequent_attenders(
    tables: Tables,
    diagnoses: Sequence[str],
    start: date,
    end: date,
    *,
    clinic: ClinicScope = None,
    threshold: int = 10,
) -> dict:
    """The deep-dive's `patients` and `contacts.frequent_attenders`, by the same
    definitions, in one round trip."""
    codes, period, clinics = _scope(diagnoses, start, end, clinic)
    cohort = _registrations(tables, codes, period, clinics).select("patient_id").distinct()
    mine = _cohort_contacts(cohort, _contacts_per_patient(tables, period, clinics))
    found = rows(
        mine.aggregate(patients=_.count(), frequent=(_.contacts > threshold).ifelse(1, 0).sum())
    )[0]
    return {"patients": found["patients"], "frequent_attenders": found["frequent"] or 0}


def _scope(diagnoses, start, end, clinic) -> tuple[tuple[str, ...], Period, tuple | None]:
    codes = tuple(dict.fromkeys(normalise_icd10(code) for code in diagnoses))
    if not codes:
        raise ValueError("no diagnosis code given")
    return codes, Period(start, end), clinic_ids(clinic)


def _registrations(tables, codes, period: Period, clinics):
    """The cohort's registrations of a code of the set in the period: who, by whom."""
    diag = in_clinics(tables.diagnoses, clinics)
    registrations = diag.filter(codes_under(diag.code, codes), in_period(diag.date, period))
    return registrations.select(
        "patient_id",
        caregiver_id=_.caregiver_id.nullif(""),
        profession=_.profession.nullif(""),
    )


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _who_and_how_many(tables, cohort, patients: int, period: Period, clinics) -> dict:
    """`patients` counts the cohort's registrations; a patient the patients table lacks
    (or gives no sex) is of unknown sex, so the sexes always add up to the cohort."""
    people = tables.patients.semi_join(cohort, "patient_id")
    by_sex = rows(
        people.group_by("sex").aggregate(
            n=_.count(), born_first=_.birth_year.min(), born_last=_.birth_year.max()
        )
    )
    sex = {"female": 0, "male": 0}
    for row in by_sex:
        if row["sex"] in sex:
            sex[row["sex"]] += row["n"]
    sex["unknown"] = patients - sex["female"] - sex["male"]
    first = [row["born_first"] for row in by_sex if row["born_first"] is not None]
    last = [row["born_last"] for row in by_sex if row["born_last"] is not None]
    listed = _listed_on(tables.listings, period.end, clinics)
    return {
        "patients": patients,
        "listed_patients": listed,
        "share_of_listed": _share(patients, listed),
        "sex": sex,
        "birth_year": {"min": min(first, default=None), "max": max(last, default=None)},
    }


def _listed_on(listings, day: date, clinics) -> int:
    listings = in_clinics(listings, clinics)
    listed = listings.filter(
        listings.listed_from.isnull() | (listings.listed_from <= day),
        listings.listed_to.isnull() | (listings.listed_to >= day),
    )
    return int(listed.patient_id.nunique().to_pyarrow().as_py())


def _professions(regs) -> dict:
    """Professions met, per patient, as a bitmask over PROFESSIONS' fixed order: one boolean
    per profession compiles on every engine, where ordered string aggregation does not
    (shared/spec/engines.md, trap 2)."""
    per_patient = regs.group_by("patient_id").aggregate(
        mask=sum(
            [
                (regs.profession == code).fill_null(False).any().ifelse(1 << bit, 0)
                for bit, code in enumerate(PROFESSIONS)
            ]
        ),
        caregivers=regs.caregiver_id.nunique(),
        unnamed=regs.caregiver_id.isnull().any(),
    )
    same = (per_patient.caregivers == 1) & ~per_patient.unnamed
    masks = rows(
        per_patient.group_by("mask")
        .aggregate(patients=_.count(), same_caregiver=same.ifelse(1, 0).sum())
        .order_by("mask")
    )
    by_profession = dict.fromkeys(PROFESSIONS, 0)
    per_count: dict[int, int] = {}
    combinations = []
    single_same = 0
    for row in masks:
        met = [code for bit, code in enumerate(PROFESSIONS) if row["mask"] & (1 << bit)]
        for code in met:
            by_profession[code] += row["patients"]
        per_count[len(met)] = per_count.get(len(met), 0) + row["patients"]
        if len(met) >= 2:
            combinations.append({"professions": sorted(met), "patients": row["patients"]})
        elif len(met) == 1:
            single_same += row["same_caregiver"]
    combinations.sort(key=lambda c: (-c["patients"], c["professions"]))
    patients = sum(per_count.values())
    multi = sum(n for count, n in per_count.items() if count >= 2)
    return {
        "by_profession": {code: n for code, n in by_profession.items() if n},
        "professions_per_patient": {str(count): per_count[count] for count in sorted(per_count)},
        "combinations": combinations,
        "multi_profession": {"patients": multi, "share": _share(multi, patients)},
        "single_profession_same_caregiver": single_same,
    }


def _several_caregivers(regs) -> dict:
    named = regs.filter(regs.profession.notnull(), regs.caregiver_id.notnull())
    per_pair = named.group_by(["patient_id", "profession"]).aggregate(
        caregivers=_.caregiver_id.nunique()
    )
    several = per_pair.filter(per_pair.caregivers >= 2)
    # One row per patient and profession: few, so they are counted here in one round trip.
    pairs = rows(several.select("patient_id", "profession"))
    order = {code: i for i, code in enumerate(PROFESSIONS)}
    counts = Counter(row["profession"] for row in pairs)
    return {
        "patients": len({row["patient_id"] for row in pairs}),
        "by_profession": {
            code: counts[code]
            for code in sorted(counts, key=lambda code: (order.get(code, len(order)), code))
        },
    }


def _contacts(tables, cohort, period: Period, clinics, threshold: int) -> dict:
    per_patient = _contacts_per_patient(tables, period, clinics)
    with tables.reused(per_patient) as counts:  # every contact in scope is counted once, here
        # Ranking every patient would sort them all; only those with at least as many
        # contacts as the tenth busiest can rank 10 or better, and among them the ranks
        # are the same as among all.
        tenth = counts.order_by(ibis.desc("contacts")).limit(TOP).contacts.min().as_scalar()
        busiest = counts.filter(counts.contacts >= tenth)
        ranked = busiest.mutate(rank=ibis.rank().over(order_by=ibis.desc("contacts")) + 1)
        clinic_top = rows(
            ranked.filter(ranked.rank <= TOP)
            .semi_join(cohort, "patient_id")
            .select("rank", "contacts")
            .order_by("rank")
        )
        mine = _cohort_contacts(cohort, counts)
        band = ibis.cases(
            *[
                ((mine.contacts >= low) if high is None else mine.contacts.between(low, high), name)
                for name, low, high in CONTACT_BANDS
            ]
        )
        counted = rows(
            mine.group_by(band=band).aggregate(
                patients=_.count(), frequent=(_.contacts > threshold).ifelse(1, 0).sum()
            )
        )
    per_band = {row["band"]: row["patients"] for row in counted}
    return {
        "threshold": threshold,
        "frequent_attenders": sum(row["frequent"] for row in counted),
        "clinic_top10": [{"rank": row["rank"], "contacts": row["contacts"]} for row in clinic_top],
        "per_patient": [
            {"band": name, "patients": per_band.get(name, 0)} for name, _low, _high in CONTACT_BANDS
        ],
    }


def _contacts_per_patient(tables, period: Period, clinics):
    contacts = in_clinics(tables.contacts, clinics)
    return (
        contacts.filter(in_period(contacts.date, period))
        .group_by("patient_id")
        .aggregate(contacts=_.count())
    )


def _cohort_contacts(cohort, counts):
    """Each cohort patient's number of contacts in the period; 0 for one without any."""
    return cohort.left_join(counts, "patient_id").select(contacts=ibis.coalesce(_.contacts, 0))


def _sick_leave(tables, codes, period: Period, clinics) -> dict:
    empty = {"patients": 0, "female": 0, "male": 0, "spells": 0, "under_90_days": 0,
             "longest_days": None}  # fmt: skip
    if tables.sick_leave is None:
        return empty
    leave = in_clinics(tables.sick_leave, clinics)
    leave = leave.filter(
        codes_under(leave.code, codes), leave.start <= period.end, leave.end >= period.start
    ).select("patient_id", "start", "end")
    spells = _spells(leave)
    per_spell = spells.group_by(["patient_id", "spell"]).aggregate(
        days=_.end.max().epoch_days() - _.start.min().epoch_days() + 1
    )
    # One query: spells joined to their patients' sex (a patient the patients table lacks
    # counts in `patients` only).
    spells = per_spell.left_join(tables.patients.select("patient_id", "sex"), "patient_id")
    summary = rows(
        spells.aggregate(
            spells=_.count(),
            under=(_.days < LONG_SPELL_DAYS).ifelse(1, 0).sum(),
            longest=_.days.max(),
            patients=_.patient_id.nunique(),
            female=_.patient_id.nunique(where=_.sex == "female"),
            male=_.patient_id.nunique(where=_.sex == "male"),
        )
    )[0]
    if not summary["spells"]:
        return empty
    return {
        "patients": summary["patients"],
        "female": summary["female"],
        "male": summary["male"],
        "spells": summary["spells"],
        "under_90_days": summary["under"] or 0,
        "longest_days": summary["longest"],
    }


def _spells(leave):
    """Number each patient's certificates into spells: a certificate starts a new spell when
    it begins more than one day after every earlier certificate of the patient has ended."""
    order = ["start", "end"]
    ended = leave.mutate(
        ended=_.end.max().over(ibis.cumulative_window(group_by="patient_id", order_by=order))
    )
    ended = ended.mutate(
        before=_.ended.lag().over(ibis.window(group_by="patient_id", order_by=order))
    )
    new = ended.before.isnull() | (ended.start.epoch_days() > ended.before.epoch_days() + 1)
    return ended.mutate(
        spell=new.ifelse(1, 0)
        .sum()
        .over(ibis.cumulative_window(group_by="patient_id", order_by=order))
    )
