"""The indicators painpath can compute from its own data, month by month, for improvement
projects: built on the deep-dive (Step 2), the prescription indicators, the pathway (Step 3)
and coordination (Step 4).

Each entry turns (clinics, first day, last day) into a `Value`: the numerator, the
denominator (None for an "Antal"), the value, and a note saying why there is no value when
there is none. Nothing that cannot be computed is reported as 0:
- a month that has not ended is not measured;
- for figures from the EHR extract, a month the clinic's extract does not cover (before its
  first or after its last contact) says so;
- a share with nothing to count (no patients with the diagnosis that month) says so.

Periods: a figure of a month counts that calendar month alone, unless the entry's
`window_months` widens it to the months ending with that one (a rolling window; the shares
of long-term pain patients use 12 months, as PrimärvårdsKvalitet does). A rolling window
steadies a small clinic's shares but makes neighbouring months share patients, and the
runs analysis assumes independent points: the chart page says so for such indicators.
"""

from collections.abc import Callable, Iterable
from contextlib import nullcontext
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta

from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from painpath import analytics
from painpath.analytics import Tables
from painpath.care import indicators as care
from painpath.care.courses import ACT_TRAINING
from painpath.care.groups import training_coverage
from painpath.care.models import OpioidAgreement, RehabMeeting, TrainingCourse
from painpath.deepdive.source import app_tables
from painpath.pathway.indicator_rows import clinic_indicators
from painpath.pathway.models import StateChange
from painpath.records.models import Contact, Prescription

OXYCODONE = ("N02AA05", "N02AA55")  # oxycodone, and with naloxone (Vendelsö's indicator 3)


@dataclass(frozen=True)
class Value:
    numerator: float | None
    denominator: float | None
    value: float | None
    note: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def count(n: int | None, note: str = "") -> Value:
    return Value(n, None, None if n is None else float(n), note)


def share(numerator: int, denominator: int, empty: str) -> Value:
    if not denominator:
        return Value(numerator, denominator, None, str(empty))
    return Value(numerator, denominator, numerator / denominator)


@dataclass(frozen=True)
class Scope:
    """What an entry measures: the clinics and, for a figure from the extract, the
    analytics tables over the app database (opened once for all the months measured)."""

    clinics: list
    tables: Tables | None = None

    @property
    def ids(self) -> list[int]:
        return [clinic.pk for clinic in self.clinics]


@dataclass(frozen=True)
class Entry:
    key: str
    name: str  # the indicator's name, as the template wants it ("Antal …", "Andel …")
    kind: str  # outcome, process or balancing (states.IndicatorKind)
    source: str
    definition: str
    compute: Callable[..., Value]
    chart: str = "run"  # the control chart that fits, offered after the run chart
    from_extract: bool = False  # needs the EHR extract to cover the month
    parameters: dict = field(default_factory=dict)  # defaults; the project may change them
    # For a figure from painpath's own register: the day the clinics first registered in it
    # (None: never). A month that ended before it was not kept in painpath, so it says so
    # rather than counting 0.
    in_use_since: Callable[[list], date | None] | None = None


def _professions(scope: Scope, first, last, params) -> dict:
    return analytics.professions_met(scope.tables, params["diagnoses"], first, last,
                                     clinic=scope.ids)  # fmt: skip


def cohort_patients(scope: Scope, first, last, params) -> Value:
    return count(_professions(scope, first, last, params)["patients"])


def multi_profession(scope: Scope, first, last, params) -> Value:
    found = _professions(scope, first, last, params)
    return share(found["multi_profession"]["patients"], found["patients"], NO_PATIENTS)


def same_caregiver(scope: Scope, first, last, params) -> Value:
    found = _professions(scope, first, last, params)
    return share(found["single_profession_same_caregiver"], found["patients"], NO_PATIENTS)


def frequent_attenders(scope: Scope, first, last, params) -> Value:
    found = analytics.frequent_attenders(
        scope.tables, params["diagnoses"], first, last, clinic=scope.ids,
        threshold=params.get("threshold", 10),
    )  # fmt: skip
    return share(found["frequent_attenders"], found["patients"], NO_PATIENTS)


def oxycodone(scope: Scope, first, last, params) -> Value:
    found = analytics.prescriptions(scope.tables, params["atc"], first, last, clinic=scope.ids)
    return count(found["prescriptions"])


def pathway_offered(scope: Scope, first, last, params) -> Value:
    return count(clinic_indicators(scope.clinics, first, last)["offered"]["count"])


def pathway_improved(scope: Scope, first, last, params) -> Value:
    found = clinic_indicators(scope.clinics, first, last)["improved"]
    return share(found["improved"], found["measurable"], _("ingen följdes upp med mätbara svar"))


def care_share(name: str) -> Callable[..., Value]:
    def compute(scope: Scope, first, last, params) -> Value:
        found = care.measure(name, scope.clinics, first, last)
        return Value(found["numerator"], found["denominator"], found["value"], found["note"])

    return compute


