"""The patient's questionnaires opened from a link, without login (painpath/pathway/
views_patient.py): the whole way through, and a plain refusal for every dead link."""

import logging
import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.utils import timezone

from painpath.access.models import AuditEvent
from painpath.pathway import actions
from painpath.pathway.models import Invitation, Response
from painpath.pathway.states import Channel, Criterion, State, Timepoint
from painpath.records.models import Patient
from tests.factories import make_user

pytestmark = pytest.mark.django_db
REFUSAL = "Länken fungerar inte längre. Kontakta vårdcentralen om du vill svara på formulären."
CODES = ["nrs_pain", "pain_drawing", "oempsq_sf"]


@pytest.fixture
def nurse(clinic):
    return make_user("sara", clinic)


@pytest.fixture
def enrolment(clinic, nurse):
    patient = Patient.objects.create(id_hash="h-link", pseudonym="PLINKLINKLINK")
    return actions.enrol(
        patient, clinic, criterion=Criterion.NEW_LONG_PAIN, profession="nurse",
        channel=Channel.PHONE, user=nurse, first_name="Anna",
    )  # fmt: skip


@pytest.fixture
def invited(enrolment, nurse):
    """(invitation, token) for three instruments."""
    return actions.invite(enrolment, CODES, nurse)


def url(token: str, page: int | str = "") -> str:
    return f"/formular/{token}/" + (f"{page}/" if page != "" else "")


def test_it_walks_the_patient_through_open_answer_go_back_change_and_submit(client, invited):
    invitation, token = invited

    start = client.get(url(token))
    assert start.status_code == 200
    assert "Hej Anna!" in start.text and "3 formulär" in start.text
    assert f'href="{url(token, 1)}"' in start.text

    page = client.get(url(token, 1))
    assert "Formulär 1 av 3" in page.text
    assert client.post(url(token, 1), {"q-1": "7", "go": "next"})["Location"] == url(token, 2)
    assert Response.objects.get(instrument="nrs_pain").answers == {"1": 7}

    drawing = {"q-regions": ["lower_back", "neck"], "go": "back"}
    assert client.post(url(token, 2), drawing)["Location"] == url(token, 1)
    back = client.get(url(token, 1))
    assert re.search(r'value="7" checked', back.text)
    client.post(url(token, 1), {"q-1": "5", "go": "next"})
    again = client.get(url(token, 2))
    assert re.search(r'id="region-neck" value="neck" checked', again.text)
    assert not re.search(r'id="region-chest" value="chest" checked', again.text)

    oempsq = {f"q-{n}": "4" for n in range(1, 11)} | {"go": "next"}
    assert client.post(url(token, 3), oempsq)["Location"] == url(token, "skicka")
    review = client.get(url(token, "skicka"))
    assert review.text.count("Klart") == 3

    thanks = client.post(url(token, "skicka"), follow=True)
    assert "Tack för dina svar!" in thanks.text
    saved = {r.instrument: r for r in Response.objects.all()}
    assert saved["nrs_pain"].answers == {"1": 5} and saved["nrs_pain"].score["total"] == 5
    assert saved["pain_drawing"].score["regions"] == ["lower_back", "neck"]
    assert saved["oempsq_sf"].score["complete"]
    assert {r.source for r in saved.values()} == {"link"}
    assert all(r.invitation_id == invitation.pk and r.submitted_at for r in saved.values())
    invitation.refresh_from_db()
    assert invitation.submitted_at and invitation.enrolment.state == State.ANSWERED

    for after in (url(token), url(token, 1), url(token, "skicka")):
        assert client.get(after).status_code == 404
    assert client.post(url(token, "skicka")).status_code == 404
    assert Response.objects.filter(submitted_at__isnull=True).count() == 0


def test_it_marks_the_invitation_opened_the_first_time_only(client, invited):
    invitation, token = invited
    client.get(url(token))
    invitation.refresh_from_db()
    first = invitation.opened_at
    assert first is not None

    client.get(url(token, 2))
    invitation.refresh_from_db()
    assert invitation.opened_at == first


