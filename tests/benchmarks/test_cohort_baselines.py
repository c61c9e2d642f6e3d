"""The deep-dive benchmark's baselines (hand-written DuckDB SQL, pandas) compute what the
contract says, and the same as painpath, so the benchmark compares like with like.

The region below is tiny and made by hand; every expected figure was counted by hand from
it (the comments say which patients make each figure).
"""

import json
from datetime import date

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from benchmarks.cohort_pandas import deep_dive_pandas, read_frames
from benchmarks.cohort_sql import deep_dive_sql
from painpath.analytics.schema import SCHEMAS

START, END = date(2021, 1, 1), date(2021, 12, 31)
D = date.fromisoformat

PATIENTS = [  # patient_id, sex, birth_year
    (1, "female", 1950), (2, "male", 1960), (3, "female", 1970), (4, None, 1980),
    (5, "male", 1990), (6, "female", 1945), (7, "male", 2000), (8, "female", 1955),
    (9, "male", 1965), (10, "female", 1975), (11, "female", 1985), (12, "male", 1972),
    (13, "male", 1980), (14, "female", 1981),
]  # fmt: skip
LISTINGS = [  # patient_id, clinic_id, listed_from, listed_to; listed on 2021-12-31?
    (1, "a", D("2010-01-01"), None),  # yes
    (2, "a", None, None),  # yes: no dates, listed always
    (3, "b", D("2015-01-01"), D("2021-12-31")),  # yes: ends that day
    (4, "b", D("2022-01-01"), None),  # no: not yet
    (5, "a", D("2000-01-01"), D("2021-12-30")),  # no: left a the day before …
    (5, "b", D("2021-12-31"), None),  # … and joined b that day: yes, at b
    (6, "a", None, D("2025-01-01")),  # yes
    (7, "a", D("2000-01-01"), None),
    (8, "a", D("2000-01-01"), None),
    (9, "b", D("2000-01-01"), None),
    (10, "b", D("2000-01-01"), None),
    (11, "b", D("2000-01-01"), None),
    (12, "a", D("2000-01-01"), None),
]  # 13 and 14 are listed nowhere
DIAGNOSES = [  # patient_id, clinic_id, date, code, caregiver_id, profession
    (1, "a", D("2021-01-01"), "R52.2", "c1", "physician"),  # the period's first day
    (1, "a", D("2021-03-01"), "R52.2A", "c2", "physician"),  # a sub-code; a second physician
    (1, "a", D("2021-04-01"), "R52.2", "c3", "physiotherapist"),
    (2, "a", D("2021-12-31"), "R52.2", "c1", "physician"),  # the period's last day
    (2, "a", D("2021-06-01"), "M54.5", "c4", "nurse"),  # another diagnosis: not met
    (3, "b", D("2021-05-05"), "R52.2", None, "nurse"),  # no caregiver named
    (4, "b", D("2021-07-07"), "R52.2", "c5", None),  # no profession known
    (5, "a", D("2021-02-02"), "R52.2", "c1", "physician"),
    (5, "b", D("2021-02-03"), "R52.2", "c6", "psychologist"),
    (5, "a", D("2021-02-04"), "R52.2", "c3", "physiotherapist"),
    (6, "a", D("2021-08-08"), "R52.2", "c3", "physiotherapist"),
    (6, "a", D("2021-08-09"), "R52.2", "c3", "physiotherapist"),  # the same one again
    (6, "a", D("2021-08-10"), "R52.2", "c1", "physician"),
    (8, "a", D("2021-03-03"), "R52.1", "c1", "physician"),  # under R52, not under R52.2
    (9, "a", D("2020-12-31"), "R52.2", "c1", "physician"),  # the day before the period
    (9, "a", D("2022-01-01"), "R52.2", "c1", "physician"),  # the day after
    (11, "b", D("2021-09-09"), "R52.2", "c8", "nurse"),
    (11, "b", D("2021-09-10"), "R52.2", "c9", "physician"),
    (12, "a", D("2021-10-10"), "R52.2", "c1", "physician"),
    (12, "a", D("2021-10-11"), "R52.2", "c2", "physician"),
]
CONTACTS_IN_PERIOD = {  # patient_id: {clinic_id: contacts}
    7: {"a": 8}, 8: {"a": 7}, 1: {"a": 6}, 2: {"a": 5}, 5: {"a": 3, "b": 2}, 3: {"b": 4},
    6: {"a": 3}, 9: {"b": 2}, 11: {"b": 2}, 13: {"b": 2}, 14: {"b": 2}, 12: {"a": 1},
    10: {"b": 1},
}  # fmt: skip
CONTACTS_OUTSIDE = [(1, "a", D("2020-12-31")), (1, "a", D("2022-01-01")), (4, "b", D("2022-01-01"))]
SICK_LEAVE = [  # patient_id, clinic_id, start, end, code
    (1, "a", D("2021-02-01"), D("2021-02-28"), "R52.2"),  # adjacent to the next: one spell
    (1, "a", D("2021-03-01"), D("2021-03-31"), "R52.2"),  # … of 59 days
    (1, "a", D("2021-06-01"), D("2021-06-10"), "M54.5"),  # another diagnosis
    (2, "a", D("2020-11-01"), D("2021-01-15"), "R52.2"),  # begins before the period, not cut:
    (2, "a", D("2021-01-10"), D("2021-05-30"), "R52.2A"),  # one spell of 211 days
    (5, "b", D("2021-01-01"), D("2021-06-30"), "R52.2"),  # one spell of 212 days: the third
    (5, "b", D("2021-02-01"), D("2021-02-10"), "R52.2"),  # is adjacent to the first, not to
    (5, "b", D("2021-07-01"), D("2021-07-31"), "R52.2"),  # the second, which it follows
    (9, "a", D("2020-01-01"), D("2020-12-31"), "R52.2"),  # ends before the period
    (9, "a", D("2022-01-01"), D("2022-02-01"), "R52.2"),  # begins after it
    (10, "b", D("2021-04-01"), D("2021-04-10"), "R52.2"),  # not in the cohort, counted;
    (10, "b", D("2021-04-12"), D("2021-04-20"), "R52.2"),  # a day between: two spells
    (10, "b", D("2021-12-20"), D("2022-03-31"), "R52.2"),  # 102 days, not cut at the end
]


