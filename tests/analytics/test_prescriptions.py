"""Prescription indicators (painpath/analytics/prescriptions.py) on every engine."""

from painpath.analytics import prescriptions
from tests.analytics.cast import d, patient, rx

YEAR_2023 = {"start": d("2023-01-01"), "end": d("2023-12-31")}


def run(engine, atc=("N02AA05",), clinic=None, period=YEAR_2023, **rows):
    rows.setdefault("patients", [patient(i) for i in range(1, 6)])
    return prescriptions(engine.tables(**rows), atc, **period, clinic=clinic)


def test_it_counts_prescriptions_and_patients_of_a_code_in_the_period(engine):
    result = run(
        engine,
        prescriptions=[
            rx(1, "2023-01-01"),
            rx(1, "2023-06-01"),
            rx(2, "2023-12-31"),
            rx(3, "2022-12-31"),
            rx(3, "2024-01-01"),
            rx(4, "2023-03-01", atc="N02AA01"),
        ],
    )
    assert result["atc"] == ["N02AA05"]
    assert result["period"] == {"from": "2023-01-01", "to": "2023-12-31"}
    assert (result["prescriptions"], result["patients"]) == (3, 2)


def test_a_prefix_matches_every_code_under_it_in_any_case(engine):
    rows = [
        rx(1, "2023-01-01", atc="N02AA05"),
        rx(2, "2023-01-01", atc="n02ax02"),
        rx(3, "2023-01-01", atc="N02BE01"),
    ]
    result = run(engine, atc=("n02a",), prescriptions=rows)
    assert result["atc"] == ["N02A"]
    assert (result["prescriptions"], result["patients"]) == (2, 2)
    assert [row["atc"] for row in result["by_atc"]] == ["N02AA05", "N02AX02"]


def test_oral_morphine_equivalents_use_the_substances_factor(engine):
    result = run(
        engine,
        atc=("N02A",),
        prescriptions=[
            rx(1, "2023-01-10", atc="N02AA05", strength=5, pack_size=20, packages=2),  # 300
            rx(2, "2023-01-20", atc="N02AJ06", strength=30, pack_size=100, packages=1),  # 450
            rx(3, "2023-02-01", atc="N02AX02", strength=50, pack_size=20, packages=1),  # 200
            rx(4, "2023-02-01", atc="N02AB03", strength=12, pack_size=5, packages=1),  # patch
            rx(5, "2023-02-01", atc="N02AA01", strength=10, pack_size=None),  # unknown size
        ],
    )
    assert result["ome_mg"] == 950.0
    assert result["without_ome"] == 2
    by_atc = {row["atc"]: row for row in result["by_atc"]}
    assert by_atc["N02AJ06"]["ome_mg"] == 450.0
    assert by_atc["N02AB03"] == {"atc": "N02AB03", "prescriptions": 1, "patients": 1,
                                 "ome_mg": 0.0, "without_ome": 1}  # fmt: skip


def test_the_monthly_series_has_every_month_of_the_period_with_zeros(engine):
    result = run(
        engine,
        period={"start": d("2023-11-15"), "end": d("2024-02-10")},
        prescriptions=[rx(1, "2023-11-20"), rx(1, "2023-11-30"), rx(2, "2024-02-01")],
    )
    assert [(m["month"], m["prescriptions"], m["patients"]) for m in result["monthly"]] == [
        ("2023-11", 2, 1),
        ("2023-12", 0, 0),
        ("2024-01", 0, 0),
        ("2024-02", 1, 1),
    ]
    assert result["monthly"][0]["ome_mg"] == 300.0


def test_a_clinic_counts_its_own_prescriptions(engine):
    rows = [rx(1, "2023-01-01", clinic="a"), rx(2, "2023-01-01", clinic="b")]
    assert run(engine, clinic="a", prescriptions=rows)["patients"] == 1
    assert run(engine, prescriptions=rows)["patients"] == 2


def test_nothing_prescribed_gives_zeros(engine):
    result = run(engine, period={"start": d("2023-01-01"), "end": d("2023-02-28")})
    assert (result["prescriptions"], result["patients"], result["ome_mg"]) == (0, 0, 0.0)
    assert result["by_atc"] == []
    assert [m["prescriptions"] for m in result["monthly"]] == [0, 0]
