"""The clinician's pages of the pathway: enrol a patient, the enrolment with its history and
the actions its state allows, booking the first assessment, the summary before the visit,
and the worklist. Every page is scoped to the user's clinics (an enrolment elsewhere is a
404, as one that does not exist), every view of patient data and every change is audited,
and every change goes through actions.py."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from painpath.access.models import AuditAction
from painpath.access.policies import audit, clinics_for, get_patient_for_user
from painpath.pathway import actions
from painpath.pathway import worklist as work
from painpath.pathway.lookup import get_enrolment_for_user
from painpath.pathway.models import Enrolment
from painpath.pathway.staff_forms import (
    STATE_FORMS,
    AlreadyOpen,
    AssessmentForm,
    CancelBookingForm,
    EnrolmentForm,
    open_enrolment,
)
from painpath.pathway.states import ALLOWED, ASSESSMENT_MINUTES, State, Timepoint
from painpath.pathway.summary import summarise
from painpath.records.models import Patient


def _changed(request, enrolment: Enrolment, what: str) -> None:
    audit(request, AuditAction.CHANGE, enrolment.patient, f"vårdförlopp {enrolment.pk}: {what}")


def _refusal(enrolment: Enrolment, target: State) -> str:
    enrolment.refresh_from_db(fields=["state"])
    return _(
        "Det gick inte: vårdförloppet är nu ”%(state)s”, och därifrån går det inte till "
        "”%(target)s”. Sidan visar det som går att göra nu."
    ) % {"state": enrolment.get_state_display(), "target": State(target).label}


def _posted(request):
    """The form's data when it was sent, even empty (which an unbound form would hide)."""
    return request.POST if request.method == "POST" else None


def invitation_url(enrolment: Enrolment) -> str:
    """The page that makes a questionnaire link or letter (urls_paper.py)."""
    return reverse("pathway_invitation", args=[enrolment.pk])


def paper_url(enrolment: Enrolment) -> str | None:
    """Where staff enter the answers of a paper form, while answers are awaited."""
    if enrolment.state in (State.IDENTIFIED, State.INVITED):
        return reverse("pathway_paper", args=[enrolment.pk, Timepoint.BASELINE])
    if enrolment.state in (State.ASSESSED, State.FOLLOW_UP_DUE):
        return reverse("pathway_paper", args=[enrolment.pk, Timepoint.FOLLOW_UP])
    return None


def enrol(request, pseudonym: str):
    patient = get_patient_for_user(request, pseudonym)  # audited view, or 404
    clinics = clinics_for(request.user).filter(listings__patient=patient).distinct()
    form = EnrolmentForm(_posted(request), clinics=clinics, user=request.user)
    refused = None
    if request.method == "POST" and form.is_valid():
        enrolment, refused = _enrol_once(request, patient, form)
        if enrolment is not None:
            _changed(request, enrolment, "inskriven")
            messages.success(request, _("Patienten är inskriven i vårdförloppet."))
            return redirect("pathway_enrolment", enrolment.pk)
    enrolments = patient.enrolments.filter(clinic__in=clinics).select_related("clinic")
    context = {"patient": patient, "form": form, "refused": refused, "enrolments": enrolments}
    return render(request, "pathway/enrolment_form.html", context)


@transaction.atomic
def _enrol_once(request, patient, form) -> tuple[Enrolment | None, Enrolment | None]:
    """(the new enrolment, None), or (None, the open one) when there is one already. The
    patient's row is locked so that a double-clicked form cannot enrol twice."""
    Patient.objects.select_for_update().filter(pk=patient.pk).first()
    clinic, data = form.chosen_clinic, form.cleaned_data
    first = open_enrolment(patient, clinic)
    if first is not None:
        return None, first
    enrolment = actions.enrol(
        patient, clinic, criterion=data["criterion"], profession=data["profession"],
        channel=data["channel"], user=request.user, first_name=data["first_name"],
        family_name=data["family_name"],
    )  # fmt: skip
    return enrolment, None


