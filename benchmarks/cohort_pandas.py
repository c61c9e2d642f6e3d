"""The cohort deep-dive written the straightforward pandas way: the second baseline
(benchmarks/README.md, "Cohort deep-dive").

Each Parquet file is read whole with the columns the deep-dive needs (`read_frames`, timed
apart from the computing), dates parsed to datetime64 on reading as a pandas user does;
then boolean masks, `groupby` and `merge`, as the pandas documentation teaches them, with no
tricks for speed. Same definitions as benchmarks/cohort_sql.py.
"""

from datetime import date
from pathlib import Path

import pandas as pd

from benchmarks.cohort_sql import by_profession_order, combination_order, share
from painpath.analytics.cohort import CONTACT_BANDS

COLUMNS = {
    "patients": ["patient_id", "sex", "birth_year"],
    "listings": ["patient_id", "clinic_id", "listed_from", "listed_to"],
    "contacts": ["patient_id", "clinic_id", "date"],
    "diagnoses": ["patient_id", "clinic_id", "date", "code", "caregiver_id", "profession"],
    "sick_leave": ["patient_id", "clinic_id", "start", "end", "code"],
}
DATES = ("date", "listed_from", "listed_to", "start", "end")


def read_frames(folder: Path | str) -> dict[str, pd.DataFrame]:
    """Every table the deep-dive reads, from `<table>.parquet` or a folder `<table>/`."""
    folder = Path(folder)
    frames = {}
    for table, columns in COLUMNS.items():
        path = folder / f"{table}.parquet"
        frame = pd.read_parquet(path if path.exists() else folder / table, columns=columns)
        for column in DATES:
            if column in frame:
                frame[column] = pd.to_datetime(frame[column])
        frames[table] = frame
    return frames


def _in_set(codes: pd.Series, diagnoses: list[str]) -> pd.Series:
    """A code of the set matches itself and every code under it."""
    return codes.str.startswith(tuple(diagnoses)).fillna(False).astype(bool)


