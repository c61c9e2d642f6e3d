"""Improvement projects' pages (painpath/improvement/views_projects.py): the list, a new
project, the project page with the region's deadlines, part 1 and 2, the team, causes and
ideas; access (another clinic's project is a 404 on every URL) and the audit of changes."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from painpath.access.models import AuditAction, AuditEvent, ClinicMembership
from painpath.improvement import actions
from painpath.improvement.models import Cause, Idea, Project, TeamMember
from tests.factories import make_clinic, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def lena(clinic):
    return make_user("lena", clinic)  # the improvement lead at Habo


@pytest.fixture
def olle(other_clinic):
    return make_user("olle", other_clinic)  # at another clinic: sees none of Habo's projects


@pytest.fixture
def project(clinic, lena):
    return actions.create_project(clinic, lena, year=2024, theme="långvarig smärta")


@pytest.fixture
def logged_in(client, lena):
    client.force_login(lena)
    return client


def changes() -> list[str]:
    return list(
        AuditEvent.objects.filter(
            action=AuditAction.CHANGE, patient=None, detail__startswith="förbättringsarbete"
        )
        .order_by("id")
        .values_list("detail", flat=True)
    )


def project_urls(project) -> list[tuple[str, list]]:
    cause = actions.add_cause(project, "Ingen rutin")
    idea = actions.add_idea(cause, "Checklista")
    member = actions.add_team_member(project, "Eva", "Sjuksköterska")
    cycle = actions.start_pdsa(
        project, None, idea=idea, title="t", objective="o", prediction="p", plan="pl",
        starts_on=date(2024, 3, 1),
    )  # fmt: skip
    pk = project.pk
    return [
        ("improvement_project", [pk]),
        ("improvement_project_edit", [pk]),
        ("improvement_project_part2", [pk]),
        ("improvement_team_add", [pk]),
        ("improvement_team_remove", [pk, member.pk]),
        ("improvement_cause_add", [pk]),
        ("improvement_cause_delete", [pk, cause.pk]),
        ("improvement_idea_add", [pk, cause.pk]),
        ("improvement_idea_delete", [pk, idea.pk]),
        ("improvement_pdsa_new", [pk]),
        ("improvement_pdsa", [pk, cycle.pk]),
        ("improvement_pdsa_edit", [pk, cycle.pk]),
    ]


def test_every_page_needs_a_login(client, project):
    response = client.get(reverse("improvement_projects"))

    assert response.status_code == 302 and response["Location"].startswith("/konto/logga-in/")


def test_another_clinics_project_is_a_404_on_every_url_and_the_miss_is_logged(
    client, project, olle
):
    client.force_login(olle)
    for name, args in project_urls(project):
        url = reverse(name, args=args)
        assert client.get(url).status_code in (404, 405), url
        assert client.post(url, {"team-name": "x", "cause-text": "x"}).status_code == 404, url

    misses = AuditEvent.objects.filter(action=AuditAction.LOOKUP, username="olle")
    assert misses.count() >= 12
    assert f"inget förbättringsarbete: {project.pk}" in misses.first().detail
    assert (TeamMember.objects.count(), Cause.objects.count(), Idea.objects.count()) == (1, 1, 1)
    assert changes() == []


def test_the_list_shows_only_the_users_clinics_projects_with_the_next_deadline(
    logged_in, project, other_clinic
):
    actions.create_project(other_clinic, None, year=2024, theme="Annans tema")
    actions.add_indicator(project, name="Antal patienter med plan", kind="process", source="x")

    page = logged_in.get(reverse("improvement_projects")).content.decode()

    assert "långvarig smärta" in page and "Annans tema" not in page
    assert "Antal patienter med plan" in page
    assert "Nytt förbättringsarbete" in page
    assert reverse("improvement_project", args=[project.pk]) in page


def test_the_menu_links_to_the_project_list(logged_in):
    page = logged_in.get(reverse("home")).content.decode()

    assert f'href="{reverse("improvement_projects")}"' in page and "Förbättringsarbete" in page


def test_a_new_project_takes_the_clinics_name_as_unit_and_is_audited(logged_in, clinic):
    response = logged_in.post(
        reverse("improvement_project_new"),
        {"unit": "", "theme": "Kronisk smärta", "year": "2025", "goals": "Färre opioider",
         "action_plan": "Utbildning via APC"},
    )  # fmt: skip

    project = Project.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("improvement_project", args=[project.pk])
    assert (project.clinic, project.unit, project.year) == (clinic, "Bra Liv Habo", 2025)
    assert (project.goals, project.action_plan) == ("Färre opioider", "Utbildning via APC")
    assert changes() == [
        f"förbättringsarbete {project.pk} (Bra Liv Habo Kronisk smärta 2025): skapat"
    ]


def test_a_new_project_defaults_to_this_year_and_offers_only_the_users_clinics(
    client, clinic, other_clinic
):
    third = make_clinic("tredje", "Tredje VC")
    user = make_user("mia", clinic)
    ClinicMembership.objects.create(user=user, clinic=third)
    client.force_login(user)

    page = client.get(reverse("improvement_project_new")).content.decode()
    refused = client.post(
        reverse("improvement_project_new"),
        {"clinic": other_clinic.pk, "theme": "t", "year": "2025"},
    )
    chosen = client.post(
        reverse("improvement_project_new"), {"clinic": third.pk, "theme": "t", "year": "2025"}
    )

    assert f'value="{timezone.localdate().year}"' in page
    assert "Tredje VC" in page and "Annan vårdcentral" not in page
    assert refused.status_code == 200 and "aria-invalid" in refused.content.decode()
    assert chosen.status_code == 302 and Project.objects.get().clinic == third


def test_a_new_project_without_theme_or_with_a_wild_year_is_refused_in_swedish(logged_in):
    response = logged_in.post(reverse("improvement_project_new"), {"theme": "", "year": "1066"})

    page = response.content.decode()
    assert response.status_code == 200 and not Project.objects.exists()
    assert "Fyll i tema." in page
    assert "Ange ett år mellan 2000 och" in page
    assert 'aria-invalid="true"' in page


def test_the_project_page_shows_the_deadlines_and_the_document_names(logged_in, project):
    page = logged_in.get(reverse("improvement_project", args=[project.pk])).content.decode()

    assert "2024-02-28" in page and "2025-01-31" in page
    assert "passerat" in page  # 2024's are gone
    assert "Bra Liv Habo långvarig smärta 2024 del 1" in page
    assert "Bra Liv Habo långvarig smärta 2024 del 1 och 2" in page


def test_a_project_of_this_year_counts_the_days_left(logged_in, clinic):
    today = timezone.localdate()
    later = actions.create_project(clinic, None, year=today.year + 1, theme="nästa år")
    page = logged_in.get(reverse("improvement_project", args=[later.pk])).content.decode()

    days = (date(today.year + 1, 2, 28) - today).days
    assert f"{days} dagar kvar" in page


def test_the_team_note_shows_outside_two_to_five_or_with_one_profession(logged_in, project):
    url = reverse("improvement_project", args=[project.pk])
    note = "Mallen rekommenderar 2–5 personer från flera yrkesgrupper"
    assert note in logged_in.get(url).content.decode()

    eva = actions.add_team_member(project, "Eva", "Sjuksköterska")
    actions.add_team_member(project, "Sara", "sjuksköterska")
    assert note in logged_in.get(url).content.decode()  # two, of one profession
    actions.remove_team_member(eva)
    actions.add_team_member(project, "Per", "Fysioterapeut")
    assert note not in logged_in.get(url).content.decode()


def test_the_indicator_note_shows_outside_two_to_five(logged_in, project):
    url = reverse("improvement_project", args=[project.pk])
    note = "Mallen ber om 2–5 indikatorer"
    for count in range(1, 7):
        actions.add_indicator(project, name=f"Antal {count}", kind="process", source="x")
        assert (note in logged_in.get(url).content.decode()) == (count not in range(2, 6))


def test_part_1_is_edited_and_the_change_names_the_fields(logged_in, project):
    url = reverse("improvement_project_edit", args=[project.pk])
    data = {
        "unit": "Habo VC", "theme": "långvarig smärta", "year": "2024",
        "contact_email": "lena@example.se", "mapping": "Vi vill …",
    }  # fmt: skip

    response = logged_in.post(url, data)

    project.refresh_from_db()
    assert response.status_code == 302
    assert (project.unit, project.contact_email, project.mapping) == (
        "Habo VC", "lena@example.se", "Vi vill …",
    )  # fmt: skip
    [detail] = changes()
    assert detail.startswith(f"förbättringsarbete {project.pk} (Habo VC")
    assert "del 1 ändrad" in detail and "contact_email" in detail and "mapping" in detail


def test_a_bad_e_mail_in_part_1_is_shown_and_nothing_saved(logged_in, project):
    url = reverse("improvement_project_edit", args=[project.pk])
    data = {"unit": "X", "theme": "t", "year": "2024", "head_of_unit_email": "inte-en-adress"}

    response = logged_in.post(url, data)

    project.refresh_from_db()
    assert response.status_code == 200 and project.unit == "Bra Liv Habo"
    assert "aria-invalid" in response.content.decode() and changes() == []


def test_part_2_is_edited_and_shown(logged_in, project):
    url = reverse("improvement_project_part2", args=[project.pk])
    logged_in.post(url, {"learned": "Att mäta varje månad", "plan_ahead": "Fortsätta"})

    page = logged_in.get(reverse("improvement_project", args=[project.pk])).content.decode()
    assert "Att mäta varje månad" in page and "Fortsätta" in page
    assert "del 2 ändrad" in changes()[0]


def test_team_members_are_added_and_removed_with_audit(logged_in, project):
    logged_in.post(
        reverse("improvement_team_add", args=[project.pk]),
        {"team-name": "Eva Ek", "team-profession": "Sjuksköterska"},
    )
    member = project.team.get()
    page = logged_in.get(reverse("improvement_project", args=[project.pk])).content.decode()
    assert "Eva Ek, Sjuksköterska" in page

    logged_in.post(reverse("improvement_team_remove", args=[project.pk, member.pk]))

    assert not project.team.exists()
    assert [d.split(": ", 1)[1] for d in changes()] == [
        "teammedlem tillagd: Eva Ek, Sjuksköterska",
        "teammedlem borttagen: Eva Ek, Sjuksköterska",
    ]


def test_a_team_member_without_profession_is_refused(logged_in, project):
    response = logged_in.post(
        reverse("improvement_team_add", args=[project.pk]), {"team-name": "Eva"}
    )

    assert response.status_code == 200 and not project.team.exists()
    assert "Skriv personens profession." in response.content.decode()


def test_removing_needs_a_post(logged_in, project):
    member = actions.add_team_member(project, "Eva", "Sjuksköterska")

    response = logged_in.get(reverse("improvement_team_remove", args=[project.pk, member.pk]))

    assert response.status_code == 405 and project.team.exists()


def test_causes_and_ideas_are_numbered_1_1_1_2(logged_in, project):
    logged_in.post(
        reverse("improvement_cause_add", args=[project.pk]),
        {"cause-text": "Ingen rutin för uppföljning", "cause-category": "Metoder"},
    )
    cause = project.causes.get()
    for text in ("Checklista", "Påminnelse i journalen"):
        logged_in.post(
            reverse("improvement_idea_add", args=[project.pk, cause.pk]), {"idea-text": text}
        )

    page = logged_in.get(reverse("improvement_project", args=[project.pk])).content.decode()
    assert (cause.number, cause.category) == (1, "Metoder")
    assert [i.label for i in cause.ideas.all()] == ["1.1", "1.2"]
    assert '<span class="label">1.2</span> Påminnelse i journalen' in page
    assert [d.split(": ", 1)[1] for d in changes()] == [
        "orsak 1 tillagd",
        "idé 1.1 tillagd",
        "idé 1.2 tillagd",
    ]


def test_an_empty_cause_or_idea_is_refused(logged_in, project):
    cause = actions.add_cause(project, "Ingen rutin")

    one = logged_in.post(reverse("improvement_cause_add", args=[project.pk]), {"cause-text": " "})
    two = logged_in.post(reverse("improvement_idea_add", args=[project.pk, cause.pk]), {})

    assert "Skriv orsaken." in one.content.decode()
    assert "Skriv idén." in two.content.decode()
    assert project.causes.count() == 1 and not Idea.objects.exists()


def test_a_cause_or_idea_tested_by_a_pdsa_cannot_be_deleted(logged_in, project):
    cause = actions.add_cause(project, "Ingen rutin")
    idea = actions.add_idea(cause, "Checklista")
    actions.start_pdsa(
        project, None, idea=idea, title="t", objective="o", prediction="p", plan="pl",
        starts_on=date(2024, 3, 1),
    )  # fmt: skip

    one = logged_in.post(
        reverse("improvement_cause_delete", args=[project.pk, cause.pk]), follow=True
    )
    two = logged_in.post(
        reverse("improvement_idea_delete", args=[project.pk, idea.pk]), follow=True
    )

    assert "Orsak 1 kan inte tas bort: en PDSA-cykel prövar" in one.content.decode()
    assert "Idé 1.1 kan inte tas bort: en PDSA-cykel prövar den." in two.content.decode()
    assert Cause.objects.exists() and Idea.objects.exists() and changes() == []


def test_an_untested_idea_and_cause_are_deleted_with_audit(logged_in, project):
    cause = actions.add_cause(project, "Ingen rutin")
    idea = actions.add_idea(cause, "Checklista")

    logged_in.post(reverse("improvement_idea_delete", args=[project.pk, idea.pk]))
    logged_in.post(reverse("improvement_cause_delete", args=[project.pk, cause.pk]))

    assert not Cause.objects.exists() and not Idea.objects.exists()
    assert [d.split(": ", 1)[1] for d in changes()] == ["idé 1.1 borttagen", "orsak 1 borttagen"]


def test_an_idea_of_another_project_is_a_404(logged_in, project, clinic):
    other = actions.create_project(clinic, None, year=2024, theme="annat")
    idea = actions.add_idea(actions.add_cause(other, "x"), "y")

    response = logged_in.post(reverse("improvement_idea_delete", args=[project.pk, idea.pk]))

    assert response.status_code == 404 and Idea.objects.exists()


def test_the_indicators_table_shows_start_target_and_result(logged_in, project):
    actions.add_indicator(
        project, name="Andel patienter med plan", kind="process", source="journalen",
        start_value=0.2, start_period="2023", target_text=">50 %", target_date=date(2024, 12, 31),
    )  # fmt: skip

    page = logged_in.get(reverse("improvement_project", args=[project.pk])).content.decode()

    for text in ("Andel patienter med plan", "Processmått", "0,2 (2023)", "&gt;50 %", "2024-12-31"):
        assert text in page


def test_export_links_appear_only_when_the_export_pages_exist(logged_in, project):
    from django.urls import NoReverseMatch

    page = logged_in.get(reverse("improvement_project", args=[project.pk])).content.decode()
    try:
        url = reverse("improvement_export_docx", args=[project.pk])
    except NoReverseMatch:
        assert "Nedladdning som Word, PDF och Excel finns inte ännu." in page
    else:
        assert f'href="{url}?del=1"' in page and f'href="{url}?del=2"' in page


def test_each_indicator_links_to_its_page_once_that_page_exists(logged_in, project):
    from django.urls import NoReverseMatch

    indicator = actions.add_indicator(project, name="Antal besök", kind="process", source="x")
    page = logged_in.get(reverse("improvement_project", args=[project.pk])).content.decode()
    try:
        url = reverse("improvement_indicator", args=[project.pk, indicator.pk])
    except NoReverseMatch:
        assert '<th scope="row">Antal besök</th>' in page
    else:
        assert f'<a href="{url}">Antal besök</a>' in page


def test_a_user_without_a_clinic_cannot_start_a_project(client, db):
    client.force_login(make_user("utan", None))

    response = client.get(reverse("improvement_project_new"), follow=True)

    assert "Du hör inte till någon vårdcentral" in response.content.decode()
    assert not Project.objects.exists()
