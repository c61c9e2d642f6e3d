"""Forms of the indicator pages: a new indicator (computed from the catalogue, or one's own
entered by hand), its start, target and result, its chart settings (baseline and phases),
a hand-entered month, and a chart note. Months are typed as <input type="month">
(ÅÅÅÅ-MM). The rules themselves (Antal/Andel, numerator over denominator) are the model's
and actions.py's; these forms only collect and tie the errors to their fields."""

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from painpath.improvement import catalogue
from painpath.improvement.models import Indicator, starts_with_antal_or_andel
from painpath.improvement.states import (
    COUNT_CHARTS,
    EXPOSURE_CHARTS,
    SHARE_CHARTS,
    ChartType,
    IndicatorKind,
)

MANUAL = "manual"
EARLIEST = date(2000, 1, 1)
WRONG_CHART = _(
    "Diagrammet passar inte: en andel visas i serie-, P- eller P′-diagram, ett antal i "
    "serie-, C-, U-, U′-, I-, MR- eller G-diagram."
)
NO_EXPOSURE = _(
    "U- och U′-diagram behöver en nämnare (exponering) varje månad, som bara en egen "
    "indikator kan få. Välj C-diagram för ett beräknat antal."
)
PERCENT_HELP = _("För en andel i procent (t.ex. 50), för ett antal som antal.")


class MonthInput(forms.TextInput):
    input_type = "month"

    def format_value(self, value):
        if isinstance(value, date):
            return value.strftime("%Y-%m")
        return super().format_value(value)


class MonthField(forms.Field):
    """A calendar month as its first day, from ÅÅÅÅ-MM (or a whole date)."""

    widget = MonthInput

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", _("Som ÅÅÅÅ-MM, till exempel 2024-03."))
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, date):
            return value.replace(day=1)
        text = str(value).strip()
        try:
            year, month = (int(part) for part in text.split("-")[:2])
            found = date(year, month, 1)
        except ValueError:
            raise ValidationError(
                _("Ange en månad som ÅÅÅÅ-MM, till exempel 2024-03."), code="invalid"
            ) from None
        if not EARLIEST <= found <= catalogue.month_start(timezone.localdate()):
            raise ValidationError(
                _("Ange en månad från januari 2000 till och med innevarande månad."),
                code="range",
            )
        return found


def _catalogue_choices():
    choices = [
        (key, format_html("<strong>{}</strong> <span class='definition'>{}</span>",
                          entry.name, entry.definition))
        for key, entry in catalogue.CATALOGUE.items()
    ]  # fmt: skip
    return [
        *choices,
        (
            MANUAL,
            format_html(
                "<strong>{}</strong> <span class='definition'>{}</span>",
                _("Egen indikator, inmatas för hand"),
                _("Ni mäter själva och för in värdet för varje månad."),
            ),
        ),
    ]


def chart_problem(name: str, chart: str, computed: bool) -> str | None:
    """Why the chart does not fit the indicator (states.py), or None when it does."""
    charts = SHARE_CHARTS if name.strip().startswith("Andel") else COUNT_CHARTS
    if chart not in charts:
        return WRONG_CHART
    if computed and chart in EXPOSURE_CHARTS:
        return NO_EXPOSURE
    return None


class NoColon:
    """Labels without Django's trailing colon, as on the project forms."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class TargetFields(NoColon, forms.ModelForm):
    """Start value, target and their dates, as the template's indicator row has them."""

    class Meta:
        model = Indicator
        fields = [
            "start_value", "start_period", "target", "target_text", "target_date", "direction",
        ]  # fmt: skip
        widgets = {
            "target_date": forms.DateInput(attrs={"type": "date"}),
            "result_date": forms.DateInput(attrs={"type": "date"}),
        }
        help_texts = {
            "start_value": PERCENT_HELP,
            "target": PERCENT_HELP,
            "start_period": _("Till exempel 2024-03 eller januari–mars 2024."),
            "target_text": _("Som i mallen, till exempel ”>50 %” eller ”minst 10 patienter”."),
        }


class NewIndicatorForm(TargetFields):
    origin = forms.ChoiceField(
        label=_("Vilken indikator?"), widget=forms.RadioSelect, choices=_catalogue_choices
    )
    name = forms.CharField(
        label=_("Indikatorns namn"),
        max_length=300,
        required=False,
        help_text=_(
            "Ska börja med ”Antal” eller ”Andel”. Lämna tomt för den beräknade indikatorns "
            "eget namn."
        ),
    )
    kind = forms.ChoiceField(
        label=_("Slag av mått"), choices=[("", "—"), *IndicatorKind.choices], required=False,
        help_text=_("Behövs för en egen indikator."),
    )  # fmt: skip
    definition = forms.CharField(
        label=_("Operationell definition"), widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Täljare, nämnare, vilka som räknas och inte, hur ofta och av vem."),
    )  # fmt: skip
    source = forms.CharField(
        label=_("Källa"), max_length=200, required=False,
        help_text=_("Behövs för en egen indikator, till exempel journalsystemets statistik."),
    )  # fmt: skip
    chart = forms.ChoiceField(
        label=_("Diagram"),
        required=False,
        choices=[("", _("Den beräknade indikatorns förslag")), *ChartType.choices],
        help_text=_(
            "Börja gärna med ett seriediagram: det behöver inga antaganden om fördelningen. "
            "Ett styrdiagram passar när serien har 20 punkter eller fler."
        ),
    )
    baseline_months = forms.IntegerField(
        label=_("Baslinje: antal månader (valfritt)"), required=False, min_value=1,
        max_value=120,
        help_text=_("Mittlinjen och gränserna räknas från de första månaderna och förlängs."),
    )  # fmt: skip

    class Meta(TargetFields.Meta):
        fields = [*TargetFields.Meta.fields, "baseline_months"]

    field_order = ["origin", "name", "kind", "definition", "source"]

    def clean(self):
        data = super().clean()
        origin = data.get("origin")
        if not origin:
            return data
        entry = catalogue.CATALOGUE.get(origin)
        name = (data.get("name") or "").strip() or (entry.name if entry else "")
        if entry is None:
            for field in ("kind", "source"):
                if not data.get(field):
                    self.add_error(field, _("Fyll i det här för en egen indikator."))
        if not name:
            self.add_error(
                "name", _("Ge indikatorn ett namn som börjar med ”Antal” eller ”Andel”.")
            )
            return data
        try:
            starts_with_antal_or_andel(name)
        except ValidationError as error:
            self.add_error("name", error)
            return data
        chart = data.get("chart") or (entry.chart if entry else ChartType.RUN)
        if problem := chart_problem(name, chart, computed=entry is not None):
            self.add_error("chart", problem)
        data["name"], data["chart"] = name, chart
        return data

    def indicator_fields(self) -> dict:
        """The fields for actions.add_indicator (the catalogue fills in what is left)."""
        data = self.cleaned_data
        fields = {key: data[key] for key in self.Meta.fields}
        fields |= {"name": data["name"], "chart": data["chart"]}
        for key in ("kind", "definition", "source"):
            if data.get(key):
                fields[key] = data[key]
        return fields


