"""Outcomes: one patient's before and after (`/vardforlopp/<id>/utfall/`), and the
cohort's Vendelsö indicators for a period (`/vardforlopp/indikatorer/`)."""

from datetime import date, timedelta

from django import forms
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from painpath.access.models import AuditAction
from painpath.access.policies import audit, clinics_for
from painpath.deepdive.forms import DateInput
from painpath.pathway.indicator_charts import ends_chart, stages_chart, to_svg
from painpath.pathway.indicator_rows import clinic_indicators
from painpath.pathway.indicator_tables import build_tables, share_text
from painpath.pathway.indicators import IMPROVED_DEFINITION
from painpath.pathway.lookup import get_enrolment_for_user
from painpath.pathway.models import Enrolment
from painpath.pathway.outcomes import patient_outcomes


def _enrolment_for_user(request, pk: int) -> Enrolment:
    enrolment = get_enrolment_for_user(request, pk)
    audit(request, AuditAction.VIEW, enrolment.patient, f"utfall, vårdförlopp {pk}")
    return enrolment


def outcomes(request, pk: int):
    enrolment = _enrolment_for_user(request, pk)
    context = {
        "enrolment": enrolment,
        "result": patient_outcomes(enrolment),
        "improved_definition": _(IMPROVED_DEFINITION),
    }
    return render(request, "pathway/outcomes.html", context)


def last_twelve_months(today: date) -> tuple[date, date]:
    start = (
        today.replace(year=today.year - 1)
        if (today.month, today.day) != (2, 29)
        else (date(today.year - 1, 2, 28))
    )
    return start + timedelta(days=1), today


class IndicatorsForm(forms.Form):
    start = forms.DateField(label=gettext_lazy("Från"), widget=DateInput())
    end = forms.DateField(label=gettext_lazy("Till och med"), widget=DateInput())
    clinics = forms.MultipleChoiceField(
        label=gettext_lazy("Vårdcentraler"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Ingen vald: alla dina vårdcentraler."),
        error_messages={
            "invalid_choice": gettext_lazy("Du har inte tillgång till vårdcentralen %(value)s.")
        },
    )

    def __init__(self, data, *, clinics, today: date):
        start, end = last_twelve_months(today)
        # An empty query is the default period, answered at once: the page opens with figures.
        data = data or {"start": start.isoformat(), "end": end.isoformat()}
        super().__init__(data, label_suffix="")
        self.all_clinics = list(clinics)
        self.fields["clinics"].choices = [(c.code, c.name) for c in self.all_clinics]

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("Slutdatum kan inte vara före startdatum."))
        return data

    def chosen_clinics(self) -> list:
        codes = self.cleaned_data["clinics"]
        return [c for c in self.all_clinics if not codes or c.code in codes]


def indicators(request):
    clinics = list(clinics_for(request.user))
    form = IndicatorsForm(request.GET, clinics=clinics, today=timezone.localdate())
    context = {"form": form, "clinics": clinics, "result": None}
    if clinics and form.is_valid():
        chosen, data = form.chosen_clinics(), form.cleaned_data
        result = clinic_indicators(chosen, data["start"], data["end"])
        audit(request, AuditAction.VIEW, detail=_audit_detail(result))
        context |= {
            "result": result,
            "tables": build_tables(result),
            "improved_share": share_text(result["improved"]["share"]),
            "charts": {key: to_svg(chart) for key, chart in _charts(result).items() if chart},
        }
    return render(request, "pathway/indicators.html", context)


def _charts(result: dict) -> dict:
    return {"stages": stages_chart(result), "ends": ends_chart(result)}


def _audit_detail(result: dict) -> str:
    period = result["period"]
    return (
        f"vårdförloppsindikatorer {','.join(result['clinics'])} {period['start']}..{period['end']}"
    )
