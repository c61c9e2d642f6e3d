import csv

import pytest
from django.core.management import call_command
from django.db import connection

from painpath.ingest.actions import run_import
from painpath.ingest.importer import import_extract
from painpath.ingest.models import ImportRun
from painpath.ingest.readers import ExtractError
from painpath.records import identity
from painpath.records.models import (
    Caregiver,
    Clinic,
    Contact,
    Diagnosis,
    Listing,
    Patient,
    Prescription,
    SickLeave,
)
from tests.factories import PNR_ANNA, PNR_BERTIL, small_extract, write_extract

pytestmark = pytest.mark.django_db

MODELS = [Clinic, Caregiver, Patient, Listing, Contact, Diagnosis, Prescription, SickLeave]


def snapshot():
    """Every imported row, as values: what 'changes nothing' is checked against."""
    return {m.__name__: sorted(map(repr, m.objects.values_list())) for m in MODELS}


def patient(pnr: str) -> Patient:
    return Patient.objects.get(id_hash=identity.personnummer_hash(pnr))


def test_it_imports_every_file_of_a_plain_extract(tmp_path):
    result = import_extract(small_extract(tmp_path / "x"))

    assert result.exit_code == 0
    counts = {name: s.imported for name, s in result.files.items()}
    assert counts == {"patients": 3, "staff": 2, "contacts": 3, "diagnoses": 3,
                      "prescriptions": 1, "sick_leave": 1}  # fmt: skip
    assert Clinic.objects.get().code == "habo"
    anna = patient(PNR_ANNA)
    assert (anna.sex, anna.birth_year) == ("female", 1942)
    assert patient(PNR_BERTIL).birth_year == 1944  # from the personnummer


def test_it_imports_an_extract_written_with_a_bom_and_semicolons(tmp_path):
    result = import_extract(small_extract(tmp_path / "x", delimiter=";", encoding="utf-8-sig"))

    assert result.exit_code == 0
    assert Contact.objects.count() == 3
    assert set(Caregiver.objects.values_list("profession", flat=True)) == {
        "physician", "physiotherapist"
    }  # fmt: skip


def test_it_imports_an_extract_in_windows_1252(tmp_path):
    folder = small_extract(tmp_path / "x", delimiter=";", encoding="cp1252")
    assert "Allmänläkare".encode("cp1252") in (folder / "staff.csv").read_bytes()

    result = import_extract(folder)

    assert result.exit_code == 0
    assert Caregiver.objects.get(source_id="hsa-1").profession == "physician"
    assert Contact.objects.get(source_id="c1").contact_type == "visit"  # "besök"


def test_codes_written_r522_are_stored_as_r52_2_and_keep_their_letter(tmp_path):
    import_extract(small_extract(tmp_path / "x"))

    assert sorted(Diagnosis.objects.values_list("code", flat=True)) == [
        "R52.2", "R52.2", "R52.2A"
    ]  # fmt: skip
    assert Prescription.objects.get().atc == "N02AA05"


def test_a_row_takes_its_caregivers_profession_unless_it_states_its_own(tmp_path):
    import_extract(small_extract(tmp_path / "x"))

    assert Contact.objects.get(source_id="c2").profession == "physiotherapist"
    bertil_dx = Diagnosis.objects.get(patient=patient(PNR_BERTIL))
    assert bertil_dx.profession == "physician"  # stated: "ST-läkare"


def test_a_broken_row_is_rejected_with_its_reason_while_the_rest_is_kept(tmp_path):
    folder = small_extract(tmp_path / "x")
    with (folder / "contacts.csv").open("a", encoding="utf-8") as out:
        out.write(f"c4,{PNR_ANNA},2021-02-30,hsa-1,,besök\n")  # line 5: no such day
        out.write("c5,19420310-9148,2021-03-01,hsa-1,,besök\n")  # line 6: bad check digit
        out.write("c6,P-9999,2021-03-01,hsa-1,,besök\n")  # line 7: not in patients
        out.write(f"c7,{PNR_ANNA},2021-03-01,hsa-1,Trollkarl,besök\n")  # line 8
    rejects = tmp_path / "rejects.csv"

    result, run = run_import(folder, rejects_path=rejects)

    assert result.exit_code == 3
    assert Contact.objects.count() == 3
    with rejects.open(encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f, delimiter=";"))
    assert [(r["file"], r["line"], r["reason"]) for r in rows] == [
        ("contacts.csv", "5", "date: ogiltigt datum '2021-02-30' (ÅÅÅÅ-MM-DD eller ÅÅÅÅMMDD)"),
        ("contacts.csv", "6", "patient_id: ogiltigt personnummer: kontrollsiffran stämmer inte"),
        ("contacts.csv", "7", "patient_id: okänd patient (finns inte i patients eller databasen)"),
        ("contacts.csv", "8", "profession: okänd profession 'Trollkarl'"),
    ]
    assert rows[0]["contact_id"] == "c4"  # the row itself is kept, to be corrected
    assert run.exit_code == 3 and run.rejected == 4 and run.rejects_path == str(rejects)
    assert run.reasons["profession: okänd profession"] == 1  # counts hold no row values


