"""One instrument as a Django form, the same for the patient's link and for staff entering a
paper form: a field per item, answers cleaned to what the instrument's data says they are
(numbers as numbers, yes/no as booleans, body regions as a list of region ids).

Every field is optional to Django: which answers are missing is a question for the flow
(`check_missing`), not for validation, so that answers given so far are never lost.
"""

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from painpath.pathway import actions, instruments
from painpath.pathway.states import INVITATION_DAYS, State, Timepoint

TEXT_MAX_LENGTH = 2000  # when the item does not say
CHOICE_KINDS = ("scale", "choice", "yesno", "regions")


class NumberField(forms.Field):
    """A number as people write it in Sweden: a decimal comma is fine, 2,5 means 2.5."""

    default_error_messages = {
        "invalid": _("Skriv ett tal, till exempel 3 eller 2,5."),
        "min_value": _("Skriv ett tal som är %(limit_value)s eller större."),
        "max_value": _("Skriv ett tal som är %(limit_value)s eller mindre."),
    }

    def __init__(self, *, min_value=None, max_value=None, **kwargs):
        self.min_value, self.max_value = min_value, max_value
        super().__init__(**kwargs)

    def to_python(self, value):
        text = str(value if value is not None else "").strip().replace(" ", "")
        if not text:
            return None
        try:
            number = float(text.replace(",", "."))
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if number != number or abs(number) == float("inf"):  # nan or inf
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        number = int(number) if number.is_integer() else number
        if self.min_value is not None and number < self.min_value:
            raise forms.ValidationError(
                self.error_messages["min_value"], "min_value", {"limit_value": self.min_value}
            )
        if self.max_value is not None and number > self.max_value:
            raise forms.ValidationError(
                self.error_messages["max_value"], "max_value", {"limit_value": self.max_value}
            )
        return number

    def prepare_value(self, value):
        return str(value).replace(".", ",") if isinstance(value, float) else value


class ValueChoiceField(forms.ChoiceField):
    """Radio choices whose answer keeps the type the instrument gives it (0 stays the number
    0, yes stays True): `values` is (stored, posted, label), the browser sends `posted`."""

    def __init__(self, *, values: list[tuple[object, str, str]], **kwargs):
        self.values = values
        super().__init__(choices=[(posted, label) for _v, posted, label in values], **kwargs)

    def to_python(self, value):
        text = super().to_python(value)
        if text == "":
            return None
        for stored, posted, _label in self.values:
            if posted == text:
                return stored
        raise forms.ValidationError(
            self.error_messages["invalid_choice"], code="invalid_choice", params={"value": text}
        )

    def validate(self, value):
        pass  # to_python has checked the choice; required-ness is the flow's (check_missing)

    def prepare_value(self, value):
        """The posted text for an answer, whether stored (initial) or posted (bound)."""
        for stored, posted, _label in self.values:
            # True == 1 in Python: a stored 1 must not tick "Ja", nor True tick "1".
            same = stored == value and isinstance(stored, bool) == isinstance(value, bool)
            if same or posted == value:
                return posted
        return ""


class RegionsField(forms.MultipleChoiceField):
    """The pain drawing: the body regions marked, as ids in the body map's own order."""

    def clean(self, value):
        chosen = set(super().clean(value))
        return [region for region, _label in self.choices if region in chosen]


def field_for(item) -> forms.Field:
    common = {"label": item.text, "required": False, "help_text": item.help or ""}
    if item.kind == "scale":
        values = [(v, str(v), str(v)) for v in range(int(item.min), int(item.max) + 1)]
        return ValueChoiceField(values=values, **common)
    if item.kind == "choice":
        values = [(value, str(value), label) for value, label in item.options]
        return ValueChoiceField(values=values, **common)
    if item.kind == "yesno":
        return ValueChoiceField(values=[(True, "ja", _("Ja")), (False, "nej", _("Nej"))], **common)
    if item.kind == "number":
        return NumberField(min_value=item.min, max_value=item.max, **common)
    if item.kind == "text":
        return forms.CharField(max_length=item.max or TEXT_MAX_LENGTH, **common)
    if item.kind == "regions":
        regions = list(item.options) or [
            (region, label) for region, label, _group in instruments.BODY_REGIONS
        ]
        return RegionsField(choices=regions, **common)
    raise ValueError(f"no form field for item kind {item.kind!r}")


@dataclass
class Option:
    value: str  # as posted
    label: str
    anchor: str  # the scale's words at its ends ("Ingen smärta"), else ""
    checked: bool
    input_id: str
    shapes: tuple = ()  # a body region's rectangles on the body map


