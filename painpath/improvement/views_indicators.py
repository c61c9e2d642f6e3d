"""An improvement project's indicators: a new one (computed from the catalogue, measured at
once, or one's own entered by hand), the indicator's page (its run or control chart drawn
on the server, the signals in words, the runs figures and the table of months), its start,
target and result, chart settings, hand-entered months and chart notes, measuring again,
and removing an indicator (asked first), a chart note or a hand-entered month. The project
comes from get_project_for_user and the indicator from within it (anything else is a 404);
every change goes through actions.py and is audited, without a patient: these pages show
aggregates only."""

import time

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from painpath.access.models import AuditAction
from painpath.access.policies import audit
from painpath.improvement import actions, catalogue, charting, signals, spc_charts
from painpath.improvement.forms_indicators import (
    MANUAL,
    ChartSettingsForm,
    IndicatorEditForm,
    MeasurementForm,
    NewIndicatorForm,
    NoteForm,
)
from painpath.improvement.lookup import get_project_for_user
from painpath.improvement.models import Indicator
from painpath.improvement.states import COUNT_CHARTS, SHARE_CHARTS, ChartType, Source

PREFIX = {"value": "varde", "note": "anteckning", "chart": "diagram"}  # several forms, one page


def _posted(request):
    return request.POST if request.method == "POST" else None


def _indicator(request, project_pk: int, pk: int):
    project = get_project_for_user(request, project_pk)
    return project, get_object_or_404(Indicator, pk=pk, project=project)


def _changed(request, indicator: Indicator, what: str) -> None:
    audit(
        request,
        AuditAction.CHANGE,
        detail=(
            f"förbättringsarbete {indicator.project_id}: indikator {indicator.number} "
            f"({indicator.pk}): {what}"
        ),
    )


def _to_page(indicator: Indicator, anchor: str = ""):
    url = reverse("improvement_indicator", args=[indicator.project_id, indicator.pk])
    return redirect(url + (f"#{anchor}" if anchor else ""))


def _measure(request, indicator: Indicator) -> None:
    started = time.monotonic()
    measured = actions.measure(indicator)
    seconds = number_format(time.monotonic() - started, 1)
    _changed(request, indicator, f"mätt {len(measured)} månader")
    messages.success(
        request,
        _("%(months)d månader mätta på %(seconds)s sekunder.")
        % {"months": len(measured), "seconds": seconds},
    )


def indicator_new(request, project_pk: int):
    project = get_project_for_user(request, project_pk)
    asked = catalogue.CATALOGUE.get(request.GET.get("katalog", ""))
    initial = {"origin": asked.key, "name": asked.name} if asked else {}
    form = NewIndicatorForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        origin = form.cleaned_data["origin"]
        try:
            indicator = actions.add_indicator(
                project,
                catalogue_key="" if origin == MANUAL else origin,
                **form.indicator_fields(),
            )
        except ValidationError as error:
            form.add_error("name", error)
        else:
            _changed(request, indicator, "ny indikator")
            messages.success(request, _("Indikatorn är tillagd."))
            if indicator.catalogue_key:
                _measure(request, indicator)
            return _to_page(indicator)
    return render(request, "improvement/indicator_new.html", {"project": project, "form": form})


def indicator_detail(request, project_pk: int, pk: int):
    project = get_project_for_user(request, project_pk)
    indicator = get_object_or_404(  # its months, notes and cycles, read once for the page
        Indicator.objects.prefetch_related("measurements", "notes", "cycles"),
        pk=pk, project=project,
    )  # fmt: skip
    chart = charting.chosen_chart(indicator, request.GET.get("diagram"))
    data = charting.series(indicator)
    result = charting.analyse(indicator, chart, data)
    svg = ""
    if result is not None:  # Vega escapes every text it writes into the SVG
        svg = mark_safe(spc_charts.to_svg(charting.indicator_spec(indicator, chart, result)))
    context = {
        "project": project,
        "indicator": indicator,
        "chart": chart,
        "chart_label": ChartType(chart).label,
        "charts": _switcher(indicator, chart),
        "svg": svg,
        "result": result,
        "signals": signals.describe(result, indicator.direction),
        "rows": _rows(indicator, data),
        "exposure": any(m is not None and m.denominator for m in data.measurements),
        "window": int((indicator.parameters or {}).get("window_months", 1) or 1),
        "events": _events(indicator),
        "settings_form": ChartSettingsForm.for_indicator(indicator, prefix=PREFIX["chart"]),
        "value_form": _value_form(indicator) if not indicator.catalogue_key else None,
        "note_form": NoteForm(prefix=PREFIX["note"]),
    }
    return render(request, "improvement/indicator_detail.html", context)


