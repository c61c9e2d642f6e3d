"""One instrument as a form (painpath/pathway/forms.py), against the shipped instruments."""

import pytest

from painpath.pathway import instruments
from painpath.pathway.forms import REGION_SHAPES, InstrumentForm, InvitationForm
from painpath.pathway.states import State

pytestmark = pytest.mark.django_db


def post(**answers) -> dict:
    """Form data as the browser sends it: every value text, prefixed."""
    data = {}
    for key, value in answers.items():
        data[f"q-{key}"] = [str(v) for v in value] if isinstance(value, list) else str(value)
    return data


def bound(code: str, **answers) -> InstrumentForm:
    from django.http import QueryDict

    query = QueryDict(mutable=True)
    for key, value in post(**answers).items():
        query.setlist(key, value if isinstance(value, list) else [value])
    return InstrumentForm(instruments.get(code), query)


def answers(code: str, **given) -> dict:
    form = bound(code, **given)
    assert form.is_valid(), form.errors
    return form.answers()


def row(form: InstrumentForm, item_id: str):
    return next(r for r in form.rows() if r.item.id == item_id)


def test_it_makes_a_scale_into_radio_buttons_from_min_to_max_with_the_anchors_at_the_ends():
    options = row(InstrumentForm(instruments.get("nrs_pain")), "1").options

    assert [o.value for o in options] == [str(n) for n in range(11)]
    assert options[0].anchor == "Ingen smärta"
    assert options[-1].anchor == "Värsta tänkbara smärta"
    assert {o.anchor for o in options[1:-1]} == {""}
    assert len({o.input_id for o in options}) == 11


def test_it_keeps_a_scale_or_choice_answer_as_the_number_the_instrument_gives():
    form = bound("oempsq_sf", **{"1": 10, "2": 7})

    assert form.is_valid()
    assert form.answers() == {"1": 10, "2": 7}
    assert row(InstrumentForm(instruments.get("oempsq_sf")), "1").options[-1].label == (
        "Mer än 1 år"
    )


def test_it_refuses_a_value_the_scale_does_not_have():
    form = bound("nrs_pain", **{"1": 11})

    assert not form.is_valid()
    assert "1" in form.errors


def test_it_stores_yes_and_no_as_booleans_and_shows_them_chosen_again():
    form = bound("history", rehabilitation="ja", sick_leave="nej")

    assert form.is_valid()
    assert form.answers() == {"rehabilitation": True, "sick_leave": False}
    again = InstrumentForm(instruments.get("history"), initial=form.answers())
    assert [o.label for o in row(again, "rehabilitation").options if o.checked] == ["Ja"]
    assert [o.label for o in row(again, "sick_leave").options if o.checked] == ["Nej"]


def test_it_reads_a_number_with_a_decimal_comma_and_refuses_one_out_of_range_or_not_a_number():
    assert answers("history", sick_leave_weeks="2,5") == {"sick_leave_weeks": 2.5}
    assert answers("history", sick_leave_weeks=" 12 ") == {"sick_leave_weeks": 12}
    for wrong in ("-1", "521", "tolv", "nan"):
        form = bound("history", sick_leave_weeks=wrong)
        assert not form.is_valid(), wrong
        assert "sick_leave_weeks" in form.errors


def test_it_keeps_text_as_written_and_refuses_more_than_the_item_allows():
    given = answers("history", goals="Gå till affären själv.\nSova en hel natt.")

    assert given == {"goals": "Gå till affären själv.\nSova en hel natt."}
    assert not bound("history", goals="x" * 2001).is_valid()


def test_it_stores_the_pain_drawing_as_region_ids_in_the_body_maps_order():
    form = bound("pain_drawing", regions=["lower_back", "neck", "hip_left"])

    assert form.is_valid()
    order = [region for region, _label, _group in instruments.BODY_REGIONS]
    assert form.answers() == {
        "regions": sorted(["lower_back", "neck", "hip_left"], key=order.index)
    }
    assert not bound("pain_drawing", regions=["tail"]).is_valid()


