"""Funnel plots: one indicator (a proportion) across clinics or caregivers, for learning,
not judgement (Spiegelhalter 2005, "Funnel plots for comparing institutional performance",
Stat Med 24:1185; and "Handling over-dispersion of performance indicators", QSHC 14:347).

Pure (numpy, no Django). The target θ is the pooled Σr/Σn unless one is given; each unit
is plotted at its denominator n and judged against limits at 95 % and 99.8 %:
- normal: θ ± z·s(n), s(n) = √(θ(1−θ)/n);
- exact binomial with interpolation, for small n: r_p = the smallest r with F(r) ≥ p,
  α = (F(r_p) − p) / (F(r_p) − F(r_p − 1)), limit = max(0, (r_p − α)/n);
- over-dispersion, from z-scores winsorised at their 10th and 90th percentiles:
  φ = mean(z²); multiplicative θ ± z·√φ·s(n) (only when φ > 1: limits never narrow), and
  additive θ ± z·√(s(n)² + τ²) with τ² from DerSimonian and Laird.
"""

import math

import numpy as np

LEVELS = {"95": 0.975, "99.8": 0.999}  # two-sided coverage → upper tail probability
Z = {"95": 1.959963984540054, "99.8": 3.090232306167813}


def _log_factorials(n: int) -> np.ndarray:
    return np.concatenate(([0.0], np.cumsum(np.log(np.arange(1, n + 1)))))


def binomial_cdf(n: int, theta: float) -> np.ndarray:
    """F(0), …, F(n) of Binomial(n, θ), from the log pmf (no scipy)."""
    k = np.arange(n + 1)
    if theta <= 0 or theta >= 1:
        return np.where(k >= (n if theta >= 1 else 0), 1.0, 0.0)
    logf = _log_factorials(n)
    log_pmf = logf[n] - logf[k] - logf[n - k] + k * math.log(theta) + (n - k) * math.log1p(-theta)
    return np.minimum(np.cumsum(np.exp(log_pmf)), 1.0)


def exact_limit(theta: float, n: int, p: float) -> float:
    """The interpolated binomial p-quantile as a proportion (Spiegelhalter 2005, appendix)."""
    n = int(n)
    if n <= 0:
        return math.nan
    cdf = binomial_cdf(n, theta)
    r_p = int(np.searchsorted(cdf, p, side="left"))  # smallest r with F(r) ≥ p
    r_p = min(r_p, n)
    below = cdf[r_p - 1] if r_p > 0 else 0.0
    alpha = (cdf[r_p] - p) / (cdf[r_p] - below) if cdf[r_p] > below else 0.0
    return float(min(1.0, max(0.0, (r_p - alpha) / n)))


def normal_limits(theta: float, n, level: str, inflation: float = 1.0, tau2: float = 0.0):
    """Lower and upper limits at each n: θ ± z·√(φ·s² + τ²), s² = θ(1−θ)/n."""
    n = np.asarray(n, dtype=float)
    spread = Z[level] * np.sqrt(inflation * theta * (1 - theta) / n + tau2)
    return np.clip(theta - spread, 0, 1), np.clip(theta + spread, 0, 1)


def winsorised_phi(z: np.ndarray, fraction: float = 0.10) -> float:
    """φ = mean of the squared z-scores after pulling the lowest and highest 10 % in to the
    10th and 90th percentiles (numpy's linear percentiles, R's type 7)."""
    z = np.asarray(z, dtype=float)
    low, high = np.percentile(z, [100 * fraction, 100 * (1 - fraction)])
    return float(np.mean(np.clip(z, low, high) ** 2))


def dersimonian_laird_tau2(phi: float, variances: np.ndarray) -> float:
    """τ² = max(0, (I·φ − (I − 1)) / (Σw − Σw²/Σw)), w = 1/s² (Spiegelhalter 2005, QSHC)."""
    w = 1 / np.asarray(variances, dtype=float)
    units = len(w)
    denominator = w.sum() - (w**2).sum() / w.sum()
    if denominator <= 0:
        return 0.0
    return max(0.0, float((units * phi - (units - 1)) / denominator))


