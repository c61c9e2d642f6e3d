"""An improvement project (förbättringsarbete) in the region's template: the plan (part 1),
the final report (part 2), its indicators measured month by month, and its PDSA cycles.

The rules are in states.py; the changes go through actions.py.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from painpath.improvement.states import (
    NAME_PREFIXES,
    Act,
    ChartType,
    Direction,
    IndicatorKind,
    Source,
)
from painpath.records.models import Clinic

USER = settings.AUTH_USER_MODEL


def starts_with_antal_or_andel(name: str) -> None:
    if not name.strip().startswith(NAME_PREFIXES):
        raise ValidationError(_("En indikator ska börja med ”Antal” eller ”Andel”."))


class Project(models.Model):
    clinic = models.ForeignKey(Clinic, related_name="projects", on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField(_("år"))
    unit = models.CharField(_("mottagningens namn"), max_length=200)
    theme = models.CharField(_("tema"), max_length=200)
    head_of_unit = models.CharField(_("verksamhetschef"), max_length=200, blank=True)
    head_of_unit_email = models.EmailField(_("verksamhetschefens e-post"), blank=True)
    contact_name = models.CharField(_("kontaktperson"), max_length=200, blank=True)
    contact_profession = models.CharField(
        _("kontaktpersonens profession"), max_length=200, blank=True
    )
    contact_email = models.EmailField(_("kontaktpersonens e-post"), blank=True)
    patient_involvement = models.TextField(_("hur patienter involveras"), blank=True)
    mapping = models.TextField(_("kartläggning: vad vill ni åstadkomma och varför?"), blank=True)
    goals = models.TextField(_("mål"), blank=True)
    action_plan = models.TextField(
        _("action: det ni ska göra"),
        blank=True,
        help_text=_("Mallens Action: åtgärderna ni planerar, utöver PDSA-cyklerna nedan."),
    )
    # part 2
    tested = models.TextField(_("vad har testats och standardiserats, och hur?"), blank=True)
    comments = models.TextField(_("övriga kommentarer"), blank=True)
    learned = models.TextField(_("vad har ni lärt er?"), blank=True)
    patient_knowledge = models.TextField(_("hur har ni använt kunskap från patienter?"), blank=True)
    plan_ahead = models.TextField(_("plan framåt"), blank=True)
    created_by = models.ForeignKey(USER, null=True, related_name="+", on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "theme"]
        verbose_name = _("förbättringsarbete")
        verbose_name_plural = _("förbättringsarbeten")

    def __str__(self):
        return f"{self.unit} {self.theme} {self.year}"


class TeamMember(models.Model):
    project = models.ForeignKey(Project, related_name="team", on_delete=models.CASCADE)
    name = models.CharField(_("namn"), max_length=200)
    profession = models.CharField(_("profession"), max_length=200)

    class Meta:
        ordering = ["id"]


class Cause(models.Model):
    """A cause (orsak) of not already reaching the goal; its ideas hang from it (fishbone)."""

    project = models.ForeignKey(Project, related_name="causes", on_delete=models.CASCADE)
    number = models.PositiveSmallIntegerField()
    text = models.CharField(_("orsak"), max_length=300)
    category = models.CharField(_("kategori i fiskbenet"), max_length=100, blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="one_cause_number")
        ]


class Idea(models.Model):
    """An idea for a solution (idé till lösning), numbered under its cause: 1.1, 1.2 …"""

    cause = models.ForeignKey(Cause, related_name="ideas", on_delete=models.CASCADE)
    number = models.PositiveSmallIntegerField()
    text = models.CharField(_("idé"), max_length=300)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["cause", "number"], name="one_idea_number")]

    @property
    def label(self) -> str:
        return f"{self.cause.number}.{self.number}"


class Indicator(models.Model):
    project = models.ForeignKey(Project, related_name="indicators", on_delete=models.CASCADE)
    number = models.PositiveSmallIntegerField()
    name = models.CharField(
        _("indikatornamn"), max_length=300, validators=[starts_with_antal_or_andel]
    )
    kind = models.CharField(_("slag"), max_length=16, choices=IndicatorKind.choices)
    definition = models.TextField(_("operationell definition"), blank=True)
    source = models.CharField(_("källa"), max_length=200)
    # computed from painpath's data (a key of catalogue.py, with its parameters), or by hand
    catalogue_key = models.CharField(max_length=64, blank=True)
    parameters = models.JSONField(default=dict, blank=True)
    start_value = models.FloatField(_("startläge"), null=True, blank=True)
    start_period = models.CharField(
        _("datum eller period för startläget"), max_length=100, blank=True
    )
    target = models.FloatField(_("mål"), null=True, blank=True)
    target_text = models.CharField(_("mål i ord"), max_length=100, blank=True)  # ">50 %"
    target_date = models.DateField(_("datum för att uppnå målet"), null=True, blank=True)
    direction = models.CharField(_("förbättring är"), max_length=8, choices=Direction.choices)
    result_value = models.FloatField(_("resultat"), null=True, blank=True)
    result_text = models.CharField(_("resultat i ord"), max_length=100, blank=True)
    result_date = models.DateField(_("resultatets datum"), null=True, blank=True)
    result_period = models.CharField(
        _("datum eller period för resultatet"), max_length=100, blank=True
    )  # "Jmf 230313–231231 med 220313–221231"
    chart = models.CharField(
        _("diagram"), max_length=8, choices=ChartType.choices, default=ChartType.RUN
    )
    baseline_months = models.PositiveSmallIntegerField(
        _("baslinje: antal månader"), null=True, blank=True
    )
    phase_starts = models.JSONField(default=list, blank=True)  # first months of new phases

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="one_indicator_number")
        ]

    def __str__(self):
        return self.name

    @property
    def is_share(self) -> bool:
        return self.name.strip().startswith("Andel")

    @property
    def source_kind(self) -> str:
        return Source.COMPUTED if self.catalogue_key else Source.MANUAL


class Measurement(models.Model):
    """One month's value of an indicator, with its numerator and denominator, or a note
    saying why there is none."""

    indicator = models.ForeignKey(Indicator, related_name="measurements", on_delete=models.CASCADE)
    month = models.DateField()  # the first day of the month
    numerator = models.FloatField(null=True, blank=True)
    denominator = models.FloatField(null=True, blank=True)
    value = models.FloatField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)
    source = models.CharField(max_length=8, choices=Source.choices)
    measured_at = models.DateTimeField()
    entered_by = models.ForeignKey(
        USER, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["month"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "month"], name="one_value_per_month")
        ]


class ChartNote(models.Model):
    """A note drawn on an indicator's chart at a month."""

    indicator = models.ForeignKey(Indicator, related_name="notes", on_delete=models.CASCADE)
    month = models.DateField()
    text = models.CharField(_("anteckning"), max_length=200)

    class Meta:
        ordering = ["month", "id"]