def test_the_body_map_ticks_the_saved_regions_and_draws_every_region():
    form = InstrumentForm(instruments.get("pain_drawing"), initial={"regions": ["neck", "chest"]})
    options = row(form, "regions").options

    assert {o.value for o in options if o.checked} == {"neck", "chest"}
    assert {o.input_id for o in options} == {f"region-{o.value}" for o in options}
    assert set(REGION_SHAPES) == {region for region, _label, _group in instruments.BODY_REGIONS}
    assert all(o.shapes for o in options)


def test_the_right_side_is_drawn_on_the_viewers_left_in_front_and_on_the_right_behind():
    (front, back) = REGION_SHAPES["shoulder_right"]
    assert front[0] < 100 and back[0] > 300
    (front, back) = REGION_SHAPES["shoulder_left"]
    assert front[0] > 100 and back[0] < 300


def test_it_names_required_items_left_unanswered_and_lets_them_be_skipped_when_allowed():
    form = bound("oempsq_sf", **{str(n): 5 for n in range(2, 11)})  # item 1 left out
    assert form.is_valid()

    assert form.may_skip
    assert not form.check_missing(skipping=False)
    assert list(form.errors) == ["1"]
    assert "hoppa över" in form.errors["1"][0]

    form = bound("oempsq_sf", **{str(n): 5 for n in range(2, 11)})
    assert form.is_valid() and form.check_missing(skipping=True)


def test_it_does_not_let_an_item_be_skipped_when_no_answer_may_be_missing():
    form = bound("nrs_pain")
    assert form.is_valid()

    assert not form.may_skip
    assert not form.check_missing(skipping=True)
    assert form.errors["1"] == ["Svara på den här frågan."]


def test_an_item_that_is_not_required_may_be_left_empty():
    form = bound("history")

    assert form.is_valid() and form.check_missing() and form.answers() == {}


@pytest.mark.parametrize("code", [i.code for i in instruments.available()])
def test_every_shipped_instrument_makes_a_form_whose_answers_score(code):
    instrument = instruments.get(code)
    answers = {}
    for item in instrument.items:
        field_rows = row(InstrumentForm(instrument), item.id)
        if item.kind in ("scale", "choice", "yesno"):
            answers[item.id] = field_rows.options[-1].value
        elif item.kind == "regions":
            answers[item.id] = [field_rows.options[0].value]
        elif item.kind == "number":
            answers[item.id] = "3"
        else:
            answers[item.id] = "Något"
    form = bound(code, **answers)

    assert form.is_valid(), form.errors
    score = instruments.score(instrument, form.answers())
    assert score["complete"] and score["missing"] == []


def test_the_invitation_form_ticks_the_default_set_but_not_a_placeholder(clinic):
    from painpath.pathway.models import Enrolment

    enrolment = Enrolment(clinic=clinic, state=State.IDENTIFIED)
    form = InvitationForm(enrolment=enrolment)

    defaults = [i.code for i in instruments.for_timepoint("baseline", clinic)]
    ticked = form.initial["instruments"]
    assert "valmaende" in defaults and "valmaende" not in ticked
    assert ticked == [code for code in defaults if code != "valmaende"]
    codes = [code for code, _label in form.fields["instruments"].choices]
    assert codes[: len(defaults)] == defaults and "who5" in codes
    assert form.timepoint == "baseline"


def test_the_invitation_form_offers_the_follow_up_set_when_it_is_due_and_nothing_after_an_end(
    clinic,
):
    from painpath.pathway.models import Enrolment

    due = InvitationForm(enrolment=Enrolment(clinic=clinic, state=State.FOLLOW_UP_DUE))
    assert due.timepoint == "follow_up" and "history" not in due.initial["instruments"]
    ended = InvitationForm(enrolment=Enrolment(clinic=clinic, state=State.DECLINED))
    assert ended.timepoint is None
