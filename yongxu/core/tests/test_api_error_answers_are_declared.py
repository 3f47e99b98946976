"""The API's error answers are the ones its OpenAPI document declares: the maintenance 503, a rate limit's
429 and the guard's 400 and 413 pass schemathesis's checks of status, content type and body schema."""

from schemathesis.checks import not_a_server_error

from yongxu.core.tests.apischema import load_schema
from yongxu.maintenance import services as maintenance

schema = load_schema()


def call_and_check(path: str, method: str, *, excluded_checks=(), **case):
    operation = schema[path][method]
    response = operation.Case(**case).call()
    operation.Case(**case).validate_response(response, excluded_checks=list(excluded_checks))
    return response


def test_a_closed_api_answers_the_declared_503(wsgi_db):
    maintenance.turn_on("full", actor="test", public_reason="Database upgrade")

    response = call_and_check("/api/v1/products", "GET", excluded_checks=[not_a_server_error])  # a 503 by design

    assert response.status_code == 503
    assert response.json()["error"] == "maintenance"
    assert response.json()["message"] == "Database upgrade"


def test_the_eleventh_lookup_answers_the_declared_429(wsgi_db):
    for _ in range(10):
        call_and_check("/api/v1/lookup", "POST", body={"email": "buyer@example.com", "number": "YX0"})

    response = call_and_check("/api/v1/lookup", "POST", body={"email": "buyer@example.com", "number": "YX0"})

    assert (response.status_code, response.json()["error"]) == (429, "rate_limited")
    assert 0 < int(response.headers["retry-after"][0]) <= 600  # the seconds left of the 10-minute window


def test_a_nul_byte_answers_the_declared_400(wsgi_db):
    response = call_and_check("/api/v1/lookup", "POST", body={"email": "buyer@example.com", "number": "YX\x00"})

    assert (response.status_code, response.json()["error"]) == (400, "bad_input")


def test_an_oversized_body_answers_the_declared_413(wsgi_db):
    response = call_and_check("/api/v1/lookup", "POST", body={"email": "buyer@example.com", "number": "Y" * 70_000})

    assert (response.status_code, response.json()["error"], response.json()["max_bytes"]) == (413, "too_large", 65536)
