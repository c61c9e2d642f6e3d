"""A project's PDSA cycles (painpath/improvement/views_pdsa.py): plan, do, study, act in
order, the idea and indicators only of the same project, the latest values beside the
study, the status on the project page, and the audit."""

import re
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from painpath.access.models import AuditAction, AuditEvent
from painpath.improvement import actions
from painpath.improvement.models import Pdsa
from tests.factories import make_clinic, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def lena(clinic):
    return make_user("lena", clinic)


@pytest.fixture
def project(clinic, lena):
    return actions.create_project(clinic, lena, year=2024, theme="långvarig smärta")


@pytest.fixture
def idea(project):
    return actions.add_idea(actions.add_cause(project, "Ingen rutin"), "Checklista vid besök")


@pytest.fixture
def share(project):
    return actions.add_indicator(
        project, name="Andel patienter med plan", kind="process", source="journalen"
    )


@pytest.fixture
def logged_in(client, lena):
    client.force_login(lena)
    return client


def plan(idea, *indicators, **extra) -> dict:
    return {
        "idea": idea.pk,
        "indicators": [i.pk for i in indicators],
        "title": "Checklista på tre besök",
        "objective": "Se om checklistan används",
        "prediction": "Hälften får en plan",
        "plan": "Eva, vecka 10, mottagning 2",
        "starts_on": "2024-03-04",
        **extra,
    }


def changes() -> list[str]:
    events = AuditEvent.objects.filter(
        action=AuditAction.CHANGE, patient=None, detail__startswith="förbättringsarbete"
    )
    return list(events.order_by("id").values_list("detail", flat=True))


def test_a_cycle_is_planned_with_its_idea_and_indicators(logged_in, project, idea, share):
    response = logged_in.post(reverse("improvement_pdsa_new", args=[project.pk]), plan(idea, share))

    cycle = Pdsa.objects.get()
    assert response["Location"] == reverse("improvement_pdsa", args=[project.pk, cycle.pk])
    assert (cycle.idea, list(cycle.indicators.all()), cycle.starts_on) == (
        idea,
        [share],
        date(2024, 3, 4),
    )
    assert changes() == [
        f"förbättringsarbete {project.pk} ({project}): PDSA {cycle.pk} planerad: "
        "Checklista på tre besök"
    ]


def test_a_new_cycle_starts_today_by_default_and_offers_the_projects_ideas(
    logged_in, project, idea, share
):
    page = logged_in.get(reverse("improvement_pdsa_new", args=[project.pk])).content.decode()

    assert f'value="{timezone.localdate():%Y-%m-%d}"' in page
    assert "1.1 Checklista vid besök" in page and "1. Andel patienter med plan" in page


def test_a_plan_without_its_parts_is_refused_in_swedish(logged_in, project, idea):
    response = logged_in.post(reverse("improvement_pdsa_new", args=[project.pk]), {})

    page = response.content.decode()
    assert response.status_code == 200 and not Pdsa.objects.exists()
    for message in (
        "Välj vilken idé cykeln prövar.",
        "Skriv vad som testas.",
        "Skriv vad ni förutsäger ska hända.",
        "Ange startdatum.",
    ):
        assert message in page
    assert changes() == []


def test_an_idea_or_indicator_of_another_project_is_refused(logged_in, project, idea, clinic):
    other = actions.create_project(clinic, None, year=2024, theme="annat")
    foreign_idea = actions.add_idea(actions.add_cause(other, "x"), "y")
    foreign = actions.add_indicator(other, name="Antal x", kind="process", source="x")

    one = logged_in.post(reverse("improvement_pdsa_new", args=[project.pk]), plan(foreign_idea))
    two = logged_in.post(reverse("improvement_pdsa_new", args=[project.pk]), plan(idea, foreign))

    assert "Välj en av projektets idéer." in one.content.decode()
    assert "Välj bland projektets indikatorer." in two.content.decode()
    assert not Pdsa.objects.exists()


def test_a_start_date_far_off_is_refused(logged_in, project, idea):
    response = logged_in.post(
        reverse("improvement_pdsa_new", args=[project.pk]), plan(idea, starts_on="1999-12-31")
    )

    assert "Ange ett startdatum från år 2000" in response.content.decode()


def test_a_project_without_ideas_says_to_add_one_first(logged_in, project):
    page = logged_in.get(reverse("improvement_pdsa_new", args=[project.pk])).content.decode()

    assert "Projektet har inga idéer ännu." in page
    # and a cycle posted all the same is refused: a cycle tests an idea
    response = logged_in.post(
        reverse("improvement_pdsa_new", args=[project.pk]), plan_without_idea()
    )
    assert response.status_code == 200 and not project.cycles.exists()


def plan_without_idea() -> dict:
    return {"title": "Checklista", "objective": "o", "prediction": "p", "plan": "p",
            "starts_on": "2024-03-04"}  # fmt: skip


