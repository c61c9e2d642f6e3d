"""The extract contract at its edges: shapes of files and rows real extracts have."""

import pytest

from painpath.ingest.actions import run_import
from painpath.ingest.importer import import_extract
from painpath.ingest.models import ImportRun
from painpath.ingest.readers import ExtractError
from painpath.records import identity
from painpath.records.models import Contact, Diagnosis, Patient, Prescription
from tests.factories import PNR_ANNA, PNR_BERTIL, small_extract, write_extract

pytestmark = pytest.mark.django_db

PATIENTS = f"patient_id,clinic_id\n{PNR_ANNA},habo\n{PNR_BERTIL},habo\n"


def reasons(result):
    return [(r.source, r.line, r.reason) for r in result.rejects]


def test_a_row_with_more_values_than_columns_is_rejected_not_shifted(tmp_path):
    folder = write_extract(
        tmp_path / "x",
        {
            "patients": PATIENTS,
            "contacts": f"patient_id,date\n{PNR_ANNA},2021-01-01\n",
            # An unquoted decimal comma: 2,5 mg would shift every value after it.
            "prescriptions": "patient_id,date,atc,product,strength_mg,packages,pack_size\n"
            f"{PNR_ANNA},2021-01-01,N02AA05,OxyNorm,2,5,1,98\n"
            f"{PNR_ANNA},2021-02-01,N02AA05,OxyNorm,5,1,98\n",
        },
    )

    result = import_extract(folder)

    assert reasons(result) == [
        ("prescriptions.csv", 2, "raden har 8 värden men rubriken 7 kolumner")
    ]
    assert list(Prescription.objects.values_list("strength_mg", "packages", "pack_size")) == [
        (5.0, 1.0, 98.0)
    ]


def test_a_first_row_of_data_is_never_echoed_into_the_message(tmp_path):
    folder = write_extract(tmp_path / "x", {"patients": f"{PNR_ANNA},K,1942\n"})
    write_extract(folder, {"contacts": "patient_id,date\n"})

    _, run = run_import(folder)

    assert run.exit_code == 2
    assert "första raden ser ut att vara data" in run.error
    assert "9147" not in run.error


def test_a_bom_before_a_windows_1252_body_imports(tmp_path):
    folder = small_extract(tmp_path / "x", delimiter=";", encoding="cp1252")
    staff = folder / "staff.csv"
    staff.write_bytes(b"\xef\xbb\xbf" + staff.read_bytes())

    assert import_extract(folder).exit_code == 0


def test_headers_in_any_case_with_spaces_and_unknown_columns_are_read(tmp_path):
    folder = write_extract(
        tmp_path / "x",
        {
            "patients": f" Patient_ID ;SEX; Favourite_Colour\n{PNR_ANNA};K;blå\n",
            "contacts": f"PATIENT_ID;Date\n{PNR_ANNA};2021-01-01\n",
        },
        delimiter=";",
    )

    assert import_extract(folder).exit_code == 0
    assert Patient.objects.get().sex == "female"


def test_a_quoted_value_over_two_lines_is_named_by_its_first_line(tmp_path):
    folder = write_extract(
        tmp_path / "x",
        {
            "patients": PATIENTS,
            "contacts": "patient_id,date,contact_type\n"
            f'{PNR_ANNA},2021-01-01,"telefon\nåterbud"\n'
            f"{PNR_ANNA},2021-13-01,besök\n",
        },
    )

    result = import_extract(folder)

    assert reasons(result)[0][:2] == ("contacts.csv", 4)
    assert Contact.objects.get().contact_type == "telefon återbud"


def test_an_extract_with_headers_only_imports_nothing(tmp_path):
    folder = write_extract(
        tmp_path / "x", {"patients": "patient_id\n", "contacts": "patient_id,date\n"}
    )

    with pytest.raises(ExtractError, match="inga rader"):
        import_extract(folder)


def test_a_later_extract_that_corrects_a_profession_adds_nothing(tmp_path):
    import_extract(small_extract(tmp_path / "first"))
    diagnoses_before = Diagnosis.objects.count()
    later = small_extract(tmp_path / "later")
    (later / "staff.csv").write_text(
        (later / "staff.csv").read_text().replace("Fysioterapeut/sjukgymnast", "Arbetsterapeut")
    )

    import_extract(later)

    assert Diagnosis.objects.count() == diagnoses_before
    assert set(Diagnosis.objects.values_list("profession", flat=True)) == {
        "physician",
        "occupational_therapist",
    }


