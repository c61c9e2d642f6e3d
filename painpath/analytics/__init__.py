"""Analytics: the deep-dive and indicator figures as pure functions over Ibis tables.

No Django here: tables in (schema.py), dicts out, so one definition runs on SQLite,
PostgreSQL, DuckDB over Parquet and Spark alike, and is tested on each (tests/analytics/).
"""

from painpath.analytics.cohort import deep_dive, frequent_attenders, professions_met
from painpath.analytics.compare import compare
from painpath.analytics.prescriptions import prescriptions
from painpath.analytics.tables import Period, Tables

__all__ = [
    "Period",
    "Tables",
    "compare",
    "deep_dive",
    "frequent_attenders",
    "prescriptions",
    "professions_met",
]