def _dead_link(case: str, invited, enrolment, nurse) -> str:
    """A token for each way a link stops working."""
    if case == "unknown":
        return "x" * 43
    if case == "guessed_short":
        return "abc"
    if case == "expired":
        long_ago = timezone.now() - timedelta(days=30)
        return actions.invite(enrolment, CODES, nurse, at=long_ago)[1]
    if case == "used":
        used, token = actions.invite(enrolment, CODES, nurse)
        actions.submit(enrolment, Timepoint.BASELINE, invitation=used)
        return token
    actions.decline(enrolment, nurse, reason="vill inte")  # ended
    return invited[1]


@pytest.mark.parametrize("case", ["unknown", "guessed_short", "expired", "used", "ended"])
def test_it_refuses_every_dead_link_alike_and_reveals_nothing(
    client, invited, enrolment, nurse, case
):
    token = _dead_link(case, invited, enrolment, nurse)

    pages = [client.get(url(token)), client.get(url(token, 1)), client.get(url(token, "skicka"))]
    pages.append(client.post(url(token, 1), {"q-1": "3"}))

    for page in pages:
        assert page.status_code == 404
        assert REFUSAL in page.text
        assert "Anna" not in page.text and "Habo" not in page.text
        assert "Hej" not in page.text
    assert not Response.objects.exists()
    # Every case gives the same page, byte for byte, as a token never made.
    assert pages[0].content == client.get("/formular/" + "y" * 43 + "/").content


def test_it_refuses_a_link_whose_enrolment_was_cancelled_after_it_was_opened(
    client, invited, enrolment, nurse
):
    _invitation, token = invited
    assert client.get(url(token)).status_code == 200
    actions.cancel(enrolment, nurse, cancelled_by="clinic", reason="flytt")

    assert client.get(url(token, 1)).status_code == 404


def test_it_keeps_the_link_out_of_referrers_caches_search_engines_and_the_request_log(
    client, invited, caplog
):
    _invitation, token = invited
    with caplog.at_level(logging.DEBUG):
        pages = [client.get(url(token)), client.get(url(token, 1)), client.get(url("x" * 43))]
        pages.append(client.get(url(token) + "nowhere/at/all/"))

    for page in pages:
        assert page["Referrer-Policy"] == "same-origin"
        assert "no-store" in page["Cache-Control"]
        assert "noindex" in page["X-Robots-Tag"]
        assert "default-src 'none'" in page["Content-Security-Policy"]
    assert pages[3].status_code == 404 and REFUSAL in pages[3].text
    assert token not in caplog.text and "x" * 43 not in caplog.text


def test_it_writes_nothing_to_the_audit_log_and_keeps_only_the_tokens_hash(client, invited):
    invitation, token = invited
    client.get(url(token))
    client.post(url(token, 1), {"q-1": "6", "go": "next"})
    client.post(url(token, "skicka"))

    assert not AuditEvent.objects.filter(username__in=["", "patient"]).exists()
    assert not AuditEvent.objects.filter(path__contains=token).exists()
    assert invitation.token_hash == actions.token_hash(token) != token
    assert not Invitation.objects.filter(token_hash=token).exists()


def test_a_post_needs_the_csrf_token_and_the_pages_own_origin(invited, caplog):
    _invitation, token = invited
    strict = Client(enforce_csrf_checks=True)
    page = strict.get(url(token, 1))
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    answer = {"q-1": "3", "go": "next"}

    with caplog.at_level(logging.DEBUG):
        missing = strict.post(url(token, 1), answer, HTTP_ORIGIN="http://testserver")
        foreign = strict.post(
            url(token, 1),
            answer | {"csrfmiddlewaretoken": csrf},
            HTTP_ORIGIN="https://evil.example",
        )
    assert missing.status_code == foreign.status_code == 403
    assert "Det gick inte att spara" in missing.text
    assert missing["Cache-Control"] and "no-store" in missing["Cache-Control"]
    assert token not in caplog.text
    assert not Response.objects.exists()

    mine = strict.post(
        url(token, 1), answer | {"csrfmiddlewaretoken": csrf}, HTTP_ORIGIN="http://testserver"
    )
    assert mine.status_code == 302
    assert Response.objects.get().answers == {"1": 3}


