"""The comparison's question, as a plain GET form: indicator, period, unit, over-dispersion.
With no query at all it opens on the default: the first indicator, the last 12 whole months
the extract covers, clinics, no over-dispersion."""

from datetime import date

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from painpath.care.indicators import period_problems
from painpath.deepdive.forms import DateInput
from painpath.improvement.catalogue import CATALOGUE
from painpath.improvement.comparison import CAREGIVERS, CLINICS, INDICATORS, default_period
from painpath.records.models import Clinic

UNITS = [
    (CLINICS, gettext_lazy("Vårdcentraler (regionens bild, bara antal)")),
    (CAREGIVERS, gettext_lazy("Vårdgivare på min vårdcentral")),
]
OVERDISPERSION = [
    ("none", gettext_lazy("Ingen (exakta binomialgränser)")),
    ("multiplicative", gettext_lazy("Multiplikativ (φ)")),
    ("additive", gettext_lazy("Additiv (τ²)")),
]


class ComparisonForm(forms.Form):
    indicator = forms.ChoiceField(label=gettext_lazy("Indikator"))
    start = forms.DateField(label=gettext_lazy("Från"), widget=DateInput())
    end = forms.DateField(label=gettext_lazy("Till och med"), widget=DateInput())
    unit = forms.ChoiceField(label=gettext_lazy("Jämför"), choices=UNITS, widget=forms.RadioSelect)
    clinic = forms.ChoiceField(
        label=gettext_lazy("Min vårdcentral"),
        required=False,
        error_messages={
            "invalid_choice": gettext_lazy("Du har inte tillgång till vårdcentralen %(value)s.")
        },
    )
    overdispersion = forms.ChoiceField(
        label=gettext_lazy("Överspridning"), choices=OVERDISPERSION, widget=forms.RadioSelect
    )

    def __init__(self, data, *, clinics, today: date):
        self.today = today
        self.own_clinics = list(clinics)
        start, end = default_period(Clinic.objects.all(), today)
        defaults = {
            "indicator": next(iter(INDICATORS)),
            "start": start.isoformat(),
            "end": end.isoformat(),
            "unit": CLINICS,
            "clinic": self.own_clinics[0].code if self.own_clinics else "",
            "overdispersion": "none",
        }
        super().__init__(defaults | dict(data.items()), label_suffix="")
        self.fields["indicator"].choices = [(key, CATALOGUE[key].name) for key in INDICATORS]
        self.fields["clinic"].choices = [("", "")] + [(c.code, c.name) for c in self.own_clinics]

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end"):
            if data["start"] > data["end"]:
                self.add_error("end", _("Slutdatum kan inte vara före startdatum."))
            else:
                for field, problem in period_problems(
                    data["start"], data["end"], self.today
                ).items():
                    self.add_error(field, problem)
        if data.get("unit") == CAREGIVERS:
            if not self.own_clinics:
                self.add_error(
                    "unit",
                    _("Ditt konto är inte kopplat till någon vårdcentral, så du kan bara "
                      "jämföra vårdcentraler."),
                )  # fmt: skip
            elif data.get("indicator") and not INDICATORS[data["indicator"]]:
                self.add_error(
                    "unit", _("Den här indikatorn kan bara jämföras mellan vårdcentraler.")
                )
        return data

    def chosen_clinic(self) -> Clinic | None:
        """The clinic chosen, else the user's first: its caregivers, or highlighted."""
        code = self.cleaned_data.get("clinic")
        chosen = [c for c in self.own_clinics if c.code == code] or self.own_clinics
        return chosen[0] if chosen else None
