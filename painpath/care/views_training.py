"""Staff training pages (utbildning): the courses and how much of the staff has taken
them on a day, recording completions, and the clinic's roster. Staff are not patient data:
no patient audit, but every change is logged (AuditAction.CHANGE without a patient)."""

import altair as alt
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from painpath.access.models import AuditAction
from painpath.access.policies import audit, clinics_for
from painpath.care import actions, groups
from painpath.care.forms_training import CompletionForm, DayForm, StaffForm
from painpath.care.models import StaffMember, TrainingCourse
from painpath.care.states import StaffKind
from painpath.deepdive.charts import FONT, SINGLE, WIDTH, to_svg


def _posted(request):
    return request.POST if request.method == "POST" else None


def _staff(request):
    return StaffMember.objects.filter(clinic__in=clinics_for(request.user))


def coverage_rows(coverage: dict) -> list[dict]:
    return [
        {"kind": str(kind.label), **coverage[kind.value],
         "percent": None if coverage[kind.value]["share"] is None
         else round(100 * coverage[kind.value]["share"])}
        for kind in StaffKind
    ]  # fmt: skip


def coverage_chart(rows: list[dict]):
    """Share trained per kind of staff as bars, 0–100 %; None when nobody is on the roster."""
    values = [
        {"kind": r["kind"], "percent": r["percent"]} for r in rows if r["percent"] is not None
    ]
    if not values:
        return None
    chart = (
        alt.Chart(alt.Data(values=values))
        .mark_bar(color=SINGLE)
        .encode(
            y=alt.Y("kind:N", title=None, sort=None).axis(labelLimit=200),
            x=alt.X("percent:Q", title=_("Andel utbildade (%)")).scale(domain=[0, 100]),
        )
        .properties(width=WIDTH - 120, height=alt.Step(28))
        .configure(font=FONT, padding=8)
        .configure_axis(labelFontSize=11, titleFontSize=11)
        .configure_view(stroke=None)
    )
    return to_svg(chart.to_dict())


def training(request):
    form = DayForm(request.GET or None)
    clinics = clinics_for(request.user)
    courses = []
    for course in TrainingCourse.objects.order_by("name"):
        rows = coverage_rows(groups.training_coverage(clinics, form.day, course))
        courses.append({"course": course, "rows": rows, "chart": coverage_chart(rows)})
    context = {"form": form, "day": form.day, "courses": courses, "clinics": clinics}
    return render(request, "care/training.html", context)


def training_record(request, pk: int):
    course = get_object_or_404(TrainingCourse, pk=pk)
    staff = _staff(request)
    form = CompletionForm(_posted(request), staff=staff, done=groups.completions(course, staff))
    if request.method == "POST" and form.is_valid():
        day, chosen = form.cleaned_data["completed_on"], form.chosen()
        for person in chosen:
            actions.record_training(course, person, day, request.user)
        names = ", ".join(p.name for p in chosen)
        audit(
            request, AuditAction.CHANGE, detail=f"utbildning {course.pk} genomförd {day}: {names}"
        )
        messages.success(
            request, _("%(n)s genomförda utbildningar är registrerade.") % {"n": len(chosen)}
        )
        return redirect("care_training")
    return render(request, "care/training_record.html", {"course": course, "form": form})


def staff(request):
    clinics = list(clinics_for(request.user).order_by("name"))
    form = StaffForm(_posted(request), clinics=clinics)
    if request.method == "POST" and form.is_valid():
        person = form.save()
        audit(request, AuditAction.CHANGE, detail=f"personal {person.pk} tillagd: {person.name}")
        messages.success(request, _("%(name)s står nu i personallistan.") % {"name": person.name})
        return redirect("care_staff")
    roster = _staff(request).select_related("clinic").order_by("kind", "name")
    return render(request, "care/training_staff.html", {"form": form, "roster": roster})
