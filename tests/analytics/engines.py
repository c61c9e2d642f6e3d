"""The engines the analytics spec suite runs on, and how tiny test tables reach each.

Every spec test takes the `engine` fixture (tests/analytics/conftest.py) and calls
`engine.tables(patients=[...], contacts=[...], ...)` with plain rows; missing columns are
null, missing tables empty. The same Tables then go to the function under test, so one
expected dict is checked against every engine.

PySpark runs in local mode: the path for a region whose data outgrows one machine. It needs
Java 17 or 21 (Spark 4); without it the suite skips PySpark here and fails in CI
(conftest.py), so a CI machine that lost its Java cannot pass silently.
"""

import itertools
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

import ibis
import pyarrow as pa

from painpath.analytics import Tables
from painpath.analytics.schema import SCHEMAS

_names = itertools.count()


def arrow_table(name: str, rows: list[dict]) -> pa.Table:
    schema = SCHEMAS[name].to_pyarrow()
    unknown = {key for row in rows for key in row} - set(schema.names)
    if unknown:
        raise KeyError(f"{name}: no column {', '.join(sorted(unknown))} in schema.py")
    columns = {column: [row.get(column) for row in rows] for column in schema.names}
    return pa.table(columns, schema=schema)


@dataclass
class Engine:
    name: str
    con: object
    temp: bool = True
    made: list[str] = field(default_factory=list)

    def tables(self, **rows: list[dict]) -> Tables:
        loaded = {}
        for name in SCHEMAS:
            table_name = f"t{next(_names)}_{name}"
            data = arrow_table(name, rows.get(name, []))
            loaded[name] = self.create(table_name, data)
            self.made.append(table_name)
        return Tables(**loaded)

    def create(self, table_name: str, data: pa.Table):
        return self.con.create_table(table_name, data, temp=self.temp)

    def close(self):
        disconnect = getattr(self.con, "disconnect", None)
        if disconnect:
            disconnect()


@dataclass
class SparkEngine(Engine):
    """Ibis on a local SparkSession. Ibis 12 has no temporary tables on PySpark
    (`create_table(temp=True)` raises), so each table is a session-scoped temp view over a
    DataFrame made straight from Arrow: date32 stays a Spark DATE, int64 a BIGINT."""

    scratch: Path | None = None

    def create(self, table_name: str, data: pa.Table):
        session = self.con._session
        session.createDataFrame(data).createOrReplaceTempView(table_name)
        return self.con.table(table_name)

    def close(self):
        super().close()
        if self.scratch:
            shutil.rmtree(self.scratch, ignore_errors=True)


# Spark's own default prints INFO lines and a banner to the terminal; only errors matter here.
# The banner ("Setting default log level") goes unless the logger of the class that starts
# PySpark's JVM has a level of its own that equals the root's.
_LOG4J2 = """\
rootLogger.level = error
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n
logger.gateway.name = org.apache.spark.api.python.PythonGatewayServer
logger.gateway.level = error
"""


def spark_session(scratch: Path):
    """A small local Spark: two cores like the machine, two shuffle partitions (the default
    200 makes every tiny GROUP BY run 200 tasks), no UI, no Hive metastore, every file it
    writes under `scratch`, and UTC everywhere so a DATE never shifts a day.

    The suite runs hundreds of tiny queries, so the JVM's own warm-up is most of its time.
    Measured on the 2-core machine (JVM CPU seconds for four deep-dives): 57 s by default,
    29 s with the client JIT only and the serial GC, 23 s also without whole-stage codegen
    (which compiles Java source for every new query plan). Neither changes an answer:
    whole-stage codegen is an execution strategy, the SQL and its results are the same."""
    from pyspark.sql import SparkSession

    # Python workers (UDFs) must be this interpreter, not whatever `python3` is on PATH.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    log4j = scratch / "log4j2.properties"
    log4j.write_text(_LOG4J2)
    java_options = " ".join(
        (
            "-Duser.timezone=UTC",
            f"-Dlog4j2.configurationFile={log4j.as_uri()}",
            "-XX:TieredStopAtLevel=1",  # short-lived JVM: C1 only, no C2 compile work
            "-XX:+UseSerialGC",  # a small heap on 2 shared cores: no parallel GC threads
        )
    )
    settings = {
        "spark.master": "local[2]",
        "spark.app.name": "painpath-analytics-spec",
        "spark.sql.shuffle.partitions": "2",
        "spark.default.parallelism": "2",
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.sql.catalogImplementation": "in-memory",
        "spark.sql.warehouse.dir": str(scratch / "warehouse"),
        "spark.local.dir": str(scratch / "local"),
        "spark.sql.session.timeZone": "UTC",
        "spark.driver.extraJavaOptions": java_options,
        "spark.executor.extraJavaOptions": java_options,
        "spark.sql.execution.arrow.pyspark.enabled": "true",
        "spark.sql.codegen.wholeStage": "false",
    }
    builder = SparkSession.builder
    for key, value in settings.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


