"""The calculation core against published figures: the Anhøj limits, and the Montgomery
examples (Introduction to Statistical Quality Control, 6th ed.) that qicharts2's own tests
use (tests/testthat/test_montgomery.R). Other figures are derived by hand in the test."""

import math
from fractions import Fraction

import pytest

from painpath.improvement.spc import analyse, longest_run_max, n_crossings_min

# Montgomery example 6.5: weekly cost of processing mortgage loans (I and MR charts).
LOAN_COSTS = [310, 288, 297, 298, 307, 303, 294, 297, 308, 306]
LOAN_COSTS += [294, 299, 297, 299, 314, 295, 293, 306, 301, 304]
# Example 7.1: nonconforming orange-juice cans in 30 samples of 50 (P chart).
CANS = [12, 15, 8, 10, 4, 7, 16, 9, 14, 10, 5, 6, 17, 12, 22]
CANS += [8, 10, 5, 13, 11, 20, 18, 24, 15, 9, 12, 7, 13, 9, 6]
# Table 7.4: nonconforming units with varying sample sizes (stepped P limits).
SIZES_74 = [100, 80, 80, 100, 110, 110, 100, 100, 90, 90, 110, 120, 120]
SIZES_74 += [120, 110, 80, 80, 80, 90, 100, 100, 100, 100, 90, 90]
COUNTS_74 = [12, 8, 6, 9, 10, 12, 11, 16, 10, 6, 20, 15, 9, 8, 6, 8, 10, 7, 5, 8, 5, 8, 10, 6, 9]
# Example 7.3: nonconformities in 26 samples of 100 printed circuit boards (C chart).
BOARDS = [21, 24, 16, 12, 15, 5, 28, 20, 31, 25, 20, 24, 16, 19, 10, 17, 13, 22, 18, 39]
BOARDS += [30, 24, 16, 19, 17, 15]
# Example 7.4: nonconformities in 20 samples of 5 computers (U chart).
COMPUTERS = [10, 12, 8, 14, 10, 16, 11, 7, 10, 15, 9, 5, 7, 11, 12, 6, 8, 10, 7, 5]
# Example 7.5: nonconformities per roll of dyed cloth, inspection units of 50 m².
ROLL_DEFECTS = [14, 12, 20, 11, 7, 10, 21, 16, 19, 23]
ROLL_UNITS = [m / 50 for m in (500, 400, 650, 500, 475, 500, 600, 525, 600, 625)]


def approx(value, abs=0.005):
    return pytest.approx(value, abs=abs)


def signals(result):
    return [point.position for point in result.points if point.sigma_signal]


# The Anhøj limits ------------------------------------------------------------------


@pytest.mark.parametrize(
    "n, run_max, crossings_min",
    [(10, 6, 2), (20, 7, 6), (24, 8, 8), (36, 8, 13), (50, 9, 19), (100, 10, 41)],
)
def test_it_gives_the_published_anhoej_limits(n, run_max, crossings_min):
    assert (longest_run_max(n), n_crossings_min(n)) == (run_max, crossings_min)


def test_it_gives_the_anhoej_limits_for_every_n_from_10_to_100():
    for n in range(10, 101):
        # log2(n) + 3 rounded: the k with 2^(k − ½) ≤ n < 2^(k + ½), in integers.
        k = next(k for k in range(10) if n * n < 2 ** (2 * k + 1))
        # Binomial(n − 1, ½) built term by term in exact fractions.
        m, term, cumulative, c = n - 1, Fraction(1, 2 ** (n - 1)), Fraction(0), 0
        while True:
            cumulative += term
            if cumulative >= Fraction(1, 20):
                break
            term = term * (m - c) / (c + 1)
            c += 1
        assert (longest_run_max(n), n_crossings_min(n)) == (k + 3, c), n


# Runs analysis ---------------------------------------------------------------------


