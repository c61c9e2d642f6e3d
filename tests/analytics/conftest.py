import pytest

from tests.analytics.engines import ENGINES, connect, unavailable


@pytest.fixture(scope="session", params=ENGINES)
def engine(request):
    """One connection per engine for the whole run; each test makes its own tables."""
    why = unavailable(request.param)
    if why:
        pytest.skip(why)
    engine = connect(request.param)
    yield engine
    engine.close()