def rehab_meetings(scope: Scope, first, last, params) -> Value:
    months = care.meeting_figures(scope.clinics, first, last)["months"]
    return count(sum(month["meetings"] for month in months))


def training(kind: str) -> Callable[..., Value]:
    def compute(scope: Scope, first, last, params) -> Value:
        course = TrainingCourse.objects.filter(name=params["course"]).first()
        if course is None:
            return Value(None, None, None, str(_("utbildningen finns inte i painpath")))
        found = training_coverage(scope.clinics, last, course)[kind]
        return share(found["trained"], found["on_roster"], _("ingen på personallistan"))

    return compute


def _first_day(queryset, field: str) -> date | None:
    first = queryset.aggregate(first=Min(field))["first"]
    return timezone.localdate(first) if hasattr(first, "tzinfo") else first


def pathway_since(clinics) -> date | None:
    return _first_day(StateChange.objects.filter(enrolment__clinic__in=clinics), "at")


def meetings_since(clinics) -> date | None:
    return _first_day(RehabMeeting.objects.filter(enrolment__clinic__in=clinics), "held_on")


def opioid_agreements_since(clinics) -> date | None:
    return _first_day(OpioidAgreement.objects.filter(clinic__in=clinics), "agreed_on")


NO_PATIENTS = _("inga patienter med diagnosen under perioden")
LONG_PAIN = {"diagnoses": ["R52.2"], "window_months": 1}
# Shares of a clinic's long-term pain patients: over the 12 months ending with the month, as
# PrimärvårdsKvalitet measures (a single month holds a handful of patients, and hardly any
# of them meets two professions within it).
LONG_PAIN_YEAR = {"diagnoses": ["R52.2"], "window_months": 12}
CATALOGUE: dict[str, Entry] = {
    entry.key: entry
    for entry in [
        Entry(
            "cohort_patients", "Antal patienter med långvarig smärta", "process",
            "painpaths djupdykning (journaluttaget)",
            "Patienter med diagnosen (eller en underkod) registrerad under månaden.",
            cohort_patients, chart="c", from_extract=True, parameters=LONG_PAIN,
        ),
        Entry(
            "multi_profession",
            "Andel patienter med långvarig smärta som träffat mer än en profession", "outcome",
            "painpaths djupdykning (journaluttaget)",
            "Täljare: patienter med diagnosen under de 12 månaderna till och med månaden vars "
            "diagnos registrerats av mer än en profession. Nämnare: patienter med diagnosen "
            "under samma 12 månader.",
            multi_profession, chart="p", from_extract=True, parameters=LONG_PAIN_YEAR,
        ),
        Entry(
            "same_caregiver",
            "Andel patienter med långvarig smärta som träffat samma vårdgivare varje gång",
            "outcome", "painpaths djupdykning (journaluttaget)",
            "Täljare: patienter med en enda profession och en enda vårdgivare bland "
            "diagnosregistreringarna. Nämnare: patienter med diagnosen under de 12 månaderna "
            "till och med månaden.",
            same_caregiver, chart="p", from_extract=True, parameters=LONG_PAIN_YEAR,
        ),
        Entry(
            "frequent_attenders",
            "Andel patienter med långvarig smärta med fler än 10 kontakter", "balancing",
            "painpaths djupdykning (journaluttaget)",
            "Täljare: patienter med fler kontakter än tröskeln under fönstret (12 månader "
            "bakåt). Nämnare: patienter med diagnosen under fönstret.",
            frequent_attenders, chart="p", from_extract=True,
            parameters={"diagnoses": ["R52.2"], "threshold": 10, "window_months": 12},
        ),
        Entry(
            "oxycodone_prescriptions", "Antal recept oxikodon", "outcome",
            "painpaths förskrivningsindikatorer (journaluttaget)",
            "Förskrivningar med ATC-kod N02AA05 eller N02AA55 under månaden.",
            oxycodone, chart="c", from_extract=True, parameters={"atc": list(OXYCODONE)},
        ),
        Entry(
            "pathway_offered",
            "Antal patienter med långvarig smärta som erbjudits strukturerat omhändertagande",
            "process", "painpaths vårdförlopp",
            "Inskrivningar i vårdförloppet (identifierade) under månaden.",
            pathway_offered, chart="c", in_use_since=pathway_since,
        ),
        Entry(
            "pathway_improved",
            "Andel patienter i vårdförloppet som förbättrats vid uppföljningen", "outcome",
            "painpaths vårdförlopp (enkäter före och efter)",
            "Täljare: uppföljda under månaden som nått minsta viktiga förändring i smärta "
            "eller påverkan på vardagen. Nämnare: uppföljda med mätbara svar före och efter.",
            pathway_improved, chart="p",
        ),
        Entry(
            "current_agreement",
            "Andel patienter i vårdförloppet med gällande patientöverenskommelse", "process",
            "painpaths samordning",
            "Täljare: patienter i vårdförloppet (bedömda eller uppföljda) vid månadens slut "
            "med en patientöverenskommelse som gäller den dagen. Nämnare: patienter i "
            "vårdförloppet vid månadens slut.",
            care_share("current_agreement"), chart="p",
        ),
        Entry(
            "rehab_plan", "Andel patienter i vårdförloppet med rehabplan", "process",
            "painpaths samordning",
            "Täljare: patienter i vårdförloppet (bedömda eller uppföljda) vid månadens slut "
            "med en rehabplan skriven senast den dagen. Nämnare: patienter i vårdförloppet "
            "vid månadens slut.",
            care_share("rehab_plan"), chart="p",
        ),
        Entry(
            "agreements_reviewed_on_time", "Andel patientöverenskommelser omprövade i tid",
            "process", "painpaths samordning",
            "Överenskommelser som gick ut under månaden och ersattes senast sista dagen.",
            care_share("agreements_reviewed_on_time"), chart="p",
        ),
        Entry(
            "rehab_meetings", "Antal rehabmöten", "process", "painpaths samordning",
            "Rehabmöten hållna under månaden.", rehab_meetings, chart="c",
            in_use_since=meetings_since,
        ),
        Entry(
            "pain_school_completion", "Andel deltagare som genomgått smärtskolan", "outcome",
            "painpaths smärtskola",
            "Grupper som började under månaden och har avslutats: deltagare med plats som "
            "närvarat vid tillräckligt många träffar.",
            care_share("pain_school_completion"), chart="p",
        ),
        Entry(
            "training_caregivers", "Andel vårdpersonal som gått ACT-utbildningen", "process",
            "painpaths personalutbildning", "Vid månadens slut, bland vårdpersonal på listan.",
            training("caregiver"), chart="p", parameters={"course": ACT_TRAINING},
        ),
        Entry(
            "training_administrators",
            "Andel administrativ personal som gått ACT-utbildningen", "process",
            "painpaths personalutbildning",
            "Vid månadens slut, bland administrativ personal på listan.",
            training("administrator"), chart="p", parameters={"course": ACT_TRAINING},
        ),
        Entry(
            "opioid_agreement",
            "Andel patienter med opioider som har behandlingsavtal", "process",
            "painpaths opioidavtal och journaluttaget",
            "Vid månadens slut: patienter med opioidrecept de senaste 180 dagarna.",
            care_share("opioid_agreement"), chart="p", from_extract=True,
            in_use_since=opioid_agreements_since,
        ),
    ]
}  # fmt: skip


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(first: date) -> date:
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


