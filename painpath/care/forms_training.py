"""Staff training forms: the day coverage is counted on, completions of a course, and a
person added to the clinic's roster (personal)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from painpath.care.models import StaffMember
from painpath.care.states import StaffKind
from painpath.records.models import Clinic
from painpath.records.professions import Profession

DATE_ERRORS = {"invalid": _("Skriv datumet som 2025-03-14.")}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")


class DayForm(forms.Form):
    datum = forms.DateField(
        label=_("Täckning per dag"), widget=DateInput(), required=False,
        error_messages=DATE_ERRORS,
    )  # fmt: skip

    def __init__(self, data=None):
        super().__init__(data, label_suffix="")

    @property
    def day(self):
        if self.is_valid() and self.cleaned_data["datum"]:
            return self.cleaned_data["datum"]
        return timezone.localdate()


class StaffChoiceField(forms.ModelMultipleChoiceField):
    """Names, and when the person completed the course if they have."""

    def __init__(self, *args, done=None, **kwargs):
        self.done = done or {}
        super().__init__(*args, **kwargs)

    def label_from_instance(self, staff):
        label = staff.name
        if staff.profession:
            label += f", {staff.get_profession_display()}"
        if staff.pk in self.done:
            label += " – " + str(_("genomförd %(day)s") % {"day": self.done[staff.pk]})
        return label


class CompletionForm(forms.Form):
    completed_on = forms.DateField(
        label=_("Genomförd"), widget=DateInput(),
        error_messages={"required": _("Ange när utbildningen genomfördes."), **DATE_ERRORS},
    )  # fmt: skip

    def __init__(self, data=None, *, staff, done):
        super().__init__(data, label_suffix="", initial={"completed_on": timezone.localdate()})
        for kind, label in ((StaffKind.CAREGIVER, _("Vårdpersonal")),
                            (StaffKind.ADMINISTRATOR, _("Administrativ personal"))):  # fmt: skip
            self.fields[kind.value] = StaffChoiceField(
                label=label,
                queryset=staff.filter(kind=kind).order_by("name"),
                widget=forms.CheckboxSelectMultiple,
                required=False,
                done=done,
            )

    def clean_completed_on(self):
        day = self.cleaned_data["completed_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Datumet har inte varit ännu."))
        return day

    def clean(self):
        data = super().clean()
        if not any(data.get(kind.value) for kind in StaffKind):
            raise forms.ValidationError(_("Kryssa i vem eller vilka som har genomfört den."))
        return data

    def chosen(self) -> list[StaffMember]:
        return [s for kind in StaffKind for s in self.cleaned_data[kind.value]]


class StaffForm(forms.ModelForm):
    """A person on the roster; a caregiver has a profession, an administrator none."""

    class Meta:
        model = StaffMember
        fields = ["clinic", "name", "kind", "profession", "active_from", "active_to"]
        widgets = {
            "kind": forms.RadioSelect,
            "active_from": DateInput(),
            "active_to": DateInput(),
        }
        error_messages = {
            "name": {"required": _("Skriv namnet.")},
            "kind": {"required": _("Välj vårdpersonal eller administrativ personal.")},
            "active_from": DATE_ERRORS,
            "active_to": DATE_ERRORS,
        }

    def __init__(self, data=None, *, clinics):
        super().__init__(data, label_suffix="")
        self.fields["clinic"].queryset = Clinic.objects.filter(pk__in=[c.pk for c in clinics])
        self.fields["clinic"].empty_label = None
        self.fields["clinic"].label = _("Vårdcentral")
        self.fields["kind"].choices = StaffKind.choices
        self.fields["profession"].choices = [("", _("Ingen")), *Profession.choices]
        self.fields["profession"].help_text = _("Krävs för vårdpersonal.")
        if len(clinics) == 1:
            self.fields["clinic"].widget = forms.HiddenInput()
            self.initial["clinic"] = clinics[0].pk

    def clean(self):
        data = super().clean()
        kind, profession = data.get("kind"), data.get("profession")
        if kind == StaffKind.CAREGIVER and not profession:
            self.add_error("profession", _("Ange vårdpersonalens profession."))
        if kind == StaffKind.ADMINISTRATOR:
            data["profession"] = ""
        start, end = data.get("active_from"), data.get("active_to")
        if start and end and end < start:
            self.add_error("active_to", _("Slutdatumet ligger före startdatumet."))
        return data