def _switcher(indicator: Indicator, chart: str) -> list[dict]:
    fitting = charting.chart_types(indicator)
    offered = SHARE_CHARTS if indicator.is_share else COUNT_CHARTS
    return [
        {
            "chart": choice.value,
            "label": choice.label,
            "current": choice == chart,
            "fits": choice in fitting,
        }
        for choice in (ChartType(c) for c in offered)
    ]


def _number(value: float | None) -> str:
    if value is None:
        return ""
    # number_format cuts decimals off; round first, as the exported documents do
    return number_format(round(value, 1), 0 if float(value).is_integer() else 1)


def _rows(indicator: Indicator, data: charting.Series) -> list[dict]:
    """The table of months: a month without a value shows why, never a 0."""
    rows = []
    for month, measured in zip(data.months, data.measurements, strict=True):
        row = {"month": charting.month_label(month), "iso": month.isoformat()[:7]}
        row["pk"] = measured.pk if measured is not None else None
        if measured is None:
            rows.append(row | {"value": "", "note": _("inte mätt"), "source": ""})
            continue
        has_value = measured.value is not None
        value = measured.value
        if has_value and indicator.is_share:
            shown = number_format(round(value * 100, 1), 1) + " %"
        else:
            shown = _number(value) if has_value else ""
        rows.append(
            row
            | {
                "numerator": _number(measured.numerator) if has_value else "",
                "denominator": _number(measured.denominator) if has_value else "",
                "value": shown,
                "note": measured.note,
                "source": Source(measured.source).label,
            }
        )
    return rows


def _events(indicator: Indicator) -> list[dict]:
    """Chart notes and linked PDSA cycles by month: the chart's markers in words. A note
    carries its pk (it can be removed here); a cycle has none (it is edited on its page)."""
    return [
        {"month": charting.month_label(mark.month), "text": mark.text, "note": mark.note_pk}
        for mark in charting.marks(indicator)
    ]


def _value_form(indicator: Indicator, data=None) -> MeasurementForm:
    return MeasurementForm(data, indicator=indicator, prefix=PREFIX["value"])


def _form_page(request, indicator, form, heading: str, action: str, fields: str):
    context = {
        "project": indicator.project,
        "indicator": indicator,
        "form": form,
        "heading": heading,
        "action": action,
        "fields": fields,
    }
    return render(request, "improvement/indicator_form_page.html", context)


@require_POST
def indicator_measure(request, project_pk: int, pk: int):
    _project, indicator = _indicator(request, project_pk, pk)
    if not indicator.catalogue_key:
        messages.error(request, _("Indikatorn matas in för hand och kan inte mätas om."))
    else:
        _measure(request, indicator)
    return _to_page(indicator, "manader")


