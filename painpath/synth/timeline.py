"""The calendar of a synthetic extract, and the small random helpers every generator shares.

Days are kept as proleptic ordinals (`date.toordinal()`) while generating: hundreds of
thousands of rows are made, and integers are what the random helpers and sorting want.
"""

import math
import random
from bisect import bisect_right
from datetime import date

PERIOD_START = date(2020, 1, 1).toordinal()
PERIOD_END = date(2024, 10, 31).toordinal()  # the Habo follow-up ends here
BASELINE_END = date(2023, 12, 31).toordinal()  # Habo's 2020-2023 deep-dive, and listing day
FOLLOW_UP_START = date(2024, 1, 1).toordinal()
LISTING_START = date(2010, 1, 1).toordinal()  # vårdval: free choice of clinic since 2010
DAYS_PER_YEAR = 365.25


class _IsoDays(dict):
    """`ISO[ordinal]` is the day as `YYYY-MM-DD`: computed once, then a plain dict look-up,
    because the same few thousand days are written hundreds of thousands of times."""

    def __missing__(self, ordinal: int) -> str:
        text = self[ordinal] = date.fromordinal(ordinal).isoformat()
        return text


ISO = _IsoDays()


def day(year: int, month: int, day_of_month: int) -> int:
    return date(year, month, day_of_month).toordinal()


def year_of(ordinal: int) -> int:
    return date.fromordinal(ordinal).year


def uniform_day(rng: random.Random, first: int, last: int) -> int:
    """A day in first..last, both included (faster than randint, which this is called a lot)."""
    return first + int(rng.random() * (last - first + 1))


# Fixed public holidays and the eves the clinics close on (Easter, which moves, is left out).
_HOLIDAYS = {(1, 1), (1, 6), (5, 1), (6, 6), (12, 24), (12, 25), (12, 26), (12, 31)}


def _openness(ordinal: int) -> float:
    """How open the clinic is on a day, as a chance of keeping a random draw of that day."""
    on = date.fromordinal(ordinal)
    midsummer_eve = on.month == 6 and 19 <= on.day <= 25 and on.weekday() == 4
    if on.weekday() >= 5 or (on.month, on.day) in _HOLIDAYS or midsummer_eve:
        return 0.03  # weekends and holidays: only the odd digital contact
    if on.month == 7 or (on.month == 12 and on.day >= 23) or (on.month == 1 and on.day <= 6):
        return 0.6  # summer and Christmas: half the staff on leave
    return 1.0


_OPENNESS = [_openness(ordinal) for ordinal in range(PERIOD_START, PERIOD_END + 1)]


def workday(rng: random.Random, first: int, last: int) -> int:
    """A day in first..last within the period, weighted as the clinic works.

    Almost never a weekend, and fewer in July and over Christmas, so that monthly charts
    look like a real clinic's.
    """
    for _ in range(50):
        on = first + int(rng.random() * (last - first + 1))
        if rng.random() < _OPENNESS[on - PERIOD_START]:
            return on
    return on  # a window of weekends only (a patient listed for two days)


def weight_table(weights: dict) -> tuple[list, list[float]]:
    """Keys and cumulative weights, for `draw`."""
    keys, cumulative, total = [], [], 0.0
    for key, weight in weights.items():
        total += weight
        keys.append(key)
        cumulative.append(total)
    return keys, cumulative


def draw(rng: random.Random, table: tuple[list, list[float]]):
    """A key of a `weight_table`, by weight (`rng.choices` without its overhead)."""
    keys, cumulative = table
    return keys[bisect_right(cumulative, rng.random() * cumulative[-1])]


def poisson(rng: random.Random, mean: float) -> int:
    """A Poisson draw: Knuth's method for small means, the normal approximation above 60."""
    if mean <= 0:
        return 0
    if mean > 60:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit = math.exp(-mean)
    count, product = 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def apportion(rng: random.Random, counts: list[int], total: int) -> list[int]:
    """Split `total` over the entries in proportion to `counts` (largest remainder).

    Used to scale the Habo tables to another clinic size: at the Habo size the counts come
    back unchanged, elsewhere the total is exact and the remainders go to random entries.
    """
    whole = sum(counts)
    if whole == 0 or total <= 0:
        return [0] * len(counts)
    shares = [count * total / whole for count in counts]
    result = [int(share) for share in shares]
    order = sorted(
        range(len(counts)), key=lambda i: (result[i] - shares[i], rng.random())
    )  # most left out first; random among equal remainders
    for i in order[: total - sum(result)]:
        result[i] += 1
    return result
