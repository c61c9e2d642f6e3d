"""The synthetic region: the analytics schema in Parquet, shaped like primary care.

A small region (5 clinics, 5,000 patients, 100,000 contacts) is made once; every figure is
checked from the files alone, with DuckDB SQL, not from what the generator planned. The
number of contacts is exact (the argument); the other tables' sizes follow from the patients
and are only checked for shape.
"""

import io
import json
import re
from datetime import date

import duckdb
import ibis
import pyarrow.parquet as pq
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from painpath.analytics.schema import PROFESSIONS, SCHEMAS
from painpath.synth.management.commands.synth import Command
from painpath.synth.region import write_region

CLINICS, PATIENTS, CONTACTS = 5, 5_000, 100_000
PERIOD = (date(2020, 1, 1), date(2024, 10, 31))
STORED_ICD10 = re.compile(r"^[A-Z]\d\d(\.\d{1,2}[A-Z]?)?$")  # "I10", "J06.9", "R52.2A"
R522 = "code IN ('R52.2', 'R52.2A', 'R52.2B', 'R52.2C')"


def listed_on(day: str) -> str:
    """SQL: listing row `l` lists its patient on `day` (the contract's definition)."""
    return (
        f"coalesce(l.listed_from, DATE '1900-01-01') <= {day} "
        f"AND coalesce(l.listed_to, DATE '2100-01-01') >= {day}"
    )


LISTED_AT_YEAR_END = listed_on("DATE '2023-12-31'")


@pytest.fixture(scope="module")
def region(tmp_path_factory):
    folder = tmp_path_factory.mktemp("region")
    manifest = write_region(folder, clinics=CLINICS, patients=PATIENTS, contacts=CONTACTS, seed=7)
    return folder, manifest


@pytest.fixture(scope="module")
def db(region):
    folder, _ = region
    connection = duckdb.connect()
    for name in SCHEMAS:
        connection.execute(
            f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{folder / name}.parquet')"
        )
    yield connection
    connection.close()


def one(db, query):
    return db.execute(query).fetchone()


def all_rows(db, query):
    return db.execute(query).fetchall()


def test_it_writes_every_table_with_exactly_the_schema_of_the_analytics(region):
    folder, _ = region
    for name, schema in SCHEMAS.items():
        written = pq.read_schema(folder / f"{name}.parquet")
        assert written.equals(schema.to_pyarrow()), name
        assert ibis.schema(written) == schema, name


def test_duckdb_reads_it_through_ibis_with_the_same_schema(region):
    folder, _ = region
    connection = ibis.duckdb.connect()
    for name, schema in SCHEMAS.items():
        table = connection.read_parquet(folder / f"{name}.parquet")
        assert table.schema() == schema, name


def test_it_writes_the_arguments_counts_and_cohort_to_the_manifest(region, db):
    folder, manifest = region
    assert json.loads((folder / "manifest.json").read_text()) == manifest
    assert manifest["arguments"] == {
        "clinics": CLINICS,
        "patients": PATIENTS,
        "contacts": CONTACTS,
        "seed": 7,
    }
    assert manifest["period"] == {"from": "2020-01-01", "to": "2024-10-31"}
    for name in SCHEMAS:
        assert manifest["counts"][name] == one(db, f"SELECT count(*) FROM {name}")[0], name


def test_it_makes_exactly_the_patients_clinics_and_contacts_asked_for(db):
    assert one(
        db,
        "SELECT count(*), count(DISTINCT patient_id), min(patient_id), "
        "max(patient_id) FROM patients",
    ) == (PATIENTS, PATIENTS, 1, PATIENTS)
    assert one(db, "SELECT count(*) FROM contacts") == (CONTACTS,)
    clinics = [row[0] for row in all_rows(db, "SELECT DISTINCT clinic_id FROM listings ORDER BY 1")]
    assert clinics == ["vc001", "vc002", "vc003", "vc004", "vc005"]


