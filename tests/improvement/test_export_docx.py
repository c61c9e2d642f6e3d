"""The region's template as a Word document (views_export, export_docx), opened again
with python-docx."""

from io import BytesIO
from urllib.parse import quote

import pytest
from django.urls import reverse
from docx import Document

from painpath.access.models import AuditAction, AuditEvent
from tests.factories import make_user
from tests.improvement.test_report import vendelso

pytestmark = pytest.mark.django_db
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def lena(clinic):
    return make_user("lena", clinic)  # the improvement lead at the project's clinic


@pytest.fixture
def project(clinic):
    return vendelso(clinic)


def download(client, user, project, part: str):
    client.force_login(user)
    return client.get(reverse("improvement_export_docx", args=[project.pk]), {"del": part})


def opened(response):
    return Document(BytesIO(response.content))


def headings(document) -> list[str]:
    return [
        p.text
        for p in document.paragraphs
        if p.style.name.startswith(("Heading", "Title")) and p.text
    ]


def cells(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_part_1_is_named_as_the_region_asks(client, lena, project):
    response = download(client, lena, project, "1")
    assert response.status_code == 200 and response["Content-Type"] == DOCX
    name = "Vendelsö vårdcentral Kronisk smärta 2023 del 1.docx"
    disposition = response["Content-Disposition"]
    assert f"filename*=UTF-8''{quote(name)}" in disposition
    assert 'filename="Vendelso vardcentral Kronisk smarta 2023 del 1.docx"' in disposition


def test_part_1_has_the_templates_headings_team_and_tables(client, lena, project):
    document = opened(download(client, lena, project, "1"))

    found = headings(document)
    assert found[0] == "Kvalitetsarbete/Förbättringsarbete 2023"
    assert "DEL 1 – Planen" in found and "Mått och mätetal (indikatorer)" in found
    assert "DEL 2 – Slutredovisningen" not in found
    texts = [p.text for p in document.paragraphs]
    assert "Hanna Winberg, ST-läkare Allmänmedicin\nJennelie Kjörling, PTP-psykolog" in texts
    causes, indicators = cells(document.tables[0]), cells(document.tables[1])
    assert causes[0] == [
        "Orsaker (Till att ni inte redan presterar som målet)",
        "Idéer till lösningar (För att nå målen)",
    ]
    assert causes[1] == [
        "1: Bristande kunskap hos vårdgivare",
        "1.1: Internutbildning\n1.2: Utbildning via APC",
    ]
    assert indicators[0][1:3] == ["Indikatornamn", "Nuläge = Startläge (% eller antal)"]
    assert indicators[1] == [
        "Indikator 1",
        "Andel patienter som upplever minskad smärta",
        "0 %",
        "230313",
        ">50 %",
        "Enkät före och efter",
        "2023-12-31",
    ]


def test_each_measured_indicator_is_embedded_as_a_chart_with_its_months(client, lena, project):
    document = opened(download(client, lena, project, "1"))

    [chart] = document.inline_shapes  # the count has no measurement: no chart for it
    assert chart._inline.docPr.get("descr").startswith("Diagram över tid: Andel patienter")
    image = document.part.related_parts[chart._inline.graphic.graphicData.pic.blipFill.blip.embed]
    assert image.blob.startswith(b"\x89PNG")
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert captions == ["Indikator 1: Andel patienter som upplever minskad smärta"]
    months = cells(document.tables[2])
    assert months[0] == ["Månad", "Täljare", "Nämnare", "Värde", "Anteckning"]
    assert months[2] == ["februari 2023", "2", "20", "10 %", ""]
    assert months[6] == ["juni 2023", "", "", "", "enkäterna inte insamlade"]


def test_part_2_comes_only_with_del_2_and_has_the_results(client, lena, project):
    response = download(client, lena, project, "2")
    assert "del%201%20och%202.docx" in response["Content-Disposition"]
    document = opened(response)

    found = headings(document)
    assert found.index("DEL 2 – Slutredovisningen") > found.index("DEL 1 – Planen")
    assert {"Resultat", "Övriga kommentarer", "Slutreflektion", "Vad har ni lärt er?"} <= set(found)
    results = next(t for t in document.tables if "Resultat (% eller antal)" in cells(t)[0])
    assert cells(results)[1][5] == "25 %"
    assert [row[0] for row in cells(results)[1:]] == [f"Indikator {n}" for n in range(1, 6)]
    assert len(document.inline_shapes) == 1  # drawn once, under the results


def test_a_project_of_another_clinic_is_not_found(client, project, other_clinic):
    olle = make_user("olle", other_clinic)
    assert download(client, olle, project, "2").status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_the_download_is_audited_as_an_export_with_its_name(client, lena, project):
    download(client, lena, project, "2")
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert (event.user, event.patient) == (lena, None)
    assert event.detail == "Vendelsö vårdcentral Kronisk smärta 2023 del 1 och 2.docx"


def test_it_needs_a_login(client, project):
    response = client.get(reverse("improvement_export_docx", args=[project.pk]))
    assert response.status_code == 302


def test_text_pasted_from_word_and_a_personnummer_in_the_unit_do_not_break_or_leak(
    client, lena, project
):
    project.unit = "Vendelsö 19121212-1212"
    project.goals = "Mål\x0csida två\x0bny rad"  # a form feed and a vertical tab
    project.save()
    response = download(client, lena, project, "2")

    assert response.status_code == 200
    name = "Vendelsö [personnummer] Kronisk smärta 2023 del 1 och 2.docx"
    assert quote(name, safe="") in response["Content-Disposition"]
    document = opened(response)
    assert "Målsida tvåny rad" in [p.text for p in document.paragraphs]
    assert "1212" not in document.core_properties.title
    details = AuditEvent.objects.filter(action=AuditAction.EXPORT).values_list("detail", flat=True)
    assert list(details) == [name]
    client.force_login(lena)
    xlsx = client.get(reverse("improvement_export_xlsx", args=[project.pk]))
    assert xlsx.status_code == 200 and "19121212" not in xlsx["Content-Disposition"]
