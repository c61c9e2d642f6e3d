"""The calculation core of run and control charts: numbers in, numbers out (no Django).

Written from the formulas in docs/charts.md (Anhøj's runs rules, Shewhart's 3-sigma limits
as Montgomery gives them, Laney's P′ and U′), and tested against the published figures
that qicharts2 is tested against. The names in `to_dict()` are qicharts2's summary names
with `_` for `.`, so results can be compared one for one.

A series is split into phases (`parts`: a new phase starts after each given 1-based
position). Within a phase the centre and limits come from the phase's baseline: its
points up to `freeze` if any of them are, otherwise all of them; excluded points and
missing values never count. The runs analysis covers every included point of the phase
against the centre line, frozen or not; every point, excluded or not, is judged against the
limits.
"""

import math
from dataclasses import asdict, dataclass, field

import numpy as np

CHARTS = ("run", "i", "mr", "p", "pp", "c", "u", "up", "g")
RATIO_CHARTS = ("p", "pp", "u", "up")  # need numerators and denominators
COUNT_CHARTS = ("c", "g")  # need values (counts), not ratios
D2 = 1.128  # E[moving range] / sigma for n = 2 (Montgomery, table VI)
D4 = 3.267  # upper limit of a moving range, in mean moving ranges


@dataclass
class Point:
    position: int  # 1-based, as --freeze, --part and --exclude count
    label: str
    y: float | None
    numerator: float | None
    denominator: float | None
    phase: int
    included: bool  # False when excluded by the user
    baseline: bool  # counts towards the centre and limits
    cl: float | None
    lcl: float | None
    ucl: float | None
    sigma_signal: bool  # strictly outside a limit
    note: str = ""


@dataclass
class Phase:
    phase: int
    first: int  # 1-based positions, inclusive
    last: int
    freeze: int | None  # last baseline position, when the baseline was frozen
    cl: float | None
    alcl: float | None  # mean of the lower limits (qicharts2's aLCL)
    aucl: float | None
    n_obs: int
    n_useful: int
    longest_run: int | None
    longest_run_max: int | None
    n_crossings: int | None
    n_crossings_min: int | None
    runs_signal: bool
    longest_run_signal: bool  # which of the two Anhøj rules fired
    n_crossings_signal: bool
    sigma_signal: int  # number of points outside the limits


@dataclass
class ChartResult:
    chart: str
    target: float | None
    phases: list[Phase]
    points: list[Point] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "chart": self.chart,
            "target": self.target,
            "phases": [asdict(phase) for phase in self.phases],
            "points": [asdict(point) for point in self.points],
        }


def longest_run_max(n_useful: int) -> int:
    """Upper 95 % prediction limit of the longest run (Schilling 2012, Anhøj 2014)."""
    return round(math.log2(n_useful)) + 3


def n_crossings_min(n_useful: int) -> int:
    """Lower 5 % prediction limit of crossings: the smallest c with P(C ≤ c) ≥ 0.05 for
    C ~ Binomial(n_useful − 1, ½) (Chen 2010; qbinom(0.05, n − 1, 0.5)). Exact, in
    integers: P(C ≤ c) ≥ 1/20  ⇔  20 · Σ_{i≤c} C(m, i) ≥ 2^m."""
    m = max(n_useful - 1, 0)
    cumulative = 0
    for c in range(m + 1):
        cumulative += math.comb(m, c)
        if 20 * cumulative >= 2**m:
            return c
    return m


def runs_analysis(y: np.ndarray, cl: np.ndarray) -> dict:
    """Anhøj's two rules for one phase's included points, in order. Points on the centre
    line and missing points are dropped: they neither break nor extend a run."""
    sides = np.sign(y - cl)
    sides = sides[~np.isnan(sides) & (sides != 0)]
    n_useful = len(sides)
    if n_useful == 0:
        return {
            "n_useful": 0,
            "longest_run": None,
            "longest_run_max": None,
            "n_crossings": None,
            "n_crossings_min": None,
            "longest_run_signal": False,
            "n_crossings_signal": False,
        }
    changes = np.flatnonzero(sides[1:] != sides[:-1])
    bounds = np.concatenate(([0], changes + 1, [n_useful]))
    longest = int(np.diff(bounds).max())
    crossings = len(changes)
    run_max, cross_min = longest_run_max(n_useful), n_crossings_min(n_useful)
    return {
        "n_useful": n_useful,
        "longest_run": longest,
        "longest_run_max": run_max,
        "n_crossings": crossings,
        "n_crossings_min": cross_min,
        # Both strict: a run equal to its limit, or crossings equal to theirs, is no signal.
        "longest_run_signal": longest > run_max,
        "n_crossings_signal": crossings < cross_min,
    }


