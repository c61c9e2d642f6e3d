"""What happens in an improvement project: the use cases views, commands, the demo and tests
call. The rules they keep are in states.py; the computed indicators in catalogue.py."""

from collections.abc import Callable, Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from painpath.improvement import catalogue
from painpath.improvement.models import (
    Cause,
    ChartNote,
    Idea,
    Indicator,
    Measurement,
    Pdsa,
    Project,
    TeamMember,
    starts_with_antal_or_andel,
)
from painpath.improvement.states import Source

DEFAULT_MONTHS = 24  # how far back a new computed indicator is measured


def create_project(clinic, user, *, year: int, theme: str, **fields) -> Project:
    fields.setdefault("unit", clinic.name)
    return Project.objects.create(clinic=clinic, year=year, theme=theme, created_by=user, **fields)


def add_team_member(project: Project, name: str, profession: str) -> TeamMember:
    return TeamMember.objects.create(project=project, name=name, profession=profession)


def _numbered(queryset, create, attempts: int = 5):
    """`create(number)` with the next free number. Two users adding at the same moment
    read the same highest number; the unique constraint refuses the second, which then
    takes the number after."""
    for attempt in range(attempts):
        number = (queryset.aggregate(n=Max("number"))["n"] or 0) + 1
        try:
            with transaction.atomic():
                return create(number)
        except IntegrityError:
            if attempt == attempts - 1:
                raise


def add_cause(project: Project, text: str, category: str = "") -> Cause:
    return _numbered(
        project.causes,
        lambda number: Cause.objects.create(
            project=project, number=number, text=text, category=category
        ),
    )


def add_idea(cause: Cause, text: str) -> Idea:
    return _numbered(
        cause.ideas, lambda number: Idea.objects.create(cause=cause, number=number, text=text)
    )


@transaction.atomic
def add_indicator(project: Project, *, name: str, catalogue_key: str = "", **fields) -> Indicator:
    """An indicator, computed (a catalogue key: its name, kind, source, definition and chart
    are the entry's unless given) or entered by hand. The name must start with Antal or
    Andel (ValidationError otherwise)."""
    entry = catalogue.CATALOGUE.get(catalogue_key) if catalogue_key else None
    if catalogue_key and entry is None:
        raise ValidationError(f"okänd beräknad indikator: {catalogue_key}")
    if entry is not None:
        fields.setdefault("kind", entry.kind)
        fields.setdefault("source", entry.source)
        fields.setdefault("definition", entry.definition)
        fields.setdefault("chart", "run")  # qi.md: a run chart first; entry.chart after
        fields.setdefault("parameters", dict(entry.parameters))
    name = name.strip() or (entry.name if entry else "")
    starts_with_antal_or_andel(name)
    if entry is not None and name.startswith("Andel") != entry.name.startswith("Andel"):
        raise ValidationError(
            f"en beräknad indikator heter som sina värden: namnet ska börja med "
            f"”{entry.name.split()[0]}”"
        )
    return _numbered(
        project.indicators,
        lambda number: Indicator.objects.create(
            project=project, number=number, name=name, catalogue_key=catalogue_key, **fields
        ),
    )


def months_to_measure(indicator: Indicator, today: date, months: int = DEFAULT_MONTHS):
    """The last `months` whole months before today's or, for a figure from the EHR extract,
    the last `months` whole months the clinic's extract covers (an extract is a snapshot:
    the months after it would only say that it does not cover them)."""
    last = catalogue.add_months(catalogue.month_start(today), -1)
    entry = catalogue.CATALOGUE.get(indicator.catalogue_key)
    if entry is not None and entry.from_extract:
        _first, covered = catalogue.extract_covers([indicator.project.clinic])
        if covered is not None:
            whole = catalogue.month_start(covered)
            if catalogue.month_end(whole) > covered:  # the extract ends inside that month
                whole = catalogue.add_months(whole, -1)
            last = min(last, whole)
    return catalogue.months_between(catalogue.add_months(last, 1 - months), last)