class Pdsa(models.Model):
    """A PDSA cycle (PGSA: planera, göra, studera, agera)."""

    project = models.ForeignKey(Project, related_name="cycles", on_delete=models.CASCADE)
    idea = models.ForeignKey(
        Idea, null=True, blank=True, related_name="cycles", on_delete=models.SET_NULL
    )
    indicators = models.ManyToManyField(Indicator, related_name="cycles", blank=True)
    title = models.CharField(_("vad testas"), max_length=200)
    objective = models.TextField(_("syfte"))
    prediction = models.TextField(_("förutsägelse"))
    plan = models.TextField(_("plan: vem, vad, var, när"))
    starts_on = models.DateField(_("startar"))
    do = models.TextField(_("göra: vad hände, avvikelser, överraskningar"), blank=True)
    study = models.TextField(_("studera: jämfört med förutsägelsen"), blank=True)
    act = models.CharField(_("agera"), max_length=8, choices=Act.choices, blank=True)
    act_notes = models.TextField(_("agera: nästa steg"), blank=True)
    ends_on = models.DateField(_("avslutad"), null=True, blank=True)
    created_by = models.ForeignKey(USER, null=True, related_name="+", on_delete=models.SET_NULL)

    class Meta:
        ordering = ["starts_on", "id"]