def start(project, idea, *indicators) -> Pdsa:
    return actions.start_pdsa(
        project, None, idea=idea, indicators=indicators, title="Checklista",
        objective="o", prediction="Hälften får en plan", plan="p", starts_on=date(2024, 3, 4),
    )  # fmt: skip


def edit(idea, *indicators, **steps) -> dict:
    return plan(idea, *indicators, **{"do": "", "study": "", "act": "", "act_notes": "", **steps})


def test_do_study_and_act_come_in_order(logged_in, project, idea):
    cycle = start(project, idea)
    url = reverse("improvement_pdsa_edit", args=[project.pk, cycle.pk])

    studied_first = logged_in.post(url, edit(idea, study="Fler fick plan"))
    acted_first = logged_in.post(url, edit(idea, do="Gjort", act="adopt"))

    assert "Beskriv vad som hände innan ni studerar resultatet." in studied_first.content.decode()
    page = acted_first.content.decode()
    assert "Studera resultatet mot förutsägelsen innan ni agerar." in page
    assert "Skriv nästa steg." in page
    cycle.refresh_from_db()
    assert (cycle.do, cycle.study, cycle.act) == ("", "", "")


def test_a_cycle_is_carried_through_and_its_status_shown(logged_in, project, idea, share):
    cycle = start(project, idea)
    url = reverse("improvement_pdsa_edit", args=[project.pk, cycle.pk])
    project_url = reverse("improvement_project", args=[project.pk])
    assert "Planerad" in logged_in.get(project_url).content.decode()

    logged_in.post(url, edit(idea, share, do="Eva använde listan på 12 besök"))
    assert "Genomförs" in logged_in.get(project_url).content.decode()

    logged_in.post(
        url,
        edit(
            idea, share, do="Eva använde listan på 12 besök", study="7 av 12 fick plan",
            act="adopt", act_notes="Alla läkare använder listan från april",
        ),
    )  # fmt: skip

    cycle.refresh_from_db()
    assert (cycle.act, cycle.ends_on) == ("adopt", timezone.localdate())
    assert list(cycle.indicators.all()) == [share]
    assert "Agerad: Införa" in logged_in.get(project_url).content.decode()
    assert [d.split(": ", 1)[1] for d in changes()] == [
        f"PDSA {cycle.pk} genomförs: Checklista på tre besök",
        f"PDSA {cycle.pk} agerad: Checklista på tre besök",
    ]


def test_the_study_shows_the_indicators_latest_values_or_why_not(logged_in, project, idea):
    share = actions.add_indicator(project, name="Andel med plan", kind="process", source="j")
    count = actions.add_indicator(project, name="Antal besök", kind="process", source="j")
    unmeasured = actions.add_indicator(project, name="Antal möten", kind="process", source="j")
    actions.enter_value(share, date(2024, 2, 1), None, numerator=1, denominator=4)
    actions.enter_value(share, date(2024, 3, 1), None, numerator=3, denominator=4)
    actions.enter_value(count, date(2024, 3, 1), None, note="journalen var nere")
    cycle = start(project, idea, share, count, unmeasured)

    page = logged_in.get(reverse("improvement_pdsa", args=[project.pk, cycle.pk])).content.decode()

    assert "Hälften får en plan" in page  # the prediction beside the values
    assert "2024-03" in page and "75 % (3/4)" in page
    assert "Inget värde: journalen var nere" in page
    assert "Inte mätt ännu" in page
    # the study is made with the chart: the share's, with the cycle marked at its start
    charts = re.findall(r'<figure class="chart".*?</figure>', page, re.S)
    assert len(charts) == 1 and "Diagram för indikator 1: Andel med plan" in charts[0]
    assert f"PDSA: {cycle.title}" in charts[0]


def test_a_cycle_of_another_project_is_a_404(logged_in, project, idea, clinic):
    other = actions.create_project(clinic, None, year=2024, theme="annat")
    cycle = start(other, None)

    assert (
        logged_in.get(reverse("improvement_pdsa", args=[project.pk, cycle.pk])).status_code == 404
    )


def test_a_cycle_is_removed_after_a_page_that_asks_first(logged_in, project, idea, share):
    cycle = start(project, idea, share)
    url = reverse("improvement_pdsa_delete", args=[project.pk, cycle.pk])
    page = logged_in.get(url).content.decode()
    assert "Ta bort PDSA-cykeln ”Checklista”?" in page and share.name in page
    assert project.cycles.count() == 1  # asking removes nothing

    other = Client()
    other.force_login(make_user("olle", make_clinic("annan", "Annan vårdcentral")))
    assert other.post(url).status_code == 404 and project.cycles.count() == 1

    response = logged_in.post(url)
    assert response.status_code == 302 and response.url.endswith("#pdsa")
    assert not project.cycles.exists() and project.indicators.filter(pk=share.pk).exists()
    assert changes()[-1].endswith(f": PDSA {cycle.pk} borttagen: Checklista")
