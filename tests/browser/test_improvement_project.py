"""Improvement projects' acceptance test (issue 6, "Done when") in a real Chromium: on the
demo clinic (`painpath synth clinic --seed 1`, imported, `painpath demousers`), Frida, the
improvement lead, starts a project like Habo's, adds the indicator "Andel patienter med
långvarig smärta som träffat mer än en profession" computed from the data, sees its 24
months on a run chart, plans a PDSA cycle that is then marked on the chart, fills in part 2
and downloads part 1, and parts 1 and 2, as Word documents, which are opened again with
python-docx. Every field is reached by its label, forms are sent with the keyboard, and
every check is on what the page or the document shows; the audit log is read at the end."""

import re

import pytest
from django.contrib.auth.models import Group
from docx import Document
from playwright.sync_api import expect

from painpath.access.demo import DEMO_PASSWORD, create_demo_users
from painpath.access.models import AuditAction, AuditEvent, Role
from painpath.ingest.actions import run_import
from painpath.records.models import Clinic
from painpath.synth.clinic import write_clinic
from tests.browser.conftest import every_field_has_a_label, log_in, watch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CLINIC = "Habo vårdcentral (syntetisk)"  # as `make demo` names the demo clinic
THEME = "Bättre samordning för patienter med långvarig smärta"
INDICATOR = "Andel patienter med långvarig smärta som träffat mer än en profession"
SOURCE = "painpaths djupdykning (journaluttaget)"
CAUSE = "Över 80 % av patienterna träffar bara en profession"
IDEA = "Bättre rehabmöten med patienten och flera professioner"
PDSA_TITLE = "Rehabmöte med tre professioner"
GOALS = "Samordna behandlingsinsatserna och informationen till patienter med långvarig smärta."
INVOLVEMENT = "Två patienter deltar i ett av teamets möten och berättar vad som hjälpt."
LEARNED = "Ett gemensamt rehabmöte sparar patienten många enskilda besök."
TESTED = "Rehabmöten med läkare, fysioterapeut och psykolog varje månad."
RESULT_PERIOD = "2024-10 (12 månader bakåt)"
# The extract ends 2024-10-31: the last 24 whole months it covers.
MONTHS = [f"{year}-{month:02d}" for year in (2022, 2023, 2024) for month in range(1, 13)]
MONTHS = MONTHS[MONTHS.index("2022-11") : MONTHS.index("2024-10") + 1]
PART1_HEADER = [
    "",
    "Indikatornamn",
    "Nuläge = Startläge (% eller antal)",
    "Datum/period för startläge",
    "Mål (% eller antal)",
    "Källa",
    "Datum för att uppnå målvärdet",
]
PART2_HEADER = [
    "",
    "Indikatornamn",
    "Startläge (% eller antal)",
    "Datum/period för startläge",
    "Mål (% eller antal)",
    "Resultat (% eller antal)",
    "Källa",
    "Datum/period för resultatvärdet",
]


@pytest.fixture(scope="session")
def demo_extract(tmp_path_factory):
    """The demo clinic's extract, as `painpath synth clinic --seed 1` writes it."""
    folder = tmp_path_factory.mktemp("demo-extract")
    write_clinic(folder, seed=1)
    return folder


@pytest.fixture
def demo_clinic(demo_extract, tmp_path):
    """The extract imported and the demo users made, as `make demo` does. A live-server
    test empties every table after it, the roles' groups from the migration too."""
    result, _run = run_import(demo_extract, rejects_path=tmp_path / "rejects.csv")
    assert result is not None and result.exit_code == 0, "the demo extract imports cleanly"
    for role in Role:
        Group.objects.get_or_create(name=role.value)
    clinic = Clinic.objects.get(code="habo")
    clinic.name = CLINIC
    clinic.save(update_fields=["name"])
    create_demo_users(clinic)
    return clinic


def label(text: str) -> re.Pattern:
    """A field's label exactly, with or without Django's label suffix (the indicator
    forms keep the default ":", the project forms none)."""
    return re.compile(rf"^{re.escape(text)}:?$")


def submit(scope, name: str, timeout: float | None = None) -> None:
    """The form is sent with the keyboard: focus on its button, Enter (which waits for the
    answer, up to `timeout` ms)."""
    button = scope.get_by_role("button", name=name, exact=True)
    button.focus()
    button.press("Enter", timeout=timeout)


