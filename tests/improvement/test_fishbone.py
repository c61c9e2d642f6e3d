"""The fishbone diagram (painpath/improvement/fishbone.py) drawn from a project's causes and
ideas, and shown on the project page beside the same list as text."""

import pytest
from django.urls import reverse

from painpath.improvement import actions
from painpath.improvement.fishbone import bones, fishbone_svg
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(clinic):
    return actions.create_project(clinic, None, year=2024, theme="Kronisk smärta")


def test_no_causes_no_diagram(project):
    assert fishbone_svg(project) is None


def test_each_cause_is_a_bone_with_its_ideas_when_none_has_a_category(project):
    first = actions.add_cause(project, "Ingen rutin för uppföljning")
    actions.add_idea(first, "Checklista")
    actions.add_idea(first, "Påminnelse")
    actions.add_cause(project, "Okunskap om smärtmekanismer")

    svg = fishbone_svg(project)

    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert '<title id="fishbone-title">Fiskbensdiagram: orsaker och idéer för Kronisk smärta' in svg
    assert "<desc" in svg and 'role="img"' in svg
    for text in ("1. Ingen rutin för", "uppföljning", "1.1 Checklista", "1.2 Påminnelse"):
        assert text in svg
    assert "2. Okunskap om smärtmekanismer" in svg
    assert [bone.heading for bone in bones(project)] == [
        "1. Ingen rutin för uppföljning",
        "2. Okunskap om smärtmekanismer",
    ]


def test_causes_with_categories_hang_on_their_category(project):
    actions.add_cause(project, "Stress i teamet", "Människor")
    actions.add_cause(project, "Ingen mall", "Metoder")
    actions.add_cause(project, "Ingen tid", "Människor")
    actions.add_cause(project, "Okänt")

    drawn = bones(project)

    assert [bone.heading for bone in drawn] == ["Människor", "Metoder", "Övrigt"]
    assert [text for text, _idea in drawn[0].items] == ["1. Stress i teamet", "3. Ingen tid"]
    assert "4. Okänt" in fishbone_svg(project)


def test_texts_are_escaped_and_long_ones_shortened_in_the_drawing_only(project):
    long = "Patienter <med> långvarig smärta & " + "mycket lång text " * 6
    cause = actions.add_cause(project, "Orsak & <script>")
    actions.add_idea(cause, long)

    svg = fishbone_svg(project)

    assert "<script>" not in svg and "Orsak &amp; &lt;script&gt;" in svg
    assert "…" in svg and long not in svg


def test_the_project_page_draws_the_fishbone_beside_the_list(client, clinic, project):
    client.force_login(make_user("lena", clinic))
    url = reverse("improvement_project", args=[project.pk])
    assert "Inga orsaker ännu: lägg till orsaker så ritas fiskbensdiagrammet." in (
        client.get(url).content.decode()
    )

    actions.add_cause(project, "Ingen rutin")
    page = client.get(url).content.decode()

    assert '<figure class="fishbone">' in page and "<title" in page
    assert "Inga orsaker ännu" not in page