def measurement_entry(request, project_pk: int, pk: int):
    _project, indicator = _indicator(request, project_pk, pk)
    if indicator.catalogue_key:
        messages.error(request, _("Indikatorn beräknas ur painpaths data: mät om den i stället."))
        return _to_page(indicator)
    form = _value_form(indicator, _posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.enter_value(
                indicator,
                data["month"],
                request.user,
                numerator=data["numerator"],
                denominator=data.get("denominator"),
                note=data["note"],
            )
        except ValidationError as error:
            form.add_error(form.field_for(error), capfirst(error.messages[0]) + ".")
        else:
            _changed(request, indicator, f"värde för {data['month']:%Y-%m}")
            messages.success(
                request,
                _("Värdet för %(month)s är sparat.")
                % {"month": charting.month_label(data["month"])},
            )
            return _to_page(indicator, "manader")
    return _form_page(
        request, indicator, form, _("För in en månads värde"),
        reverse("improvement_measurement_entry", args=[project_pk, pk]),
        "improvement/measurement_form.html",
    )  # fmt: skip


def note_add(request, project_pk: int, pk: int):
    _project, indicator = _indicator(request, project_pk, pk)
    form = NoteForm(_posted(request), prefix=PREFIX["note"])
    if request.method == "POST" and form.is_valid():
        actions.add_note(indicator, form.cleaned_data["month"], form.cleaned_data["text"])
        _changed(request, indicator, f"anteckning {form.cleaned_data['month']:%Y-%m}")
        messages.success(request, _("Anteckningen är tillagd i diagrammet."))
        return _to_page(indicator, "diagrammet")
    return _form_page(
        request, indicator, form, _("Lägg till en anteckning i diagrammet"),
        reverse("improvement_note_add", args=[project_pk, pk]),
        "improvement/indicator_note_form.html",
    )  # fmt: skip


def indicator_settings(request, project_pk: int, pk: int):
    _project, indicator = _indicator(request, project_pk, pk)
    form = ChartSettingsForm.for_indicator(indicator, _posted(request), PREFIX["chart"])
    if request.method == "POST" and form.is_valid():
        indicator.baseline_months = form.cleaned_data["baseline_months"]
        indicator.phase_starts = form.phase_starts()
        indicator.target = form.cleaned_data["target"]
        indicator.save(update_fields=["baseline_months", "phase_starts", "target"])
        _changed(request, indicator, "diagrammets baslinje, faser och mål")
        messages.success(request, _("Diagrammets inställningar är sparade."))
        return _to_page(indicator, "diagrammet")
    return _form_page(
        request, indicator, form, _("Baslinje, faser och mål"),
        reverse("improvement_indicator_settings", args=[project_pk, pk]),
        "improvement/indicator_settings_form.html",
    )  # fmt: skip


def indicator_edit(request, project_pk: int, pk: int):
    project, indicator = _indicator(request, project_pk, pk)
    form = IndicatorEditForm(_posted(request), instance=indicator)
    if request.method == "POST" and form.is_valid():
        form.save()
        _changed(request, indicator, "ändrad: " + ", ".join(form.changed_data))
        messages.success(request, _("Indikatorn är sparad."))
        return _to_page(indicator)
    context = {"project": project, "indicator": indicator, "form": form}
    return render(request, "improvement/indicator_edit.html", context)


def indicator_delete(request, project_pk: int, pk: int):
    """A page asking first (what goes with the indicator); the POST removes it."""
    project, indicator = _indicator(request, project_pk, pk)
    months = indicator.measurements.count()
    notes = indicator.notes.count()
    cycles = list(indicator.cycles.all())
    if request.method == "POST":
        number, name = indicator.number, indicator.name
        with transaction.atomic():  # the audit row and the removal, or neither
            _changed(
                request,
                indicator,
                f"borttagen ({name[:100]}) med {months} månadsvärden och {notes} anteckningar; "
                f"{len(cycles)} PDSA-cykler förlorar kopplingen",
            )
            renumbered = actions.delete_indicator(indicator)
        text = _("Indikator %(n)s är borttagen.") % {"n": number}
        if renumbered:
            text += " " + _("Indikatorerna efter den har fått ett nummer lägre.")
        messages.success(request, text)
        return redirect(reverse("improvement_project", args=[project.pk]) + "#indikatorer")
    context = {
        "project": project,
        "indicator": indicator,
        "months": months,
        "notes": notes,
        "cycles": cycles,
        "later": project.indicators.filter(number__gt=indicator.number).count(),
    }
    return render(request, "improvement/indicator_delete.html", context)


@require_POST
def note_delete(request, project_pk: int, pk: int, note: int):
    _project, indicator = _indicator(request, project_pk, pk)
    found = get_object_or_404(indicator.notes, pk=note)
    actions.delete_note(found)
    _changed(request, indicator, f"anteckning {found.month:%Y-%m} borttagen: {found.text[:100]}")
    messages.success(
        request,
        _("Anteckningen för %(month)s är borttagen.")
        % {"month": charting.month_label(found.month)},
    )
    return _to_page(indicator, "diagrammet")


@require_POST
def measurement_delete(request, project_pk: int, pk: int, measurement: int):
    _project, indicator = _indicator(request, project_pk, pk)
    found = get_object_or_404(indicator.measurements, pk=measurement)
    month = charting.month_label(found.month)
    try:
        actions.delete_measurement(found)
    except ValidationError:
        messages.error(
            request, _("Värdet för %(month)s beräknas ur painpaths data: mät om i stället.")
            % {"month": month},
        )  # fmt: skip
    else:
        _changed(
            request,
            indicator,
            f"värde för {found.month:%Y-%m} borttaget (täljare {found.numerator}, "
            f"nämnare {found.denominator}, anteckning {found.note[:100]!r})",
        )
        messages.success(request, _("Värdet för %(month)s är borttaget.") % {"month": month})
    return _to_page(indicator, "manader")
