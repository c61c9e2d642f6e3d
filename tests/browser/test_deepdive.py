"""The Djupdykning page in a real Chromium: a clinician asks for a period and reads it."""

import pytest
from playwright.sync_api import expect

from painpath.ingest.actions import run_import
from tests.browser.conftest import log_in
from tests.factories import make_user, small_extract

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def habo(tmp_path, clinic):
    run_import(small_extract(tmp_path / "habo"), rejects_path=tmp_path / "r.csv")
    make_user("lena", clinic)


@pytest.fixture
def watched(page, live_server):
    """The page, with every console error and every request off this machine recorded."""
    problems = []
    page.on("console", lambda m: m.type == "error" and problems.append(f"console: {m.text}"))
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on(
        "request",
        lambda r: r.url.startswith(("data:", live_server.url)) or problems.append(r.url),
    )
    return page, problems


def test_a_clinician_chooses_a_period_and_reads_the_figures_and_a_chart(watched, habo):
    page, problems = watched
    log_in(page, "lena")
    page.get_by_role("link", name="Djupdykning").click()

    period = page.get_by_role("group", name="Period", exact=True)
    period.get_by_label("Från").fill("2021-01-01")
    period.get_by_label("Till och med").fill("2021-12-31")
    page.get_by_role("button", name="Visa siffrorna").click()

    # 2021: only Anna, who met a physician and a physiotherapist (Bertil came in 2022).
    expect(page.locator('[data-figure="patients"]')).to_have_text("1")
    professions = page.get_by_role("table", name="Fördelning mellan professioner")
    expect(professions.locator('tr[data-row="physician"] td')).to_have_text("1")
    expect(professions.locator('tr[data-row="physiotherapist"] th')).to_have_text(
        "Fysioterapeut/sjukgymnast"
    )
    chart = page.get_by_role("img", name="Stapeldiagram: Fördelning mellan professioner")
    expect(chart.locator("svg")).to_have_count(1)
    assert chart.locator("svg").bounding_box()["width"] > 100  # drawn, not an empty box
    assert "start=2021-01-01" in page.url  # the result can be bookmarked
    assert problems == []


def test_the_comparison_opens_from_the_keyboard_and_shows_both_periods(watched, habo):
    page, problems = watched
    log_in(page, "lena")
    page.goto("/djupdykning/")

    comparison = page.get_by_role("group", name="Jämförelseperiod")
    expect(comparison).to_be_hidden()
    page.get_by_text("Jämför med period").focus()
    page.keyboard.press("Enter")
    comparison.get_by_label("Från").fill("2022-01-01")
    comparison.get_by_label("Till och med").fill("2022-12-31")
    comparison.get_by_label("Till och med").press("Enter")  # submits the form

    summary = page.get_by_role("table", name="Patienter", exact=True)
    expect(summary.locator('tr[data-row="patients"] td')).to_have_text(["2", "1", "−1"])
    expect(page.locator('[data-chart="professions"] svg')).to_have_count(1)
    assert problems == []


def test_a_mistake_is_told_beside_the_field_and_announced(watched, habo):
    page, problems = watched
    log_in(page, "lena")
    page.goto("/djupdykning/")

    page.get_by_label("Diagnoskoder").fill("R52.2, smärta")
    page.get_by_role("button", name="Visa siffrorna").click()

    expect(page.get_by_role("alert")).to_contain_text("Rätta uppgiften")
    codes = page.get_by_label("Diagnoskoder")
    expect(codes).to_have_attribute("aria-invalid", "true")
    described = codes.get_attribute("aria-describedby").split()
    expect(page.locator(f"#{described[-1]}")).to_contain_text("”smärta” är ingen ICD-10-kod")
    assert problems == []
