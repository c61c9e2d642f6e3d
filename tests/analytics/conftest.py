import pytest

from tests.analytics.engines import ENGINES, REQUIRED_IN_CI, connect, in_ci, unavailable


def pytest_configure(config):
    # PySpark 4.3 warns on every pandas conversion that it "does not yet fully support
    # pandas >= 3.0.0", and calls astype(copy=...), which pandas 3 deprecates: hundreds of
    # lines per run about PySpark's own code. The suite checks the answers Spark gives.
    for warning in (
        "ignore:PySpark does not yet fully support pandas:FutureWarning",
        "ignore:The copy keyword is deprecated:DeprecationWarning:pyspark.sql.pandas.types",
    ):
        config.addinivalue_line("filterwarnings", warning)


@pytest.fixture(scope="session", params=ENGINES)
def engine(request):
    """One connection per engine for the whole run (one SparkSession, started once);
    each test makes its own tables."""
    why = unavailable(request.param)
    if why and in_ci() and request.param in REQUIRED_IN_CI:
        pytest.fail(f"CI must run the analytics suite on {request.param}: {why}")
    if why:
        pytest.skip(why)
    engine = connect(request.param)
    yield engine
    engine.close()
