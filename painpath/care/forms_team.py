"""The coordination forms for one pathway patient: a team member, a new version of the rehab
plan (one box per profession on the team), a new patient agreement, and a rehab meeting.
The forms only validate; the views hand the cleaned data to care/actions.py."""

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from painpath.care import actions
from painpath.care.models import Agreement, RehabPlan, StaffMember
from painpath.care.states import AGREEMENT_MONTHS, StaffKind
from painpath.pathway.actions import add_months
from painpath.pathway.models import Enrolment
from painpath.records.professions import PROFESSIONS, Profession

PLAN_REVIEW_MONTHS = 3  # a new plan is reviewed after three months unless chosen otherwise
ACTION_PREFIX = "action_"


class DateInput(forms.DateInput):
    input_type = "date"  # the browser's own picker; the value stays ISO

    def __init__(self):
        super().__init__(format="%Y-%m-%d")


def _date(label, **kwargs) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=DateInput(),
        error_messages={
            "required": _("Ange ett datum."),
            "invalid": _("Skriv datumet som 2025-03-14."),
        },
        **kwargs,
    )


def _text(label, *, rows=3, required=True, **kwargs) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": _("Fyll i det här.")},
        **kwargs,
    )


def caregivers(clinic) -> QuerySet[StaffMember]:
    """The clinic's caregivers on the roster today, to choose from."""
    today = timezone.localdate()
    return actions.on_roster([clinic], today).filter(kind=StaffKind.CAREGIVER).order_by("name")


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, staff):
        profession = staff.get_profession_display()
        return f"{staff.name} ({profession})" if profession else staff.name


class StaffMultipleChoiceField(forms.ModelMultipleChoiceField):
    label_from_instance = StaffChoiceField.label_from_instance


# --- care team ---------------------------------------------------------------------------


class TeamMemberForm(forms.Form):
    staff = StaffChoiceField(
        label=_("Vem"),
        queryset=StaffMember.objects.none(),
        error_messages={"required": _("Välj en person i personallistan.")},
    )
    profession = forms.ChoiceField(
        label=_("Profession i teamet"),
        required=False,
        choices=[("", _("Samma som i personallistan")), *Profession.choices],
    )
    responsible = forms.BooleanField(
        label=_("Fast vårdkontakt"),
        required=False,
        help_text=_("Den som var fast vårdkontakt är det inte längre, men är kvar i teamet."),
    )
    joined_on = _date(_("Med i teamet från"))

    def __init__(self, data=None, *, enrolment):
        super().__init__(data, label_suffix="", initial={"joined_on": timezone.localdate()})
        self.enrolment = enrolment
        self.fields["staff"].queryset = caregivers(enrolment.clinic)

    def clean_joined_on(self):
        day = self.cleaned_data["joined_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Datumet kan inte ligga efter i dag."))
        return day

    def clean(self):
        data = super().clean()
        since = actions.responsible_since(self.enrolment)
        day = data.get("joined_on")
        if data.get("responsible") and since and day and day < since:
            self.add_error(
                "joined_on",
                _(
                    "Nuvarande fasta vårdkontakt gäller från %(day)s: en ny kan tidigast "
                    "gälla från samma dag."
                )
                % {"day": since.isoformat()},
            )
        staff = data.get("staff")
        if staff is not None and not (data.get("profession") or staff.profession):
            self.add_error(
                "profession",
                _("Personallistan anger ingen profession för %(name)s: välj en.")
                % {"name": staff.name},
            )
        return data


# --- rehab plan --------------------------------------------------------------------------


def plan_professions(enrolment: Enrolment, plan: RehabPlan | None) -> list[str]:
    """The professions on the team today, and any the plan already names (so that a
    profession that left keeps its text until someone removes it), in the fixed order."""
    wanted = {m.profession for m in actions.current_team(enrolment)}
    if plan is not None:
        wanted |= {a.profession for a in plan.actions.all()}
    return [p for p in PROFESSIONS if p in wanted]


