"""Staff pages for the questionnaires: answers entered from a patient's paper form, and the
letter with the questionnaire link and its QR code. Scoped to the user's clinics (another
clinic's enrolment is a 404, as one that does not exist) and audited; every change goes
through actions.py (InstrumentForm.save calls actions.save_answers)."""

import segno
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from painpath.access.models import AuditAction
from painpath.access.policies import audit
from painpath.pathway import actions, instruments
from painpath.pathway.forms import (
    InstrumentForm,
    InvitationForm,
    known_instruments,
    minutes_needed,
    steps,
)
from painpath.pathway.lookup import get_enrolment_for_user
from painpath.pathway.states import Source, Timepoint


def _timepoint(value: str) -> Timepoint:
    if value not in Timepoint.values:
        raise Http404("Ingen sådan tidpunkt")
    return Timepoint(value)


def _audit(request, action, enrolment, what: str) -> None:
    audit(request, action, enrolment.patient, f"vårdförlopp {enrolment.pk}: {what}")


def _open_invitation(enrolment, timepoint):
    """The newest link of the timepoint not yet submitted: submitting from paper uses it up,
    so the patient cannot overwrite what staff entered."""
    invitations = enrolment.invitations.filter(timepoint=timepoint, submitted_at__isnull=True)
    return invitations.order_by("-created_at", "-id").first()


def _paper_instruments(enrolment, timepoint) -> list:
    """The open link's instruments, else the timepoint's default set, then any other
    instrument already answered at this timepoint."""
    clinic = enrolment.clinic
    invitation = _open_invitation(enrolment, timepoint)
    if invitation is not None:
        codes = list(invitation.instruments)
    else:
        codes = [i.code for i in instruments.for_timepoint(timepoint, clinic)]
    answered = enrolment.responses.filter(timepoint=timepoint).values_list("instrument", flat=True)
    codes += [code for code in answered if code not in codes]
    return known_instruments(codes, clinic)


def paper_answers(request, pk: int, timepoint: str):
    """The timepoint's instruments, each with how far its answers are; POST marks the
    timepoint as submitted."""
    enrolment, timepoint = get_enrolment_for_user(request, pk), _timepoint(timepoint)
    if request.method == "POST":
        invitation = _open_invitation(enrolment, timepoint)
        actions.submit(enrolment, timepoint, user=request.user, invitation=invitation)
        _audit(request, AuditAction.CHANGE, enrolment, f"svar inskickade ({timepoint.value})")
        messages.success(request, _("Svaren är markerade som inskickade."))
        return redirect("pathway_paper", pk, timepoint.value)
    _audit(request, AuditAction.VIEW, enrolment, f"svar ({timepoint.value})")
    responses = enrolment.responses.filter(timepoint=timepoint)
    found = steps(_paper_instruments(enrolment, timepoint), responses)
    context = {
        "enrolment": enrolment,
        "timepoint": timepoint,
        "steps": found,
        "unsubmitted": any(s.response and not s.response.submitted_at for s in found),
    }
    return render(request, "pathway/questionnaire_paper_list.html", context)


def paper_instrument(request, pk: int, timepoint: str, code: str):
    enrolment, timepoint = get_enrolment_for_user(request, pk), _timepoint(timepoint)
    try:
        instrument = instruments.get(code, clinic=enrolment.clinic)
    except instruments.UnknownInstrument:
        raise Http404("Inget sådant formulär") from None
    saved = enrolment.responses.filter(timepoint=timepoint, instrument=code).first()
    data = request.POST if request.method == "POST" else None
    form = InstrumentForm(instrument, data, initial=saved.answers if saved else None)
    if form.is_bound and form.is_valid():
        # A paper form is entered as it is, blanks and all: the score says what is missing.
        response = form.save(enrolment, timepoint, source=Source.PAPER, user=request.user)
        _audit(request, AuditAction.CHANGE, enrolment, f"svar från papper, {code} ({timepoint})")
        messages.success(request, _saved_message(instrument, response.score))
        return redirect("pathway_paper", pk, timepoint.value)
    if not form.is_bound:
        _audit(request, AuditAction.VIEW, enrolment, f"svar, {code} ({timepoint.value})")
    context = {
        "enrolment": enrolment,
        "timepoint": timepoint,
        "instrument": instrument,
        "form": form,
        "rows": form.rows(),
        "response": saved,
    }
    return render(request, "pathway/questionnaire_paper_entry.html", context)


def _saved_message(instrument, score: dict) -> str:
    missing = len(score.get("missing") or [])
    saved = _("Svaren på %(title)s är sparade.") % {"title": instrument.title}
    if not missing:
        return saved
    return (
        saved
        + " "
        + ngettext("%(n)s fråga saknar svar.", "%(n)s frågor saknar svar.", missing)
        % {"n": missing}
    )


def invitation_letter(request, pk: int):
    """GET: which questionnaires. POST: a new link, shown once in a printable letter with
    its QR code; only its hash is kept, so a lost letter means a new invitation."""
    enrolment = get_enrolment_for_user(request, pk)
    form = InvitationForm(request.POST or None, enrolment=enrolment)
    if request.method == "POST" and form.timepoint and form.is_valid():
        invitation, token = actions.invite(
            enrolment, form.cleaned_data["instruments"], request.user,
            timepoint=form.timepoint, days=form.cleaned_data["days"],
        )  # fmt: skip
        _audit(request, AuditAction.CHANGE, enrolment, f"inbjudan {invitation.pk} skapad")
        link = request.build_absolute_uri(reverse("questionnaire_start", args=[token]))
        context = {
            "enrolment": enrolment,
            "invitation": invitation,
            "link": link,
            "qr": qr_svg(link),
            "minutes": minutes_needed(known_instruments(invitation.instruments, enrolment.clinic)),
        }
        response = render(request, "pathway/invitation_letter.html", context)
        add_never_cache_headers(response)  # the page holds the token: not kept anywhere
        return response
    _audit(request, AuditAction.VIEW, enrolment, "inbjudan")
    context = {"enrolment": enrolment, "form": form, "letter": None}
    return render(request, "pathway/invitation_letter.html", context)


def qr_svg(link: str) -> str:
    """The link as a QR code, an inline SVG that scales with the page (nothing fetched)."""
    code = segno.make(link, error="m", micro=False)
    return code.svg_inline(
        scale=4, border=4, omitsize=True, svgclass="qr", title=_("QR-kod till formulären")
    )