def add_months(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def months_between(first: date, last: date) -> list[date]:
    """The first days of the months from first's to last's, both included."""
    found, month = [], month_start(first)
    while month <= last:
        found.append(month)
        month = add_months(month, 1)
    return found


def extract_covers(clinics) -> tuple[date | None, date | None]:
    """The first and last day of the clinics' extract (contacts and prescriptions)."""
    spans = [
        model.objects.filter(clinic__in=clinics).aggregate(first=Min("date"), last=Max("date"))
        for model in (Contact, Prescription)
    ]
    firsts = [s["first"] for s in spans if s["first"]]
    lasts = [s["last"] for s in spans if s["last"]]
    return (min(firsts) if firsts else None, max(lasts) if lasts else None)


def measure(
    key: str,
    parameters: dict,
    clinics: Iterable,
    months: Iterable[date],
    today: date,
    progress: Callable[[int, int], None] | None = None,
) -> dict[date, Value]:
    """The entry's value for each month (given by its first day), or why there is none."""
    entry = CATALOGUE[key]
    params = entry.parameters | (parameters or {})
    clinics, months = list(clinics), list(months)
    covers = extract_covers(clinics) if entry.from_extract else (None, None)
    since = entry.in_use_since(clinics) if entry.in_use_since else None
    window = max(int(params.get("window_months", 1)), 1)
    found = {}
    with app_tables() if entry.from_extract else nullcontext() as tables:
        scope = Scope(clinics, tables)
        for done, first in enumerate(months, 1):
            last, start = month_end(first), add_months(first, 1 - window)
            why = _why_not(entry, start, last, today, covers, since)
            found[first] = why or entry.compute(scope, start, last, params)
            if progress:
                progress(done, len(months))
    return found


def _why_not(entry: Entry, start: date, last: date, today: date, covers, since) -> Value | None:
    """A month that cannot be measured, with the reason; None when it can."""
    if last >= today:
        why = _("månaden är inte slut")
    elif entry.from_extract and (
        covers[0] is None or start < month_start(covers[0]) or last > covers[1]
    ):
        why = _("journaluttaget täcker inte månaden")
    elif entry.in_use_since and since is None:
        why = _("inget är registrerat i painpath ännu")
    elif entry.in_use_since and last < since:
        why = _("inget registrerat i painpath före %(month)s") % {"month": since.strftime("%Y-%m")}
    else:
        return None
    return Value(None, None, None, str(why))
