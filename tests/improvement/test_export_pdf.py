"""The same report as PDF (views_export, export_pdf), read back with pypdf."""

from io import BytesIO

import pytest
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from painpath.access.models import AuditAction, AuditEvent
from painpath.improvement import actions, export_docx, export_pdf, report
from tests.factories import make_user
from tests.improvement.test_report import vendelso

pytestmark = pytest.mark.django_db


@pytest.fixture
def lena(clinic):
    return make_user("lena", clinic)


@pytest.fixture
def project(clinic):
    return vendelso(clinic)


def download(client, user, project, part: str):
    client.force_login(user)
    return client.get(reverse("improvement_export_pdf", args=[project.pk]), {"del": part})


def text_of(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)


def images_in(content: bytes) -> int:
    return sum(len(page.images) for page in PdfReader(BytesIO(content)).pages)


def test_part_1_is_a_pdf_named_as_the_region_asks(client, lena, project):
    response = download(client, lena, project, "1")

    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "Kronisk%20sm%C3%A4rta%202023%20del%201.pdf" in response["Content-Disposition"]
    text = text_of(response.content)
    assert "del 1 och del 2: Kronisk smärta" in text
    assert "Mottagningens namn: Vendelsö vårdcentral" in text
    assert "DEL 1 – Planen" in text and "DEL 2" not in text
    assert "Hanna Winberg, ST-läkare Allmänmedicin" in text
    assert images_in(response.content) == 1  # the one indicator with measurements


def test_part_2_adds_the_final_report(client, lena, project):
    response = download(client, lena, project, "2")

    text = text_of(response.content)
    assert "DEL 2 – Slutredovisningen" in text and "Slutreflektion" in text
    assert "Minska förskrivningen av beroendeframkallande läkemedel." in text
    assert "juni 2023" in text and "enkäterna inte insamlade" in text
    assert images_in(response.content) == 1
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert event.detail == "Vendelsö vårdcentral Kronisk smärta 2023 del 1 och 2.pdf"


def test_a_project_of_another_clinic_is_not_found(client, project, other_clinic):
    assert download(client, make_user("olle", other_clinic), project, "1").status_code == 404


def test_the_text_is_in_the_page_streams_with_its_unicode_font(project):
    """DejaVu Sans when installed (CI installs fonts-dejavu-core): ≥ prints as itself."""
    if export_pdf.dejavu() is None:
        pytest.skip("DejaVu Sans is not installed")
    built = report.build(project, part2=False, charts=False)
    built.blocks.append(report.Paragraph("Mål ≥ 50 % – ”nöjda”"))
    content = export_pdf.write(built, compress=False)
    assert b"DejaVuSans" in content
    assert "Mål ≥ 50 % – ”nöjda”" in text_of(content)


def test_without_dejavu_it_falls_back_to_helvetica_keeping_aao(project):
    built = report.build(project, part2=False, charts=False)
    built.blocks.append(report.Paragraph("Mål ≥ 50 % – ”nöjda” ☺"))
    content = export_pdf.write(built, compress=False, fonts=None)
    assert b"/Helvetica" in content and b"DejaVu" not in content
    # Latin-1 in an uncompressed page stream: å, ä and ö as themselves
    assert "Kronisk smärta".encode("latin-1") in content
    assert 'Mål >= 50 % - "nöjda" ?' in text_of(content)


def test_an_empty_project_and_a_long_answer_still_print(clinic):
    project = actions.create_project(clinic, None, year=2025, theme="Smärta")
    actions.update_project(project, mapping="Ett långt svar. " * 600 + "x" * 400)
    built = report.build(project, part2=True)

    text = text_of(export_pdf.write(built))
    assert "Slutreflektion" in text and "Indikator 5" in text
    assert len(PdfReader(BytesIO(export_pdf.write(built))).pages) > 2
    document = Document(BytesIO(export_docx.write(built)))
    assert len(document.tables) == 3  # causes, part 1's indicators, part 2's results
