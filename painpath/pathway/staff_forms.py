"""The clinician's forms: enrolment, booking the first assessment, and the changes of state
asked for on the enrolment page. Each change-of-state form knows its action (actions.py),
so the view only validates and calls `apply`."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from painpath.access.models import Role
from painpath.pathway import actions
from painpath.pathway.models import Enrolment
from painpath.pathway.states import (
    ASSESSMENT_MINUTES,
    ENDS,
    CancelledBy,
    Channel,
    Criterion,
    State,
)
from painpath.records.models import Clinic
from painpath.records.professions import Profession

REASON_MAX = 300  # Enrolment.end_reason and StateChange.reason


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"  # the browser's own picker; the value stays ISO

    def __init__(self):
        super().__init__(format="%Y-%m-%dT%H:%M")


class AlreadyOpen(actions.NotAllowed):
    """The patient already has an open pathway at the clinic: one at a time."""

    def __init__(self, enrolment: Enrolment):
        super().__init__(f"enrolment {enrolment.pk} is open")
        self.enrolment = enrolment


def open_enrolment(patient, clinic, *, exclude: Enrolment | None = None) -> Enrolment | None:
    """The patient's pathway at the clinic that has not ended, if there is one."""
    enrolments = Enrolment.objects.filter(patient=patient, clinic=clinic).exclude(state__in=ENDS)
    if exclude is not None:
        enrolments = enrolments.exclude(pk=exclude.pk)
    return enrolments.order_by("-created_at").first()


def default_profession(user) -> str:
    """What the user said last time, else what their role means (telephone advice is a
    nurse's work), else nothing: they choose."""
    last = (
        Enrolment.objects.filter(identified_by=user)
        .order_by("-created_at")
        .values_list("identified_profession", flat=True)
        .first()
    )
    if last:
        return last
    if user.groups.filter(name=Role.TRIAGE.value).exists():
        return Profession.NURSE
    return ""


class EnrolmentForm(forms.Form):
    criterion = forms.ChoiceField(
        label=_("Vilket kriterium uppfyller patienten?"),
        choices=Criterion.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Välj ett av de tre kriterierna.")},
    )
    profession = forms.ChoiceField(
        label=_("Identifierad av (profession)"),
        choices=[("", _("Välj profession")), *Profession.choices],
        error_messages={"required": _("Välj vilken profession som identifierade patienten.")},
    )
    channel = forms.ChoiceField(
        label=_("Hur patienten identifierades"),
        choices=Channel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Välj hur patienten identifierades.")},
    )
    first_name = forms.CharField(
        label=_("Tilltalsnamn i formulären"),
        required=False,
        max_length=60,
        help_text=_(
            "Det enda patienten ser om sig själv i formulären. Kan lämnas tomt; skriv inte "
            "efternamn eller personnummer."
        ),
    )
    family_name = forms.CharField(
        label=_("Efternamn"),
        required=False,
        max_length=Enrolment._meta.get_field("family_name").max_length,
        help_text=_("För sökning på namn i telefonrådgivningen; visas aldrig för patienten."),
    )
    clinic = forms.ModelChoiceField(
        label=_("Vårdcentral"),
        queryset=Clinic.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": _("Välj vårdcentral.")},
    )

    def __init__(self, data=None, *, clinics, user):
        super().__init__(data, label_suffix="", initial={"profession": default_profession(user)})
        self.clinics = list(clinics)
        if len(self.clinics) > 1:
            self.fields["clinic"].queryset = Clinic.objects.filter(
                pk__in=[c.pk for c in self.clinics]
            )
        else:  # nothing to choose
            del self.fields["clinic"]

    @property
    def chosen_clinic(self) -> Clinic:
        return self.cleaned_data.get("clinic") or self.clinics[0]


class ClinicianChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name() or user.get_username()