def test_it_names_the_unanswered_questions_and_lets_the_patient_skip_where_allowed(client, invited):
    _invitation, token = invited
    partly = {f"q-{n}": "4" for n in range(3, 11)} | {"go": "next"}  # 1 and 2 unanswered

    page = client.post(url(token, 3), partly)
    assert page.status_code == 200
    assert 'href="#item-1"' in page.text and 'href="#item-2"' in page.text
    assert 'value="skip"' in page.text
    saved = Response.objects.get(instrument="oempsq_sf")
    assert saved.score["missing"] == ["1", "2"]  # kept anyway, as the patient goes

    skipped = client.post(url(token, 3), partly | {"go": "skip"})
    assert skipped.status_code == 302 and skipped["Location"] == url(token, "skicka")
    review = client.get(url(token, "skicka"))
    assert "2 frågor utan svar" in review.text


def test_it_does_not_let_the_patient_skip_an_answer_the_score_cannot_do_without(client, invited):
    _invitation, token = invited

    page = client.post(url(token, 1), {"go": "skip"})

    assert page.status_code == 200
    assert 'value="skip"' not in page.text
    assert "Svara på den här frågan." in page.text


def test_going_back_keeps_what_was_given_without_asking_for_the_rest(client, invited):
    _invitation, token = invited

    back = client.post(url(token, 3), {"q-2": "9", "go": "back"})

    assert back.status_code == 302 and back["Location"] == url(token, 2)
    assert Response.objects.get(instrument="oempsq_sf").answers == {"2": 9}


class _Labels(HTMLParser):
    """Every form control with what labels it, and every aria-describedby target."""

    def __init__(self):
        super().__init__()
        self.controls, self.label_for, self.ids, self.described = [], set(), set(), []
        self.open_labels, self.fieldsets, self.legend_next = 0, 0, False
        self.legends = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if attrs.get("aria-describedby"):
            self.described.extend(attrs["aria-describedby"].split())
        if tag == "label":
            self.open_labels += 1
            if attrs.get("for"):
                self.label_for.add(attrs["for"])
        if tag == "fieldset":
            self.fieldsets += 1
        if tag == "legend":
            self.legends += 1
        if tag in ("input", "textarea", "select") and attrs.get("type") not in ("hidden",):
            if tag == "input" and attrs.get("type") in ("submit",):
                return
            self.controls.append((attrs.get("id"), self.open_labels > 0))

    def handle_endtag(self, tag):
        if tag == "label":
            self.open_labels -= 1


@pytest.mark.parametrize("page", [1, 2, 3])
def test_every_answer_is_labelled_and_every_error_tied_to_its_question(client, invited, page):
    _invitation, token = invited
    html = client.post(url(token, page), {"go": "next"}).text  # nothing answered: errors shown

    found = _Labels()
    found.feed(html)
    assert found.controls
    for control_id, inside_label in found.controls:
        assert inside_label or control_id in found.label_for, control_id
    assert found.fieldsets == found.legends
    assert found.described and set(found.described) <= found.ids
    assert any(ref.endswith("_error") for ref in found.described)


def test_the_pages_fetch_nothing_from_elsewhere_and_need_no_script(client, invited):
    _invitation, token = invited
    for page in (url(token), url(token, 1), url(token, 2), url(token, "skicka")):
        html = client.get(page).text
        assert "<script" not in html
        assert not re.search(r'(src|href)="(https?:)?//', html)


def test_a_placeholder_instrument_is_not_shown_to_the_patient(client, enrolment, nurse):
    _invitation, token = actions.invite(enrolment, ["valmaende", "nrs_pain"], nurse)

    assert "Formulär 1 av 1" in client.get(url(token, 1)).text
    assert client.get(url(token, 2))["Location"] == url(token)


def test_answers_entered_from_paper_at_the_same_timepoint_are_shown_to_change(
    client, invited, enrolment, nurse
):
    _invitation, token = invited
    actions.save_answers(
        enrolment, Timepoint.BASELINE, "nrs_pain", {"1": 8}, {}, source="paper", user=nurse
    )

    assert re.search(r'value="8" checked', client.get(url(token, 1)).text)


def test_a_link_with_nothing_left_to_show_says_so_instead_of_a_start_button(
    client, enrolment, nurse
):
    _invitation, token = actions.invite(enrolment, ["valmaende"], nurse)

    page = client.get(url(token))

    assert "Det finns inga formulär att svara på här just nu." in page.text
    assert url(token, 1) not in page.text