class IndicatorEditForm(TargetFields):
    """Everything of an indicator but where its values come from. An Andel stays an Andel
    and an Antal an Antal: its values are proportions or counts."""

    class Meta(TargetFields.Meta):
        fields = [
            "name", "kind", "definition", "source", "chart", *TargetFields.Meta.fields,
            "result_value", "result_text", "result_date", "result_period",
        ]  # fmt: skip
        widgets = TargetFields.Meta.widgets | {"definition": forms.Textarea(attrs={"rows": 3})}
        help_texts = TargetFields.Meta.help_texts | {
            "name": _("Ska börja med ”Antal” eller ”Andel”."),
            "definition": _("Täljare, nämnare, vilka som räknas och inte, hur ofta och av vem."),
            "result_value": PERCENT_HELP,
            "result_text": _("Som i mallen, till exempel ”Minskning med 17 %”."),
            "result_period": _(
                "Till exempel ”jämfört 2023-03-13–2023-12-31 med samma period 2022”."
            ),
        }

    def clean(self):
        data = super().clean()
        name, chart = data.get("name"), data.get("chart")
        if not name:
            return data
        was_share = self.instance.is_share  # as saved: the form has not changed it yet
        if name.strip().startswith("Andel") != was_share:
            self.add_error(
                "name",
                _("Namnet ska fortsätta börja med ”%(word)s”: värdena är mätta så.")
                % {"word": "Andel" if was_share else "Antal"},
            )
        elif chart and (
            problem := chart_problem(name, chart, computed=bool(self.instance.catalogue_key))
        ):
            self.add_error("chart", problem)
        return data


class ChartSettingsForm(NoColon, forms.Form):
    baseline_months = forms.IntegerField(
        label=_("Baslinje: antal månader"), required=False, min_value=1, max_value=120,
        help_text=_("Lämna tomt för att räkna mittlinjen på alla månader."),
    )  # fmt: skip
    phase_1 = MonthField(label=_("Ny fas börjar"), required=False)
    phase_2 = MonthField(label=_("Ännu en ny fas börjar"), required=False)
    phase_3 = MonthField(label=_("En tredje ny fas börjar"), required=False)
    target = forms.FloatField(label=_("Mål"), required=False, help_text=PERCENT_HELP)

    PHASES = ("phase_1", "phase_2", "phase_3")

    @classmethod
    def for_indicator(cls, indicator: Indicator, data=None, prefix: str | None = None):
        starts = sorted(str(text)[:7] for text in indicator.phase_starts or ())
        initial = {"baseline_months": indicator.baseline_months, "target": indicator.target}
        initial |= dict(zip(cls.PHASES, starts, strict=False))
        return cls(data, initial=initial, prefix=prefix)

    def phase_starts(self) -> list[str]:
        months = {self.cleaned_data[name] for name in self.PHASES} - {None}
        return [month.isoformat() for month in sorted(months)]


class MeasurementForm(NoColon, forms.Form):
    month = MonthField(label=_("Månad"))
    numerator = forms.FloatField(label=_("Täljare"), required=False, min_value=0)
    denominator = forms.FloatField(label=_("Nämnare"), required=False, min_value=0)
    note = forms.CharField(
        label=_("Anteckning, eller varför det inte finns något värde"), max_length=300,
        required=False,
    )  # fmt: skip

    def __init__(self, *args, indicator: Indicator, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        if not indicator.is_share:
            self.fields["numerator"].label = _("Antal")
            denominator = self.fields["denominator"]
            denominator.label = _("Antal enheter (valfritt)")
            denominator.help_text = _(
                "Exponeringen, till exempel listade patienter eller vårddagar: behövs för "
                "U-diagram (antal per enhet)."
            )

    def clean(self):
        data = super().clean()
        if data.get("numerator") is None and not data.get("note") and not self.errors:
            self.add_error("note", _("Ange ett värde, eller skriv varför det inte finns något."))
        return data

    def field_for(self, error: ValidationError) -> str | None:
        """Which field an error of actions.enter_value belongs to."""
        text = " ".join(error.messages)
        if "täljare" in text:
            return "numerator"
        if "nämnare" in text:
            return "denominator"
        return None


class NoteForm(NoColon, forms.Form):
    month = MonthField(label=_("Månad"))
    text = forms.CharField(label=_("Anteckning"), max_length=200)
