"""Scoring of every shipped instrument (painpath/pathway/instruments/scoring.py), against
worked examples built from the published scoring rules: totals, reversed items, missing
answers, bands and cut-offs at their boundaries, alerts, and answers that are refused."""

import pytest

from painpath.pathway import instruments
from painpath.pathway.instruments import InvalidAnswer, mic, score


def inst(code):
    return instruments.get(code)


def answers(*values, start=1):
    """{"1": v1, "2": v2, …}; None leaves an item unanswered."""
    return {str(n): v for n, v in enumerate(values, start) if v is not None}


# ÖMPSQ-SF: item 1 is the duration category (1–10), items 3, 4 and 8 count as 10 − x.


def test_it_scores_oempsq_sf_all_fives_as_fifty_which_is_high_risk():
    result = score(inst("oempsq_sf"), answers(*[5] * 10))

    assert result["total"] == 50  # 5 (6–8 weeks) + 6 × 5 + 3 reversed 10 − 5
    assert result["max"] == 100
    assert result["cutoff"] == {
        "value": 50,
        "label": "Hög risk för långvarig funktionsnedsättning",
        "reached": True,
    }
    assert result["complete"] and result["missing"] == [] and not result["prorated"]


def test_it_reverses_oempsq_sf_items_3_4_and_8():
    # 1: over a year (10); 3 = 2 → 8, 4 = 3 → 7, 8 = 1 → 9.
    given = answers(10, 8, 2, 3, 6, 5, 9, 1, 7, 6)

    assert score(inst("oempsq_sf"), given)["total"] == 10 + 8 + 8 + 7 + 6 + 5 + 9 + 9 + 7 + 6


def test_it_gives_oempsq_sf_its_lowest_and_highest_totals():
    lowest = answers(1, 0, 10, 10, 0, 0, 0, 10, 0, 0)
    highest = answers(10, 10, 0, 0, 10, 10, 10, 0, 10, 10)

    assert score(inst("oempsq_sf"), lowest)["total"] == 1
    assert score(inst("oempsq_sf"), highest)["total"] == 100


def test_it_puts_oempsq_sf_49_just_under_the_cut_off():
    result = score(inst("oempsq_sf"), answers(4, *[5] * 9))

    assert result["total"] == 49
    assert result["cutoff"]["reached"] is False


def test_it_prorates_oempsq_sf_with_one_answer_missing_and_gives_no_total_with_two():
    one_missing = answers(7, 6, 4, 4, 5, 5, 6, None, 5, 5)  # 7+6+6+6+5+5+6+5+5 = 51 over 9
    two_missing = answers(7, 6, 4, 4, 5, 5, 6, None, None, 5)

    prorated = score(inst("oempsq_sf"), one_missing)
    nothing = score(inst("oempsq_sf"), two_missing)

    assert prorated["total"] == 57  # 51 / 9 × 10 = 56.67, rounded half up
    assert prorated["prorated"] and not prorated["complete"] and prorated["missing"] == ["8"]
    assert nothing["total"] is None and nothing["missing"] == ["8", "9"]
    assert nothing["cutoff"]["reached"] is None and not nothing["prorated"]


def test_it_takes_answers_posted_as_text():
    assert score(inst("oempsq_sf"), answers(*["5"] * 10))["total"] == 50


@pytest.mark.parametrize(
    ("item", "value", "message"),
    [
        ("2", 11, "fråga 2: 11 går inte – svara med ett heltal 0–10"),
        ("2", -1, "fråga 2: -1 går inte"),
        ("1", 0, "fråga 1: 0 går inte – svara med ett av 1, 2, 3"),
        ("3", 2.5, "fråga 3: 2.5 går inte"),
        ("4", True, "fråga 4: True går inte"),
        ("5", "mycket", "fråga 5: 'mycket' går inte"),
    ],
)
def test_it_refuses_an_answer_out_of_range_saying_which_item(item, value, message):
    given = {**answers(*[5] * 10), item: value}

    with pytest.raises(InvalidAnswer, match=message):
        score(inst("oempsq_sf"), given)


def test_it_refuses_an_answer_to_an_item_the_instrument_lacks():
    with pytest.raises(InvalidAnswer, match="frågorna 11 finns inte i formuläret"):
        score(inst("oempsq_sf"), {**answers(*[5] * 10), "11": 3})


