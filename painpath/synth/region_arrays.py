"""What the region generators share: days as offsets, the clinics' calendar, coded tables.

A region has millions of rows, so every generator works on whole NumPy arrays and never loops
over rows in Python. Days are int32 offsets from the period's first day (2020-01-01 is 0,
2024-10-31 is 1765; NULL_DAY for a missing date). Strings are small integer codes into a
vocabulary (-1 for null) and become Arrow strings only when a row group is written, so a
column of twenty million clinic ids costs two bytes a row while it is made.
"""

from dataclasses import dataclass, field
from datetime import date

import numpy as np

from painpath.synth.timeline import BASELINE_END, FOLLOW_UP_START, PERIOD_END, PERIOD_START

LAST_DAY = PERIOD_END - PERIOD_START  # 2024-10-31 as an offset
BASELINE_LAST = BASELINE_END - PERIOD_START  # 2023-12-31
FOLLOW_UP_FIRST = FOLLOW_UP_START - PERIOD_START  # 2024-01-01
NULL_DAY = -1
NEVER = np.iinfo(np.int32).max  # a day that never comes: "no move"
EPOCH_SHIFT = PERIOD_START - date(1970, 1, 1).toordinal()  # offset -> Arrow date32


def offset(on: date) -> int:
    return on.toordinal() - PERIOD_START


def streams(seed: int):
    """One independent random stream per part of the region, so that changing how one table
    is made leaves every other table as it was for the same seed."""

    def stream(part: int) -> np.random.Generator:
        return np.random.default_rng([seed, part])

    return stream


def _openness(ordinal: int) -> float:
    """How busy the clinics are on a day, relative to an ordinary weekday."""
    on = date.fromordinal(ordinal)
    fixed_holiday = (on.month, on.day) in {
        (1, 1), (1, 6), (5, 1), (6, 6), (12, 24), (12, 25), (12, 26), (12, 31),
    }  # fmt: skip
    midsummer_eve = on.month == 6 and 19 <= on.day <= 25 and on.weekday() == 4
    if on.weekday() >= 5 or fixed_holiday or midsummer_eve:
        return 0.03  # weekends and holidays: only the odd digital contact
    if on.month == 7 or (on.month == 12 and on.day >= 23) or (on.month == 1 and on.day <= 6):
        return 0.6  # summer and Christmas: half the staff on leave
    return 1.1 if on.month in (1, 2, 3, 11) else 1.0  # the winter's infections


_WEIGHTS = np.array([_openness(d) for d in range(PERIOD_START, PERIOD_END + 1)])
_CUMULATIVE = np.concatenate(([0.0], np.cumsum(_WEIGHTS)))
# The day at each of 2^16 equal steps of cumulative weight. A step is smaller than the
# quietest day, so the day found there is right or one too early: one comparison mends it.
_STEPS = 1 << 16  # 256 kB: stays in cache
_STEP_DAY = (
    np.searchsorted(_CUMULATIVE, np.arange(_STEPS) * (_CUMULATIVE[-1] / _STEPS), "right").astype(
        np.int32
    )
    - 1
)
assert _CUMULATIVE[-1] / _STEPS < _WEIGHTS.min()


def workdays(rng: np.random.Generator, first: np.ndarray, last: np.ndarray) -> np.ndarray:
    """One day in first..last (offsets, both included) per row, weighted as clinics work:
    almost never a weekend, fewer in July and over Christmas. Inverse-CDF through a lookup
    table, so exact, vectorised and without a search per row."""
    low = _CUMULATIVE[first]
    point = low + rng.random(len(low)) * (_CUMULATIVE[np.asarray(last) + 1] - low)
    del low
    days = _STEP_DAY[np.minimum((point * (_STEPS / _CUMULATIVE[-1])).astype(np.int64), _STEPS - 1)]
    days += _CUMULATIVE[days + 1] <= point
    return np.clip(days, first, last).astype(np.int32)


def uniform_days(rng: np.random.Generator, first: np.ndarray, last: np.ndarray) -> np.ndarray:
    """One day in first..last per row, every day alike (births, moves, listings)."""
    first = np.asarray(first, dtype=np.int64)
    span = np.asarray(last, dtype=np.int64) - first + 1
    return (first + (rng.random(len(first)) * span).astype(np.int64)).astype(np.int32)


def expand(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For `counts[i]` rows of each owner i: the owner of every row and its rank (0, 1, …)
    among the owner's rows."""
    counts = np.asarray(counts, dtype=np.int64)
    owners = np.repeat(np.arange(len(counts)), counts)
    starts = np.cumsum(counts) - counts
    return owners, np.arange(len(owners)) - starts[owners]


def apportion(weights: np.ndarray, total: int) -> np.ndarray:
    """Split `total` in proportion to `weights`, exactly (largest remainder)."""
    shares = np.asarray(weights, dtype=np.float64) * total / np.sum(weights)
    whole = np.floor(shares).astype(np.int64)
    left = total - int(whole.sum())
    if left:
        whole[np.argsort(whole - shares, kind="stable")[:left]] += 1
    return whole


def choose(rng: np.random.Generator, weights, size: int) -> np.ndarray:
    """`size` indices into `weights`, by weight (with replacement)."""
    cumulative = np.cumsum(np.asarray(weights, dtype=np.float64))
    return np.searchsorted(cumulative, rng.random(size) * cumulative[-1], "right")


def sample_weighted(rng: np.random.Generator, weights: np.ndarray, k: int) -> np.ndarray:
    """k distinct indices, chance by weight (Efraimidis-Spirakis keys); zero weight never."""
    weights = np.asarray(weights, dtype=np.float64)
    candidates = np.flatnonzero(weights > 0)
    k = min(k, len(candidates))
    if k == 0:
        return candidates[:0]
    keys = np.log(rng.random(len(candidates))) / weights[candidates]
    return np.sort(candidates[np.argpartition(-keys, k - 1)[:k]])


@dataclass
class Table:
    """One analytics table as arrays, in the encodings above, column by column.

    `vocab` names the vocabulary of each coded string column. patient_id columns hold the
    patient's index (id - 1); day columns hold offsets.
    """

    columns: dict[str, np.ndarray]
    vocab: dict[str, list[str]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(next(iter(self.columns.values())))

    def sorted_by(self, day_column: str) -> "Table":
        """In day order, then patient: extracts come in date order, and DuckDB skips the row
        groups a period filter cannot match."""
        # Two stable passes, both near linear: patients come in long sorted runs (timsort),
        # and 1,766 days fit 16 bits (radix sort).
        order = np.argsort(self.columns["patient_id"], kind="stable")
        days = self.columns[day_column][order].astype(np.int16)
        order = order[np.argsort(days, kind="stable")]
        del days
        return Table({k: v[order] for k, v in self.columns.items()}, self.vocab)

    @staticmethod
    def concat(parts: list["Table"]) -> "Table":
        first = parts[0]
        columns = {k: np.concatenate([p.columns[k] for p in parts]) for k in first.columns}
        return Table(columns, first.vocab)
