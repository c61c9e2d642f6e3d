"""The cohort deep-dive hand-written in DuckDB SQL: the baseline painpath's Ibis code is
timed against (benchmarks/README.md, "Cohort deep-dive").

Written as an analyst who knows DuckDB would write it over the region's Parquet files: the
cohort's diagnosis registrations are read once into a temporary table (they are a few per
cent of all registrations) and every profession figure is a small query on it; contacts,
listings and sick leave are one query each. Definitions are the contract's
(shared/spec/extract-format.md, "The cohort deep-dive, as JSON"); the spelled-out details
(prefix match, RANK() ties, spells not clipped to the period, …) are in `deep_dive_sql`.
"""

from datetime import date
from pathlib import Path

import duckdb

from painpath.analytics.cohort import CONTACT_BANDS
from painpath.analytics.schema import PROFESSIONS

TABLES = ("patients", "listings", "contacts", "diagnoses", "sick_leave")


def parquet_source(folder: Path | str, table: str) -> str:
    """`read_parquet(...)` of a table: `<table>.parquet`, else a folder `<table>/` of parts
    (painpath/analytics/schema.py allows either)."""
    folder = Path(folder)
    single = folder / f"{table}.parquet"
    path = str(single) if single.exists() else str(folder / table / "*.parquet")
    return "read_parquet('" + path.replace("'", "''") + "')"


def share(part: int, whole: int) -> float | None:
    """A fraction rounded to 4 decimals, as the contract says; None when there is no whole."""
    return round(part / whole, 4) if whole else None


def by_profession_order(counts: dict[str, int]) -> dict[str, int]:
    """Professions in the contract's order (unknown codes after, alphabetically), so that the
    JSON reads the same whichever engine made it; equality does not depend on it."""
    rank = {code: n for n, code in enumerate(PROFESSIONS)}
    return {k: counts[k] for k in sorted(counts, key=lambda k: (rank.get(k, len(rank)), k))}


def combination_order(rows: list[tuple[list[str], int]]) -> list[dict]:
    """The contract's order: most patients first, then by the sorted codes."""
    ordered = sorted(((sorted(codes), n) for codes, n in rows), key=lambda r: (-r[1], r[0]))
    return [{"professions": codes, "patients": n} for codes, n in ordered]