def test_a_missing_required_column_imports_nothing_and_names_file_and_column(tmp_path):
    folder = small_extract(tmp_path / "x")
    write_extract(folder, {"diagnoses": [{"patient_id": PNR_ANNA, "date": "2021-01-01"}]})

    with pytest.raises(ExtractError, match=r"diagnoses.csv: obligatorisk kolumn saknas: code"):
        import_extract(folder)

    assert snapshot() == {m.__name__: [] for m in MODELS}


def test_an_extract_without_patients_imports_nothing(tmp_path):
    folder = write_extract(tmp_path / "x", {"contacts": "patient_id,date\n1,2021-01-01\n"})

    with pytest.raises(ExtractError, match=r"patients\.csv saknas"):
        import_extract(folder)


def test_importing_twice_changes_nothing(tmp_path):
    folder = small_extract(tmp_path / "x")
    import_extract(folder)
    before = snapshot()

    again = import_extract(folder)

    assert snapshot() == before
    assert all(summary.new == 0 for summary in again.files.values())


def test_an_overlapping_later_extract_updates_instead_of_duplicating(tmp_path):
    import_extract(small_extract(tmp_path / "first"))
    later = small_extract(tmp_path / "later")
    text = (
        (later / "patients.csv").read_text().replace("2015-01-01,", "2015-01-01,2024-05-31")
    )  # Anna leaves the clinic
    (later / "patients.csv").write_text(text)
    with (later / "contacts.csv").open("a") as out:
        out.write(f"c9,{PNR_ANNA},2024-05-02,hsa-2,,telefon\n")

    result = import_extract(later)

    assert result.files["contacts"].new == 1
    assert Contact.objects.count() == 4
    assert str(Listing.objects.get(patient=patient(PNR_ANNA)).listed_to) == "2024-05-31"


def test_the_personnummer_is_stored_only_encrypted_and_as_a_keyed_hash(tmp_path):
    import_extract(small_extract(tmp_path / "x"))
    anna = patient(PNR_ANNA)

    assert anna.personnummer == "19420310-9147"
    assert anna.pseudonym.startswith("P") and len(anna.pseudonym) == 13
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM records_patient")
        stored = repr(cursor.fetchall())
    for form in ("194203109147", "4203109147", "420310-9147", "19420310-9147"):
        assert form not in stored


def test_opaque_ids_are_kept_as_given_and_pseudonymised(tmp_path):
    import_extract(small_extract(tmp_path / "x"))

    opaque = Patient.objects.get(external_id="P-0003")
    assert opaque.personnummer == "" and opaque.pseudonym != "P-0003"


def test_an_interrupted_import_leaves_the_database_as_it_was(tmp_path):
    folder = small_extract(tmp_path / "x")

    def interrupt(source, done, total):
        if source == "diagnoses.csv":
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        import_extract(folder, progress=interrupt)

    assert snapshot() == {m.__name__: [] for m in MODELS}


def test_an_xlsx_workbook_with_a_sheet_per_file_imports(tmp_path):
    from openpyxl import Workbook

    folder = small_extract(tmp_path / "x")
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name in ("patients", "staff", "contacts", "diagnoses"):
        sheet = workbook.create_sheet(name)
        with (folder / f"{name}.csv").open(encoding="utf-8") as f:
            for row in csv.reader(f):
                sheet.append(row)
    workbook.save(tmp_path / "extract.xlsx")

    result = import_extract(tmp_path / "extract.xlsx")

    assert result.exit_code == 0
    assert (Contact.objects.count(), Diagnosis.objects.count()) == (3, 3)


def test_rows_without_clinic_id_go_to_the_clinic_given(tmp_path):
    folder = write_extract(
        tmp_path / "x",
        {
            "patients": f"patient_id\n{PNR_ANNA}\n",
            "contacts": f"patient_id,date\n{PNR_ANNA},2021-01-01\n",
        },
    )

    import_extract(folder, default_clinic="vendelso")

    assert Contact.objects.get().clinic.code == "vendelso"


def test_the_command_exits_0_3_or_2_and_prints_where_the_rejects_are(tmp_path, capsys):
    folder = small_extract(tmp_path / "x")
    call_command("import", str(folder), verbosity=0)  # 0: returns normally

    with (folder / "diagnoses.csv").open("a") as out:
        out.write(f"{PNR_ANNA},2021-05-05,R5,hsa-1,,\n")
    with pytest.raises(SystemExit) as exit_3:
        call_command("import", str(folder), "--rejects", str(tmp_path / "r.csv"), verbosity=0)
    assert exit_3.value.code == 3
    assert str(tmp_path / "r.csv") in capsys.readouterr().err

    (folder / "patients.csv").write_text("id,sex\n1,K\n")
    with pytest.raises(SystemExit) as exit_2:
        call_command("import", str(folder), verbosity=0)
    assert exit_2.value.code == 2
    assert "patients.csv: obligatorisk kolumn saknas: patient_id" in capsys.readouterr().err
    assert ImportRun.objects.order_by("finished_at").last().exit_code == 2
