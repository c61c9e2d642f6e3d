"""The pain-school forms: a new group, a participant by pseudonym, and one session's
attendance. They validate and say what went wrong; the views call actions.py."""

from datetime import datetime, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from painpath.access.policies import clinics_for, patients_for
from painpath.care.indicators import years_later
from painpath.care.models import CourseTemplate, Participant
from painpath.care.states import GroupFormat
from painpath.records.models import Clinic

WEEKDAYS = [
    ("", _("Samma veckodag som startdagen")),
    ("0", _("måndag")),
    ("1", _("tisdag")),
    ("2", _("onsdag")),
    ("3", _("torsdag")),
    ("4", _("fredag")),
    ("5", _("lördag")),
    ("6", _("söndag")),
]
NO_PATIENT = "no_patient"


class DateInput(forms.DateInput):
    input_type = "date"


class TimeInput(forms.TimeInput):
    input_type = "time"


class GroupForm(forms.Form):
    template = forms.ModelChoiceField(
        label=_("Kurs"), queryset=CourseTemplate.objects.order_by("name"), empty_label=None
    )
    name = forms.CharField(
        label=_("Gruppens namn"),
        max_length=200,
        help_text=_("Till exempel ”Smärtskola våren, Habo”."),
        error_messages={"required": _("Ge gruppen ett namn.")},
    )
    format = forms.ChoiceField(
        label=_("Form"), choices=GroupFormat.choices, widget=forms.RadioSelect,
        initial=GroupFormat.ON_SITE,
    )  # fmt: skip
    place = forms.CharField(
        label=_("Plats eller länk"),
        max_length=300,
        required=False,
        help_text=_("Lokalen, eller länken till det digitala mötet."),
    )
    capacity = forms.IntegerField(
        label=_("Antal platser"), min_value=1, max_value=50, initial=10,
        error_messages={"required": _("Ange hur många platser gruppen har.")},
    )  # fmt: skip
    host = forms.ModelChoiceField(
        label=_("Värd (din vårdcentral)"),
        queryset=Clinic.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": _("Välj vilken av dina vårdcentraler som är värd.")},
    )
    partners = forms.ModelMultipleChoiceField(
        label=_("Fler vårdcentraler som deltar"),
        queryset=Clinic.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Deras patienter kan få plats i gruppen. Värden deltar alltid."),
    )
    starts_on = forms.DateField(
        label=_("Startdatum"), widget=DateInput(),
        error_messages={"required": _("Ange när gruppen börjar."),
                        "invalid": _("Skriv datumet som 2025-03-14.")},
    )  # fmt: skip
    weekday = forms.ChoiceField(label=_("Veckodag"), choices=WEEKDAYS, required=False)
    at = forms.TimeField(
        label=_("Klockslag"), widget=TimeInput(),
        error_messages={"required": _("Ange klockslag."),
                        "invalid": _("Skriv klockslaget som 13:30.")},
    )  # fmt: skip
    completion_sessions = forms.IntegerField(
        label=_("Träffar för att ha genomgått kursen"),
        min_value=1,
        required=False,
        help_text=_("Lämna tomt: alla träffar utom en."),
    )

    def __init__(self, data=None, *, user):
        super().__init__(data, label_suffix="")
        self.clinics = list(clinics_for(user).order_by("name"))
        # The host always takes part, so none of the user's own clinics is a partner.
        self.fields["partners"].queryset = Clinic.objects.exclude(
            pk__in=[c.pk for c in self.clinics]
        ).order_by("name")
        if len(self.clinics) > 1:
            self.fields["host"].queryset = Clinic.objects.filter(
                pk__in=[c.pk for c in self.clinics]
            )
        else:
            del self.fields["host"]

    @property
    def chosen_host(self) -> Clinic:
        return self.cleaned_data.get("host") or self.clinics[0]

    def clean_starts_on(self):
        day, today = self.cleaned_data["starts_on"], timezone.localdate()
        first, last = years_later(today, -1), years_later(today, 2)
        if not first <= day <= last:
            raise ValidationError(
                _("Startdatum kan vara från %(first)s till %(last)s.")
                % {"first": first.isoformat(), "last": last.isoformat()}
            )
        return day

    def clean(self):
        data = super().clean()
        if not self.clinics:
            raise ValidationError(
                _(
                    "Ditt konto är inte kopplat till någon vårdcentral, så du kan inte skapa "
                    "en grupp. Be en administratör koppla dig till din vårdcentral."
                )
            )
        template, needed = data.get("template"), data.get("completion_sessions")
        if template and needed and needed > len(template.sessions):
            self.add_error(
                "completion_sessions",
                _("Kursen har bara %(n)s träffar.") % {"n": len(template.sessions)},
            )
        return data

    def session_starts(self) -> list[datetime]:
        """Weekly from the first chosen weekday on or after the start date."""
        data = self.cleaned_data
        first = data["starts_on"]
        if data["weekday"] != "":
            first += timedelta((int(data["weekday"]) - first.weekday()) % 7)
        return [
            timezone.make_aware(datetime.combine(first + timedelta(weeks=i), data["at"]))
            for i in range(len(data["template"].sessions))
        ]


class ParticipantForm(forms.Form):
    """A patient listed at one of the user's clinics that take part in the group; any other
    pseudonym is answered as one that does not exist."""

    pseudonym = forms.CharField(
        label=_("Patientens pseudonym"),
        max_length=16,
        error_messages={"required": _("Skriv patientens pseudonym.")},
    )

    def __init__(self, data=None, *, user, group):
        super().__init__(data, label_suffix="")
        self.user, self.group = user, group
        self.patient = self.clinic = None
        self.found = None  # the patient looked up, even when refused: the view audits it

    def clean_pseudonym(self):
        value = self.cleaned_data["pseudonym"].strip()
        patient = patients_for(self.user).filter(pseudonym=value).first()
        if patient is None:
            raise ValidationError(_("Ingen sådan patient."), code=NO_PATIENT)
        self.found = patient
        clinic = (
            clinics_for(self.user)
            .filter(listings__patient=patient, pk__in=self.group.clinics.all())
            .order_by("name")
            .first()
        )
        if clinic is None:
            raise ValidationError(_("Patientens vårdcentral deltar inte i gruppen."))
        earlier = Participant.objects.filter(group=self.group, patient=patient).first()
        if earlier is not None:
            raise ValidationError(
                _("Patienten finns redan i gruppen (%(status)s).")
                % {"status": earlier.get_status_display()}
            )
        self.patient, self.clinic = patient, clinic
        return value


class AttendanceForm(forms.Form):
    """One checkbox per seat (placed participant of the user's clinics)."""

    def __init__(self, data=None, *, seats, index: int):
        """`index`: the session's place in the roster's sessions (its marks)."""
        super().__init__(data, label_suffix="")
        self.seats = seats
        for seat in seats:
            mark = seat.marks[index]
            label = seat.participant.patient.pseudonym
            if seat.name:
                label = f"{seat.name} ({label})"
            self.fields[self.key(seat)] = forms.BooleanField(
                label=label, required=False, initial=bool(mark)
            )

    @staticmethod
    def key(seat) -> str:
        return f"p{seat.participant.pk}"

    def present(self) -> list[tuple]:
        return [(seat, self.cleaned_data[self.key(seat)]) for seat in self.seats]