def deep_dive_sql(
    con: duckdb.DuckDBPyConnection,
    folder: Path | str,
    diagnoses: list[str],
    start: date,
    end: date,
    clinic: str | None = None,
    threshold: int = 10,
) -> dict:
    """The contract's deep-dive keys for the Parquet region in `folder`.

    - cohort: patients with a diagnosis registration in [start, end] whose code starts with
      a code of the set ("R52" matches "R52.2", "R52.2" matches "R52.2A");
    - met: the profession or caregiver of such a registration (null profession: in the
      cohort but in no profession, professions_per_patient "0"; empty strings are null);
    - contacts: every contact in the period; clinic_top10 ranks all patients in scope with
      RANK() by contacts descending, and lists the cohort patients with rank ≤ 10;
    - listed_patients: listed on `end` (null dates are open ends);
    - sick leave: certificates of the set that overlap the period, whoever holds them,
      joined per patient into spells when overlapping or adjacent, not clipped.
    With `clinic`, every table that has a clinic_id is filtered to it.
    """
    src = {table: parquet_source(folder, table) for table in TABLES}
    params = {"start": start, "end": end, "threshold": threshold}
    at_clinic = ""
    if clinic is not None:
        params["clinic"] = clinic
        at_clinic = "AND clinic_id = $clinic"
    codes = []
    for n, code in enumerate(diagnoses):
        params[f"code{n}"] = code
        codes.append(f"starts_with(code, $code{n})")
    in_set = "(" + " OR ".join(codes or ["false"]) + ")"

    def run(sql: str) -> list[tuple]:
        # DuckDB refuses parameters a statement does not use; results are fetched whole
        # (a result left unconsumed blocks the next call: engines.md, trap 4).
        return con.execute(sql, {k: v for k, v in params.items() if f"${k}" in sql}).fetchall()

    # The cohort's registrations, read once; everything about professions and caregivers
    # comes from here.
    run(f"""
        CREATE OR REPLACE TEMP TABLE cohort_registrations AS
        SELECT patient_id, nullif(caregiver_id, '') AS caregiver_id,
               nullif(profession, '') AS profession
        FROM {src["diagnoses"]}
        WHERE date BETWEEN $start AND $end AND {in_set} {at_clinic}
    """)
    run("""
        CREATE OR REPLACE TEMP TABLE cohort_patients AS
        SELECT patient_id,
               coalesce(list_sort(list(DISTINCT profession)
                                  FILTER (WHERE profession IS NOT NULL)), []) AS professions,
               count(DISTINCT caregiver_id) AS caregivers,
               bool_or(caregiver_id IS NULL) AS caregiver_missing
        FROM cohort_registrations
        GROUP BY patient_id
    """)
    (summary,) = run(f"""
        SELECT count(*),
               count(*) FILTER (WHERE p.sex = 'female'),
               count(*) FILTER (WHERE p.sex = 'male'),
               min(p.birth_year), max(p.birth_year),
               count(*) FILTER (WHERE len(c.professions) >= 2),
               count(*) FILTER (WHERE len(c.professions) = 1 AND c.caregivers = 1
                                      AND NOT c.caregiver_missing)
        FROM cohort_patients c LEFT JOIN {src["patients"]} p USING (patient_id)
    """)
    patients, female, male, born_min, born_max, multi, single_same = summary
    per_patient = run("""
        SELECT len(professions), count(*) FROM cohort_patients GROUP BY ALL ORDER BY 1
    """)
    combinations = run("""
        SELECT professions, count(*) FROM cohort_patients
        WHERE len(professions) >= 2 GROUP BY ALL
    """)
    by_profession = run("""
        SELECT profession, count(*)
        FROM (SELECT unnest(professions) AS profession FROM cohort_patients)
        GROUP BY ALL
    """)
    several = run("""
        WITH several AS (
            SELECT patient_id, profession FROM cohort_registrations
            WHERE profession IS NOT NULL
            GROUP BY ALL HAVING count(DISTINCT caregiver_id) >= 2
        )
        SELECT profession, count(*) FROM several GROUP BY profession
        UNION ALL
        SELECT NULL, count(DISTINCT patient_id) FROM several
    """)
    ((listed,),) = run(f"""
        SELECT count(DISTINCT patient_id) FROM {src["listings"]}
        WHERE (listed_from IS NULL OR listed_from <= $end)
          AND (listed_to IS NULL OR listed_to >= $end) {at_clinic}
    """)
    bands = ", ".join(
        f"count(*) FILTER (WHERE contacts >= {low}"
        + ("" if high is None else f" AND contacts <= {high}")
        + ")"
        for _name, low, high in CONTACT_BANDS
    )
    ((frequent, top10, *per_band),) = run(f"""
        WITH counts AS (
            SELECT patient_id, count(*) AS contacts FROM {src["contacts"]}
            WHERE date BETWEEN $start AND $end {at_clinic}
            GROUP BY patient_id
        ),
        ranked AS (
            SELECT *, rank() OVER (ORDER BY contacts DESC) AS rank FROM counts
        ),
        cohort AS (
            SELECT patient_id, coalesce(r.contacts, 0) AS contacts, r.rank
            FROM cohort_patients LEFT JOIN ranked r USING (patient_id)
        )
        SELECT count(*) FILTER (WHERE contacts > $threshold),
               list({{'rank': rank, 'contacts': contacts}} ORDER BY rank)
                   FILTER (WHERE rank <= 10),
               {bands}
        FROM cohort
    """)
    ((sl_patients, sl_female, sl_male, spells, short, longest),) = run(f"""
        WITH certificates AS (
            SELECT patient_id, start, "end" FROM {src["sick_leave"]}
            WHERE start <= $end AND "end" >= $start AND {in_set} {at_clinic}
        ),
        marked AS (  -- a spell starts where no earlier certificate reaches the day before
            SELECT *, coalesce(start > max("end") OVER (
                           PARTITION BY patient_id ORDER BY start, "end"
                           ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) + 1, true
                       )::int AS starts_spell
            FROM certificates
        ),
        numbered AS (
            SELECT *, sum(starts_spell) OVER (
                          PARTITION BY patient_id ORDER BY start, "end"
                          ROWS UNBOUNDED PRECEDING) AS spell
            FROM marked
        ),
        spells AS (
            SELECT patient_id, max("end") - min(start) + 1 AS days
            FROM numbered GROUP BY patient_id, spell
        )
        SELECT count(DISTINCT s.patient_id),
               count(DISTINCT s.patient_id) FILTER (WHERE p.sex = 'female'),
               count(DISTINCT s.patient_id) FILTER (WHERE p.sex = 'male'),
               count(*), count(*) FILTER (WHERE days < 90), max(days)
        FROM spells s LEFT JOIN {src["patients"]} p USING (patient_id)
    """)
    con.execute("DROP TABLE IF EXISTS cohort_patients; DROP TABLE IF EXISTS cohort_registrations")

    several_by = {code: n for code, n in several if code is not None}
    several_patients = next((n for code, n in several if code is None), 0)
    return {
        "diagnoses": list(diagnoses),
        "period": {"from": start.isoformat(), "to": end.isoformat()},
        "patients": patients,
        "listed_patients": listed,
        "share_of_listed": share(patients, listed),
        "sex": {"female": female, "male": male, "unknown": patients - female - male},
        "birth_year": {"min": born_min, "max": born_max},
        "by_profession": by_profession_order(dict(by_profession)),
        "professions_per_patient": {str(k): n for k, n in per_patient},
        "combinations": combination_order(combinations),
        "multi_profession": {"patients": multi, "share": share(multi, patients)},
        "single_profession_same_caregiver": single_same,
        "same_profession_several_caregivers": {
            "patients": several_patients,
            "by_profession": by_profession_order(several_by),
        },
        "contacts": {
            "threshold": threshold,
            "frequent_attenders": frequent,
            "clinic_top10": [{"rank": r["rank"], "contacts": r["contacts"]} for r in top10 or []],
            "per_patient": [
                {"band": name, "patients": n}
                for (name, _low, _high), n in zip(CONTACT_BANDS, per_band, strict=True)
            ],
        },
        "sick_leave": {
            "patients": sl_patients,
            "female": sl_female,
            "male": sl_male,
            "spells": spells,
            "under_90_days": short,
            "longest_days": longest,
        },
    }
