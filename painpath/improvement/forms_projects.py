"""The project's forms: a new project, part 1 and part 2 of the region's template, the team,
causes (with their place in the fishbone) and ideas. The views call actions.py with the
cleaned data; the forms only check it."""

from django import forms
from django.forms.models import fields_for_model, model_to_dict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from painpath.improvement.models import Cause, Idea, Project, TeamMember
from painpath.records.models import Clinic

# Part 1 (the plan) and part 2 (the final report), in the template's order.
PART1 = [
    "unit",
    "theme",
    "year",
    "head_of_unit",
    "head_of_unit_email",
    "contact_name",
    "contact_profession",
    "contact_email",
    "patient_involvement",
    "mapping",
    "goals",
    "action_plan",
]
PART2 = ["tested", "comments", "learned", "patient_knowledge", "plan_ahead"]

# The classic six Ms of an Ishikawa diagram: stored in Swedish, shown translated.
CATEGORIES = [
    ("Människor", _("Människor")),
    ("Metoder", _("Metoder")),
    ("Miljö", _("Miljö")),
    ("Utrustning", _("Utrustning")),
    ("Material", _("Material")),
    ("Mätning", _("Mätning")),
]
FIRST_YEAR = 2000
FIELDSETS = [
    (_("Mottagningen och temat"), ["clinic", "unit", "theme", "year"]),
    (
        _("Kontaktuppgifter"),
        PART1[3:8],
    ),
    (_("Planen"), ["patient_involvement", "mapping", "goals", "action_plan"]),
    (_("Slutredovisningen"), PART2),
]


def year_problem(year: int) -> str | None:
    last = timezone.localdate().year + 2
    if not FIRST_YEAR <= year <= last:
        return _("Ange ett år mellan %(first)s och %(last)s.") % {"first": FIRST_YEAR, "last": last}
    return None


class _ProjectFields(forms.Form):
    """The model's own fields (labels, lengths, e-mail checks) for the names given."""

    names: list[str] = []

    def __init__(self, data=None, *, project: Project | None = None, **kwargs):
        initial = (
            model_to_dict(project, fields=self.names) if project else kwargs.pop("initial", {})
        )
        super().__init__(data, initial=initial, label_suffix="", **kwargs)
        self.fields.update(fields_for_model(Project, fields=self.names))
        for name in ("theme", "unit"):
            if name in self.fields:
                self.fields[name].error_messages["required"] = _("Fyll i %(field)s.") % {
                    "field": Project._meta.get_field(name).verbose_name
                }
        if "year" in self.fields:
            self.fields["year"].error_messages["required"] = _("Ange år.")

    def fieldsets(self) -> list[tuple[str, list]]:
        """(legend, bound fields) in the template's order, for the fields this form has."""
        return [
            (legend, [self[name] for name in names if name in self.fields])
            for legend, names in FIELDSETS
            if any(name in self.fields for name in names)
        ]

    def clean_year(self):
        year = self.cleaned_data["year"]
        if (problem := year_problem(year)) is not None:
            raise forms.ValidationError(problem)
        return year


class Part1Form(_ProjectFields):
    names = PART1


class Part2Form(_ProjectFields):
    names = PART2


class NewProjectForm(_ProjectFields):
    """A new project: at one of the user's clinics, this year by default; the unit is the
    clinic's name unless given."""

    names = PART1

    def __init__(self, data=None, *, clinics):
        self.clinics = list(clinics)
        initial = {"year": timezone.localdate().year}
        super().__init__(data, initial=initial)
        self.fields["unit"].required = False
        self.fields["unit"].help_text = _("Lämnas tomt: vårdcentralens namn.")
        if len(self.clinics) > 1:
            self.fields = {
                "clinic": forms.ModelChoiceField(
                    label=_("Vårdcentral"),
                    queryset=Clinic.objects.filter(pk__in=[c.pk for c in self.clinics]),
                    initial=self.clinics[0].pk,
                    empty_label=None,
                    error_messages={"required": _("Välj vårdcentral.")},
                ),
                **self.fields,
            }

    @property
    def chosen_clinic(self) -> Clinic:
        return self.cleaned_data.get("clinic") or self.clinics[0]

    def project_fields(self) -> dict:
        fields = {k: v for k, v in self.cleaned_data.items() if k != "clinic"}
        fields["unit"] = fields["unit"].strip() or self.chosen_clinic.name
        return fields


class TeamMemberForm(forms.Form):
    name = forms.CharField(
        label=_("Namn"),
        max_length=TeamMember._meta.get_field("name").max_length,
        error_messages={"required": _("Skriv personens namn.")},
    )
    profession = forms.CharField(
        label=_("Profession"),
        max_length=TeamMember._meta.get_field("profession").max_length,
        error_messages={"required": _("Skriv personens profession.")},
    )

    def __init__(self, data=None):
        super().__init__(data, label_suffix="", prefix="team")


class CauseForm(forms.Form):
    text = forms.CharField(
        label=_("Orsak"),
        max_length=Cause._meta.get_field("text").max_length,
        help_text=_("Varför når ni inte redan målet?"),
        error_messages={"required": _("Skriv orsaken.")},
    )
    category = forms.ChoiceField(
        label=_("Kategori i fiskbensdiagrammet (valfritt)"),
        required=False,
        choices=[("", _("Ingen kategori")), *CATEGORIES],
    )

    def __init__(self, data=None):
        super().__init__(data, label_suffix="", prefix="cause")


class IdeaForm(forms.Form):
    text = forms.CharField(
        label=_("Idé till lösning"),
        max_length=Idea._meta.get_field("text").max_length,
        error_messages={"required": _("Skriv idén.")},
    )

    def __init__(self, data=None):
        super().__init__(data, label_suffix="", prefix="idea")
