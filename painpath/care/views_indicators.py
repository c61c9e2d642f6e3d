"""Coordination's indicators for a period and one of the user's clinics
(/samordning/indikatorer/), as a page or, with ?format=json, the same dict as JSON.
Aggregates only: no patient is named, so the audit event names none."""

from datetime import date
from urllib.parse import urlencode

from django import forms
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from painpath.access.models import AuditAction
from painpath.access.policies import audit, clinics_for
from painpath.care.indicator_charts import build_tables, meetings_chart, shares_chart, to_svg
from painpath.care.indicators import care_indicators, period_problems
from painpath.deepdive.forms import DateInput
from painpath.pathway.views_outcomes import last_twelve_months


class PeriodForm(forms.Form):
    start = forms.DateField(label=gettext_lazy("Från"), widget=DateInput())
    end = forms.DateField(label=gettext_lazy("Till och med"), widget=DateInput())
    clinic = forms.ChoiceField(
        label=gettext_lazy("Vårdcentral"),
        error_messages={
            "invalid_choice": gettext_lazy("Du har inte tillgång till vårdcentralen %(value)s.")
        },
    )

    def __init__(self, data, *, clinics, today: date):
        self.today = today
        start, end = last_twelve_months(today)
        self.all_clinics = list(clinics)
        first = self.all_clinics[0].code if self.all_clinics else ""
        # No query: the default period and the first clinic, so the page opens with figures.
        defaults = {"start": start.isoformat(), "end": end.isoformat(), "clinic": first}
        super().__init__(defaults | dict(data.items()), label_suffix="")
        self.fields["clinic"].choices = [(c.code, c.name) for c in self.all_clinics]

    def clean(self):
        data = super().clean()
        if not (data.get("start") and data.get("end")):
            return data
        if data["start"] > data["end"]:
            self.add_error("end", _("Slutdatum kan inte vara före startdatum."))
            return data
        for field, problem in period_problems(data["start"], data["end"], self.today).items():
            self.add_error(field, problem)
        return data

    def chosen_clinic(self):
        return next(c for c in self.all_clinics if c.code == self.cleaned_data["clinic"])


def indicators(request):
    clinics = list(clinics_for(request.user))
    query = request.GET.copy()
    as_json = query.pop("format", [""])[-1] == "json"
    form = PeriodForm(query, clinics=clinics, today=timezone.localdate())
    valid = bool(clinics) and form.is_valid()
    result = care_indicators([form.chosen_clinic()], *_period(form)) if valid else None
    if as_json:
        return _json(request, form, result)
    context = {"form": form, "clinics": clinics, "result": result}
    if result is not None:
        audit(request, AuditAction.VIEW, detail=_detail(result))
        charts = {"meetings": meetings_chart(result), "shares": shares_chart(result)}
        context |= {
            "tables": build_tables(result),
            "charts": {key: to_svg(spec) for key, spec in charts.items() if spec},
            "json_query": _json_query(form),
        }
    return render(request, "care/care_indicators.html", context)


def _period(form) -> tuple[date, date]:
    return form.cleaned_data["start"], form.cleaned_data["end"]


def _json(request, form, result):
    if result is None:
        if not form.all_clinics or "clinic" in form.errors:
            raise Http404("Ingen sådan vårdcentral")
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    audit(request, AuditAction.EXPORT, detail=_detail(result) + " (JSON)")
    return JsonResponse(result, json_dumps_params={"ensure_ascii": False, "indent": 2})


def _json_query(form) -> str:
    data = form.cleaned_data
    return "?" + urlencode(
        {
            "start": data["start"].isoformat(),
            "end": data["end"].isoformat(),
            "clinic": data["clinic"],
            "format": "json",
        }
    )


def _detail(result: dict) -> str:
    period = result["period"]
    return (
        f"samordningsindikatorer {','.join(result['clinics'])} {period['start']}..{period['end']}"
    )