# PHQ-9: bands 5/10/15/20, item 9 above 0 alerts the clinician.


@pytest.mark.parametrize(
    ("total", "band", "reached"),
    [
        (0, "Inga eller minimala symtom", False),
        (4, "Inga eller minimala symtom", False),
        (5, "Lindriga symtom", False),
        (9, "Lindriga symtom", False),
        (10, "Måttliga symtom", True),
        (14, "Måttliga symtom", True),
        (15, "Medelsvåra symtom", True),
        (19, "Medelsvåra symtom", True),
        (20, "Svåra symtom", True),
        (24, "Svåra symtom", True),
    ],
)
def test_it_bands_phq9_at_its_boundaries(total, band, reached):
    values = [min(3, max(0, total - 3 * n)) for n in range(8)] + [0]  # item 9 stays 0
    assert sum(values) == total

    result = score(inst("phq9"), answers(*values))

    assert (result["total"], result["band"], result["cutoff"]["reached"]) == (total, band, reached)
    assert result["alerts"] == []


def test_it_alerts_the_clinician_in_swedish_when_phq9_item_9_is_above_0():
    result = score(inst("phq9"), answers(1, 1, 0, 2, 0, 1, 0, 0, 1))

    assert result["total"] == 6 and result["band"] == "Lindriga symtom"
    assert len(result["alerts"]) == 1
    assert "fråga 9" in result["alerts"][0] and "”Flera dagar”" in result["alerts"][0]
    assert "skada sig själv" in result["alerts"][0]


def test_it_alerts_on_phq9_item_9_even_when_too_much_is_missing_for_a_total():
    result = score(inst("phq9"), {"9": 3})

    assert (
        result["total"] is None
        and result["max"] == 27
        and "”Nästan varje dag”" in result["alerts"][0]
    )


def test_it_prorates_phq9_with_two_missing_not_three_and_ignores_the_difficulty_item():
    two = answers(2, 2, 2, 2, 2, 2, 2, None, None)
    three = answers(2, 2, 2, 2, 2, 2, None, None, None)

    assert score(inst("phq9"), two)["total"] == 18
    assert score(inst("phq9"), three)["total"] is None
    complete = score(inst("phq9"), answers(*[1] * 9))
    assert complete["total"] == 9 and complete["complete"]  # "difficulty" is optional
    with_difficulty = score(inst("phq9"), {**answers(*[1] * 9), "difficulty": 3})
    assert with_difficulty["total"] == 9


def test_it_refuses_a_phq9_answer_of_4():
    with pytest.raises(InvalidAnswer, match="fråga 3: 4 går inte – svara med ett av 0, 1, 2, 3"):
        score(inst("phq9"), answers(0, 0, 4))


# GAD-7: bands 5/10/15.


@pytest.mark.parametrize(
    ("values", "band", "reached"),
    [
        ([1, 1, 1, 1, 0, 0, 0], "Minimala symtom", False),
        ([1, 1, 1, 1, 1, 0, 0], "Lindriga symtom", False),
        ([2, 2, 2, 2, 1, 0, 0], "Lindriga symtom", False),
        ([2, 2, 2, 2, 2, 0, 0], "Måttliga symtom", True),
        ([2, 2, 2, 2, 2, 2, 2], "Måttliga symtom", True),
        ([3, 3, 3, 2, 2, 2, 0], "Svåra symtom", True),
        ([3] * 7, "Svåra symtom", True),
    ],
)
def test_it_bands_gad7_at_its_boundaries(values, band, reached):
    result = score(inst("gad7"), answers(*values))

    assert result["total"] == sum(values) and result["max"] == 21
    assert result["band"] == band and result["cutoff"]["reached"] is reached


def test_it_prorates_gad7_with_one_missing_only():
    assert score(inst("gad7"), answers(3, 3, 3, None, 2, 2, 2))["total"] == 18  # 15 / 6 × 7
    assert score(inst("gad7"), answers(3, 3, None, None, 2, 2, 2))["total"] is None


# WHO-5: raw sum × 4; under 50 is poor well-being.


def test_it_scales_who5_raw_13_to_52_above_the_cut_off():
    result = score(inst("who5"), answers(3, 3, 3, 2, 2))

    assert result["total"] == 52 and result["max"] == 100
    assert result["cutoff"]["reached"] is False


