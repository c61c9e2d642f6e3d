"""Small-cell protection (painpath/analytics/suppression.py): pure dicts, no engine."""

from painpath.analytics.suppression import hide_small_counts


def result(**changes):
    base = {
        "patients": 30,
        "share_of_listed": 0.01,
        "sex": {"female": 20, "male": 7, "unknown": 3},
        "birth_year": {"min": 1932, "max": 1995},
        "by_profession": {"physician": 28, "psychologist": 1},
        "professions_per_patient": {"1": 27, "2": 3},
        "combinations": [{"professions": ["nurse", "physician"], "patients": 3}],
        "multi_profession": {"patients": 3, "share": 0.1},
        "single_profession_same_caregiver": 20,
        "same_profession_several_caregivers": {"patients": 2, "by_profession": {"nurse": 2}},
        "contacts": {
            "frequent_attenders": 12,
            "clinic_top10": [{"rank": 1, "contacts": 380}],
            "per_patient": [{"band": "0", "patients": 0}, {"band": "1–5", "patients": 30}],
        },
        "sick_leave": {
            "patients": 6,
            "female": 2,
            "male": 4,
            "spells": 6,
            "under_90_days": 5,
            "longest_days": 365,
        },
    }
    base.update(changes)
    return base


def test_it_hides_counts_under_five_and_shows_zeros_and_larger_counts():
    hidden = hide_small_counts(result())
    assert hidden["by_profession"] == {"physician": 28, "psychologist": None}
    assert hidden["multi_profession"] == {"patients": None, "share": None}
    assert hidden["same_profession_several_caregivers"]["patients"] is None
    assert hidden["contacts"]["per_patient"][0]["patients"] == 0
    assert hidden["patients"] == 30
    assert hidden["hidden_below"] == 5


def test_a_single_hidden_cell_takes_the_next_smallest_with_it():
    hidden = hide_small_counts(result())
    # unknown 3 alone would be 30 - 20 - 7: male 7 is hidden too
    assert hidden["sex"] == {"female": 20, "male": None, "unknown": None}
    # 2 women of 6 on sick leave: the 4 men are hidden anyway, nothing more to hide
    assert (hidden["sick_leave"]["female"], hidden["sick_leave"]["male"]) == (None, None)
    # "2": 3 hidden, then "1": 27 would reveal it: hidden too
    assert hidden["professions_per_patient"] == {"1": None, "2": None}


def test_it_hides_figures_about_single_persons():
    hidden = hide_small_counts(result())
    assert hidden["birth_year"] == {"min": None, "max": None}
    assert hidden["contacts"]["clinic_top10"] is None
    assert hidden["sick_leave"]["longest_days"] is None


def test_a_small_cohort_hides_its_share_too():
    hidden = hide_small_counts(result(patients=4))
    assert hidden["patients"] is None
    assert hidden["share_of_listed"] is None


def test_the_original_is_left_as_it_was():
    original = result()
    hide_small_counts(original)
    assert original == result()
