"""The patient's side: questionnaires opened from a link (or a letter's QR code) without
logging in. The token in the URL is the only key, so these pages

- answer every token that does not open a live invitation (unknown, expired, submitted, or
  its pathway ended) with one and the same refusal, saying nothing about why or whose;
- show nothing about the patient but the first name the clinic gave;
- keep the URL out of other sites' logs, caches and search engines (headers below), and out
  of painpath's own logs: no audit event (that log is for staff), no "Not Found" line.
"""

import logging
from functools import wraps

from django.contrib.auth.decorators import login_not_required
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.decorators import decorator_from_middleware
from django.views.decorators.csrf import csrf_exempt

from painpath.pathway import actions
from painpath.pathway.forms import InstrumentForm, known_instruments, minutes_needed, steps
from painpath.pathway.states import Source

csrf_log = logging.getLogger("django.security.csrf")

PRIVATE_HEADERS = {
    # The URL goes to no other site; same-origin rather than no-referrer, under which a
    # browser posts its own form with "Origin: null" and fails Django's CSRF origin check.
    "Referrer-Policy": "same-origin",
    "X-Robots-Tag": "noindex, nofollow",
    # Nothing but the app's own stylesheet and icon: no script, nothing from elsewhere.
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
        "base-uri 'none'; frame-ancestors 'none'"
    ),
}


def _private(response):
    add_never_cache_headers(response)  # Cache-Control: no-store, among others
    for name, value in PRIVATE_HEADERS.items():
        response[name] = value
    # Django logs a 4xx answer as "Not Found: <path>", and the path holds the token.
    response._has_been_logged = True
    return response


def refused(request):
    return _private(render(request, "pathway/link_refused.html", status=404))


class _PatientCsrf(CsrfViewMiddleware):
    """Django's CSRF check, answered with a page the patient understands (and without the
    path, which holds the token, in the log)."""

    def _reject(self, request, reason):
        csrf_log.warning("Forbidden (%s): a questionnaire page", reason)  # not the path
        return render(request, "pathway/questionnaire_retry.html", status=403)


_csrf_protect = decorator_from_middleware(_PatientCsrf)


def patient_page(view):
    """A page opened by a token: the view gets the live invitation, or the patient gets
    the refusal. The first time, the invitation is marked as opened."""

    @_csrf_protect
    def checked(request, token, **kwargs):
        invitation = actions.find_invitation(token)
        if invitation is None:
            return refused(request)
        actions.opened(invitation)
        return view(request, invitation, token, **kwargs)

    @login_not_required
    @csrf_exempt  # checked above instead, by _PatientCsrf
    @wraps(view)
    def page(request, token, **kwargs):
        return _private(checked(request, token, **kwargs))

    return page


def _steps(invitation):
    found = known_instruments(invitation.instruments, invitation.enrolment.clinic)
    # A placeholder's items have no text yet (the clinic has not loaded it): not for patients.
    shown = [instrument for instrument in found if instrument.status != "placeholder"]
    return steps(shown, invitation.enrolment.responses.filter(timepoint=invitation.timepoint))


@patient_page
def questionnaire_start(request, invitation, token):
    found = _steps(invitation)
    context = {
        "token": token,
        "first_name": invitation.enrolment.first_name,
        "timepoint": invitation.timepoint,
        "steps": found,
        "minutes": minutes_needed([step.instrument for step in found]),
        "expires_at": invitation.expires_at,
        "answered": any(step.started for step in found),
    }
    return render(request, "pathway/questionnaire_start.html", context)


@patient_page
def questionnaire_page(request, invitation, token, number: int):
    found = _steps(invitation)
    if not 1 <= number <= len(found):
        return redirect("questionnaire_start", token)
    step = found[number - 1]
    saved = step.response.answers if step.response else None
    data = request.POST if request.method == "POST" else None
    form = InstrumentForm(step.instrument, data, initial=saved)
    offer_skip = False
    if form.is_bound and form.is_valid():
        form.save(
            invitation.enrolment, invitation.timepoint, source=Source.LINK, invitation=invitation
        )
        go = request.POST.get("go")
        if go == "back":
            return redirect(*_page(token, number - 1))
        if form.check_missing(skipping=go == "skip"):
            return redirect(*_page(token, number + 1, last=len(found)))
        offer_skip = form.may_skip
    context = {
        "token": token,
        "instrument": step.instrument,
        "form": form,
        "rows": form.rows(),
        "number": number,
        "total": len(found),
        "offer_skip": offer_skip,
    }
    return render(request, "pathway/questionnaire_page.html", context)


def _page(token: str, number: int, last: int | None = None) -> tuple:
    if number < 1:
        return ("questionnaire_start", token)
    if last is not None and number > last:
        return ("questionnaire_submit", token)
    return ("questionnaire_page", token, number)


@patient_page
def questionnaire_submit(request, invitation, token):
    if request.method == "POST":
        actions.submit(invitation.enrolment, invitation.timepoint, invitation=invitation)
        return redirect("questionnaire_thanks")
    found = _steps(invitation)
    context = {"token": token, "steps": found, "all_done": all(step.done for step in found)}
    return render(request, "pathway/questionnaire_review.html", context)


@login_not_required
@csrf_exempt  # a page that does nothing: nothing to protect, and no log line with the path
def not_a_page(request, rest: str):
    return refused(request)


@login_not_required
def questionnaire_thanks(request):
    return _private(render(request, "pathway/questionnaire_thanks.html"))