def test_it_marks_who5_raw_12_as_48_poor_well_being():
    result = score(inst("who5"), answers(3, 3, 2, 2, 2))

    assert result["total"] == 48
    assert result["cutoff"] == {
        "value": 50,
        "label": "Dåligt välbefinnande (under 50)",
        "reached": True,
    }


def test_it_prorates_who5_with_one_missing():
    assert score(inst("who5"), answers(3, 3, 3, 3, None))["total"] == 60  # 3 × 5 × 4


def test_it_keeps_who5_off_by_default():
    who5 = inst("who5")

    assert who5.optional and "CC BY-NC-SA 3.0 IGO" in who5.licence
    assert "who5" not in [i.code for i in instruments.for_timepoint("follow_up")]


# CPAQ-8: activity engagement 1–4, pain willingness 5–8 reversed (6 − x).


def test_it_scores_cpaq8_subscales_with_pain_willingness_reversed():
    result = score(inst("cpaq8"), answers(4, 4, 4, 4, 1, 2, 0, 6))

    assert result["subscales"] == {"activity_engagement": 16, "pain_willingness": 5 + 4 + 6 + 0}
    assert result["total"] == 31 and result["max"] == 48


def test_it_gives_cpaq8_extremes():
    assert score(inst("cpaq8"), answers(*[6] * 4, *[0] * 4))["total"] == 48
    assert score(inst("cpaq8"), answers(*[0] * 4, *[6] * 4))["total"] == 0


def test_it_prorates_a_cpaq8_subscale_with_one_missing_and_drops_it_with_two():
    one = score(inst("cpaq8"), answers(4, 4, 4, 4, 1, 2, None, 6))
    two = score(inst("cpaq8"), answers(4, None, None, 4, 1, 2, 0, 6))

    assert one["subscales"]["pain_willingness"] == 12  # (5 + 4 + 0) / 3 × 4
    assert one["total"] == 28 and one["prorated"]
    assert two["subscales"] == {"pain_willingness": 15}
    assert two["total"] is None and two["missing"] == ["2", "3"]


# PEG-3: the mean of three 0–10 items.


def test_it_scores_peg3_as_the_mean_with_pain_and_interference():
    result = score(inst("peg3"), answers(5, 6, 7))

    assert result["total"] == 6.0 and result["max"] == 10
    assert result["subscales"] == {"pain": 5, "interference": 6.5}


def test_it_rounds_peg3_to_one_decimal():
    assert score(inst("peg3"), answers(5, 5, 6))["total"] == 5.3
    assert score(inst("peg3"), answers(6, 6, 5))["total"] == 5.7


def test_it_takes_peg3_as_the_mean_of_two_answered_but_not_of_one():
    two = score(inst("peg3"), answers(4, None, 7))
    one = score(inst("peg3"), answers(4, None, None))

    assert two["total"] == 5.5 and two["prorated"] and two["missing"] == ["2"]
    assert one["total"] is None and one["subscales"] == {"pain": 4}


# PDI, PSEQ-10, PSEQ-2, NRS, Välmåendeskalan.


def test_it_sums_pdi_and_prorates_two_missing_not_three():
    assert score(inst("pdi"), answers(*[5] * 7))["total"] == 35
    assert score(inst("pdi"), answers(6, 6, 6, 6, None, 3, None))["total"] == 38  # 27/5 × 7
    assert score(inst("pdi"), answers(6, 6, 6, None, None, 3, None))["total"] is None
    assert score(inst("pdi"), {})["max"] == 70


def test_it_sums_pseq10_and_pseq2_from_items_5_and_9():
    pseq10 = answers(6, 5, 4, 3, 3, 2, 1, 0, 4, 6)

    assert score(inst("pseq10"), pseq10)["total"] == 34
    pseq2 = {"5": pseq10["5"], "9": pseq10["9"]}
    assert score(inst("pseq2"), pseq2)["total"] == 7
    assert score(inst("pseq2"), {"5": 3})["total"] is None
    assert score(inst("pseq2"), {})["max"] == 12


def test_it_refuses_a_pseq_answer_of_7():
    with pytest.raises(InvalidAnswer, match="svara med ett heltal 0–6"):
        score(inst("pseq10"), {"1": 7})


def test_it_takes_nrs_pain_as_it_is():
    assert score(inst("nrs_pain"), {"1": 7})["total"] == 7
    assert score(inst("nrs_pain"), {})["total"] is None


