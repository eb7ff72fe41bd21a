"""Fixtures for the clinician tests: an app with fast hashing, one clinician, two clinics."""

from __future__ import annotations

import backends
import pytest
from clinic import AMIRA, BEN, FLAGGED, add_clinician, add_link, make_app, shared_through


@pytest.fixture(params=backends.BACKENDS)
def app(request, tmp_path):
    """Overrides tests/conftest.py's app (and so its client and runner): fast hashing, on
    each database (PostgreSQL where one is running)."""
    with backends.database(request.param, tmp_path, "clinic") as target:
        yield make_app(tmp_path, DATABASE=target)


@pytest.fixture
def amira(app):
    return add_clinician(app, AMIRA)


@pytest.fixture
def two_clinics(app, amira):
    """Amira and Ben, each with a link and a result shared through it."""
    ben = add_clinician(app, BEN)
    amira_link, ben_link = add_link(app, amira.id), add_link(app, ben.id)
    _, amira_share = shared_through(app, f"/r/{amira_link.token}", FLAGGED)
    _, ben_share = shared_through(app, f"/r/{ben_link.token}")
    return amira_share, ben_share
