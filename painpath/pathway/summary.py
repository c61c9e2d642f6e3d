"""What the clinician reads before the first assessment (and before the follow-up talk):
per instrument the total, band, cut-off, subscales and what is missing; the pain drawing's
regions; the history form's answers as text; and any alert (PHQ-9 item 9 above 0) first.

Scores are the ones saved with the answers (Response.score); an answer saved without one
is scored here with the same shared scoring, so the page never shows less than it could.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.utils.translation import gettext as _

from painpath.pathway import instruments
from painpath.pathway.forms import REGION_SHAPES
from painpath.pathway.models import Assessment, Enrolment, Response
from painpath.pathway.states import ASSESSMENT_MINUTES, Source, Timepoint

TEXT_FORMS = frozenset({"history"})  # read as questions and answers, not as a score


def score_of(response: Response, clinic=None) -> dict:
    """The saved score, or the answers scored now; {} for an instrument no longer known."""
    if response.score:
        return response.score
    try:
        instrument = instruments.get(response.instrument, clinic=clinic)
    except instruments.UnknownInstrument:
        return {}
    return instruments.score(instrument, response.answers)


def enrolments_with_alerts(enrolment_ids) -> set[int]:
    """The enrolments with an answer that raised an alert, at any timepoint, submitted or
    still being filled in: a risk the patient told us is not left for the form to finish."""
    responses = Response.objects.filter(enrolment_id__in=list(enrolment_ids)).select_related(
        "enrolment__clinic"
    )
    return {r.enrolment_id for r in responses if score_of(r, r.enrolment.clinic).get("alerts")}


@dataclass
class Answered:
    """One instrument's answers at one timepoint, scored."""

    code: str
    title: str
    status: str  # "official" | "unofficial" | "placeholder" (text a clinic has not loaded)
    known: bool
    score: dict
    submitted_at: datetime | None
    source: str
    missing: list[str] = field(default_factory=list)  # the unanswered items' texts
    subscales: list[tuple[str, object]] = field(default_factory=list)  # (label, value)
    regions: list[str] = field(default_factory=list)  # the pain drawing's, as labels
    answers_text: list[tuple[str, str]] = field(default_factory=list)

    @property
    def total(self):
        return self.score.get("total")

    @property
    def max(self):
        return self.score.get("max")

    @property
    def band(self):
        return self.score.get("band")

    @property
    def cutoff(self):
        return self.score.get("cutoff")

    @property
    def prorated(self) -> bool:
        """The total was counted up from the answered items (a few may be missing)."""
        return bool(self.score.get("prorated"))

    @property
    def alerts(self) -> list[str]:
        return self.score.get("alerts") or []

    @property
    def complete(self) -> bool:
        return bool(self.score.get("complete"))

    @property
    def is_drawing(self) -> bool:
        return "regions" in self.score

    @property
    def widespread(self) -> bool:
        return bool(self.score.get("widespread"))

    @property
    def region_ids(self) -> list[str]:
        return list(self.score.get("regions") or [])

    @property
    def shapes(self) -> list[tuple[int, int, int, int, bool]]:
        return drawing(self.region_ids)


@dataclass
class Summary:
    enrolment: Enrolment
    timepoint: str
    answered: list[Answered]
    not_answered: list[str]  # titles of instruments asked for and not begun
    assessment: Assessment | None  # the booking ahead, else the last one done

    @property
    def alerts(self) -> list[tuple[str, str]]:
        return [(a.title, text) for a in self.answered for text in a.alerts]

    @property
    def drawing(self) -> Answered | None:
        return next((a for a in self.answered if a.is_drawing), None)

    @property
    def scored(self) -> list[Answered]:
        return [a for a in self.answered if not a.is_drawing and a.code not in TEXT_FORMS]

    @property
    def texts(self) -> list[Answered]:
        return [a for a in self.answered if a.code in TEXT_FORMS]

    @property
    def short_assessment(self) -> bool:
        return self.assessment is not None and self.assessment.length_minutes < ASSESSMENT_MINUTES