def _contacts() -> list[tuple]:
    rows = list(CONTACTS_OUTSIDE)
    for patient, clinics in CONTACTS_IN_PERIOD.items():
        for clinic, n in clinics.items():
            rows += [(patient, clinic, date(2021, 1 + k, 15)) for k in range(n)]
    return rows


def write_region(folder, diagnoses=DIAGNOSES) -> None:
    """The region as `painpath synth region` writes it: a Parquet file per table."""
    data = {
        "patients": PATIENTS,
        "listings": LISTINGS,
        "contacts": _contacts(),
        "diagnoses": diagnoses,
        "prescriptions": [],
        "sick_leave": SICK_LEAVE,
    }
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in data.items():
        schema = SCHEMAS[name].to_pyarrow()
        table = pa.Table.from_pylist(
            [dict(zip(schema.names, r, strict=True)) for r in rows], schema
        )
        pq.write_table(table, folder / f"{name}.parquet")


@pytest.fixture(scope="module")
def region(tmp_path_factory):
    folder = tmp_path_factory.mktemp("region")
    write_region(folder)
    return folder


def run_sql(folder, **query) -> dict:
    with duckdb.connect() as con:
        return deep_dive_sql(con, folder, **query)


def run_pandas(folder, **query) -> dict:
    return deep_dive_pandas(read_frames(folder), **query)


def run_painpath(folder, **query) -> dict:
    try:
        from painpath.analytics import deep_dive
        from painpath.analytics.sources import duckdb_parquet
    except ImportError:
        pytest.skip("painpath.analytics.deep_dive is not there yet")
    return deep_dive(duckdb_parquet(folder), **query)


