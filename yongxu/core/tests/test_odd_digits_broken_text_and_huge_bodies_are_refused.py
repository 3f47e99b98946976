"""Quantities written with digits that are not ASCII ("²" passes str.isdigit(), int() takes "１" and "٣"),
text that is not UTF-8, and bodies larger than the route takes are refused with a clear 4xx — never a 500 —
and nothing is ordered, stored or held."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from yongxu.core.numbers import parse_int
from yongxu.inventory.services import available_count
from yongxu.orders.models import Order
from yongxu.payments.models import PaymentNotification
from yongxu.support.models import Ticket

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("text", ["²", "１", "٣", "1²", "１０", "", " ", "-1", "1e3", "0x10", "1_000", "9" * 10])
def test_only_ascii_digits_make_a_number(text):
    assert parse_int(text) is None


def test_ascii_digits_do():
    assert (parse_int("7"), parse_int(" 12 "), parse_int("-3", signed=True)) == (7, 12, -3)


@pytest.mark.parametrize("quantity", ["²", "１", "٣"])
def test_an_odd_digit_quantity_orders_nothing(client, product, quantity):
    response = client.post(f"/p/{product.slug}/buy/", {"quantity": quantity, "email": "ann@example.com",
                                                       "provider": "epay"})

    assert response.status_code == 400
    assert "quantity is not allowed" in response.content.decode()
    assert Order.objects.count() == 0
    assert available_count(product) == 5


def test_an_odd_digit_quantity_in_the_price_quote_is_no_500(client, product):
    assert client.get(f"/p/{product.slug}/quote/", {"quantity": "²"}).status_code == 200


def test_broken_utf8_in_the_path_query_and_a_form_is_a_400(client, product):
    answers = [client.get(f"/p/{product.slug}%ff/"), client.get("/lookup/?q=%ff%fe"),
               client.post("/lookup/", b"email=a%ff@example.com&number=YX1",
                           content_type="application/x-www-form-urlencoded"),
               client.post("/api/v1/orders", b'{"product": "\xff", "quantity": 1, "email": "a@example.com"}',
                           content_type="application/json")]

    assert [answer.status_code for answer in answers] == [400, 400, 400, 400]
    assert Order.objects.count() == 0


def test_a_body_larger_than_the_route_takes_is_refused_before_it_is_read(settings, product):
    client = Client()
    big = "x" * (settings.YONGXU_MAX_BODY_BYTES + 1)

    form = client.post(f"/p/{product.slug}/buy/", {"quantity": "1", "email": "a@example.com", "note": big})
    api = client.post("/api/v1/orders", json.dumps({"product": product.slug, "quantity": 1, "email": "a@example.com",
                                                    "pad": big}), content_type="application/json")
    callback = client.post("/pay/notify/epay/", "a=" + big, content_type="application/x-www-form-urlencoded")
    upload = client.post("/support/", {"subject": "Help", "message": "Hi", "email": "a@example.com",
                                       "attachment": SimpleUploadedFile("huge.png", b"\x89PNG" + b"0" * (
                                           settings.YONGXU_SUPPORT_ATTACHMENT_MAX_BYTES + 128 * 1024))})

    assert [r.status_code for r in (form, api, callback, upload)] == [413, 413, 413, 413]
    assert api.json()["error"] == "too_large"
    assert (Order.objects.count(), PaymentNotification.objects.count(), Ticket.objects.count()) == (0, 0, 0)
