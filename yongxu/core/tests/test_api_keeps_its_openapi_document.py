"""The API keeps the promises of its OpenAPI document. schemathesis reads the document /api/v1/openapi.json
serves and sends every operation valid and invalid requests, in-process over WSGI; with all of its checks,
every answer must be no server error and have a declared status, content type, headers and body."""

import pytest
from hypothesis import HealthCheck, settings

from yongxu.conftest import make_product
from yongxu.core.tests.apischema import OPERATOR_TOKEN, document, load_schema

schema = load_schema()


@pytest.fixture
def shop(wsgi_db):
    make_product(keys=3, slug="steam-50")


def test_the_document_under_test_is_the_one_served(client, db):
    assert client.get("/api/v1/openapi.json").json() == document()


@schema.parametrize()
@settings(max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck))
def test_every_answer_is_one_the_document_declares(case, shop):
    case.call_and_validate(headers={"Authorization": f"Bearer {OPERATOR_TOKEN}"})
