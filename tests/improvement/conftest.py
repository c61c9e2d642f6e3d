"""Shared by the improvement tests: a project at Habo, and Lena of Habo logged in."""

import pytest

from painpath.improvement import actions
from tests.factories import make_user


@pytest.fixture
def project(clinic):
    return actions.create_project(clinic, None, year=2024, theme="långvarig smärta")


@pytest.fixture
def lena(client, clinic):
    """A logged-in client of a clinician at the project's clinic."""
    client.force_login(make_user("lena", clinic))
    return client
