"""Recording a rehab meeting (rehabmöte) about one pathway patient, and, when its decisions
change the plan, the new plan version in the same form, linked to the meeting."""

from django.shortcuts import render
from django.utils.translation import gettext as _

from painpath.care import actions
from painpath.care.forms_team import MeetingForm, PlanForm, plan_professions
from painpath.care.views_team import care_change, done, posted, viewed
from painpath.pathway.models import Enrolment

PLAN_PREFIX = "plan"


def _plan_form(request, enrolment: Enrolment) -> PlanForm:
    """Bound only when the plan is to be updated: otherwise its fields are ignored, so they
    are neither validated nor shown with errors."""
    current = actions.current_plan(enrolment)
    wanted = request.method == "POST" and request.POST.get("update_plan") == "on"
    form = PlanForm(
        request.POST if wanted else None,
        professions=plan_professions(enrolment, current),
        plan=current,
        prefix=PLAN_PREFIX,
    )
    form.use_required_attribute = False  # needed only when the box is ticked
    return form


@care_change
def meeting_new(request, enrolment: Enrolment):
    form = MeetingForm(posted(request), enrolment=enrolment)
    plan_form = _plan_form(request, enrolment)
    if (
        request.method == "POST"
        and form.is_valid()
        and (not plan_form.is_bound or plan_form.is_valid())
    ):
        data = form.cleaned_data
        meeting = actions.record_meeting(
            enrolment, request.user, held_on=data["held_on"], attendees=data["attendees"],
            decisions=data["decisions"], patient_present=data["patient_present"],
            others_present=data["others_present"],
            plan=plan_form.plan_kwargs() if plan_form.is_bound else None,
        )  # fmt: skip
        what = f"rehabmöte {meeting.held_on.isoformat()}"
        message = _("Rehabmötet är sparat.")
        if plan_form.is_bound:
            version = actions.current_plan(enrolment).version
            what += f" och rehabplan v{version}"
            message += " " + _("Rehabplanen är sparad som version %(n)s.") % {"n": version}
        return done(request, enrolment, what, message)
    viewed(request, enrolment, "rehabmöte (formulär)")
    context = {"enrolment": enrolment, "form": form, "plan_form": plan_form}
    return render(request, "care/meeting_form.html", context)