def deep_dive_pandas(
    frames: dict[str, pd.DataFrame],
    diagnoses: list[str],
    start: date,
    end: date,
    clinic: str | None = None,
    threshold: int = 10,
) -> dict:
    """The contract's deep-dive keys; see benchmarks.cohort_sql.deep_dive_sql for the
    definitions, which are the same."""
    first, last = pd.Timestamp(start), pd.Timestamp(end)

    def scoped(table: str) -> pd.DataFrame:
        frame = frames[table]
        return frame[frame["clinic_id"] == clinic] if clinic is not None else frame

    patients = frames["patients"]

    # The cohort's registrations: who met whom.
    dx = scoped("diagnoses")
    dx = dx[dx["date"].between(first, last) & _in_set(dx["code"], diagnoses)]
    dx = dx[["patient_id", "caregiver_id", "profession"]].replace("", None)
    cohort = pd.DataFrame({"patient_id": dx["patient_id"].unique()})
    cohort = cohort.merge(patients, on="patient_id", how="left")
    n = len(cohort)

    met = dx.dropna(subset=["profession"]).drop_duplicates(["patient_id", "profession"])
    professions = met.sort_values("profession").groupby("patient_id")["profession"].agg(tuple)
    professions = professions.reindex(cohort["patient_id"], fill_value=())
    per_patient = professions.map(len)
    caregivers = dx.groupby("patient_id")["caregiver_id"].nunique()
    caregiver_missing = dx["caregiver_id"].isna().groupby(dx["patient_id"]).any()
    single_same = (
        (per_patient == 1)
        & (caregivers.reindex(per_patient.index) == 1)
        & ~caregiver_missing.reindex(per_patient.index)
    )
    combinations = professions[per_patient >= 2].value_counts()

    several = (
        dx.dropna(subset=["profession"])
        .groupby(["patient_id", "profession"])["caregiver_id"]
        .nunique()
    )
    several = several[several >= 2].reset_index()

    # Listed on the period's last day.
    listings = scoped("listings")
    listed = listings[
        (listings["listed_from"].isna() | (listings["listed_from"] <= last))
        & (listings["listed_to"].isna() | (listings["listed_to"] >= last))
    ]["patient_id"].nunique()

    # Contacts: every patient in scope is ranked, the cohort's are reported.
    contacts = scoped("contacts")
    counts = contacts[contacts["date"].between(first, last)].groupby("patient_id").size()
    ranks = counts.rank(method="min", ascending=False)
    in_cohort = counts.index.isin(cohort["patient_id"])
    frequent = int(((counts > threshold) & in_cohort).sum())
    top = pd.DataFrame({"rank": ranks, "contacts": counts})[(ranks <= 10) & in_cohort]
    top = top.sort_values(["rank", "contacts"])
    mine = counts.reindex(cohort["patient_id"], fill_value=0)
    edges = [low - 0.5 for _name, low, _high in CONTACT_BANDS] + [float("inf")]
    names = [name for name, _low, _high in CONTACT_BANDS]
    per_band = pd.cut(mine, edges, labels=names).value_counts()

    # Sick leave: the set's certificates overlapping the period, joined into spells.
    sl = scoped("sick_leave")
    sl = sl[(sl["start"] <= last) & (sl["end"] >= first) & _in_set(sl["code"], diagnoses)]
    sl = sl.sort_values(["patient_id", "start", "end"])
    # The latest end among the patient's earlier certificates: a spell starts after a gap.
    reach = sl.groupby("patient_id")["end"].cummax().groupby(sl["patient_id"]).shift()
    sl = sl.assign(spell=(~(sl["start"] <= reach + pd.Timedelta(days=1))).cumsum())
    spells = sl.groupby("spell").agg(
        patient_id=("patient_id", "first"), start=("start", "min"), end=("end", "max")
    )
    spells["days"] = (spells["end"] - spells["start"]).dt.days + 1
    on_leave = patients[patients["patient_id"].isin(spells["patient_id"])]

    sex = cohort["sex"].value_counts()
    return {
        "diagnoses": list(diagnoses),
        "period": {"from": start.isoformat(), "to": end.isoformat()},
        "patients": n,
        "listed_patients": int(listed),
        "share_of_listed": share(n, listed),
        "sex": {
            "female": int(sex.get("female", 0)),
            "male": int(sex.get("male", 0)),
            "unknown": n - int(sex.get("female", 0)) - int(sex.get("male", 0)),
        },
        "birth_year": {
            "min": None if cohort["birth_year"].isna().all() else int(cohort["birth_year"].min()),
            "max": None if cohort["birth_year"].isna().all() else int(cohort["birth_year"].max()),
        },
        "by_profession": by_profession_order(
            {k: int(v) for k, v in met["profession"].value_counts().items()}
        ),
        "professions_per_patient": {
            str(k): int(v) for k, v in per_patient.value_counts().sort_index().items()
        },
        "combinations": combination_order([(list(k), int(v)) for k, v in combinations.items()]),
        "multi_profession": {
            "patients": int((per_patient >= 2).sum()),
            "share": share(int((per_patient >= 2).sum()), n),
        },
        "single_profession_same_caregiver": int(single_same.sum()),
        "same_profession_several_caregivers": {
            "patients": int(several["patient_id"].nunique()),
            "by_profession": by_profession_order(
                {k: int(v) for k, v in several["profession"].value_counts().items()}
            ),
        },
        "contacts": {
            "threshold": threshold,
            "frequent_attenders": frequent,
            "clinic_top10": [
                {"rank": int(r), "contacts": int(c)}
                for r, c in zip(top["rank"], top["contacts"], strict=True)
            ],
            "per_patient": [{"band": name, "patients": int(per_band[name])} for name in names],
        },
        "sick_leave": {
            "patients": int(spells["patient_id"].nunique()),
            "female": int((on_leave["sex"] == "female").sum()),
            "male": int((on_leave["sex"] == "male").sum()),
            "spells": len(spells),
            "under_90_days": int((spells["days"] < 90).sum()),
            "longest_days": int(spells["days"].max()) if len(spells) else None,
        },
    }