def test_a_rows_clinic_is_where_the_patient_was_listed_on_its_day(tmp_path):
    folder = write_extract(
        tmp_path / "x",
        {
            "patients": "patient_id,clinic_id,listed_from,listed_to\n"
            f"{PNR_ANNA},habo,,2022-12-31\n{PNR_ANNA},vendelso,2023-01-01,\n",
            "contacts": f"patient_id,date\n{PNR_ANNA},2021-06-01\n{PNR_ANNA},2023-06-01\n",
        },
    )

    import_extract(folder)

    by_day = dict(Contact.objects.values_list("date", "clinic__code"))
    assert {str(day): code for day, code in by_day.items()} == {
        "2021-06-01": "habo",
        "2023-06-01": "vendelso",
    }


def test_an_id_repeated_with_other_content_rejects_the_second_row(tmp_path):
    folder = write_extract(
        tmp_path / "x",
        {
            "patients": PATIENTS,
            "contacts": "contact_id,patient_id,date\n"
            f"X1,{PNR_ANNA},2021-01-01\nX1,{PNR_BERTIL},2021-01-01\nX1,{PNR_ANNA},2021-01-01\n",
        },
    )

    result = import_extract(folder)

    assert reasons(result) == [
        ("contacts.csv", 3, "contact_id: samma id som rad 2, med annat innehåll")
    ]
    assert Contact.objects.get().patient.id_hash == identity.personnummer_hash(PNR_ANNA)


def test_two_clinics_may_number_their_contacts_alike(tmp_path):
    folder = write_extract(
        tmp_path / "x",
        {
            "patients": f"patient_id,clinic_id\n{PNR_ANNA},habo\n{PNR_BERTIL},vendelso\n",
            "contacts": "contact_id,patient_id,date,clinic_id\n"
            f"1,{PNR_ANNA},2021-01-01,habo\n1,{PNR_BERTIL},2021-01-01,vendelso\n",
        },
    )

    assert import_extract(folder).exit_code == 0
    assert Contact.objects.count() == 2


def test_an_unwritable_rejects_path_stops_before_anything_is_imported(tmp_path):
    folder = small_extract(tmp_path / "x")

    result, run = run_import(folder, rejects_path=tmp_path / "x" / "patients.csv" / "r.csv")

    assert result is None and run.exit_code == 2
    assert "avvisade rader" in run.error
    assert Contact.objects.count() == 0


@pytest.mark.parametrize("column", ["contact_id", "caregiver_id"])
def test_an_id_longer_than_its_column_is_a_rejected_row_on_every_engine(tmp_path, column):
    long_id = "x" * 101
    folder = write_extract(
        tmp_path / "x",
        {
            "patients": PATIENTS,
            "contacts": f"patient_id,date,{column}\n{PNR_ANNA},2021-01-01,{long_id}\n"
            f"{PNR_ANNA},2021-01-02,ok\n",
        },
    )

    result = import_extract(folder)

    assert reasons(result) == [("contacts.csv", 2, f"{column}: längre än 100 tecken")]
    assert Contact.objects.count() == 1


@pytest.mark.parametrize("mistyped", ["42031091477", "1942031091477", "19420310-914"])
def test_a_mistyped_personnummer_is_rejected_not_kept_as_an_opaque_id(tmp_path, mistyped):
    folder = write_extract(
        tmp_path / "x",
        {"patients": f"patient_id\n{mistyped}\n{PNR_ANNA}\n", "contacts": "patient_id,date\n"},
    )

    result = import_extract(folder)

    assert reasons(result) == [
        ("patients.csv", 2, "patient_id: ogiltigt personnummer: fel antal siffror")
    ]
    assert not Patient.objects.filter(external_id=mistyped).exists()


@pytest.mark.parametrize("form", ["194203109147", "4203109147", "420310-9147", "19420310-9147"])
def test_every_form_of_one_personnummer_is_one_patient(tmp_path, form):
    folder = write_extract(
        tmp_path / "x",
        {
            "patients": f"patient_id\n{PNR_ANNA}\n",
            "contacts": f"patient_id,date\n{form},2021-01-01\n",
        },
    )

    assert import_extract(folder).exit_code == 0
    assert Contact.objects.get().patient.birth_year == 1942


def test_a_plus_sign_means_a_centenarian(tmp_path):
    folder = write_extract(
        tmp_path / "x", {"patients": "patient_id\n420310+9147\n", "contacts": "patient_id,date\n"}
    )

    import_extract(folder)

    assert Patient.objects.get().birth_year == 1842


def test_a_database_error_is_recorded_as_a_run_that_imported_nothing(tmp_path, monkeypatch):
    from django.db import DatabaseError

    from painpath.ingest import upsert

    def broken(self, rows):
        raise DatabaseError("disk full")

    monkeypatch.setattr(upsert.Upsert, "write", broken)

    result, run = run_import(small_extract(tmp_path / "x"))

    assert result is None and run.exit_code == 2 and "disk full" in run.error
    assert ImportRun.objects.get().exit_code == 2