def funnel(units, target: float | None = None) -> dict:
    """`units`: (name, numerator, denominator) per clinic or caregiver. Returns θ, φ, τ²
    and, per unit, its proportion, z-score and limits at its own denominator, and where it
    lies: "within", "above_95", "above_99.8", "below_95" or "below_99.8" against the
    exact limits (and the over-dispersed ones when there is over-dispersion)."""
    names = [str(name) for name, _, _ in units]
    r = np.array([float(r) for _, r, _ in units])
    n = np.array([float(n) for _, _, n in units])
    if len(names) == 0 or (n <= 0).any() or (r < 0).any() or (r > n).any():
        raise ValueError("every unit needs 0 ≤ numerator ≤ denominator and denominator > 0")
    theta = float(target) if target is not None else float(r.sum() / n.sum())
    y = r / n
    variances = theta * (1 - theta) / n
    z = (y - theta) / np.sqrt(variances) if 0 < theta < 1 else np.zeros(len(y))
    phi = winsorised_phi(z) if len(z) > 1 else math.nan
    tau2 = dersimonian_laird_tau2(phi, variances) if len(z) > 1 else 0.0
    inflation = phi if phi > 1 else 1.0
    rows = []
    for index, name in enumerate(names):
        row = {"name": name, "numerator": float(r[index]), "denominator": float(n[index])}
        row["y"] = float(y[index])
        row["z"] = float(z[index])
        for level, upper_p in LEVELS.items():
            lower_p = 1 - upper_p
            row[f"exact_{level}"] = (
                float(exact_limit(theta, n[index], lower_p)),
                float(exact_limit(theta, n[index], upper_p)),
            )
            row[f"normal_{level}"] = _pair(normal_limits(theta, n[index], level))
            row[f"multiplicative_{level}"] = _pair(
                normal_limits(theta, n[index], level, inflation=inflation)
            )
            row[f"additive_{level}"] = _pair(normal_limits(theta, n[index], level, tau2=tau2))
        row["position"] = _position(row, "exact", theta)
        row["position_overdispersed"] = _position(row, "multiplicative")
        rows.append(row)
    return {
        "theta": theta,
        "phi": phi,
        "overdispersed": bool(phi > 1),
        "tau2": tau2,
        "units": rows,
    }


def curves(theta: float, n_max: int, points: int = 60, inflation: float = 1.0, tau2=0.0):
    """Limit curves over n = 1 … n_max for drawing the funnel: exact and over-dispersed."""
    grid = np.unique(np.geomspace(1, max(n_max, 2), points).round().astype(int))
    rows = []
    for size in grid:
        row = {"n": int(size)}
        for level, upper_p in LEVELS.items():
            row[f"exact_{level}"] = (
                exact_limit(theta, size, 1 - upper_p),
                exact_limit(theta, size, upper_p),
            )
            row[f"multiplicative_{level}"] = _pair(normal_limits(theta, size, level, inflation))
            row[f"additive_{level}"] = _pair(normal_limits(theta, size, level, tau2=tau2))
        rows.append(row)
    return rows


def _pair(limits) -> tuple[float, float]:
    low, high = limits
    return float(low), float(high)


def _position(row: dict, kind: str, theta: float | None = None) -> str:
    if kind == "exact":
        return exact_position(int(row["numerator"]), int(row["denominator"]), theta)
    y = row["y"]
    for level in ("99.8", "95"):
        low, high = row[f"{kind}_{level}"]
        if y > high:
            return f"above_{level}"
        if y < low:
            return f"below_{level}"
    return "within"


def exact_position(r: int, n: int, theta: float) -> str:
    """Above (below) a level when a count at least (at most) this high is less likely than
    the level's tail under Binomial(n, θ): the exact test, the same as comparing with the
    binomial quantiles before interpolation. The interpolated curves, drawn for their
    smoothness, sit a little inside these: judged against them, a unit of one patient at
    100 % would lie "above 99.8 %" though it happens two times in three when θ = 2/3."""
    cdf = binomial_cdf(n, theta)
    at_least = 1.0 - (cdf[r - 1] if r > 0 else 0.0)
    at_most = cdf[r]
    for level in ("99.8", "95"):
        tail = 1 - LEVELS[level]
        if at_least < tail:
            return f"above_{level}"
        if at_most < tail:
            return f"below_{level}"
    return "within"