def test_it_drops_points_on_the_median_from_the_runs():
    result = analyse("run", values=[1, 2, 3, 2, 3, 1, 2, 3, 1, 2, 3])
    phase = result.phases[0]
    assert phase.cl == 2
    assert (phase.n_obs, phase.n_useful) == (11, 7)
    # Sides without the ties: - + + - + - +  (a 2 on the line neither breaks nor extends)
    assert (phase.longest_run, phase.n_crossings) == (2, 5)


def test_it_calls_a_run_equal_to_its_limit_no_signal_and_one_longer_a_signal():
    phase = analyse("run", values=[1] * 7 + [9] * 7).phases[0]  # 14 useful, limit 7
    assert (phase.longest_run_max, phase.longest_run) == (7, 7)
    assert not phase.longest_run_signal
    phase = analyse("run", values=[1] * 8 + [9] * 8).phases[0]
    assert (phase.n_useful, phase.longest_run, phase.longest_run_max) == (16, 8, 7)
    assert phase.longest_run_signal and phase.runs_signal


def test_it_calls_crossings_equal_to_their_limit_no_signal():
    # 10 useful points, at least 2 crossings expected: exactly 2 is no signal, 1 is.
    two = [1, 2, 3, 8, 9, 10, 11, 12, 4, 5]  # median 6.5: − − − + + + + + − −
    phase = analyse("run", values=two).phases[0]
    assert (phase.n_crossings, phase.n_crossings_min, phase.runs_signal) == (2, 2, False)
    one = [1, 2, 3, 4, 5, 8, 9, 10, 11, 12]
    phase = analyse("run", values=one).phases[0]
    assert (phase.n_crossings, phase.n_crossings_signal) == (1, True)


def test_it_takes_proportions_from_numerator_and_denominator_so_equal_ratios_tie():
    result = analyse("run", numerators=[1, 2, 3, 7, 5], denominators=[3, 6, 9, 10, 10])
    assert result.phases[0].cl == 2 / 6  # 1/3, 2/6, 3/9 are the same float
    assert result.phases[0].n_useful == 2


def test_it_leaves_missing_values_out_of_the_runs_and_the_limits():
    result = analyse("p", numerators=[1, None, 3, 4], denominators=[10, None, 10, 10])
    assert result.points[1].y is None and result.points[1].ucl is None
    assert result.phases[0].cl == 8 / 30
    assert result.phases[0].n_useful == 3


# Control charts: Montgomery's examples ---------------------------------------------


def test_it_reproduces_montgomerys_i_and_mr_charts_of_example_6_5():
    i = analyse("i", values=LOAN_COSTS)
    assert i.phases[0].cl == 300.5
    assert (i.points[0].lcl, i.points[0].ucl) == (approx(279.78), approx(321.22))
    assert signals(i) == []
    mr = analyse("mr", values=LOAN_COSTS)
    assert mr.points[0].y is None and mr.points[1].y == 22
    assert mr.phases[0].cl == approx(148 / 19, 1e-9)  # MR̄ = 7.79
    assert mr.points[1].ucl == approx(3.267 * 148 / 19, 1e-9)
    assert not mr.phases[0].runs_signal


def test_it_screens_moving_ranges_of_3_267_means_or_more_from_sigma():
    values = [10, 11, 10, 11, 10, 11, 10, 11, 10, 40, 40]  # one jump of 29
    ranges = [1] * 8 + [30, 0]
    mean = sum(ranges) / len(ranges)  # 3.8: the jump is ≥ 3.267 × 3.8, so it goes
    assert 3.267 * mean <= 30
    kept = [r for r in ranges if r < 3.267 * mean]
    result = analyse("i", values=values)
    cl = sum(values) / len(values)
    assert result.points[0].ucl == pytest.approx(cl + 3 * (sum(kept) / len(kept)) / 1.128)
    unscreened = analyse("i", values=values, screen_mr=False)
    assert unscreened.points[0].ucl == pytest.approx(cl + 3 * mean / 1.128)


