"""The measurements as an Excel workbook (views_export, export_excel), opened again with
openpyxl."""

from datetime import datetime
from io import BytesIO
from urllib.parse import quote

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from painpath.access.models import AuditAction, AuditEvent
from painpath.improvement import actions, export_excel
from tests.factories import make_user
from tests.improvement.test_report import vendelso

pytestmark = pytest.mark.django_db
NAME = "Vendelsö vårdcentral Kronisk smärta 2023 mätningar.xlsx"


@pytest.fixture
def lena(clinic):
    return make_user("lena", clinic)


@pytest.fixture
def project(clinic):
    return vendelso(clinic)


def download(client, user, project):
    client.force_login(user)
    return client.get(reverse("improvement_export_xlsx", args=[project.pk]))


def test_it_is_named_for_the_project_and_audited(client, lena, project):
    response = download(client, lena, project)

    assert f"filename*=UTF-8''{quote(NAME)}" in response["Content-Disposition"]
    assert AuditEvent.objects.get(action=AuditAction.EXPORT).detail == NAME


def test_it_has_the_indicator_table_and_a_sheet_per_indicator(client, lena, project):
    workbook = load_workbook(BytesIO(download(client, lena, project).content))

    assert workbook.sheetnames == ["Indikatorer", "Indikator 1", "Indikator 2"]
    summary = workbook["Indikatorer"]
    assert summary["A3"].value == "Indikator" and summary["H3"].value == "Resultat (% eller antal)"
    assert [cell.value for cell in summary[4]][:6] == [
        "Indikator 1",
        "Andel patienter som upplever minskad smärta",
        "Utfallsmått",
        0,
        "230313",
        0.5,
    ]
    assert summary["F4"].number_format == "0.0%" and summary["H4"].value == 0.25
    assert summary["G4"].value == datetime(2023, 12, 31)
    assert summary["B5"].value == "Antal recept Oxikodon"


def test_months_are_real_dates_and_shares_percentages(client, lena, project):
    sheet = load_workbook(BytesIO(download(client, lena, project).content))["Indikator 1"]

    assert [cell.value for cell in sheet[3]] == [
        "Månad",
        "Täljare",
        "Nämnare",
        "Värde",
        "Anteckning",
        "Källa",
    ]
    january = [cell.value for cell in sheet[4]]
    assert january == [datetime(2023, 1, 1), 1, 20, 0.05, None, "Inmatad för hand"]
    assert sheet["A4"].is_date and sheet["D4"].number_format == "0.0%"
    june = [cell.value for cell in sheet[9]]
    assert june[0] == datetime(2023, 6, 1)
    assert june[1:5] == [None, None, None, "enkäterna inte insamlade"]
    assert sheet.max_row == 3 + 12


def test_no_personnummer_and_no_formula_from_typed_text(project):
    indicator = project.indicators.get(number=2)
    actions.enter_value(indicator, datetime(2023, 1, 1).date(), None, note="=HYPERLINK(1)")
    actions.enter_value(indicator, datetime(2023, 2, 1).date(), None, note="pat 191212121212")
    sheet = load_workbook(BytesIO(export_excel.write(project)))["Indikator 2"]

    assert sheet["E4"].value == "=HYPERLINK(1)" and sheet["E4"].data_type == "s"
    assert sheet["E5"].value == "pat [personnummer]"


def test_a_project_of_another_clinic_is_not_found(client, project, other_clinic):
    assert download(client, make_user("olle", other_clinic), project).status_code == 404