def postgres_url() -> str | None:
    """The PostgreSQL the suite runs on (CI sets DATABASE_URL), else none."""
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


def connect_postgres(url: str):
    """Ibis on the database DATABASE_URL names, made first if missing: Django's tests make
    and drop their own `test_…` database, so CI's (`painpath`) may never have been made, and
    the spec suite's temporary tables still need a database to live in."""
    import psycopg
    from psycopg import sql

    url = url.replace("postgres://", "postgresql://", 1)
    try:
        return ibis.connect(url)
    except psycopg.OperationalError as error:
        if "does not exist" not in str(error):
            raise
    parts = urlsplit(url)
    server = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(server, autocommit=True) as admin:
        name = unquote(parts.path.lstrip("/"))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return ibis.connect(url)


def connect(name: str) -> Engine:
    if name == "sqlite":
        return Engine(name, ibis.sqlite.connect())
    if name == "duckdb":
        return Engine(name, ibis.duckdb.connect())
    if name == "postgres":
        return Engine(name, connect_postgres(postgres_url()))
    if name == "pyspark":
        scratch = Path(tempfile.mkdtemp(prefix="painpath-spark-"))
        return SparkEngine(name, ibis.pyspark.connect(spark_session(scratch)), scratch=scratch)
    raise ValueError(name)


ENGINES = ("sqlite", "duckdb", "postgres", "pyspark")

# Engines CI must run, whatever the machine: a missing one there is a failure, not a skip.
REQUIRED_IN_CI = ("pyspark",)

SPARK_JAVA = (17, 21)  # the Java releases Spark 4 runs on


def java_version(java: str) -> int | None:
    """The feature release of `java` (17 for 17.0.15, 8 for 1.8.0_402), or None."""
    try:
        shown = subprocess.run(
            [java, "-version"], capture_output=True, text=True, timeout=30
        ).stderr
    except (OSError, subprocess.SubprocessError):
        return None
    found = re.search(r'version "(?:1\.)?(\d+)', shown)
    return int(found.group(1)) if found else None


def find_java() -> str | None:
    """The java Spark will start: $JAVA_HOME/bin/java when JAVA_HOME is set, else PATH's."""
    home = os.environ.get("JAVA_HOME")
    if home:
        java = Path(home) / "bin" / "java"
        return str(java) if java.exists() else None
    return shutil.which("java")


def unavailable(name: str) -> str | None:
    """Why an engine cannot run here, or None."""
    if name == "postgres" and not postgres_url():
        return "PostgreSQL: set DATABASE_URL=postgres://… (CI does)"
    if name == "pyspark":
        try:
            import pyspark  # noqa: F401
        except ImportError:
            return "PySpark: not installed (pip install -e '.[test]')"
        java = find_java()
        if not java:
            return "PySpark: no Java (apt-get install openjdk-17-jre-headless; CI does)"
        version = java_version(java)
        if version not in SPARK_JAVA:
            return f"PySpark: {java} is Java {version}; Spark 4 needs Java 17 or 21"
    return None


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() not in ("", "0", "false", "no")
