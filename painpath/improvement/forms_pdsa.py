"""A PDSA cycle's forms (PGSA: planera, göra, studera, agera). The idea and the indicators
are chosen only among the project's own, and the steps come in order: a cycle is studied
after it is done, and acted on after it is studied."""

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from painpath.improvement.models import Idea, Indicator, Pdsa, Project
from painpath.improvement.states import Act

PLAN = ["title", "objective", "prediction", "plan", "starts_on"]
FOLLOW = ["do", "study", "act", "act_notes"]


def status(cycle: Pdsa) -> tuple[str, str]:
    """Where the cycle is: (key, label) — planned, doing, studied or acted."""
    if cycle.act:
        return "acted", _("Agerad: %(act)s") % {"act": cycle.get_act_display()}
    if cycle.study.strip():
        return "studied", _("Studerad")
    if cycle.do.strip():
        return "doing", _("Genomförs")
    return "planned", _("Planerad")


class IdeaChoice(forms.ModelChoiceField):
    def label_from_instance(self, idea):
        return f"{idea.label} {idea.text}"


class IndicatorChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, indicator):
        return f"{indicator.number}. {indicator.name}"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")


class PdsaForm(forms.ModelForm):
    """Plan (and, when editing, do, study and act) of one cycle of the project."""

    idea = IdeaChoice(
        label=_("Idé som prövas"),
        queryset=Idea.objects.none(),
        empty_label=_("Välj idé"),
        error_messages={"required": _("Välj vilken idé cykeln prövar.")},
    )
    indicators = IndicatorChoice(
        label=_("Indikatorer som följer förändringen"),
        queryset=Indicator.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Välj bland projektets indikatorer.")},
    )

    class Meta:
        model = Pdsa
        fields = ["idea", "indicators", *PLAN, *FOLLOW]
        widgets = {"starts_on": DateInput(), "act": forms.RadioSelect}
        error_messages = {
            "title": {"required": _("Skriv vad som testas.")},
            "objective": {"required": _("Skriv cykelns syfte.")},
            "prediction": {"required": _("Skriv vad ni förutsäger ska hända.")},
            "plan": {"required": _("Skriv vem som gör vad, var och när.")},
            "starts_on": {
                "required": _("Ange startdatum."),
                "invalid": _("Ange datum som ÅÅÅÅ-MM-DD."),
            },
        }

    def __init__(self, data=None, *, project: Project, cycle: Pdsa | None = None):
        super().__init__(data, instance=cycle, label_suffix="")
        ideas = Idea.objects.filter(cause__project=project).select_related("cause")
        self.fields["idea"].queryset = ideas.order_by("cause__number", "number")
        self.fields["idea"].error_messages["invalid_choice"] = _("Välj en av projektets idéer.")
        self.fields["indicators"].queryset = project.indicators.all()
        if cycle is None:
            for name in FOLLOW:  # a new cycle is only planned
                del self.fields[name]
            self.initial.setdefault("starts_on", timezone.localdate())
        else:
            self.fields["act"].choices = [("", _("Inte ännu")), *Act.choices]
            self.fields["act"].required = False

    def clean_starts_on(self):
        day = self.cleaned_data["starts_on"]
        today = timezone.localdate()
        if not date(2000, 1, 1) <= day <= today.replace(year=today.year + 2):
            raise forms.ValidationError(
                _("Ange ett startdatum från år 2000 och högst två år fram.")
            )
        return day

    def clean(self):
        data = super().clean()
        if "do" not in self.fields:
            return data
        did, studied = (data.get("do") or "").strip(), (data.get("study") or "").strip()
        if studied and not did:
            self.add_error("do", _("Beskriv vad som hände innan ni studerar resultatet."))
        if data.get("act") and not studied:
            self.add_error("study", _("Studera resultatet mot förutsägelsen innan ni agerar."))
        if data.get("act") and not (data.get("act_notes") or "").strip():
            self.add_error("act_notes", _("Skriv nästa steg."))
        return data

    def fields_for_action(self) -> dict:
        """The cleaned data as actions.start_pdsa/update_pdsa take it."""
        return {name: self.cleaned_data[name] for name in self.fields if name != "indicators"}

    def _post_clean(self):
        # The cycle is changed by actions.update_pdsa, not by the form: the page shown with
        # errors keeps the saved cycle. The form fields carry the model's lengths and choices.
        pass