def status(page):
    return page.get_by_role("status").first


def download(page, link: str, folder) -> tuple[str, Document]:
    """The suggested file name and the document, opened with python-docx."""
    with page.expect_download() as info:
        page.get_by_role("navigation", name="Ladda ned").get_by_role(
            "link", name=link, exact=True
        ).click()
    found = info.value
    path = folder / found.suggested_filename
    found.save_as(path)
    return found.suggested_filename, Document(str(path))


def rows(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def table_headed(document, first_cells: list[str]) -> list[list[str]]:
    found = [rows(t) for t in document.tables if rows(t)[0][: len(first_cells)] == first_cells]
    assert len(found) == 1, f"one table headed {first_cells}, found {len(found)}"
    return found[0]


def text_of(document) -> str:
    return "\n".join(p.text for p in document.paragraphs)


def test_an_improvement_lead_runs_a_project_like_habos_and_downloads_it(
    page, live_server, demo_clinic, tmp_path
):
    problems = watch(page, live_server)
    log_in(page, "forbattring", DEMO_PASSWORD)

    # 1. A new project, from the main menu; the unit left empty is the clinic's name.
    page.get_by_role("navigation", name="Huvudmeny").get_by_role(
        "link", name="Förbättringsarbete"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Förbättringsarbete")
    expect(page.get_by_text("Inga förbättringsarbeten ännu.")).to_be_visible()
    page.get_by_role("link", name="Nytt förbättringsarbete").click()
    every_field_has_a_label(page)
    page.get_by_label("Tema", exact=True).fill(THEME)
    page.get_by_label("År", exact=True).fill("2024")
    page.get_by_label("Verksamhetschef", exact=True).fill("Dana Berg")
    page.get_by_label("Verksamhetschefens e-post").fill("dana.berg@example.org")
    page.get_by_label("Kontaktperson", exact=True).fill("Dana Berg")
    page.get_by_label("Kontaktpersonens profession").fill("Verksamhetschef")
    page.get_by_label("Hur patienter involveras").fill(INVOLVEMENT)
    page.get_by_label("Mål", exact=True).fill(GOALS)
    submit(page, "Skapa")
    expect(status(page)).to_have_text("Förbättringsarbetet är skapat.")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{CLINIC}: {THEME} 2024")
    part1 = page.get_by_role("region", name="Del 1: planen")
    for text in ("Dana Berg, dana.berg@example.org", INVOLVEMENT, GOALS):
        expect(part1).to_contain_text(text)

    # Two team members, from the project page; the template's 2–5 note then goes.
    expect(page.get_by_text("Mallen rekommenderar 2–5 personer")).to_be_visible()
    for name, profession in [("Lena Läkare", "Läkare"), ("Pia Fysio", "Fysioterapeut")]:
        team_form = page.get_by_role("group", name="Lägg till i teamet")
        team_form.get_by_label("Namn").fill(name)
        team_form.get_by_label("Profession").fill(profession)
        submit(team_form, "Lägg till")
        expect(status(page)).to_have_text(f"{name} är med i teamet.")
    team = page.get_by_role("list").filter(has_text="Lena Läkare, Läkare")
    expect(team).to_contain_text("Pia Fysio, Fysioterapeut")
    expect(page.get_by_text("Mallen rekommenderar 2–5 personer")).to_have_count(0)

    # A cause, and an idea under it (1.1).
    cause_form = page.get_by_role("group", name="Lägg till orsak")
    cause_form.get_by_label("Orsak", exact=True).fill(CAUSE)
    cause_form.get_by_label("Kategori i fiskbensdiagrammet").select_option(label="Metoder")
    submit(cause_form, "Lägg till")
    expect(status(page)).to_have_text("Orsak 1 är tillagd.")
    page.get_by_role("link", name="Lägg till idé under orsak 1").click()
    every_field_has_a_label(page)
    page.get_by_label("Idé till lösning").fill(IDEA)
    submit(page, "Spara")
    expect(status(page)).to_have_text("Idé 1.1 är tillagd.")
    causes = page.get_by_role("region", name="Orsaker och idéer till lösningar")
    expect(causes.get_by_role("listitem").filter(has_text=IDEA).first).to_contain_text("1.1")
    expect(causes.locator("figure.fishbone svg")).to_have_count(1)
    deadlines = page.get_by_role("table", name="Regionens sista dagar och dokumentens namn")
    expect(deadlines).to_contain_text(f"{CLINIC} {THEME} 2024 del 1 och 2")
    project_url = page.url.split("#")[0]

    # 2. The indicator, chosen from the catalogue of computed ones, on a run chart.
    page.get_by_role("region", name="Indikatorer").get_by_role(
        "link", name="Lägg till indikator"
    ).click()
    every_field_has_a_label(page)
    page.get_by_role("group", name="Vilken indikator?").get_by_label(INDICATOR).check()
    page.get_by_label(label("Startläge")).fill("18")
    page.get_by_label("Datum eller period för startläget").fill("2023-12")
    page.get_by_label(label("Mål")).fill("50")
    page.get_by_label("Datum för att uppnå målet").fill("2024-12-31")
    page.get_by_label("Förbättring är").select_option(label="Högre är bättre")
    page.get_by_label(label("Diagram")).select_option(label="Seriediagram (run chart)")
    # Measured at once for 24 months from the extract: give it the time it takes.
    submit(page, "Lägg till indikatorn", timeout=60_000)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Indikator 1: {INDICATOR}")
    expect(page.get_by_role("status").filter(has_text="24 månader mätta")).to_be_visible()
    expect(page.get_by_text(SOURCE)).to_be_visible()
    switcher = page.get_by_role("navigation", name="Diagramtyp")
    expect(switcher.get_by_role("link", name="Seriediagram (run chart)")).to_have_attribute(
        "aria-current", "page"
    )
    chart = page.locator("figure.chart svg")
    expect(chart).to_have_count(1)
    expect(chart.locator("text").filter(has_text=INDICATOR).first).to_be_attached()

    # The months table: 2022-11 … 2024-10, each a numerator over a denominator.
    months = page.get_by_role("table", name="Värdena i diagrammet")
    body = months.locator("tbody tr")
    expect(body).to_have_count(24)
    assert body.evaluate_all("rows => rows.map(r => r.dataset.month)") == MONTHS
    on_page = {}  # the month as the page names it: (numerator, denominator, share)
    for cells in body.evaluate_all(
        "rows => rows.map(r => [...r.cells].map(c => c.textContent.trim()))"
    ):
        month, numerator, denominator, share, _note, source = cells
        assert numerator.isdigit() and denominator.isdigit(), cells
        assert int(denominator) > 0 and int(numerator) <= int(denominator), cells
        percent = float(share.removesuffix(" %").replace(",", "."))
        assert percent == pytest.approx(100 * int(numerator) / int(denominator), abs=0.1)
        assert source == "Beräknad ur painpaths data", cells
        on_page[month] = (numerator, denominator, share)
    expect(months.locator(".no-value")).to_have_count(0)
    indicator_url = page.url.split("#")[0]

    # 3. A PDSA cycle testing idea 1.1, followed by the indicator, from March 2024.
    page.goto(project_url)
    page.get_by_role("link", name="Ny PDSA-cykel").click()
    every_field_has_a_label(page)
    page.get_by_label("Idé som prövas").select_option(label=f"1.1 {IDEA}")
    page.get_by_label("Vad testas").fill(PDSA_TITLE)
    page.get_by_label("Syfte").fill("Att fler patienter träffar mer än en profession.")
    page.get_by_label("Förutsägelse").fill("Andelen ökar inom ett halvår.")
    page.get_by_label("Plan: vem, vad, var, när").fill("Dana bokar ett rehabmöte i månaden.")
    page.get_by_label("Startar").fill("2024-03-01")
    page.get_by_label(f"1. {INDICATOR}").check()
    submit(page, "Planera cykeln")
    expect(status(page)).to_have_text("PDSA-cykeln är planerad.")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"PDSA: {PDSA_TITLE}")
    latest = page.get_by_role("table", name="Indikatorernas senaste värden")
    expect(latest.get_by_role("row", name=INDICATOR)).to_contain_text("2024-10")

    # On the indicator's chart the cycle is marked at its month, and said in words.
    latest.get_by_role("link", name="Diagram för indikator 1").click()
    assert page.url.split("#")[0] == indicator_url
    expect(chart.locator("text").filter(has_text=f"PDSA: {PDSA_TITLE}")).to_have_count(1)
    expect(page.get_by_role("listitem").filter(has_text="mars 2024: PDSA:")).to_contain_text(
        PDSA_TITLE
    )

    # 4. The result, and part 2.
    page.get_by_role("link", name="Ändra indikatorn").click()
    every_field_has_a_label(page)
    page.get_by_label(label("Resultat")).fill("30")
    page.get_by_label("Resultatets datum").fill("2024-10-31")
    page.get_by_label("Datum eller period för resultatet").fill(RESULT_PERIOD)
    submit(page, "Spara")
    expect(status(page)).to_have_text("Indikatorn är sparad.")
    page.goto(project_url)
    page.get_by_role("link", name="Ändra del 2").click()
    every_field_has_a_label(page)
    page.get_by_label("Vad har testats och standardiserats, och hur?").fill(TESTED)
    page.get_by_label("Vad har ni lärt er?").fill(LEARNED)
    page.get_by_label("Plan framåt").fill("Rehabmöten blir en del av vårdförloppet.")
    submit(page, "Spara")
    expect(status(page)).to_have_text("Ändringarna är sparade.")
    expect(page.get_by_role("region", name="Del 2: slutredovisningen")).to_contain_text(LEARNED)

    # 5. Part 1, and parts 1 and 2, as Word, named as the region asks.
    name1, part1_doc = download(page, "Del 1 som Word (.docx)", tmp_path)
    name2, whole_doc = download(page, "Del 1 och 2 som Word (.docx)", tmp_path)
    assert name1 == f"{CLINIC} {THEME} 2024 del 1.docx"
    assert name2 == f"{CLINIC} {THEME} 2024 del 1 och 2.docx"

    for document in (part1_doc, whole_doc):
        indicators = table_headed(document, PART1_HEADER)
        assert indicators[0] == PART1_HEADER
        assert indicators[1] == [
            "Indikator 1", INDICATOR, "18 %", "2023-12", "50 %", SOURCE, "2024-12-31",
        ]  # fmt: skip
        causes = table_headed(document, ["Orsaker (Till att ni inte redan presterar som målet)"])
        assert causes[1] == [f"1: {CAUSE}", f"1.1: {IDEA}"]
        measured = table_headed(document, ["Månad", "Täljare", "Nämnare", "Värde"])
        assert len(measured) == 1 + 24
        assert [measured[1][0], measured[-1][0]] == ["november 2022", "oktober 2024"]
        assert all(re.fullmatch(r"\d+(,\d)? %", row[3]) for row in measured[1:]), measured
        text = text_of(document)
        assert "Lena Läkare, Läkare\nPia Fysio, Fysioterapeut" in text
        assert f"PGSA 1: {PDSA_TITLE}" in text and f"Idé: 1.1: {IDEA}" in text
        pictures = document.inline_shapes
        assert len(pictures) == 1  # the indicator's chart
        assert INDICATOR in pictures[0]._inline.docPr.get("descr")

    # Part 2's results and reflection are in the whole document only.
    assert not [t for t in part1_doc.tables if "Resultat (% eller antal)" in rows(t)[0]]
    for text in (LEARNED, TESTED, "Slutreflektion"):
        assert text not in text_of(part1_doc)
        assert text in text_of(whole_doc)
    results = table_headed(whole_doc, PART2_HEADER)
    assert results[1] == [
        "Indikator 1", INDICATOR, "18 %", "2023-12", "50 %", "30 %", SOURCE, RESULT_PERIOD,
    ]  # fmt: skip

    # The audit log: both downloads as exports, and the changes to the project.
    exports = AuditEvent.objects.filter(username="forbattring", action=AuditAction.EXPORT)
    assert set(exports.values_list("detail", flat=True)) == {name1, name2}
    changes = AuditEvent.objects.filter(username="forbattring", action=AuditAction.CHANGE)
    assert changes.filter(detail__endswith=": skapat").exists()
    assert changes.filter(detail__contains="PDSA").exists()
    assert AuditEvent.objects.filter(patient__isnull=False, username="forbattring").count() == 0
    assert problems == []

    # The page's table and the document's show the same months with the same figures,
    # each share rounded to one decimal (the page writes 10,0 % where Word has 10 %).
    def figures(numerator, denominator, share) -> tuple:
        return int(numerator), int(denominator), float(share[:-2].replace(",", "."))

    in_document = {row[0]: figures(*row[1:4]) for row in measured[1:]}
    assert {month: figures(*shown) for month, shown in on_page.items()} == in_document