def test_every_patient_in_another_table_is_a_patient(db):
    for name in ("listings", "contacts", "diagnoses", "prescriptions", "sick_leave"):
        strangers = one(
            db,
            f"SELECT count(*) FROM {name} "
            "WHERE patient_id NOT IN (SELECT patient_id FROM patients)",
        )[0]
        assert strangers == 0, name
    assert (
        one(
            db,
            "SELECT count(*) FROM patients WHERE patient_id NOT IN "
            "(SELECT patient_id FROM listings)",
        )[0]
        == 0
    )


def test_every_date_falls_in_the_period(db):
    columns = {
        "contacts": ["date"],
        "diagnoses": ["date"],
        "prescriptions": ["date"],
        "sick_leave": ["start", '"end"'],
        "listings": ["listed_from", "listed_to"],
    }
    for name, dates in columns.items():
        for column in dates:
            first, last = one(db, f"SELECT min({column}), max({column}) FROM {name}")
            assert PERIOD[0] <= first and last <= PERIOD[1], (name, column)


def test_contacts_diagnoses_and_prescriptions_are_at_the_clinic_listing_the_patient(db):
    for name in ("contacts", "diagnoses", "prescriptions"):
        elsewhere = one(
            db,
            f"""
            SELECT count(*) FROM {name} r WHERE NOT EXISTS (
                SELECT 1 FROM listings l WHERE l.patient_id = r.patient_id
                AND l.clinic_id = r.clinic_id AND {listed_on("r.date")})
        """,
        )[0]
        assert elsewhere == 0, name
    unmatched = one(
        db,
        """
        SELECT count(*) FROM diagnoses d WHERE NOT EXISTS (SELECT 1 FROM contacts c
        WHERE c.patient_id = d.patient_id AND c.clinic_id = d.clinic_id AND c.date = d.date)
    """,
    )[0]
    assert unmatched == 0
    caregiver_elsewhere = one(
        db, "SELECT count(*) FROM diagnoses WHERE split_part(caregiver_id, '-', 1) <> clinic_id"
    )[0]
    assert caregiver_elsewhere == 0


def test_every_clinic_lists_patients_and_a_few_move_between_clinics(db):
    listed = dict(
        all_rows(
            db,
            f"""
        SELECT clinic_id, count(*) FROM listings l
        WHERE {LISTED_AT_YEAR_END} GROUP BY 1
    """,
        )
    )
    assert len(listed) == CLINICS and min(listed.values()) > 100
    assert 0.85 * PATIENTS < sum(listed.values()) < PATIENTS  # some joined later or left
    rows = dict(
        all_rows(
            db,
            "SELECT n, count(*) FROM (SELECT patient_id, count(*) n "
            "FROM listings GROUP BY 1) GROUP BY 1",
        )
    )
    assert set(rows) == {1, 2} and 0.01 < rows[2] / PATIENTS < 0.06
    not_consecutive = one(
        db,
        """
        SELECT count(*) FROM listings a JOIN listings b USING (patient_id)
        WHERE a.listed_to IS NOT NULL AND b.listed_from = a.listed_to + 1
        AND a.clinic_id <> b.clinic_id
    """,
    )[0]
    assert not_consecutive == rows[2]  # every mover: the second listing starts the next day


def test_patients_are_even_by_sex_and_born_1925_to_2024(db):
    sexes = dict(all_rows(db, "SELECT sex, count(*) FROM patients GROUP BY 1"))
    assert set(sexes) == {"female", "male", "unknown"}
    assert abs(sexes["female"] - sexes["male"]) < 0.05 * PATIENTS
    assert 0 < sexes["unknown"] < 0.01 * PATIENTS
    first, last, over_80 = one(
        db, "SELECT min(birth_year), max(birth_year), avg((birth_year < 1944)::INT) FROM patients"
    )
    assert 1925 <= first <= 1935 and last == 2024
    assert 0.02 < over_80 < 0.1  # Sweden: about 5 % are 80 or older