def test_it_sums_valmaendeskalan_0_to_72():
    result = score(inst("valmaende"), answers(*[2] * 18))

    assert result["total"] == 36 and result["max"] == 72
    with pytest.raises(InvalidAnswer, match="fråga 1: 5 går inte"):
        score(inst("valmaende"), {"1": 5})


# The pain drawing: number of regions, widespread pain by the WPI rule.


def test_it_counts_pain_drawing_regions_and_finds_widespread_pain_in_4_of_5_regions():
    marked = ["neck", "shoulder_left", "upper_arm_right", "hip_left", "shoulder_left"]

    result = score(inst("pain_drawing"), {"regions": marked})

    assert result["total"] == 4 and result["max"] == 19
    assert result["regions"] == ["hip_left", "neck", "shoulder_left", "upper_arm_right"]
    assert result["widespread"] is True


def test_it_does_not_count_jaw_chest_or_abdomen_for_widespread_pain():
    # Right upper only by the jaw, axial only by chest and abdomen: two regions count.
    marked = ["jaw_right", "chest", "abdomen", "shoulder_left", "hip_left"]

    result = score(inst("pain_drawing"), {"regions": marked})

    assert result["total"] == 5 and result["widespread"] is False
    with_back = score(inst("pain_drawing"), {"regions": [*marked, "lower_back"]})
    assert with_back["widespread"] is False  # left upper, left lower, axial: three
    with_right_leg = score(inst("pain_drawing"), {"regions": [*marked, "lower_back", "hip_right"]})
    assert with_right_leg["widespread"] is True


def test_it_takes_an_empty_pain_drawing_as_an_answer_and_a_missing_one_as_missing():
    empty = score(inst("pain_drawing"), {"regions": []})
    missing = score(inst("pain_drawing"), {})

    assert empty["total"] == 0 and empty["complete"] and empty["regions"] == []
    assert missing["total"] is None and missing["missing"] == ["regions"]
    assert not missing["complete"] and missing["widespread"] is False


def test_it_refuses_a_region_the_body_map_lacks():
    with pytest.raises(InvalidAnswer, match=r"\['knee'\] går inte – okända områden"):
        score(inst("pain_drawing"), {"regions": ["neck", "knee"]})


def test_body_regions_are_the_19_wpi_areas_in_5_groups():
    ids = [region for region, _label, _group in instruments.BODY_REGIONS]
    groups = {group for _region, _label, group in instruments.BODY_REGIONS}

    assert len(ids) == len(set(ids)) == 19
    assert {"jaw_left", "lower_leg_right", "neck", "abdomen"} <= set(ids)
    assert groups == {"left_upper", "right_upper", "left_lower", "right_lower", "axial"}
    assert ("hip_left", "Höft och säte, vänster", "left_lower") in instruments.BODY_REGIONS


# The history form: no score, text and yes/no answers checked.


def test_it_gives_the_history_form_no_score_but_checks_its_answers():
    given = {
        "treatments": "Fysioterapi 2023, hjälpte lite.",
        "rehabilitation": "nej",
        "sick_leave": True,
        "sick_leave_extent": "50",
        "sick_leave_weeks": "12",
    }

    result = score(inst("history"), given)

    assert result["total"] is None and result["max"] is None and result["complete"]
    assert result["missing"] == []
    with pytest.raises(InvalidAnswer, match="svara ja eller nej"):
        score(inst("history"), {"sick_leave": "kanske"})
    with pytest.raises(InvalidAnswer, match="svara med ett tal 0–520"):
        score(inst("history"), {"sick_leave_weeks": 600})
    with pytest.raises(InvalidAnswer, match="högst 2000 tecken"):
        score(inst("history"), {"goals": "x" * 2001})


# Minimal important change.


def test_it_gives_each_outcome_its_minimal_important_change():
    assert mic(inst("nrs_pain")) == {
        "points": 2,
        "percent": 30,
        "direction": "lower_is_better",
        "unconfirmed": False,
    }
    assert mic(inst("peg3"))["percent"] == 30 and mic(inst("peg3"))["unconfirmed"]
    assert mic(inst("phq9"))["points"] == 5
    assert mic(inst("pseq10"))["direction"] == "higher_is_better"
    assert mic(inst("who5"))["points"] == 10
    assert mic(inst("oempsq_sf")) is None  # predicts; not a change measure
    assert mic(inst("pain_drawing")) is None