def _instrument(code: str, clinic):
    try:
        return instruments.get(code, clinic=clinic)
    except instruments.UnknownInstrument:
        return None


def _expected(enrolment: Enrolment, timepoint: str) -> list[str]:
    """The instruments asked for: the newest link's, else the timepoint's default set."""
    invitation = enrolment.invitations.filter(timepoint=timepoint).order_by("-id").first()
    if invitation is not None:
        return list(invitation.instruments)
    return [i.code for i in instruments.for_timepoint(timepoint, clinic=enrolment.clinic)]


def region_labels(region_ids) -> list[str]:
    """The regions' names, from the head down as the body map lists them."""
    order = {region: (n, label) for n, (region, label, _g) in enumerate(instruments.BODY_REGIONS)}
    known = sorted((order[r] for r in region_ids if r in order), key=lambda pair: pair[0])
    return [str(label) for _n, label in known] + [r for r in region_ids if r not in order]


def drawing(region_ids) -> list[tuple[int, int, int, int, bool]]:
    """Every region of the body map as rectangles (x, y, w, h, marked), in the patient's
    form's coordinates (forms.REGION_SHAPES): together they draw the body, front and back."""
    marked = set(region_ids)
    return [(*rect, region in marked) for region, rects in REGION_SHAPES.items() for rect in rects]


def answer_text(item, value) -> str:
    """An answer as the clinician reads it: the option's words, not its stored value."""
    if value is None or value == "" or value == []:
        return ""
    if item.kind == "yesno":
        return _("Ja") if value in (True, 1, "1", "yes", "ja", "true") else _("Nej")
    if item.kind == "regions":
        return ", ".join(
            region_labels(value.get("regions", value) if isinstance(value, dict) else value)
        )
    if item.kind == "choice":
        options = {str(v): label for v, label in item.options}
        values = value if isinstance(value, list) else [value]
        return ", ".join(str(options.get(str(v), v)) for v in values)
    return str(value)


def _answered(response: Response, clinic) -> Answered:
    instrument = _instrument(response.instrument, clinic)
    score = score_of(response, clinic)
    answered = Answered(
        code=response.instrument,
        title=str(instrument.title) if instrument else response.instrument,
        status=instrument.status if instrument else "",
        known=instrument is not None,
        score=score,
        submitted_at=response.submitted_at,
        source=Source(response.source).label if response.source else "",
    )
    if instrument is None:  # an instrument since removed: its score as saved
        answered.subscales = list((score.get("subscales") or {}).items())
        return answered
    texts = {item.id: str(item.text) for item in instrument.items}
    answered.missing = [texts.get(item_id, item_id) for item_id in score.get("missing", [])]
    answered.regions = region_labels(score.get("regions") or [])
    # In the instrument's order: PostgreSQL's jsonb keeps a dict's keys in its own order.
    saved = score.get("subscales") or {}
    answered.subscales = [
        (str(sub.label), saved[sub.id]) for sub in instrument.scoring.subscales if sub.id in saved
    ]
    if response.instrument in TEXT_FORMS:
        answered.answers_text = [
            (str(item.text), answer_text(item, response.answers.get(item.id)))
            for item in instrument.items
            if answer_text(item, response.answers.get(item.id))
        ]
    return answered


def summarise(enrolment: Enrolment, timepoint: str = Timepoint.BASELINE) -> Summary:
    responses = {r.instrument: r for r in enrolment.responses.filter(timepoint=timepoint)}
    expected = _expected(enrolment, timepoint)
    order = expected + sorted(set(responses) - set(expected))
    answered = [_answered(responses[code], enrolment.clinic) for code in order if code in responses]
    not_answered = []
    for code in expected:
        if code not in responses:
            instrument = _instrument(code, enrolment.clinic)
            not_answered.append(str(instrument.title) if instrument else code)
    bookings = enrolment.assessments.filter(cancelled_at__isnull=True)
    assessment = (
        bookings.filter(done_at__isnull=True).order_by("scheduled_at").first()
        or bookings.order_by("-done_at").first()
    )
    return Summary(enrolment, timepoint, answered, not_answered, assessment)
