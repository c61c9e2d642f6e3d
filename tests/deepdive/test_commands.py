"""`painpath cohort` and `painpath prescriptions` on the app database and on Parquet."""

import json
import re
from io import StringIO

import pyarrow.parquet as pq
import pytest
from django.core.management import CommandError, call_command

from painpath.ingest.actions import run_import
from tests.analytics.cast import contacts, dx, listing, patient, rx
from tests.analytics.engines import arrow_table
from tests.factories import write_extract

pytestmark = pytest.mark.django_db
WHOLE = ["--from", "2020-01-01", "--to", "2023-12-31"]


def cohort(*args) -> str:
    out = StringIO()
    call_command("cohort", *args, stdout=out)
    return out.getvalue()


def test_it_prints_the_contracts_json(habo_and_annan):
    result = json.loads(cohort("--diagnosis", "R52.2", *WHOLE, "--format", "json"))
    assert result["diagnoses"] == ["R52.2"]
    assert result["period"] == {"from": "2020-01-01", "to": "2023-12-31"}
    assert result["patients"] == 3
    # Bertil (no dates) and the patient at Annan are listed on 2023-12-31; P-0003 left in June
    assert result["listed_patients"] == 3
    assert result["by_profession"] == {
        "physician": 2,
        "physiotherapist": 1,
        "psychologist": 1,
    }
    assert result["combinations"] == [
        {"professions": ["physician", "physiotherapist"], "patients": 1}
    ]
    assert result["sick_leave"]["patients"] == 1
    assert "compare" not in result and "clinics" not in result


def test_a_clinic_counts_only_its_own(habo_and_annan):
    result = json.loads(cohort("--diagnosis", "R52", *WHOLE, "--clinic", "habo"))
    assert result["clinics"] == ["habo"]
    assert result["patients"] == 2
    assert "psychologist" not in result["by_profession"]


def test_a_comparison_adds_the_second_period_and_the_differences(habo_and_annan):
    result = json.loads(
        cohort(
            "--diagnosis",
            "R52.2",
            "--from",
            "2021-01-01",
            "--to",
            "2021-12-31",
            "--compare-from",
            "2022-01-01",
            "--compare-to",
            "2022-12-31",
        )
    )
    assert (result["patients"], result["compare"]["patients"]) == (1, 2)
    assert result["difference"]["patients"] == 1
    assert result["difference"]["multi_profession"]["share_pp"] == -100.0


def test_the_table_and_csv_say_it_in_swedish(habo_and_annan):
    table = cohort("--diagnosis", "R52.2", *WHOLE, "--format", "table")
    assert "Unika patienter med diagnosen" in table
    assert "Fysioterapeut/sjukgymnast, läkare" in table
    csv = cohort("--diagnosis", "R52.2", *WHOLE, "--format", "csv")
    lines = csv.splitlines()
    assert lines[0] == "Avsnitt;Mått;Period"
    assert "Patienter;Unika patienter med diagnosen;3" in lines
    assert "Patienter;Andel av listade (%);100,00" in lines


def test_hidden_small_counts_are_empty_cells(habo_and_annan):
    result = json.loads(cohort("--diagnosis", "R52.2", *WHOLE, "--hide-small"))
    assert result["patients"] is None and result["hidden_below"] == 5


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2020-13-01", "--to", "2023-12-31"], "Ogiltigt datum '2020-13-01'"),
        (["--from", "2023-01-01", "--to", "2022-12-31"], "ligger efter --to"),
        ([*WHOLE, "--compare-from", "2024-01-01"], "både --compare-from och --compare-to"),
        ([*WHOLE, "--clinic", "nowhere"], "Okänd vårdcentral: nowhere (finns: annan, habo)"),
        ([*WHOLE, "--engine", "duckdb"], "--engine duckdb behöver --data"),
        ([*WHOLE, "--threshold", "-1"], "--threshold kan inte vara negativt"),
    ],
)
def test_bad_arguments_are_refused_with_a_reason_and_exit_status_2(habo_and_annan, args, message):
    with pytest.raises(CommandError, match=re.escape(message)) as error:
        cohort("--diagnosis", "R52.2", *args)
    assert error.value.returncode == 2


def test_it_runs_on_a_regions_parquet_files_with_duckdb(tmp_path):
    rows = {
        "patients": [patient(1), patient(2, "male")],
        "listings": [listing(1, "vc001"), listing(2, "vc002")],
        "contacts": contacts(1, 12, clinic="vc001") + contacts(2, 3, clinic="vc002"),
        "diagnoses": [dx(1, "2021-01-01", clinic="vc001"), dx(2, "2021-01-01", clinic="vc002")],
        "prescriptions": [rx(1, "2023-02-01", clinic="vc001")],
    }
    for name, table_rows in rows.items():
        pq.write_table(arrow_table(name, table_rows), tmp_path / f"{name}.parquet")
    region = ["--engine", "duckdb", "--data", str(tmp_path)]
    result = json.loads(cohort("--diagnosis", "R52.2", *WHOLE, *region))
    assert (result["patients"], result["listed_patients"]) == (2, 2)
    assert result["contacts"]["frequent_attenders"] == 1
    one = json.loads(cohort("--diagnosis", "R52.2", *WHOLE, *region, "--clinic", "vc002"))
    assert (one["patients"], one["sex"]["male"]) == (1, 1)
    (tmp_path / "contacts.parquet").unlink()
    with pytest.raises(CommandError, match=r"contacts\.parquet saknas"):
        cohort("--diagnosis", "R52.2", *WHOLE, *region)


def test_prescriptions_compare_two_periods_as_a_relative_change(tmp_path, clinic):
    rows = ["patient_id,date,atc,strength_mg,packages,pack_size"]
    rows += [f"P-{i},2023-0{1 + i % 3}-10,N02AA05,5,1,20" for i in range(6)]
    rows += [f"P-{i},2024-0{1 + i % 3}-10,N02AA05,5,1,20" for i in range(5)]
    write_extract(
        tmp_path / "x",
        {
            "patients": "patient_id,clinic_id\n" + "".join(f"P-{i},habo\n" for i in range(6)),
            "contacts": "patient_id,date\nP-0,2023-01-01\n",
            "prescriptions": "\n".join(rows) + "\n",
        },
    )
    run_import(tmp_path / "x")
    out = StringIO()
    call_command("prescriptions", "--atc", "N02A", "--from", "2023-01-01", "--to", "2023-03-31",
                 "--compare-from", "2024-01-01", "--compare-to", "2024-03-31",
                 stdout=out)  # fmt: skip
    result = json.loads(out.getvalue())
    assert (result["prescriptions"], result["patients"]) == (6, 6)
    assert result["compare"]["prescriptions"] == 5
    assert result["change"] == -0.1667
    assert result["ome_mg"] == 6 * 5 * 20 * 1.5
    assert [m["prescriptions"] for m in result["monthly"]] == [2, 2, 2]
