"""`painpath care indicators` (painpath/care/management/commands/care.py): JSON or a table,
and exit 2 with a Swedish message on bad arguments."""

import json
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from painpath.care import actions
from painpath.care.models import StaffMember
from painpath.care.states import StaffKind
from painpath.records.models import Patient, Prescription
from painpath.records.professions import Profession

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("care", "indicators", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def opioid_patients(clinic):
    """Two patients on opioids at Habo in March 2026, one with an agreement."""
    doctor = StaffMember.objects.create(
        clinic=clinic, name="Lena", kind=StaffKind.CAREGIVER, profession=Profession.PHYSICIAN
    )
    for n in (1, 2):
        patient = Patient.objects.create(id_hash=f"h{n}", pseudonym=f"PCMD{n}")
        Prescription.objects.create(
            source_key=f"rx{n}", patient=patient, clinic=clinic, date=date(2026, 3, n),
            atc="N02AX02",
        )  # fmt: skip
    actions.write_opioid_agreement(
        patient, clinic, atc="N02AX02", substance="Tramadol", max_daily_mg=200.0,
        prescriber=doctor, agreed_on=date(2026, 1, 1), review_on=date(2026, 6, 1),
    )  # fmt: skip


def test_it_writes_the_indicators_as_json(clinic, opioid_patients):
    result = json.loads(run("--clinic", "habo", "--from", "2026-01-01", "--to", "2026-03-31"))

    assert result["clinics"] == ["habo"]
    assert result["period"] == {"start": "2026-01-01", "end": "2026-03-31"}
    assert result["opioids"]["agreement"] == {"numerator": 1, "denominator": 2, "share": 0.5}
    assert result["agreements"]["current_agreement"]["share"] is None
    assert "PCMD" not in json.dumps(result)  # aggregates only


def test_the_period_defaults_to_the_last_twelve_months(clinic):
    result = json.loads(run("--clinic", "habo"))

    today = timezone.localdate()
    assert result["period"]["end"] == today.isoformat()
    assert date.fromisoformat(result["period"]["start"]) > today - timedelta(days=367)


def test_it_writes_a_table(clinic, opioid_patients):
    text = run(
        "--clinic", "habo", "--from", "2026-01-01", "--to", "2026-03-31", "--format", "table"
    )

    assert "Opioidpatienter med behandlingsavtal" in text and "1 av 2" in text
    assert "kan inte beräknas" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--clinic", "habo", "--from", "2026-13-01"), "Ogiltigt datum"),
        (("--clinic", "habo", "--from", "2026-03-01", "--to", "2026-01-01"), "ligger efter"),
        (("--clinic", "nowhere"), "Ingen vårdcentral med koden 'nowhere'"),
        (("--clinic", "habo", "--to", "9999-12-31"), "Perioden kan sluta senast"),
        (("--clinic", "habo", "--from", "0001-01-01"), "Perioden kan börja tidigast 2000-01-01"),
        (("--clinic", "habo", "--from", "2005-01-01", "--to", "2026-01-01"), "högst 10 år"),
    ],
)
def test_bad_arguments_stop_with_exit_code_2(clinic, args, message):
    with pytest.raises(CommandError, match=message) as error:
        run(*args)

    assert error.value.returncode == 2