def test_most_patients_come_a_few_times_and_the_top_of_each_clinic_hundreds(db):
    median, mean = one(
        db,
        """
        SELECT median(n), avg(n) FROM (SELECT p.patient_id, count(c.patient_id) n
        FROM patients p LEFT JOIN contacts c USING (patient_id) GROUP BY 1)
    """,
    )
    assert median < 0.75 * mean
    tops = [
        row[0]
        for row in all_rows(
            db,
            "SELECT max(n) FROM (SELECT clinic_id, patient_id, "
            "count(*) n FROM contacts GROUP BY 1, 2) GROUP BY clinic_id",
        )
    ]
    assert all(150 <= top <= 900 for top in tops), tops
    weekends = one(db, "SELECT avg((dayofweek(date) IN (0, 6))::INT) FROM contacts")[0]
    assert weekends < 0.05


def test_about_every_second_contact_has_a_diagnosis_in_the_stored_form(db):
    diagnoses = one(db, "SELECT count(*) FROM diagnoses")[0]
    assert 0.4 < diagnoses / CONTACTS < 0.6
    codes = [row[0] for row in all_rows(db, "SELECT DISTINCT code FROM diagnoses")]
    assert all(STORED_ICD10.match(code) for code in codes), codes
    assert {"J06.9", "M54.5", "I10", "E11.9", "R52.2", "R52.2A"} <= set(codes)
    professions = dict(all_rows(db, "SELECT profession, count(*) FROM diagnoses GROUP BY 1"))
    assert set(professions) - {None} <= set(PROFESSIONS)
    assert 0 < professions[None] < 0.03 * diagnoses
    assert max(professions, key=lambda p: professions[p]) == "physician"


def test_about_1_2_percent_of_the_listed_have_r52_2_in_2020_2023(region, db):
    _, manifest = region
    cohort = one(
        db,
        f"SELECT count(DISTINCT patient_id) FROM diagnoses WHERE {R522} "
        "AND date BETWEEN '2020-01-01' AND '2023-12-31'",
    )[0]
    listed = one(
        db, f"SELECT count(DISTINCT patient_id) FROM listings l WHERE {LISTED_AT_YEAR_END}"
    )[0]
    assert 0.010 < cohort / listed < 0.014
    assert (cohort, listed) == (
        manifest["cohort"]["patients"],
        manifest["cohort"]["listed_patients"],
    )
    in_2024 = one(
        db,
        f"SELECT count(DISTINCT patient_id) FROM diagnoses WHERE {R522} AND date >= '2024-01-01'",
    )[0]
    assert in_2024 == manifest["follow_up"]["patients"] > 0


def test_the_cohort_meets_professions_in_about_the_habo_mix(db):
    per_profession = dict(
        all_rows(
            db,
            f"""
        SELECT profession, count(DISTINCT patient_id) FROM diagnoses
        WHERE {R522} AND date <= '2023-12-31' GROUP BY 1
    """,
        )
    )
    cohort = one(
        db,
        f"SELECT count(DISTINCT patient_id) FROM diagnoses WHERE {R522} AND date <= '2023-12-31'",
    )[0]
    assert 0.75 < per_profession["physician"] / cohort < 0.95  # Habo: 106 of 124
    assert {"physiotherapist", "occupational_therapist", "nurse"} <= set(per_profession)
    assert per_profession["physician"] > per_profession["physiotherapist"] > 0
    several = one(
        db,
        f"""
        SELECT count(*) FILTER (WHERE professions > 1), count(*) FILTER (WHERE physicians > 1)
        FROM (SELECT patient_id, count(DISTINCT profession) professions,
              count(DISTINCT caregiver_id) FILTER (WHERE profession = 'physician') physicians
              FROM diagnoses WHERE {R522} AND date <= '2023-12-31' GROUP BY 1)
    """,
    )
    assert all(n > 0 for n in several), several


