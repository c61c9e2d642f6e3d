"""The opioid treatment agreement's form: substance, maximum daily dose, prescriber, dates
and tapering plan. The oral morphine equivalents are computed on saving (actions.py)."""

from datetime import date

from django import forms
from django.db.models import Case, IntegerField, Value, When
from django.utils.translation import gettext_lazy as _

from painpath.care import actions
from painpath.care.opioids import SUBSTANCES
from painpath.care.states import StaffKind
from painpath.deepdive.forms import DateInput
from painpath.pathway.actions import add_months
from painpath.pathway.forms import NumberField
from painpath.records.professions import Profession

REVIEW_MONTHS = 3  # a new agreement is reviewed after three months unless set otherwise
# No opioid regimen in primary care comes near this (1000 mg morphine is 10 × the level where
# the risks are reviewed): a larger number is almost surely a slip of unit or digits.
MAX_DAILY_MG = 1000
# CDC Clinical Practice Guideline for Prescribing Opioids (2016, and its 2022 update):
# at 90 mg OME/day or more the risks outweigh the benefit for most patients; a dose that high
# should be justified and reviewed carefully.
HIGH_OME_PER_DAY = 90


def substance_choices() -> list[tuple[str, str]]:
    """Each substance with its ATC code and factor, so the choice shows what is computed."""
    choices = []
    for atc, name in SUBSTANCES:
        factor = actions.ome_factor(atc)
        if factor is None:
            note = _("saknar omräkningsfaktor")
        else:
            note = _("%(factor)s mg morfin per mg") % {"factor": f"{factor:g}".replace(".", ",")}
        choices.append((atc, f"{name} ({atc}; {note})"))
    return choices


class OpioidAgreementForm(forms.Form):
    substance = forms.ChoiceField(
        label=_("Substans"),
        error_messages={"required": _("Välj substans.")},
    )
    max_daily_mg = NumberField(
        label=_("Högsta dygnsdos (mg)"),
        min_value=0,
        max_value=MAX_DAILY_MG,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        help_text=_("Den högsta dos per dygn som avtalet tillåter, i mg av substansen."),
        error_messages={
            "required": _("Skriv den högsta dygnsdosen i mg."),
            "max_value": _(
                "Högsta dygnsdos kan inte vara över %(limit_value)s mg: kontrollera enhet och "
                "siffror."
            ),
        },
    )
    prescriber = forms.ModelChoiceField(
        label=_("Förskrivare"),
        queryset=None,
        empty_label=_("Välj förskrivare"),
        error_messages={"required": _("Välj vem som förskriver.")},
    )
    agreed_on = forms.DateField(
        label=_("Avtalat"), widget=DateInput(), error_messages={"required": _("Ange datum.")}
    )
    review_on = forms.DateField(
        label=_("Omprövas"),
        widget=DateInput(),
        help_text=_("Förvalt tre månader fram."),
        error_messages={"required": _("Ange när avtalet ska omprövas.")},
    )
    tapering_plan = forms.CharField(
        label=_("Nedtrappningsplan"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("Hur och när dosen ska minskas, eller varför det inte är aktuellt nu."),
        error_messages={"required": _("Skriv nedtrappningsplanen.")},
    )

    def __init__(self, data=None, *, clinic, today: date):
        initial = {"agreed_on": today, "review_on": add_months(today, REVIEW_MONTHS)}
        super().__init__(data, initial=initial, label_suffix="")
        self.clinic = clinic
        self.fields["substance"].choices = [("", _("Välj substans")), *substance_choices()]
        physicians_first = Case(
            When(profession=Profession.PHYSICIAN, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
        self.fields["prescriber"].queryset = (
            actions.on_roster([clinic], today)
            .filter(kind=StaffKind.CAREGIVER)
            .order_by(physicians_first, "name")
        )
        self.fields["prescriber"].label_from_instance = _staff_label

    def clean_max_daily_mg(self):
        value = self.cleaned_data["max_daily_mg"]
        if value is not None and value <= 0:
            raise forms.ValidationError(_("Högsta dygnsdos måste vara större än 0 mg."))
        return value

    def clean(self):
        data = super().clean()
        agreed, review = data.get("agreed_on"), data.get("review_on")
        if agreed and review and review <= agreed:
            self.add_error("review_on", _("Omprövningen måste ligga efter avtalsdagen."))
        return data

    def agreement_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "atc": data["substance"],
            "substance": str(dict(SUBSTANCES)[data["substance"]]),
            "max_daily_mg": float(data["max_daily_mg"]),
            "prescriber": data["prescriber"],
            "agreed_on": data["agreed_on"],
            "review_on": data["review_on"],
            "tapering_plan": data["tapering_plan"],
        }


def _staff_label(staff) -> str:
    return f"{staff.name} ({staff.get_profession_display()})" if staff.profession else staff.name
