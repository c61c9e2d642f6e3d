"""A project's PDSA cycles: plan a new one, see one (its study beside the latest values and
the charts of the indicators it concerns, the cycle marked where it started), and carry it
on through do, study and act. Fetched through the
project (another clinic's is a 404); changes through actions.py, audited."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from painpath.improvement import actions, charting
from painpath.improvement.forms_pdsa import PdsaForm, status
from painpath.improvement.lookup import get_project_for_user
from painpath.improvement.models import Pdsa, Project
from painpath.improvement.views_projects import changed, optional_url

STEP_WORDS = {"planned": "planerad", "doing": "genomförs", "studied": "studerad", "acted": "agerad"}


def _cycle(project: Project, pk: int) -> Pdsa:
    return get_object_or_404(project.cycles.select_related("idea__cause"), pk=pk)


def _posted(request):
    return request.POST if request.method == "POST" else None


def pdsa_new(request, pk: int):
    project = get_project_for_user(request, pk)
    form = PdsaForm(_posted(request), project=project)
    if request.method == "POST" and form.is_valid():
        cycle = actions.start_pdsa(
            project,
            request.user,
            indicators=form.cleaned_data["indicators"],
            **form.fields_for_action(),
        )
        changed(request, project, f"PDSA {cycle.pk} planerad: {cycle.title}")
        messages.success(request, _("PDSA-cykeln är planerad."))
        return redirect("improvement_pdsa", project.pk, cycle.pk)
    has_ideas = form.fields["idea"].queryset.exists()
    context = {"project": project, "form": form, "cycle": None, "has_ideas": has_ideas}
    return render(request, "improvement/pdsa_form.html", context)


def latest(indicator):
    """The indicator's latest measured month: its value, or the note saying why not (from
    the measurements fetched with it)."""
    return max(indicator.measurements.all(), key=lambda m: m.month, default=None)


def pdsa_detail(request, pk: int, cycle: int):
    project = get_project_for_user(request, pk)
    found = _cycle(project, cycle)
    indicators = [
        {
            "indicator": i,
            "latest": latest(i),
            "url": optional_url("improvement_indicator", project.pk, i.pk),
            # Vega escapes every text it writes into the SVG
            "svg": mark_safe(charting.indicator_chart_svg(i)),
        }
        for i in found.indicators.prefetch_related("measurements", "notes", "cycles")
    ]
    context = {
        "project": project,
        "cycle": found,
        "status": status(found),
        "indicators": indicators,
    }
    return render(request, "improvement/pdsa_detail.html", context)


def pdsa_edit(request, pk: int, cycle: int):
    project = get_project_for_user(request, pk)
    found = _cycle(project, cycle)
    before = status(found)[0]
    form = PdsaForm(_posted(request), project=project, cycle=found)
    if request.method == "POST" and form.is_valid():
        actions.update_pdsa(
            found, indicators=form.cleaned_data["indicators"], **form.fields_for_action()
        )
        now = status(found)[0]
        step = STEP_WORDS[now] if now != before else "ändrad"
        changed(request, project, f"PDSA {found.pk} {step}: {found.title}")
        messages.success(request, _("PDSA-cykeln är sparad."))
        return redirect("improvement_pdsa", project.pk, found.pk)
    context = {"project": project, "form": form, "cycle": found, "has_ideas": True}
    return render(request, "improvement/pdsa_form.html", context)


def pdsa_delete(request, pk: int, cycle: int):
    """A page asking first; the POST removes the cycle (its idea and indicators stay)."""
    project = get_project_for_user(request, pk)
    found = _cycle(project, cycle)
    if request.method == "POST":
        title = found.title
        with transaction.atomic():  # the audit row and the removal, or neither
            changed(request, project, f"PDSA {found.pk} borttagen: {title}")
            actions.delete_pdsa(found)
        messages.success(request, _("PDSA-cykeln ”%(title)s” är borttagen.") % {"title": title})
        return redirect(reverse("improvement_project", args=[project.pk]) + "#pdsa")
    context = {"project": project, "cycle": found, "indicators": list(found.indicators.all())}
    return render(request, "improvement/pdsa_delete.html", context)