class AssessmentForm(forms.Form):
    scheduled_at = forms.DateTimeField(
        label=_("Tid för bedömningen"),
        widget=DateTimeInput(),
        error_messages={
            "required": _("Ange dag och tid."),
            "invalid": _("Skriv dag och tid som 2025-03-14 13:30."),
        },
    )
    length_minutes = forms.IntegerField(
        label=_("Längd i minuter"),
        initial=ASSESSMENT_MINUTES,
        min_value=5,
        max_value=480,
        help_text=_("Rutinen anger 45 minuter för den första bedömningen."),
    )
    clinician = ClinicianChoiceField(
        label=_("Vem gör bedömningen"),
        queryset=get_user_model().objects.none(),
        empty_label=None,
    )
    profession = forms.ChoiceField(
        label=_("Profession"), choices=Profession.choices, initial=Profession.PHYSICIAN
    )
    shorter_ok = forms.BooleanField(
        label=_("Boka ändå, med kortare tid än 45 minuter"), required=False
    )

    def __init__(self, data=None, *, clinic, user):
        super().__init__(data, label_suffix="", initial={"clinician": user.pk})
        self.asks_shorter = False  # the page shows the checkbox once it matters
        self.fields["clinician"].queryset = (
            get_user_model()
            .objects.filter(memberships__clinic=clinic, is_active=True)
            .order_by("first_name", "last_name", "username")
        )

    @property
    def short(self) -> bool:
        minutes = self.cleaned_data.get("length_minutes")
        return minutes is not None and minutes < ASSESSMENT_MINUTES

    def clean(self):
        data = super().clean()
        # A shorter first assessment is the clinic's call, but not by a slip of the keyboard.
        self.asks_shorter = self.short
        if self.short and not data.get("shorter_ok"):
            self.add_error(
                "length_minutes",
                _(
                    "Kortare än de 45 minuter rutinen anger. Kryssa i rutan nedan för att "
                    "boka ändå, eller ändra längden."
                ),
            )
        return data


class CancelBookingForm(forms.Form):
    cancelled_by = forms.ChoiceField(
        label=_("Vem avbokade?"),
        choices=CancelledBy.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Välj vem som avbokade.")},
    )

    def __init__(self, data=None, **kwargs):
        super().__init__(data, label_suffix="", **kwargs)


class StateForm(forms.Form):
    """A change of state: `target` decides whether the page offers it (states.ALLOWED)."""

    action_name: str
    target: State
    title: str  # the button and the heading of its form
    done: str  # the message once done

    def __init__(self, data=None, **kwargs):
        super().__init__(data, label_suffix="", prefix=self.action_name, **kwargs)

    @property
    def url_name(self) -> str:
        return f"pathway_{self.action_name}"

    def apply(self, enrolment, user) -> Enrolment:
        raise NotImplementedError


def _reason(required: bool, label) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Skriv orsaken: den räknas i uppföljningen.")},
    )


class DeclineForm(StateForm):
    action_name = "decline"
    title = _("Patienten tackar nej")
    target = State.DECLINED
    done = _("Noterat: patienten tackade nej.")
    reason = _reason(False, _("Orsak (om patienten sa någon)"))

    def apply(self, enrolment, user):
        return actions.decline(enrolment, user, reason=self.cleaned_data["reason"])


class CancelForm(StateForm):
    action_name = "cancel"
    title = _("Avbryt vårdförloppet")
    target = State.CANCELLED
    done = _("Vårdförloppet är avbrutet.")
    cancelled_by = forms.ChoiceField(
        label=_("Vem avbröt?"),
        choices=CancelledBy.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Välj om patienten eller vårdcentralen avbröt.")},
    )
    reason = _reason(True, _("Orsak"))

    def apply(self, enrolment, user):
        data = self.cleaned_data
        return actions.cancel(
            enrolment, user, cancelled_by=data["cancelled_by"], reason=data["reason"]
        )


class DropOutForm(StateForm):
    action_name = "drop_out"
    title = _("Patienten avbryter sitt deltagande")
    target = State.DROPPED_OUT
    done = _("Noterat: patienten avbröt sitt deltagande.")
    reason = _reason(True, _("Orsak"))

    def apply(self, enrolment, user):
        return actions.drop_out(enrolment, user, reason=self.cleaned_data["reason"])


class ReopenForm(StateForm):
    action_name = "reopen"
    title = _("Öppna vårdförloppet igen")
    target = State.IDENTIFIED
    done = _("Vårdförloppet är öppnat igen.")
    reason = _reason(False, _("Varför (frivilligt)"))

    def apply(self, enrolment, user):
        other = open_enrolment(enrolment.patient, enrolment.clinic, exclude=enrolment)
        if other is not None:
            raise AlreadyOpen(other)
        return actions.reopen(enrolment, user, reason=self.cleaned_data["reason"])


STATE_FORMS: dict[str, type[StateForm]] = {
    form.action_name: form for form in (DeclineForm, CancelForm, DropOutForm, ReopenForm)
}
