"""One period against another (painpath/analytics/compare.py)."""

from painpath.analytics import compare, deep_dive
from tests.analytics.cast import d, dx, listing, patient


def test_it_gives_counts_as_differences_and_shares_in_percentage_points(engine):
    tables = engine.tables(
        patients=[patient(i) for i in range(1, 5)],
        listings=[listing(i) for i in range(1, 5)],
        diagnoses=[
            dx(1, "2023-01-01"),
            dx(1, "2023-02-01", profession="nurse", caregiver="n"),
            dx(2, "2023-01-01"),
            dx(3, "2024-01-01"),
        ],
    )
    first = deep_dive(tables, ["R52.2"], d("2023-01-01"), d("2023-12-31"))
    second = deep_dive(tables, ["R52.2"], d("2024-01-01"), d("2024-10-31"))
    difference = compare(first, second)
    assert difference["patients"] == -1
    assert difference["share_of_listed_pp"] == -25.0
    assert difference["multi_profession"] == {"patients": -1, "share_pp": -50.0}
    assert difference["by_profession"] == {"physician": -1, "nurse": -1}
    assert difference["combinations"] == {"nurse+physician": {"patients": -1}}
    assert difference["professions_per_patient"] == {"1": 0, "2": -1}
    assert "period" not in difference and "clinic_top10" not in difference["contacts"]


def test_a_share_missing_in_either_period_has_no_difference():
    assert compare({"share": None}, {"share": 0.5}) == {"share_pp": None}
