"""Improvement projects' pages: the list of the user's clinics' projects, a new project, the
project in the region's two-part template, and the edits of part 1, part 2, the team, causes
and ideas. Every project is fetched with get_project_for_user (another clinic's is a 404),
every change goes through actions.py and is audited (no patient: aggregates only)."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from painpath.access.models import AuditAction
from painpath.access.policies import audit, clinics_for
from painpath.improvement import actions, states
from painpath.improvement.fishbone import fishbone_svg
from painpath.improvement.forms_pdsa import status
from painpath.improvement.forms_projects import (
    CauseForm,
    IdeaForm,
    NewProjectForm,
    Part1Form,
    Part2Form,
    TeamMemberForm,
)
from painpath.improvement.lookup import get_project_for_user
from painpath.improvement.models import Cause, Idea, Project

EXPORTS = [  # (URL name, query, label): built by the export module, shown once it exists
    ("improvement_export_docx", "?del=1", gettext_lazy("Del 1 som Word (.docx)")),
    ("improvement_export_docx", "?del=2", gettext_lazy("Del 1 och 2 som Word (.docx)")),
    ("improvement_export_pdf", "?del=1", gettext_lazy("Del 1 som PDF")),
    ("improvement_export_pdf", "?del=2", gettext_lazy("Del 1 och 2 som PDF")),
    ("improvement_export_xlsx", "", gettext_lazy("Indikatorernas värden som Excel (.xlsx)")),
]


def changed(request, project: Project, what: str) -> None:
    """Every change to a project is audited, naming the project and the change."""
    audit(
        request, AuditAction.CHANGE, detail=f"förbättringsarbete {project.pk} ({project}): {what}"
    )


def optional_url(name: str, *args, query: str = "") -> str | None:
    """The URL of a page another module may not have yet."""
    try:
        return reverse(name, args=args) + query
    except NoReverseMatch:
        return None


def _posted(request):
    return request.POST if request.method == "POST" else None


def deadlines(project: Project, today: date) -> list[dict]:
    """The region's two deadlines, how far off, and the document's name for each."""
    return [
        {
            "part": part,
            "label": label,
            "date": due,
            "days_left": (due - today).days,
            "passed": due < today,
            "document": states.document_name(project.unit, project.theme, project.year, part == 2),
        }
        for part, label, due in (
            (1, _("Del 1, planen"), states.part1_deadline(project.year)),
            (2, _("Del 2, slutredovisningen"), states.part2_deadline(project.year)),
        )
    ]


def next_deadline(project: Project, today: date) -> dict | None:
    return next((d for d in deadlines(project, today) if not d["passed"]), None)


def project_list(request):
    today = timezone.localdate()
    projects = (
        Project.objects.filter(clinic__in=clinics_for(request.user))
        .select_related("clinic")
        .prefetch_related("indicators")
    )
    rows = [{"project": p, "next": next_deadline(p, today)} for p in projects]
    return render(request, "improvement/project_list.html", {"rows": rows})


def project_new(request):
    clinics = clinics_for(request.user)
    if not clinics.exists():
        messages.error(
            request, _("Du hör inte till någon vårdcentral och kan inte starta arbeten.")
        )
        return redirect("improvement_projects")
    form = NewProjectForm(_posted(request), clinics=clinics)
    if request.method == "POST" and form.is_valid():
        project = actions.create_project(form.chosen_clinic, request.user, **form.project_fields())
        changed(request, project, "skapat")
        messages.success(request, _("Förbättringsarbetet är skapat."))
        return redirect("improvement_project", project.pk)
    return render(request, "improvement/project_form.html", _form_page(form, None, "new"))


def _form_page(form, project, kind: str) -> dict:
    titles = {
        "new": _("Nytt förbättringsarbete"),
        "part1": _("Del 1: planen"),
        "part2": _("Del 2: slutredovisningen"),
        "team": _("Lägg till i förbättringsteamet"),
        "cause": _("Lägg till orsak"),
        "idea": _("Lägg till idé"),
    }
    return {"form": form, "project": project, "kind": kind, "title": titles[kind]}


def project_detail(request, pk: int):
    project = get_project_for_user(request, pk)
    today = timezone.localdate()
    team = list(project.team.all())
    indicators = [
        (i, optional_url("improvement_indicator", project.pk, i.pk))
        for i in project.indicators.all()
    ]
    cycles = [(c, status(c)) for c in project.cycles.select_related("idea__cause")]
    context = {
        "project": project,
        "deadlines": deadlines(project, today),
        "team": team,
        "team_note": not states.team_as_advised([member.profession for member in team]),
        "indicator_note": not states.indicators_as_advised(len(indicators)),
        "causes": project.causes.prefetch_related("ideas"),
        "fishbone": fishbone_svg(project),
        "indicators": indicators,
        "new_indicator_url": optional_url("improvement_indicator_new", project.pk),
        "cycles": cycles,
        "exports": [
            (label, url)
            for name, query, label in EXPORTS
            if (url := optional_url(name, project.pk, query=query))
        ],
        "team_form": TeamMemberForm(),
        "cause_form": CauseForm(),
    }
    return render(request, "improvement/project_detail.html", context)


def _edit(request, pk: int, form_class, kind: str, what: str):
    project = get_project_for_user(request, pk)
    form = form_class(_posted(request), project=project)
    if request.method == "POST" and form.is_valid():
        fields = actions.update_project(project, **form.cleaned_data)
        if fields:
            changed(request, project, f"{what} ändrad ({', '.join(fields)})")
            messages.success(request, _("Ändringarna är sparade."))
        else:
            messages.info(request, _("Inget var ändrat."))
        return redirect("improvement_project", project.pk)
    return render(request, "improvement/project_form.html", _form_page(form, project, kind))


def project_edit(request, pk: int):
    return _edit(request, pk, Part1Form, "part1", "del 1")


def project_part2(request, pk: int):
    return _edit(request, pk, Part2Form, "part2", "del 2")


def team_add(request, pk: int):
    project = get_project_for_user(request, pk)
    form = TeamMemberForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        member = actions.add_team_member(project, **form.cleaned_data)
        changed(request, project, f"teammedlem tillagd: {member.name}, {member.profession}")
        messages.success(request, _("%(name)s är med i teamet.") % {"name": member.name})
        return redirect(reverse("improvement_project", args=[project.pk]) + "#team")
    return render(request, "improvement/project_form.html", _form_page(form, project, "team"))


@require_POST
def team_remove(request, pk: int, member: int):
    project = get_project_for_user(request, pk)
    found = get_object_or_404(project.team, pk=member)
    actions.remove_team_member(found)
    changed(request, project, f"teammedlem borttagen: {found.name}, {found.profession}")
    messages.success(request, _("%(name)s är borttagen ur teamet.") % {"name": found.name})
    return redirect(reverse("improvement_project", args=[project.pk]) + "#team")


def cause_add(request, pk: int):
    project = get_project_for_user(request, pk)
    form = CauseForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        cause = actions.add_cause(project, **form.cleaned_data)
        changed(request, project, f"orsak {cause.number} tillagd")
        messages.success(request, _("Orsak %(n)s är tillagd.") % {"n": cause.number})
        return redirect(reverse("improvement_project", args=[project.pk]) + "#orsaker")
    return render(request, "improvement/project_form.html", _form_page(form, project, "cause"))


def _cause(project: Project, pk: int) -> Cause:
    return get_object_or_404(project.causes, pk=pk)


@require_POST
def cause_delete(request, pk: int, cause: int):
    project = get_project_for_user(request, pk)
    found = _cause(project, cause)
    try:
        actions.delete_cause(found)
    except ValidationError:
        messages.error(
            request,
            _(
                "Orsak %(n)s kan inte tas bort: en PDSA-cykel prövar en av dess idéer. "
                "Koppla cykeln till en annan idé först."
            )
            % {"n": found.number},
        )
    else:
        changed(request, project, f"orsak {found.number} borttagen")
        messages.success(request, _("Orsak %(n)s är borttagen.") % {"n": found.number})
    return redirect(reverse("improvement_project", args=[project.pk]) + "#orsaker")


def idea_add(request, pk: int, cause: int):
    project = get_project_for_user(request, pk)
    found = _cause(project, cause)
    form = IdeaForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        idea = actions.add_idea(found, form.cleaned_data["text"])
        changed(request, project, f"idé {idea.label} tillagd")
        messages.success(request, _("Idé %(label)s är tillagd.") % {"label": idea.label})
        return redirect(reverse("improvement_project", args=[project.pk]) + "#orsaker")
    context = {**_form_page(form, project, "idea"), "cause": found}
    return render(request, "improvement/project_form.html", context)


@require_POST
def idea_delete(request, pk: int, idea: int):
    project = get_project_for_user(request, pk)
    found = get_object_or_404(Idea.objects.select_related("cause"), pk=idea, cause__project=project)
    label = found.label
    try:
        actions.delete_idea(found)
    except ValidationError:
        messages.error(
            request,
            _("Idé %(label)s kan inte tas bort: en PDSA-cykel prövar den.") % {"label": label},
        )
    else:
        changed(request, project, f"idé {label} borttagen")
        messages.success(request, _("Idé %(label)s är borttagen.") % {"label": label})
    return redirect(reverse("improvement_project", args=[project.pk]) + "#orsaker")