def test_it_reproduces_montgomerys_p_chart_of_example_7_1_and_its_revision():
    trial = analyse("p", numerators=CANS, denominators=[50] * 30)
    assert trial.phases[0].cl == approx(0.2313, 1e-4)
    assert (trial.points[0].lcl, trial.points[0].ucl) == (
        approx(0.0524, 1e-4),
        approx(0.4102, 1e-4),
    )
    assert signals(trial) == [15, 23]
    revised = analyse("p", numerators=CANS, denominators=[50] * 30, exclude=[15, 23])
    assert revised.phases[0].cl == pytest.approx(301 / 1400)  # 0.2150
    assert (revised.points[0].lcl, revised.points[0].ucl) == (
        approx(0.0407, 1e-4),
        approx(0.3893, 1e-4),
    )
    # Excluded points are still judged against the limits; sample 21 now lies above.
    assert signals(revised) == [15, 21, 23]
    assert [p.position for p in revised.points if not p.included] == [15, 23]
    assert revised.phases[0].n_obs == 28 and revised.phases[0].n_useful <= 28


def test_it_steps_p_limits_with_the_sample_size_and_clips_them_to_0_and_1():
    result = analyse("p", numerators=COUNTS_74, denominators=SIZES_74)
    cl = 234 / 2450  # Montgomery's p̄ = 0.096
    assert result.phases[0].cl == pytest.approx(cl)
    for point, n in zip(result.points, SIZES_74, strict=True):
        sigma = math.sqrt(cl * (1 - cl) / n)
        assert point.ucl == pytest.approx(cl + 3 * sigma)
        assert point.lcl == pytest.approx(max(0.0, cl - 3 * sigma))
    by_size = {n: point for point, n in zip(result.points, SIZES_74, strict=True)}
    assert by_size[80].lcl == 0 and by_size[80].ucl == approx(0.194, 0.001)
    assert by_size[120].lcl == approx(0.015, 0.001) and by_size[120].ucl == approx(0.176, 0.001)
    high = analyse("p", numerators=[9, 10, 9, 10], denominators=[10, 10, 10, 10])
    assert high.points[0].ucl == 1.0


def test_it_reproduces_montgomerys_c_chart_of_example_7_3_and_its_revision():
    trial = analyse("c", values=BOARDS)
    assert trial.phases[0].cl == approx(19.85)
    # Montgomery works from c̄ rounded to 19.85, so his 33.22 is 33.21 unrounded.
    assert (trial.points[0].lcl, trial.points[0].ucl) == (approx(6.48), approx(33.22, 0.01))
    assert signals(trial) == [6, 20]
    revised = analyse("c", values=BOARDS, exclude=[6, 20])
    assert revised.phases[0].cl == pytest.approx(472 / 24)
    assert (revised.points[0].lcl, revised.points[0].ucl) == (approx(6.36), approx(32.97))


def test_it_floors_the_c_limit_at_zero():
    result = analyse("c", values=[1, 0, 2, 1, 0, 1])
    assert result.points[0].lcl == 0


def test_it_reproduces_montgomerys_u_charts_of_examples_7_4_and_7_5():
    computers = analyse("u", numerators=COMPUTERS, denominators=[5] * 20)
    assert computers.phases[0].cl == pytest.approx(1.93)
    assert (computers.points[0].lcl, computers.points[0].ucl) == (approx(0.07), approx(3.79))
    rolls = analyse("u", numerators=ROLL_DEFECTS, denominators=ROLL_UNITS)
    assert rolls.phases[0].cl == pytest.approx(153 / 107.5)  # 1.42
    first = rolls.points[0]  # a roll of 10 inspection units
    # Montgomery rounds ū to 1.42 first: 2.55 is 2.555 unrounded.
    assert (first.lcl, first.ucl) == (approx(0.29), approx(2.55, 0.01))


# Laney and G, derived by hand ------------------------------------------------------


def test_it_widens_p_prime_limits_by_the_moving_range_sigma_of_the_z_scores():
    # p̄ = 0.2, σᵢ = 0.04, z = −2.5, 0, 2.5, mean MR 2.5, σz = 2.5 / 1.128.
    result = analyse("pp", numerators=[10, 20, 30], denominators=[100, 100, 100])
    half_width = 3 * 0.04 * 2.5 / 1.128
    assert result.points[0].ucl == pytest.approx(0.2 + half_width)
    assert result.points[0].lcl == 0  # 0.2 − 0.266 clipped