def _detail_context(enrolment: Enrolment, bound=None) -> dict:
    state = State(enrolment.state)
    state_forms = {
        name: form_class() for name, form_class in STATE_FORMS.items()
        if form_class.target in ALLOWED[state]
    }  # fmt: skip
    if bound is not None and not isinstance(bound, CancelBookingForm):  # shown with its errors
        state_forms[bound.action_name] = bound
    bookings = list(enrolment.assessments.select_related("clinician", "booked_by"))
    open_booking = next((b for b in bookings if not (b.done_at or b.cancelled_at)), None)
    summaries = [summarise(enrolment, Timepoint.BASELINE)]
    if state in (State.ASSESSED, State.FOLLOW_UP_DUE, State.FOLLOWED_UP) or (
        enrolment.responses.filter(timepoint=Timepoint.FOLLOW_UP).exists()
    ):
        summaries.append(summarise(enrolment, Timepoint.FOLLOW_UP))
    return {
        "enrolment": enrolment,
        "patient": enrolment.patient,
        "history": enrolment.changes.select_related("user"),
        "invitations": enrolment.invitations.select_related("created_by").order_by("-id"),
        "summaries": summaries,
        "alerts": [alert for s in summaries for alert in s.alerts],
        "bookings": bookings,
        "open_booking": open_booking,
        "invitation_url": invitation_url(enrolment),
        "paper_url": paper_url(enrolment),
        "can_invite": state in (State.IDENTIFIED, State.INVITED, State.FOLLOW_UP_DUE),
        "can_book": state in work.BEFORE_ASSESSMENT and open_booking is None,
        "can_mark_assessed": open_booking is not None and State.ASSESSED in ALLOWED[state],
        "state_forms": state_forms,
        "cancel_booking_form": bound
        if isinstance(bound, CancelBookingForm)
        else CancelBookingForm(),
        "now": timezone.now(),
        "routine_minutes": ASSESSMENT_MINUTES,
        "window": _follow_up_window(enrolment),
    }


def _follow_up_window(enrolment: Enrolment) -> dict | None:
    """When the follow-up answers are due, and whether that time has passed unanswered."""
    due = enrolment.follow_up_due_on
    if due is None or enrolment.state not in work.WAITING_FOR_FOLLOW_UP:
        return None
    closes = due + work.WINDOW
    return {"opens": due - work.WINDOW, "closes": closes, "overdue": closes < timezone.localdate()}


def enrolment_detail(request, pk: int, bound=None):
    enrolment = get_enrolment_for_user(request, pk)
    audit(request, AuditAction.VIEW, enrolment.patient, f"vårdförlopp {pk}")
    context = _detail_context(enrolment, bound)
    return render(request, "pathway/enrolment_detail.html", context)


@require_POST
def change_state(request, pk: int, action: str):
    enrolment = get_enrolment_for_user(request, pk)
    form = STATE_FORMS[action](request.POST)
    if not form.is_valid():  # the page again, the form open and saying what is missing
        return enrolment_detail(request, pk, bound=form)
    try:
        form.apply(enrolment, request.user)
    except AlreadyOpen as refused:
        messages.error(
            request,
            _("Patienten har redan ett öppet vårdförlopp här: inskrivning %(id)s.")
            % {"id": refused.enrolment.pk},
        )
    except actions.NotAllowed:
        messages.error(request, _refusal(enrolment, form.target))
    else:
        _changed(request, enrolment, f"→ {form.target.value}")
        messages.success(request, form.done)
    return redirect("pathway_enrolment", pk)