@transaction.atomic
def measure(
    indicator: Indicator,
    months: Iterable[date] | None = None,
    *,
    today: date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[Measurement]:
    """Compute a catalogue indicator for the months (default: the last 24 whole months),
    replacing what was measured before: past months are measured again, as the data may
    have been completed since. Hand-entered indicators are left alone."""
    if not indicator.catalogue_key:
        return []
    today = today or timezone.localdate()
    months = list(months or months_to_measure(indicator, today))
    found = catalogue.measure(
        indicator.catalogue_key, indicator.parameters, [indicator.project.clinic], months,
        today, progress,
    )  # fmt: skip
    now = timezone.now()
    return [_save(indicator, month, value, Source.COMPUTED, now, None)
            for month, value in found.items()]  # fmt: skip


def _save(indicator, month, value: catalogue.Value, source, at, user) -> Measurement:
    measurement, _created = Measurement.objects.update_or_create(
        indicator=indicator,
        month=catalogue.month_start(month),
        defaults={
            "numerator": value.numerator,
            "denominator": value.denominator,
            "value": value.value,
            "note": value.note[:300],
            "source": source,
            "measured_at": at,
            "entered_by": user,
        },
    )
    return measurement


def enter_value(
    indicator: Indicator,
    month: date,
    user,
    *,
    numerator: float | None = None,
    denominator: float | None = None,
    note: str = "",
) -> Measurement:
    """A hand-entered month: numerator over denominator for an Andel; a count for an
    Antal, with its exposure as denominator if given (listed patients, bed days …: a U
    chart plots the count per unit). With no numerator, the note says why there is no
    value."""
    if indicator.catalogue_key:
        raise ValidationError("indikatorn beräknas ur painpaths data och matas inte in för hand")
    if numerator is None:
        value = catalogue.Value(None, denominator, None, note or "inget värde angivet")
    elif indicator.is_share:
        if not denominator:
            raise ValidationError("en andel behöver en nämnare större än 0")
        if numerator > denominator:
            raise ValidationError("täljaren kan inte vara större än nämnaren")
        value = catalogue.Value(numerator, denominator, numerator / denominator, note)
    else:
        if denominator is not None and denominator <= 0:
            raise ValidationError("nämnaren (exponeringen) måste vara större än 0")
        value = catalogue.Value(numerator, denominator, float(numerator), note)
    return _save(indicator, month, value, Source.MANUAL, timezone.now(), user)


def add_note(indicator: Indicator, month: date, text: str) -> ChartNote:
    return ChartNote.objects.create(
        indicator=indicator, month=catalogue.month_start(month), text=text
    )


def update_project(project: Project, **fields) -> list[str]:
    """Part 1 or part 2 as edited; the names of the fields that changed."""
    changed = [name for name, value in fields.items() if getattr(project, name) != value]
    for name in changed:
        setattr(project, name, fields[name])
    if changed:
        project.save(update_fields=changed)
    return changed


def remove_team_member(member: TeamMember) -> None:
    member.delete()


def delete_cause(cause: Cause) -> None:
    """A cause and its ideas, unless a PDSA cycle tests one of them (ValidationError)."""
    if Pdsa.objects.filter(idea__cause=cause).exists():
        raise ValidationError("en PDSA-cykel prövar en idé under orsaken")
    cause.delete()


def delete_idea(idea: Idea) -> None:
    """An idea, unless a PDSA cycle tests it (ValidationError)."""
    if idea.cycles.exists():
        raise ValidationError("en PDSA-cykel prövar idén")
    idea.delete()


def start_pdsa(project: Project, user, *, indicators=(), **fields) -> Pdsa:
    cycle = Pdsa.objects.create(project=project, created_by=user, **fields)
    cycle.indicators.set(indicators)
    return cycle


def update_pdsa(cycle: Pdsa, *, indicators=None, **fields) -> Pdsa:
    """Do, study and act, as they come; a cycle with an act has ended. Indicators, when
    given, replace the cycle's."""
    if indicators is not None:
        cycle.indicators.set(indicators)
    for name, value in fields.items():
        setattr(cycle, name, value)
    if cycle.act and cycle.ends_on is None:
        cycle.ends_on = timezone.localdate()
    cycle.save()
    return cycle


@transaction.atomic
@transaction.atomic
def delete_indicator(indicator: Indicator) -> int:
    """An indicator with its months and chart notes; PDSA cycles linked to it go on without
    the link. The project's later indicators move down one, so the region's table stays
    Indikator 1..n. The number of indicators renumbered. The project is locked while it
    renumbers, so two removals at once take turns (each with the numbers as they are)."""
    project_id = indicator.project_id
    Project.objects.select_for_update().filter(pk=project_id).first()
    number = Indicator.objects.filter(pk=indicator.pk).values_list("number", flat=True).first()
    if number is None:  # removed by someone else meanwhile
        return 0
    indicator.delete()
    later = Indicator.objects.filter(project_id=project_id, number__gt=number).order_by("number")
    renumbered = 0
    for each in later:  # one at a time, upwards: (project, number) is unique at every step
        each.number -= 1
        each.save(update_fields=["number"])
        renumbered += 1
    return renumbered


def delete_pdsa(cycle: Pdsa) -> None:
    """A PDSA cycle; its idea and indicators stay (the charts no longer mark it)."""
    cycle.delete()


def delete_note(note: ChartNote) -> None:
    note.delete()


def delete_measurement(measurement: Measurement) -> None:
    """A hand-entered month; a computed one is measured again, not removed (ValidationError)."""
    if measurement.source == Source.COMPUTED or measurement.indicator.catalogue_key:
        raise ValidationError("indikatorn beräknas ur painpaths data: mät om den i stället")
    measurement.delete()