def _mean_moving_range(values: np.ndarray, screen: bool) -> float:
    """Mean of the moving ranges of `values` in order (missing ones dropped); with `screen`,
    ranges ≥ 3.267 × that mean are left out and the mean taken again (Nelson 1982)."""
    ranges = np.abs(np.diff(values))
    ranges = ranges[~np.isnan(ranges)]
    if len(ranges) == 0:
        return math.nan
    mean = ranges.mean()
    if screen:
        kept = ranges[ranges < D4 * mean]
        mean = kept.mean() if len(kept) else math.nan
    return float(mean)


def _limits(chart, y, n, base, screen_mr):
    """Centre (per point), lower and upper limits for one phase. `base` marks the points the
    centre and limits come from."""
    size = len(y)
    nan = np.full(size, np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        if chart == "run":
            return np.full(size, _nanmedian(y[base])), nan, nan
        if chart == "i":
            cl = _nanmean(y[base])
            sigma = _mean_moving_range(y[base], screen_mr) / D2
            return np.full(size, cl), np.full(size, cl - 3 * sigma), np.full(size, cl + 3 * sigma)
        if chart == "mr":  # y is already the moving ranges here
            cl = _nanmean(y[base])
            return np.full(size, cl), np.zeros(size), np.full(size, D4 * cl)
        if chart == "c":
            cl = _nanmean(y[base])
            sigma = math.sqrt(cl) if cl >= 0 else math.nan
            return (
                np.full(size, cl),
                np.full(size, max(cl - 3 * sigma, 0.0)),
                np.full(size, cl + 3 * sigma),
            )
        if chart == "g":
            mean = _nanmean(y[base])
            sigma = math.sqrt(mean * (mean + 1)) if mean >= 0 else math.nan
            centre = _nanmedian(y[base])  # drawn at the median: the distribution is skewed
            lcl, ucl = max(mean - 3 * sigma, 0.0), mean + 3 * sigma
            return np.full(size, centre), np.full(size, lcl), np.full(size, ucl)
        # Ratio charts: the centre is Σr/Σn of the baseline, each point's sigma from its own n.
        r = y * n
        keep = base & ~np.isnan(y)
        cl = float(r[keep].sum() / n[keep].sum()) if keep.any() else math.nan
        sigma = np.sqrt(cl * (1 - cl) / n) if chart in ("p", "pp") else np.sqrt(cl / n)
        sigma[~(n > 0) | np.isnan(y)] = np.nan  # no subgroup (0/0) or no value: no limits
        if chart in ("pp", "up"):
            # Laney: scale by the between-subgroup variation, the moving-range sigma of the
            # baseline's z-scores.
            z = (y[base] - cl) / sigma[base]
            sigma = sigma * (_mean_moving_range(z, screen_mr) / D2)
        lcl, ucl = np.maximum(cl - 3 * sigma, 0.0), cl + 3 * sigma
        if chart in ("p", "pp"):
            ucl = np.minimum(ucl, 1.0)
        return np.full(size, cl), lcl, ucl


def _nanmean(values: np.ndarray) -> float:
    values = values[~np.isnan(values)]
    return float(values.mean()) if len(values) else math.nan


def _nanmedian(values: np.ndarray) -> float:
    values = values[~np.isnan(values)]
    return float(np.median(values)) if len(values) else math.nan


def _positions(values, size: int, what: str) -> list[int]:
    positions = sorted(set(int(value) for value in values or ()))
    for position in positions:
        if not 1 <= position <= size:
            raise ValueError(f"{what} {position} is outside 1…{size}")
    return positions


def analyse(
    chart: str,
    *,
    values=None,
    numerators=None,
    denominators=None,
    labels=None,
    freeze: int | None = None,
    parts=(),
    exclude=(),
    target: float | None = None,
    notes=None,
    screen_mr: bool = True,
) -> ChartResult:
    """Centre, limits and signals of a series. Give `values`, or `numerators` and
    `denominators` (then y = numerator / denominator, never a rounded percentage).
    Missing values are NaN or None. `screen_mr=False` keeps every moving range, as
    qicharts2 does with options(qic.screenedmr = FALSE)."""
    if chart not in CHARTS:
        raise ValueError(f"unknown chart {chart!r}: one of {', '.join(CHARTS)}")
    if values is not None:
        if chart in RATIO_CHARTS:
            raise ValueError(f"a {chart} chart needs numerators and denominators")
        y = _floats(values)
        r = d = np.full(len(y), np.nan)
    elif numerators is not None and denominators is not None:
        if chart in COUNT_CHARTS:
            raise ValueError(f"a {chart} chart needs counts (values), not ratios")
        r, d = _floats(numerators), _floats(denominators)
        if len(r) != len(d):
            raise ValueError("numerators and denominators differ in length")
        with np.errstate(divide="ignore", invalid="ignore"):
            y = np.where(d > 0, r / d, np.nan)
    else:
        raise ValueError("give values, or numerators and denominators")
    size = len(y)
    labels = (
        [str(label) for label in labels]
        if labels is not None
        else [str(i + 1) for i in range(size)]
    )
    notes = list(notes) if notes is not None else [""] * size
    if len(labels) != size or len(notes) != size:
        raise ValueError("labels and notes must have one entry per point")
    if freeze is not None and not 1 <= freeze <= size:
        raise ValueError(f"freeze {freeze} is outside 1…{size}")
    breaks = [k for k in _positions(parts, size, "part") if k < size]
    excluded = set(_positions(exclude, size, "exclude"))

    phases: list[Phase] = []
    points: list[Point] = []
    starts = [0, *breaks]
    ends = [*breaks, size]
    for number, (start, end) in enumerate(zip(starts, ends, strict=True), start=1):
        index = np.arange(start, end)
        included = np.array([i + 1 not in excluded for i in index], dtype=bool)
        y_phase = y[start:end].copy()
        if chart == "mr":
            y_phase = np.concatenate(([np.nan], np.abs(np.diff(y_phase))))
        frozen = freeze is not None and start < freeze
        base = included & ((index < freeze) if frozen else True)
        cl, lcl, ucl = _limits(chart, y_phase, d[start:end], base, screen_mr)
        runs = runs_analysis(y_phase[included], cl[included])
        if chart == "mr":  # the moving ranges are not independent: no runs analysis
            runs.update(longest_run_signal=False, n_crossings_signal=False)
        with np.errstate(invalid="ignore"):
            outside = (y_phase > ucl) | (y_phase < lcl)
        for offset, i in enumerate(index):
            points.append(
                Point(
                    position=int(i) + 1,
                    label=labels[i],
                    y=_number(y_phase[offset]),
                    numerator=_number(r[i]),
                    denominator=_number(d[i]),
                    phase=number,
                    included=bool(included[offset]),
                    baseline=bool(base[offset]),
                    cl=_number(cl[offset]),
                    lcl=_number(lcl[offset]),
                    ucl=_number(ucl[offset]),
                    sigma_signal=bool(outside[offset]),
                    note=notes[i] or "",
                )
            )
        phase_points = points[start:end]
        phases.append(
            Phase(
                phase=number,
                first=start + 1,
                last=end,
                freeze=min(freeze, end) if frozen else None,
                cl=_number(_nanmean(cl)),
                alcl=_mean_of(point.lcl for point in phase_points),
                aucl=_mean_of(point.ucl for point in phase_points),
                n_obs=int(included.sum()),  # qicharts2: length(y[include])
                runs_signal=runs["longest_run_signal"] or runs["n_crossings_signal"],
                sigma_signal=sum(point.sigma_signal for point in phase_points),
                **runs,
            )
        )
    return ChartResult(chart=chart, target=target, phases=phases, points=points)


def _floats(values) -> np.ndarray:
    return np.array([np.nan if value is None else float(value) for value in values], dtype=float)


def _number(value) -> float | None:
    value = float(value)
    return value if math.isfinite(value) else None


def _mean_of(values) -> float | None:
    values = [value for value in values if value is not None]
    return sum(values) / len(values) if values else None