def book_assessment(request, pk: int):
    enrolment = get_enrolment_for_user(request, pk)
    booked = enrolment.assessments.filter(done_at__isnull=True, cancelled_at__isnull=True)
    if enrolment.state not in work.BEFORE_ASSESSMENT or booked.exists():
        messages.error(request, _("Det finns redan en bokad bedömning, eller så är den gjord."))
        return redirect("pathway_enrolment", pk)
    form = AssessmentForm(_posted(request), clinic=enrolment.clinic, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions.book_assessment(
            enrolment, scheduled_at=data["scheduled_at"], length_minutes=data["length_minutes"],
            clinician=data["clinician"], profession=data["profession"], user=request.user,
        )  # fmt: skip
        _changed(request, enrolment, f"bedömning bokad, {data['length_minutes']} min")
        if form.short:
            messages.warning(request, _("Bokad, men kortare än de 45 minuter rutinen anger."))
        else:
            messages.success(request, _("Bedömningen är bokad."))
        return redirect("pathway_enrolment", pk)
    audit(request, AuditAction.VIEW, enrolment.patient, f"vårdförlopp {pk}: bokning")
    return render(request, "pathway/assessment_form.html", {"enrolment": enrolment, "form": form})


def _open_booking(enrolment: Enrolment, assessment_id: int):
    return get_object_or_404(
        enrolment.assessments, pk=assessment_id, done_at__isnull=True, cancelled_at__isnull=True
    )


@require_POST
def assessment_done(request, pk: int, assessment_id: int):
    enrolment = get_enrolment_for_user(request, pk)
    booking = _open_booking(enrolment, assessment_id)
    try:
        enrolment = actions.assessed(booking, request.user)
    except actions.NotAllowed:
        messages.error(request, _refusal(enrolment, State.ASSESSED))
    else:
        _changed(request, enrolment, f"bedömd (bokning {booking.pk})")
        messages.success(
            request,
            _("Markerad som bedömd. Uppföljningen är aktuell omkring %(date)s.")
            % {"date": enrolment.follow_up_due_on.isoformat()},
        )
    return redirect("pathway_enrolment", pk)


@require_POST
def assessment_cancel(request, pk: int, assessment_id: int):
    enrolment = get_enrolment_for_user(request, pk)
    booking = _open_booking(enrolment, assessment_id)
    form = CancelBookingForm(request.POST)
    if not form.is_valid():
        return enrolment_detail(request, pk, bound=form)
    actions.cancel_assessment(booking, cancelled_by=form.cleaned_data["cancelled_by"])
    _changed(request, enrolment, f"bokning {booking.pk} avbokad av {booking.cancelled_by}")
    messages.success(request, _("Bedömningen är avbokad."))
    return redirect("pathway_enrolment", pk)


def summary(request, pk: int):
    enrolment = get_enrolment_for_user(request, pk)
    timepoint = request.GET.get("tidpunkt", Timepoint.BASELINE)
    if timepoint not in Timepoint.values:
        timepoint = Timepoint.BASELINE
    audit(request, AuditAction.VIEW, enrolment.patient, f"vårdförlopp {pk}: sammanfattning")
    context = {"enrolment": enrolment, "summary": summarise(enrolment, timepoint)}
    return render(request, "pathway/summary.html", context)


def worklist(request):
    clinics = clinics_for(request.user)
    today = timezone.localdate()
    # time moves the user's clinics' enrolments on, whoever looks first
    actions.open_due_follow_ups(today, clinics=clinics)
    newest_first = request.GET.get("ordning") == "nyast"
    sections = work.build(clinics, today, newest_first=newest_first)
    audit(request, AuditAction.VIEW, detail="vårdförlopp: arbetslista")
    context = {
        "sections": {section.key: section for section in sections},
        "today": today,
        "newest_first": newest_first,
        "show_clinic": clinics.count() > 1,
    }
    return render(request, "pathway/worklist.html", context)


@require_POST
def remind(request, pk: int, invitation_id: int):
    enrolment = get_enrolment_for_user(request, pk)
    invitation = get_object_or_404(enrolment.invitations, pk=invitation_id, submitted_at=None)
    if invitation.expires_at <= timezone.now():
        messages.warning(request, _("Länken har gått ut. Gör en ny länk till patienten."))
        return redirect(invitation_url(enrolment))
    work.record_reminder(invitation)
    _changed(request, enrolment, f"påminnelse om inbjudan {invitation.pk}")
    messages.success(
        request,
        _("Påminnelsen är noterad. Länken gäller till och med %(date)s.")
        % {"date": timezone.localdate(invitation.expires_at).isoformat()},
    )
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = reverse("pathway_worklist")
    return redirect(back)
