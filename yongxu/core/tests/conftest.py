"""Fixtures for the API's conformance tests."""

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from yongxu.core.tests.apischema import OPERATOR_TOKEN


@pytest.fixture
def wsgi_db(db, settings):
    """The database for requests made over WSGI in the test's own transaction (as Django's test client
    does, the per-request connection clean-up is off), with an operator token the API accepts."""
    settings.YONGXU_OPERATOR_TOKEN = OPERATOR_TOKEN
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