@dataclass
class Row:
    """One item as the template draws it: its number on the page, field and options."""

    number: int
    item: object
    field: forms.BoundField
    options: list[Option]

    @property
    def kind(self) -> str:
        return self.item.kind

    @property
    def describedby(self) -> str:
        """The ids of the item's help text and errors, for aria-describedby."""
        ids = [f"{self.field.auto_id}_helptext"] if self.field.help_text else []
        return " ".join(ids + ([f"{self.field.auto_id}_error"] if self.field.errors else []))


class InstrumentForm(forms.Form):
    """The items of one instrument; `initial` is the answers saved so far, as stored."""

    prefix = "q"

    def __init__(self, instrument, data=None, *, initial: dict | None = None):
        ids = {item.id for item in instrument.items}
        saved = {key: value for key, value in (initial or {}).items() if key in ids}
        super().__init__(data, initial=saved)
        self.instrument = instrument
        for item in instrument.items:
            self.fields[item.id] = field_for(item)

    def answers(self) -> dict:
        """The answers given, as stored: items left empty are left out."""
        return {key: value for key, value in self.cleaned_data.items() if value not in _EMPTY}

    def missing_required(self) -> list:
        given = self.answers()
        return [item for item in self.instrument.items if item.required and item.id not in given]

    def save(self, enrolment, timepoint: str, *, source: str, user=None, invitation=None):
        """Keep the answers given so far, with their score (actions.save_answers)."""
        answers = self.answers()
        score = instruments.score(self.instrument, answers)
        return actions.save_answers(
            enrolment, timepoint, self.instrument.code, answers, score,
            source=source, user=user, invitation=invitation,
        )  # fmt: skip

    @property
    def may_skip(self) -> bool:
        return allows_missing(self.instrument)

    def check_missing(self, *, skipping: bool = False) -> bool:
        """True when the answers may be left as they are. Else every required item left
        unanswered gets an error saying so (the page then offers to skip them when the
        instrument allows missing answers)."""
        missing = self.missing_required()
        if not missing or (skipping and self.may_skip):
            return True
        message = (
            _("Du har inte svarat på den här frågan. Svara om du kan, annars hoppa över den.")
            if self.may_skip
            else _("Svara på den här frågan.")
        )
        for item in missing:
            self.add_error(item.id, message)
        return False

    def rows(self) -> list[Row]:
        return [self._row(number, item) for number, item in enumerate(self.instrument.items, 1)]

    def _row(self, number: int, item) -> Row:
        field = self[item.id]
        if item.kind not in CHOICE_KINDS:
            return Row(number, item, field, [])
        value = field.value()
        values = value if isinstance(value, list | tuple) else [value]
        chosen = {str(field.field.prepare_value(v)) for v in values if v is not None}
        anchors = _anchors(item)
        options = [
            Option(
                value=str(posted),
                label=str(label),
                anchor=anchors.get(str(posted), ""),
                checked=str(posted) in chosen,
                # Region ids are fixed so that the body map's CSS can find each one.
                input_id=f"region-{posted}" if item.kind == "regions" else f"{field.auto_id}_{i}",
                shapes=tuple(REGION_SHAPES.get(posted, ())),
            )
            for i, (posted, label) in enumerate(field.field.choices)
        ]
        return Row(number, item, field, options)


_EMPTY = (None, "", [])


def _anchors(item) -> dict[str, str]:
    if item.kind != "scale" or not item.anchors:
        return {}
    low, high = item.anchors
    return {str(int(item.min)): low or "", str(int(item.max)): high or ""}


def allows_missing(instrument) -> bool:
    """Whether a patient may leave a required item of this instrument unanswered: when its
    scoring still gives a total with some answers missing (scoring.missing.max), the
    instrument allows it, and the score says what is missing."""
    return instrument.scoring.missing_max > 0


# The pain drawing's regions on the body map (pathway/_bodymap.html): rectangles in the
# drawing's coordinates, the front figure centred at x=100 and the back one at x=300. The
# patient's right is the viewer's left on the front and the viewer's right on the back.
FRONT, BACK = 100, 300
_SIDED = {  # on the patient's right, seen from the front: dx from the centre, y, w, h, views
    "jaw": (-17, 46, 12, 12, ("front",)),
    "shoulder": (-46, 80, 20, 20, ("front", "back")),
    "upper_arm": (-63, 102, 16, 60, ("front", "back")),
    "lower_arm": (-65, 168, 16, 70, ("front", "back")),
    "hip": (-40, 204, 37, 30, ("front", "back")),
    "upper_leg": (-38, 238, 34, 90, ("front", "back")),
    "lower_leg": (-34, 332, 26, 96, ("front", "back")),
}
_AXIAL = {
    "neck": [(FRONT - 9, 63, 18, 15), (BACK - 9, 63, 18, 15)],
    "chest": [(FRONT - 24, 84, 48, 50)],
    "abdomen": [(FRONT - 30, 138, 60, 62)],
    "upper_back": [(BACK - 24, 84, 48, 56)],
    "lower_back": [(BACK - 30, 144, 60, 56)],
}