ENGINES = {"sql": run_sql, "pandas": run_pandas, "painpath": run_painpath}


def as_json(result: dict) -> dict:
    """What `--format json` would print, so tuples and lists, ints and NumPy ints compare."""
    return json.loads(json.dumps(result))


def bands(zero=0, one_to_five=0, six_to_ten=0) -> list[dict]:
    counts = [zero, one_to_five, six_to_ten, 0, 0, 0, 0]
    names = ["0", "1–5", "6–10", "11–20", "21–50", "51–100", ">100"]
    return [{"band": b, "patients": n} for b, n in zip(names, counts, strict=True)]


WHOLE_REGION = {
    "diagnoses": ["R52.2"],
    "period": {"from": "2021-01-01", "to": "2021-12-31"},
    "patients": 8,  # 1, 2, 3, 4, 5, 6, 11, 12
    "listed_patients": 11,  # all but 4 (not yet), 13 and 14 (nowhere)
    "share_of_listed": 0.7273,
    "sex": {"female": 4, "male": 3, "unknown": 1},
    "birth_year": {"min": 1945, "max": 1990},
    "by_profession": {"physician": 6, "nurse": 2, "physiotherapist": 3, "psychologist": 1},
    "professions_per_patient": {"0": 1, "1": 3, "2": 3, "3": 1},
    "combinations": [
        {"professions": ["physician", "physiotherapist"], "patients": 2},  # 1, 6
        {"professions": ["nurse", "physician"], "patients": 1},  # 11; ties by the codes
        {"professions": ["physician", "physiotherapist", "psychologist"], "patients": 1},  # 5
    ],
    "multi_profession": {"patients": 4, "share": 0.5},
    "single_profession_same_caregiver": 1,  # 2 (3 names no caregiver, 12 met two)
    "same_profession_several_caregivers": {"patients": 2, "by_profession": {"physician": 2}},
    "contacts": {
        "threshold": 3,
        "frequent_attenders": 4,  # 1, 2, 5, 3; not 6 with exactly 3
        # Contacts 8 7 6 5 5 4 3 2 2 2 2 1 1 rank 1 2 3 4 4 6 7 8 8 8 8 12 12: four share
        # rank 8, all count; 7 and 8 (ranks 1, 2) are not in the cohort; 12 (rank 12) is out.
        "clinic_top10": [
            {"rank": 3, "contacts": 6},
            {"rank": 4, "contacts": 5},
            {"rank": 4, "contacts": 5},
            {"rank": 6, "contacts": 4},
            {"rank": 7, "contacts": 3},
            {"rank": 8, "contacts": 2},
        ],
        "per_patient": bands(zero=1, one_to_five=6, six_to_ten=1),
    },
    "sick_leave": {  # spells: 1: 59, 2: 211, 5: 212, 10: 10, 9, 102
        "patients": 4,
        "female": 2,
        "male": 2,
        "spells": 6,
        "under_90_days": 3,
        "longest_days": 212,
    },
}

CLINIC_A = {
    "diagnoses": ["R52.2"],
    "period": {"from": "2021-01-01", "to": "2021-12-31"},
    "patients": 5,  # 1, 2, 5, 6, 12: registered at a
    "listed_patients": 6,  # 1, 2, 6, 7, 8, 12: 5 left a the day before
    "share_of_listed": 0.8333,
    "sex": {"female": 2, "male": 3, "unknown": 0},
    "birth_year": {"min": 1945, "max": 1990},
    "by_profession": {"physician": 5, "physiotherapist": 3},  # 5's psychologist is at b
    "professions_per_patient": {"1": 2, "2": 3},
    "combinations": [{"professions": ["physician", "physiotherapist"], "patients": 3}],
    "multi_profession": {"patients": 3, "share": 0.6},
    "single_profession_same_caregiver": 1,
    "same_profession_several_caregivers": {"patients": 2, "by_profession": {"physician": 2}},
    "contacts": {
        "threshold": 3,
        "frequent_attenders": 2,  # 1, 2: 5 has 3 contacts at a
        "clinic_top10": [  # ranks at a: 8 7 6 5 3 3 1
            {"rank": 3, "contacts": 6},
            {"rank": 4, "contacts": 5},
            {"rank": 5, "contacts": 3},
            {"rank": 5, "contacts": 3},
            {"rank": 7, "contacts": 1},
        ],
        "per_patient": bands(one_to_five=4, six_to_ten=1),
    },
    "sick_leave": {
        "patients": 2,
        "female": 1,
        "male": 1,
        "spells": 2,
        "under_90_days": 1,
        "longest_days": 211,
    },
}

