"""Funnel limits (Spiegelhalter 2005), each figure derived by hand or in exact fractions."""

import math
from fractions import Fraction

import numpy as np
import pytest

from painpath.improvement.funnel import (
    binomial_cdf,
    dersimonian_laird_tau2,
    exact_limit,
    exact_position,
    funnel,
    normal_limits,
    winsorised_phi,
)


def exact_by_fractions(theta: Fraction, n: int, p: Fraction) -> float:
    """The interpolated quantile, by the definition, in exact arithmetic."""
    cdf, total = [], Fraction(0)
    for r in range(n + 1):
        total += math.comb(n, r) * theta**r * (1 - theta) ** (n - r)
        cdf.append(total)
    r_p = next(r for r in range(n + 1) if cdf[r] >= p)
    below = cdf[r_p - 1] if r_p else Fraction(0)
    alpha = (cdf[r_p] - p) / (cdf[r_p] - below)
    return float(max(Fraction(0), (r_p - alpha) / n))


def test_it_sums_the_binomial_distribution_like_the_definition():
    cdf = binomial_cdf(10, 0.5)
    assert cdf[1] == pytest.approx(11 / 1024) and cdf[2] == pytest.approx(56 / 1024)
    assert cdf[-1] == pytest.approx(1.0)


def test_it_interpolates_the_exact_binomial_limit():
    # n = 10, θ = ½, p = 0.025: F(1) = 11/1024 < p ≤ F(2) = 56/1024, so r_p = 2 and
    # α = (56/1024 − 0.025) / (45/1024): the limit is (2 − α)/10 ≈ 0.1325.
    alpha = (56 / 1024 - 0.025) / (45 / 1024)
    assert exact_limit(0.5, 10, 0.025) == pytest.approx((2 - alpha) / 10)
    for theta, n, p in [("1/5", 25, "1/1000"), ("1/5", 25, "999/1000"), ("7/100", 60, "39/40")]:
        expected = exact_by_fractions(Fraction(theta), n, Fraction(p))
        assert exact_limit(float(Fraction(theta)), n, float(Fraction(p))) == pytest.approx(expected)


def test_it_floors_the_lower_exact_limit_at_zero():
    assert exact_limit(0.02, 20, 0.001) == 0


def test_its_exact_limits_approach_the_normal_ones_for_large_n():
    low, high = normal_limits(0.3, 20000, "95")
    assert exact_limit(0.3, 20000, 0.025) == pytest.approx(float(low), abs=2e-4)
    assert exact_limit(0.3, 20000, 0.975) == pytest.approx(float(high), abs=2e-4)


def test_it_gives_normal_limits_from_the_pooled_proportion():
    low, high = normal_limits(0.2, 100, "99.8")
    assert (low, high) == (
        pytest.approx(0.2 - 3.0902 * 0.04, abs=1e-4),
        pytest.approx(0.2 + 3.0902 * 0.04, abs=1e-4),
    )


def test_it_winsorises_z_scores_at_the_10th_and_90th_percentiles():
    z = np.array([-9.0, -1, -0.5, 0, 0.2, 0.4, 0.6, 1, 1.5, 8])
    # Linear percentiles of 10 sorted values: 10th = z₀ + 0.9(z₁ − z₀), 90th = z₈ + 0.1(z₉ − z₈).
    low, high = -9 + 0.9 * 8, 1.5 + 0.1 * 6.5
    pulled = [low, -1, -0.5, 0, 0.2, 0.4, 0.6, 1, 1.5, high]
    assert winsorised_phi(z) == pytest.approx(sum(v * v for v in pulled) / 10)


def test_it_estimates_tau_squared_by_dersimonian_and_laird():
    variances = np.array([0.01, 0.02, 0.04])
    w = 1 / variances
    expected = (3 * 2.5 - 2) / (w.sum() - (w**2).sum() / w.sum())
    assert dersimonian_laird_tau2(2.5, variances) == pytest.approx(expected)
    assert dersimonian_laird_tau2(0.5, variances) == 0


def test_it_places_each_unit_against_its_own_limits_and_inflates_only_when_overdispersed():
    units = [("Habo", 30, 100), ("Annan", 2, 40), ("Tredje", 45, 200), ("Fjärde", 60, 250)]
    units += [("Femte", 10, 50), ("Sjätte", 90, 300)]
    result = funnel(units)
    assert result["theta"] == pytest.approx(237 / 940)
    by_name = {unit["name"]: unit for unit in result["units"]}
    habo = by_name["Habo"]
    assert habo["y"] == 0.3
    assert habo["z"] == pytest.approx((0.3 - 237 / 940) / math.sqrt(237 / 940 * (703 / 940) / 100))
    # Annan, 2 of 40 against θ ≈ 25 %: just below the exact 99.8 % limit (0.0505) …
    theta = Fraction(237, 940)
    assert by_name["Annan"]["exact_99.8"][0] == pytest.approx(
        exact_by_fractions(theta, 40, Fraction(1, 1000))
    )
    assert by_name["Annan"]["position"] == "below_99.8"
    # … but the units vary more than binomially (φ ≈ 1.47), and allowing for that it lies
    # only beyond 95 %: for learning, not judgement.
    assert result["phi"] == pytest.approx(1.47, abs=0.01) and result["overdispersed"]
    assert by_name["Annan"]["position_overdispersed"] == "below_95"
    low, high = by_name["Annan"]["multiplicative_95"]
    plain_low, plain_high = by_name["Annan"]["normal_95"]
    assert low < plain_low and high > plain_high
    assert result["tau2"] > 0


def test_it_leaves_limits_alone_when_there_is_no_overdispersion():
    units = [(f"Enhet {i}", 20 + (i % 3) - 1, 100) for i in range(9)]
    result = funnel(units)
    assert result["phi"] <= 1 and result["tau2"] == 0 and not result["overdispersed"]
    unit = result["units"][0]
    assert unit["multiplicative_95"] == unit["normal_95"] == unit["additive_95"]


def test_it_uses_an_external_target_when_given():
    result = funnel([("A", 5, 10), ("B", 6, 10)], target=0.8)
    assert result["theta"] == 0.8


def test_it_refuses_a_numerator_above_its_denominator():
    with pytest.raises(ValueError):
        funnel([("A", 11, 10)])


def test_one_patient_of_one_is_not_unusual_when_it_happens_two_times_in_three():
    found = funnel([("liten", 1, 1), ("stor", 199, 299)], target=2 / 3)
    assert found["units"][0]["position"] == "within"
    assert exact_position(0, 30, 2 / 3) == "below_99.8"