class PlanForm(forms.Form):
    goals = _text(
        _("Mål, med patientens egna ord"),
        rows=4,
        help_text=_("Skriv som patienten säger det, till exempel ”kunna gå till affären”."),
    )
    patient_actions = _text(_("Det här gör patienten"))
    review_on = _date(_("Planen följs upp"))

    def __init__(self, data=None, *, professions, plan: RehabPlan | None = None, prefix=None):
        today = timezone.localdate()
        initial = {"review_on": add_months(today, PLAN_REVIEW_MONTHS)}
        texts = {}
        if plan is not None:
            initial |= {"goals": plan.goals, "patient_actions": plan.patient_actions}
            texts = {a.profession: a.action for a in plan.actions.all()}
        super().__init__(data, label_suffix="", initial=initial, prefix=prefix)
        for profession in professions:
            self.fields[ACTION_PREFIX + profession] = _text(
                gettext("Det här gör %(profession)s")
                % {"profession": Profession(profession).label.lower()},
                rows=2,
                required=False,
                initial=texts.get(profession, ""),
            )

    def action_fields(self):
        return [f for f in self if f.name.startswith(ACTION_PREFIX)]

    def main_fields(self):
        return [f for f in self if not f.name.startswith(ACTION_PREFIX)]

    def clean_review_on(self):
        day = self.cleaned_data["review_on"]
        if day < timezone.localdate():
            raise forms.ValidationError(_("Uppföljningen kan inte ligga bakåt i tiden."))
        return day

    def plan_kwargs(self) -> dict:
        """Keyword arguments of actions.write_plan."""
        data = self.cleaned_data
        return {
            "goals": data["goals"],
            "patient_actions": data["patient_actions"],
            "review_on": data["review_on"],
            "actions": [
                (name.removeprefix(ACTION_PREFIX), text)
                for name, text in data.items()
                if name.startswith(ACTION_PREFIX) and text.strip()
            ],
        }


# --- patient agreement -------------------------------------------------------------------


def agreement_initial(enrolment: Enrolment) -> dict:
    """A new version starts from the current one (else the latest), valid from today for
    states.AGREEMENT_MONTHS; the contact is the responsible caregiver by default."""
    today = timezone.localdate()
    initial = {"valid_from": today, "valid_until": add_months(today, AGREEMENT_MONTHS)}
    previous = actions.current_agreement(enrolment) or enrolment.agreements.first()
    if previous is not None:
        initial |= {
            "patient_will": previous.patient_will,
            "clinic_will": previous.clinic_will,
            "next_step": previous.next_step,
            "contact": previous.contact,
        }
        if previous.next_step_on and previous.next_step_on >= today:
            initial["next_step_on"] = previous.next_step_on
    else:
        lead = actions.responsible(enrolment)
        initial["contact"] = (
            gettext("%(name)s via vårdcentralens telefon") % {"name": lead.staff.name}
            if lead
            else gettext("Vårdcentralens telefon")
        )
    return initial


class AgreementForm(forms.Form):
    patient_will = _text(_("Det här gör patienten"), rows=4)
    clinic_will = _text(_("Det här gör vårdcentralen"), rows=4)
    next_step = forms.CharField(
        label=_("Nästa steg"),
        max_length=Agreement._meta.get_field("next_step").max_length,
        error_messages={"required": _("Skriv vad som händer härnäst.")},
    )
    next_step_on = _date(_("Nästa steg, datum"), required=False)
    contact = forms.CharField(
        label=_("Om patienten har frågor: kontakta"),
        max_length=Agreement._meta.get_field("contact").max_length,
        error_messages={"required": _("Skriv vem patienten kontaktar.")},
    )
    valid_from = _date(_("Gäller från"))
    valid_until = _date(_("Gäller till och med"))

    def __init__(self, data=None, *, initial=None):
        super().__init__(data, label_suffix="", initial=initial)

    def clean(self):
        data = super().clean()
        start, end = data.get("valid_from"), data.get("valid_until")
        if start and end and end < start:
            self.add_error(
                "valid_until",
                _("Överenskommelsen kan inte gälla till ett datum före %(start)s.")
                % {"start": start.isoformat()},
            )
        return data


# --- rehab meeting -----------------------------------------------------------------------


class MeetingForm(forms.Form):
    held_on = _date(_("Datum för mötet"))
    attendees = StaffMultipleChoiceField(
        label=_("Vilka från vårdcentralen var med?"),
        queryset=StaffMember.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    patient_present = forms.BooleanField(label=_("Patienten var med"), required=False)
    others_present = forms.CharField(
        label=_("Andra som var med"),
        required=False,
        max_length=300,
        help_text=_("Till exempel närstående, arbetsgivare eller Försäkringskassan."),
    )
    decisions = _text(_("Beslut"), rows=5)
    update_plan = forms.BooleanField(
        label=_("Uppdatera planen utifrån besluten"),
        required=False,
        help_text=_("Sparar en ny version av rehabplanen, kopplad till mötet, med fälten nedan."),
    )

    def __init__(self, data=None, *, enrolment: Enrolment):
        team = [m.staff_id for m in actions.current_team(enrolment)]
        initial = {"held_on": timezone.localdate(), "attendees": team}
        super().__init__(data, label_suffix="", initial=initial)
        self.fields["attendees"].queryset = caregivers(enrolment.clinic)

    def clean_held_on(self):
        day = self.cleaned_data["held_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(
                _("Mötet kan inte ha hållits i framtiden. Skriv dagen det hölls.")
            )
        return day