NO_ONE = {
    "diagnoses": ["Z99"],
    "period": {"from": "2021-01-01", "to": "2021-12-31"},
    "patients": 0,
    "listed_patients": 11,
    "share_of_listed": 0.0,
    "sex": {"female": 0, "male": 0, "unknown": 0},
    "birth_year": {"min": None, "max": None},
    "by_profession": {},
    "professions_per_patient": {},
    "combinations": [],
    "multi_profession": {"patients": 0, "share": None},
    "single_profession_same_caregiver": 0,
    "same_profession_several_caregivers": {"patients": 0, "by_profession": {}},
    "contacts": {
        "threshold": 3,
        "frequent_attenders": 0,
        "clinic_top10": [],
        "per_patient": bands(),
    },
    "sick_leave": {
        "patients": 0,
        "female": 0,
        "male": 0,
        "spells": 0,
        "under_90_days": 0,
        "longest_days": None,
    },
}


@pytest.mark.parametrize("engine", ENGINES)
def test_it_computes_the_whole_region_as_counted_by_hand(region, engine):
    result = ENGINES[engine](region, diagnoses=["R52.2"], start=START, end=END, threshold=3)
    assert as_json(result) == WHOLE_REGION


@pytest.mark.parametrize("engine", ENGINES)
def test_it_computes_one_clinic_from_that_clinics_rows_only(region, engine):
    result = ENGINES[engine](
        region, diagnoses=["R52.2"], start=START, end=END, clinic="a", threshold=3
    )
    assert as_json(result) == CLINIC_A


@pytest.mark.parametrize("engine", ENGINES)
def test_it_takes_every_code_under_a_shorter_code(region, engine):
    result = ENGINES[engine](region, diagnoses=["R52"], start=START, end=END, threshold=3)
    assert result["patients"] == 9  # 8 with R52.1 joins
    assert result["by_profession"]["physician"] == 7


@pytest.mark.parametrize("engine", ENGINES)
def test_it_reports_an_empty_cohort_without_failing(region, engine):
    result = ENGINES[engine](region, diagnoses=["Z99"], start=START, end=END, threshold=3)
    assert as_json(result) == NO_ONE


@pytest.fixture(scope="module")
def synthetic_region(tmp_path_factory):
    from painpath.synth.region import write_region as synth_region

    folder = tmp_path_factory.mktemp("synth-region")
    manifest = synth_region(folder, clinics=5, patients=5_000, contacts=100_000, seed=1)
    return folder, manifest


@pytest.mark.parametrize("clinic", [None, "vc002"])
def test_it_agrees_with_painpath_on_a_synthetic_region(synthetic_region, clinic):
    folder, manifest = synthetic_region
    query = {"diagnoses": ["R52.2"], "start": date(2020, 1, 1), "end": date(2023, 12, 31)}
    answers = {name: as_json(run(folder, clinic=clinic, **query)) for name, run in ENGINES.items()}
    assert answers["sql"] == answers["painpath"]
    assert answers["pandas"] == answers["painpath"]
    assert answers["sql"]["contacts"]["clinic_top10"]  # the figures are not all empty
    if clinic is None:  # what the generator says it made
        cohort = manifest["cohort"]
        assert answers["sql"]["patients"] == cohort["patients"]
        assert answers["sql"]["listed_patients"] == cohort["listed_patients"]
