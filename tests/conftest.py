import os

import pytest

# Playwright's sync API runs an event loop in the test thread; the tests touch the database
# only between browser calls, so Django's async guard can stand down here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def clinic(db):
    from tests.factories import make_clinic

    return make_clinic()


@pytest.fixture
def other_clinic(db):
    from tests.factories import make_clinic

    return make_clinic("annan", "Annan vårdcentral")
