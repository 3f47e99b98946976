"""Lookup by e-mail + query password costs one password-hash check for every address — none, one or
thirty orders, right or wrong password, on /lookup/ and on /api/v1/lookup — so neither the time it
takes nor the work it costs tells how many orders an address has."""

import pytest
from django.test import Client

from yongxu.conftest import make_product
from yongxu.orders.tests.factories import place

pytestmark = pytest.mark.django_db


def _web(email: str, password: str) -> str:
    return Client().post("/lookup/", {"email": email, "number": "", "query_password": password}).content.decode()


def _api(email: str, password: str) -> list:
    return Client().post("/api/v1/lookup", {"email": email, "query_password": password},
                         content_type="application/json").json()


def _checks(hasher, lookup, *args) -> int:
    before = hasher.checks
    lookup(*args)
    return hasher.checks - before


def test_one_check_whatever_the_address_holds(counting_hasher, settings):
    settings.YONGXU_LOOKUP_ATTEMPTS = 100
    product = make_product(keys=40, max_quantity=1)
    place(product, email="one@example.com", query_password="open sesame")
    many = [place(product, email="many@example.com", query_password="open sesame") for _ in range(30)]

    work = {(email, password, name): _checks(counting_hasher, lookup, email, password)
            for email in ("nobody@example.com", "one@example.com", "many@example.com")
            for password in ("open sesame", "a wrong guess")
            for name, lookup in (("web", _web), ("api", _api))}

    assert set(work.values()) == {1}
    assert len(_api("many@example.com", "open sesame")) == 30
    page = _web("many@example.com", "open sesame")
    assert all(order.number in page for order in many)