def _sided_shapes() -> dict[str, list[tuple[int, int, int, int]]]:
    shapes = {}
    for part, (dx, y, w, h, views) in _SIDED.items():
        for side in ("right", "left"):
            rects = []
            for view in views:
                cx = FRONT if view == "front" else BACK
                as_seen = (side == "right") == (view == "front")  # on the viewer's left
                rects.append((cx + dx if as_seen else cx - dx - w, y, w, h))
            shapes[f"{part}_{side}"] = rects
    return shapes


REGION_SHAPES = _AXIAL | _sided_shapes()


@dataclass
class Step:
    """One instrument of a timepoint and how far its answers have come."""

    number: int
    instrument: object
    response: object  # models.Response or None
    unanswered: int  # required items without an answer

    @property
    def code(self) -> str:
        return self.instrument.code

    @property
    def title(self) -> str:
        return self.instrument.title

    @property
    def started(self) -> bool:
        return bool(self.response and self.response.answers)

    @property
    def done(self) -> bool:
        return self.started and not self.unanswered


def steps(instrument_list, responses) -> list[Step]:
    """The instruments in order with their saved responses (any iterable of Response)."""
    by_code = {response.instrument: response for response in responses}
    result = []
    for number, instrument in enumerate(instrument_list, 1):
        response = by_code.get(instrument.code)
        answers = response.answers if response else {}
        unanswered = sum(1 for i in instrument.items if i.required and i.id not in answers)
        result.append(Step(number, instrument, response, unanswered))
    return result


# Which questionnaires a new link can be for, by the enrolment's state: the baseline set
# before the assessment, the follow-up set once it is due.
INVITABLE = {
    State.IDENTIFIED: Timepoint.BASELINE,
    State.INVITED: Timepoint.BASELINE,
    State.FOLLOW_UP_DUE: Timepoint.FOLLOW_UP,
}


def invitation_timepoint(enrolment) -> str | None:
    """The timepoint a new invitation is for, or None when the state allows none."""
    return INVITABLE.get(State(enrolment.state))


class InvitationForm(forms.Form):
    """The questionnaires of a new link: the timepoint's default set ticked (placeholders,
    whose text the clinic has not loaded, left out), any other instrument on offer."""

    instruments = forms.MultipleChoiceField(
        label=_("Formulär"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Välj minst ett formulär.")},
        help_text=_("Patienten svarar i den här ordningen."),
    )
    days = forms.IntegerField(
        label=_("Länken fungerar i antal dagar"),
        min_value=1,
        max_value=90,
        initial=INVITATION_DAYS,
        widget=forms.NumberInput(attrs={"class": "short"}),
    )

    def __init__(self, data=None, *, enrolment):
        self.timepoint = invitation_timepoint(enrolment)
        clinic = enrolment.clinic
        defaults = instruments.for_timepoint(self.timepoint or Timepoint.BASELINE, clinic)
        ticked = [i.code for i in defaults if i.status != "placeholder"]
        super().__init__(data, initial={"instruments": ticked})
        # The default set first, in its order, then the rest.
        codes = {i.code for i in defaults}
        rest = [i for i in instruments.available(clinic) if i.code not in codes]
        self.fields["instruments"].choices = [(i.code, _choice_label(i)) for i in defaults + rest]

    def clean_instruments(self):
        chosen = set(self.cleaned_data["instruments"])
        return [code for code, _label in self.fields["instruments"].choices if code in chosen]


def _choice_label(instrument) -> str:
    if instrument.status == "placeholder":
        return _("%(title)s (frågornas text saknas: vårdcentralen behöver lägga in den)") % {
            "title": instrument.title
        }
    return instrument.title


def known_instruments(codes, clinic) -> list:
    """The instruments of these codes as the clinic uses them, skipping any the clinic has
    removed since (an old link still opens the rest)."""
    found = []
    for code in codes:
        try:
            found.append(instruments.get(code, clinic=clinic))
        except instruments.UnknownInstrument:
            continue
    return found


SECONDS_PER_ITEM = 20  # for "it takes about N minutes"


def minutes_needed(instrument_list) -> int:
    """About how long the questionnaires take, rounded up to five minutes."""
    seconds = SECONDS_PER_ITEM * sum(len(i.items) for i in instrument_list)
    return max(5, -(-seconds // 300) * 5)