def test_prescriptions_include_the_opioids_and_benzodiazepines_mostly_fully_stated(db):
    atcs = {row[0] for row in all_rows(db, "SELECT DISTINCT atc FROM prescriptions")}
    assert {"N02AA05", "N02AA01", "N02AX02", "N02AJ06", "N02AB03", "N05BA04"} <= atcs
    assert all(re.match(r"^[A-Z]\d\d[A-Z]{2}\d\d$", atc) for atc in atcs), atcs
    unknown = one(
        db,
        """SELECT avg((strength_mg IS NULL)::INT), avg((packages IS NULL)::INT),
                         avg((pack_size IS NULL)::INT) FROM prescriptions""",
    )
    assert all(0 < share < 0.1 for share in unknown), unknown
    per_patient = one(db, "SELECT count(*) FROM prescriptions")[0] / PATIENTS
    assert 2 < per_patient < 20


def test_sick_leave_chains_certificates_some_for_r52_2(db):
    lengths = one(db, 'SELECT min("end" - start + 1), max("end" - start + 1) FROM sick_leave')
    assert lengths[0] >= 7 and lengths[1] <= 365
    chained = one(
        db,
        """
        SELECT count(*) FILTER (WHERE start = previous + 1),
               count(*) FILTER (WHERE start <= previous)
        FROM (SELECT start, lag("end") OVER (PARTITION BY patient_id ORDER BY start) previous
              FROM sick_leave)
    """,
    )
    assert all(n > 0 for n in chained), chained  # adjacent, and overlapping
    for_pain = one(
        db,
        f"""
        SELECT count(*) FROM sick_leave s WHERE {R522} AND patient_id IN
        (SELECT patient_id FROM diagnoses WHERE {R522} AND date <= '2023-12-31')
    """,
    )[0]
    assert for_pain > 0
    assert (
        one(
            db,
            f"SELECT count(*) FROM sick_leave WHERE {R522} AND patient_id NOT IN "
            f"(SELECT patient_id FROM diagnoses WHERE {R522})",
        )[0]
        == 0
    )


def test_the_same_seed_gives_the_same_files_and_another_seed_others(tmp_path):
    arguments = {"clinics": 2, "patients": 500, "contacts": 5_000}
    for folder, seed in (("a", 3), ("b", 3), ("c", 4)):
        write_region(tmp_path / folder, seed=seed, **arguments)
    for name in [*SCHEMAS, "manifest"]:
        file = f"{name}.json" if name == "manifest" else f"{name}.parquet"
        assert (tmp_path / "a" / file).read_bytes() == (tmp_path / "b" / file).read_bytes()
    contacts = "contacts.parquet"
    assert (tmp_path / "a" / contacts).read_bytes() != (tmp_path / "c" / contacts).read_bytes()


def test_the_command_writes_a_region_and_sums_up_in_swedish(tmp_path):
    out = io.StringIO()
    call_command(
        Command(),
        "region",
        "--out",
        str(tmp_path),
        "--clinics",
        "2",
        "--patients",
        "500",
        "--contacts",
        "5000",
        stdout=out,
    )
    text = out.getvalue()
    assert "Syntetisk region med 2 vårdcentraler (seed 1)" in text
    assert re.search(r"contacts\.parquet\s+5 000 rader", text)
    assert "painpath cohort --engine duckdb --data" in text
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [f"{name}.parquet" for name in SCHEMAS] + ["manifest.json"]
    )


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--patients", "99"], "--patients måste vara minst 100"),
        (["--clinics", "0"], "--clinics måste vara minst 1 och högst"),
        (["--clinics", "501", "--patients", "500"], r"högst lika många som --patients \(500\)"),
        (["--contacts", "10"], "--contacts måste vara minst lika många som --patients"),
        (["--seed", "-1"], "--seed måste vara 0 eller större"),
    ],
)
def test_the_command_explains_a_bad_argument_in_swedish(tmp_path, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command(Command(), "region", "--out", str(tmp_path), *arguments)
    assert list(tmp_path.iterdir()) == []  # refused before anything was written


def test_the_command_explains_an_unwritable_folder_in_swedish(tmp_path):
    (tmp_path / "a-file").write_text("")
    with pytest.raises(CommandError, match="Kan inte skriva i mappen"):
        call_command(
            Command(),
            "region",
            "--out",
            str(tmp_path / "a-file"),
            "--patients",
            "100",
            "--clinics",
            "1",
            "--contacts",
            "100",
        )
