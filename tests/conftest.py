import os

import pytest

# Playwright's sync API runs an event loop in the test thread; the tests touch the database
# only between browser calls, so Django's async guard can stand down here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def clinic(db):
    from tests.factories import make_clinic

    return make_clinic()


@pytest.fixture
def other_clinic(db):
    from tests.factories import make_clinic

    return make_clinic("annan", "Annan vårdcentral")


@pytest.fixture
def habo_and_annan(tmp_path, clinic, other_clinic):
    """The small extract imported at Habo, and one patient with long-term pain at Annan:
    A-1, seen by a psychologist there, who no one at Habo may see or count."""
    from painpath.ingest.actions import run_import
    from tests.factories import small_extract, write_extract

    run_import(small_extract(tmp_path / "habo"), rejects_path=tmp_path / "r.csv")
    write_extract(
        tmp_path / "annan",
        {
            "patients": "patient_id,clinic_id\nA-1,annan\n",
            "staff": "caregiver_id,profession\nx-1,psykolog\n",
            "contacts": "patient_id,date\nA-1,2022-02-02\n",
            "diagnoses": "patient_id,date,code,caregiver_id\nA-1,2022-02-02,R52.2,x-1\n",
        },
    )
    run_import(tmp_path / "annan")