def test_it_widens_u_prime_limits_the_same_way():
    # ū = 2, σᵢ = √0.2, z = ∓√5 and 0, so σz = √5 / 1.128 and σᵢ·σz = 1 / 1.128.
    result = analyse("up", numerators=[10, 20, 30], denominators=[10, 10, 10])
    assert result.points[0].ucl == pytest.approx(2 + 3 / 1.128)
    assert result.points[0].lcl == 0


def test_it_draws_the_g_centre_at_the_median_and_takes_limits_from_the_mean():
    result = analyse("g", values=[10, 20, 30, 40, 100])
    assert result.phases[0].cl == 30
    assert result.points[0].ucl == pytest.approx(40 + 3 * math.sqrt(40 * 41))
    assert result.points[0].lcl == 0


# Baseline, phases, exclusions ------------------------------------------------------


def test_it_freezes_centre_and_limits_on_the_baseline_but_judges_runs_on_every_point():
    values = [*LOAN_COSTS, 310, 312, 315, 309, 311, 316, 313, 314, 310, 312]
    result = analyse("i", values=values, freeze=20)
    baseline = analyse("i", values=LOAN_COSTS)
    phase = result.phases[0]
    assert phase.freeze == 20 and phase.cl == 300.5
    assert result.points[-1].ucl == baseline.points[0].ucl
    assert [p.baseline for p in result.points] == [True] * 20 + [False] * 10
    assert phase.n_useful == 30 and phase.longest_run == 13 and phase.longest_run_signal
    assert phase.runs_signal


def test_it_calculates_each_phase_on_its_own():
    values = [5, 6, 5, 7, 6, 5, 6, 7, 5, 6, 20, 21, 22, 20, 21, 22, 20, 21, 22, 21]
    result = analyse("i", values=values, parts=[10])
    first, second = result.phases
    assert (first.first, first.last, second.first, second.last) == (1, 10, 11, 20)
    assert first.cl == pytest.approx(5.8) and second.cl == pytest.approx(21.0)
    assert [p.phase for p in result.points] == [1] * 10 + [2] * 10
    assert not first.runs_signal and not second.runs_signal
    assert signals(result) == []
    whole = analyse("i", values=values)
    assert whole.phases[0].runs_signal  # one phase over the shift finds it


def test_it_leaves_an_excluded_point_out_of_the_runs_analysis():
    result = analyse("run", values=[1, 9, 2, 8, 3, 7, 4, 6, 0, 10], exclude=[2, 3])
    phase = result.phases[0]
    assert phase.cl == 5  # the median of the eight included points (4.5 with all ten)
    assert phase.n_useful == 8 and phase.n_obs == 8  # qicharts2's n.obs: length(y[include])
    assert result.points[1].included is False and result.points[1].y == 9


def test_it_returns_the_qicharts2_summary_names_as_data():
    data = analyse("c", values=BOARDS, target=10.0).to_dict()
    assert data["target"] == 10.0
    for name in ("cl", "n_useful", "longest_run", "longest_run_max", "n_crossings"):
        assert name in data["phases"][0]
    for name in ("n_crossings_min", "runs_signal"):
        assert name in data["phases"][0]
    assert {"y", "cl", "lcl", "ucl", "sigma_signal"} <= set(data["points"][0])


@pytest.mark.parametrize(
    "kwargs",
    [
        {"chart": "p", "values": [1, 2, 3]},
        {"chart": "c", "numerators": [1, 2], "denominators": [3, 4]},
        {"chart": "x", "values": [1, 2, 3]},
        {"chart": "i", "values": [1, 2, 3], "exclude": [4]},
        {"chart": "i", "values": [1, 2, 3], "freeze": 0},
    ],
)
def test_it_refuses_inputs_that_do_not_fit_the_chart(kwargs):
    chart = kwargs.pop("chart")
    with pytest.raises(ValueError):
        analyse(chart, **kwargs)
