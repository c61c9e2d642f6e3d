"""The deep-dive's question, as a plain GET form: the URL carries it, so a result can be
bookmarked and the CSV link repeats it exactly."""

import re
from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from painpath.deepdive.service import DeepDiveQuery
from painpath.ingest.fields import RowError, parse_icd10

DEFAULT_DIAGNOSES = "R52.2"
DEFAULT_START = date(2020, 1, 1)
DEFAULT_END = date(2023, 12, 31)
DEFAULT_THRESHOLD = 10


class DateInput(forms.DateInput):
    input_type = "date"  # the browser's own date picker; the value stays ISO (YYYY-MM-DD)

    def __init__(self):
        super().__init__(format="%Y-%m-%d")


class DiagnosisCodesField(forms.CharField):
    """Codes written as in the extract (`R522`, `r52.2`, `R52.2A`), comma- or space-separated;
    cleaned to the stored form, in order, without repeats."""

    def to_python(self, value):
        text = super().to_python(value)
        codes = []
        for raw in re.split(r"[,;\s]+", text):
            if not raw:
                continue
            try:
                code = parse_icd10(raw)
            except RowError:
                raise forms.ValidationError(
                    _("”%(code)s” är ingen ICD-10-kod. Skriv till exempel R52.2 eller M79.7."),
                    params={"code": raw},
                    code="invalid",
                ) from None
            if code not in codes:
                codes.append(code)
        return tuple(codes)

    def validate(self, value):
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")


class DeepDiveForm(forms.Form):
    diagnoses = DiagnosisCodesField(
        label=_("Diagnoskoder"),
        help_text=_("ICD-10, flera åtskilda med komma eller mellanslag. R52 tar med R52.2."),
        initial=DEFAULT_DIAGNOSES,
        error_messages={"required": _("Ange minst en diagnoskod.")},
    )
    start = forms.DateField(label=_("Från"), initial=DEFAULT_START, widget=DateInput())
    end = forms.DateField(label=_("Till och med"), initial=DEFAULT_END, widget=DateInput())
    compare_start = forms.DateField(label=_("Från"), required=False, widget=DateInput())
    compare_end = forms.DateField(label=_("Till och med"), required=False, widget=DateInput())
    clinics = forms.MultipleChoiceField(
        label=_("Vårdcentraler"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Ingen vald: alla dina vårdcentraler."),
        error_messages={"invalid_choice": _("Du har inte tillgång till vårdcentralen %(value)s.")},
    )
    threshold = forms.IntegerField(
        label=_("Mångsökare: fler än så här många kontakter"),
        initial=DEFAULT_THRESHOLD,
        required=False,  # a bookmarked URL without it means the report's 10
        min_value=0,
        max_value=10_000,
        widget=forms.NumberInput(attrs={"placeholder": str(DEFAULT_THRESHOLD)}),
        help_text=_("Tomt: 10, som i rapporten."),
    )
    hide_small = forms.BooleanField(
        label=_("Dölj antal under 5"),
        help_text=_("För att dela siffrorna utanför vårdcentralen."),
        required=False,
    )

    def __init__(self, data=None, *, clinics):
        super().__init__(data, label_suffix="")
        self.clinic_codes = [clinic.code for clinic in clinics]
        self.fields["clinics"].choices = [(clinic.code, clinic.name) for clinic in clinics]
        self.fields["clinics"].initial = self.clinic_codes  # all of them, ticked

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", _("Slutdatum kan inte vara före startdatum."))
        compare_start, compare_end = data.get("compare_start"), data.get("compare_end")
        if bool(compare_start) != bool(compare_end):
            missing = "compare_end" if compare_start else "compare_start"
            if not self.has_error(missing):  # an unreadable date is told as such, not missing
                self.add_error(missing, _("Ange både från- och till-datum för jämförelsen."))
        if compare_start and compare_end and compare_start > compare_end:
            self.add_error("compare_end", _("Slutdatum kan inte vara före startdatum."))
        return data

    @property
    def comparing(self) -> bool:
        """Whether the comparison period was asked for (open the disclosure to show it)."""
        return bool(self.data.get("compare_start") or self.data.get("compare_end"))

    def query(self) -> DeepDiveQuery:
        data = self.cleaned_data
        return DeepDiveQuery(
            diagnoses=data["diagnoses"],
            start=data["start"],
            end=data["end"],
            clinic_codes=tuple(data["clinics"] or self.clinic_codes),
            threshold=DEFAULT_THRESHOLD if data["threshold"] is None else data["threshold"],
            compare_start=data["compare_start"],
            compare_end=data["compare_end"],
            hide_small=data["hide_small"],
        )
