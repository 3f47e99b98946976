"""An order is linked only when its number was placed with the ticket's e-mail. A wrong pair and an
order that does not exist get the very same answer, and nothing is stored or sent."""

import pytest
from django.urls import reverse

from yongxu.audit.models import AuditEntry
from yongxu.support.models import Ticket
from yongxu.support.tests.factories import BUYER, paid_order

pytestmark = pytest.mark.django_db

REFUSAL = "We could not match this order number with this e-mail address."


def submit(client, *, email, number):
    return client.post(reverse("support"), {"subject": "Where are my keys?", "message": "Paid an hour ago.",
                                            "email": email, "order_number": number})


def test_someone_elses_order_is_refused(client, committed, product, mailoutbox):
    order = paid_order(product, email="owner@example.com")

    with committed():
        answer = submit(client, email=BUYER, number=order.number)

    assert answer.status_code == 400
    assert REFUSAL in answer.content.decode()
    assert Ticket.objects.count() == 0
    assert not AuditEntry.objects.filter(action="support.ticket_opened").exists()
    assert mailoutbox == []


def test_the_refusal_does_not_reveal_whether_the_order_exists(client, product):
    order = paid_order(product, email="owner@example.com")

    wrong_pair = submit(client, email=BUYER, number=order.number).content.decode()
    no_such_order = submit(client, email=BUYER, number="YX250101ZZZZZZZZZZ").content.decode()

    def error_of(page):
        return page.split('id="id_order_number_error">')[1].split("<")[0]

    assert error_of(wrong_pair) == error_of(no_such_order)
    assert REFUSAL in error_of(wrong_pair)
    assert "owner@example.com" not in wrong_pair
    assert order.product_name not in wrong_pair


def test_what_was_typed_comes_back(client, product):
    answer = submit(client, email=BUYER, number="YX250101ZZZZZZZZZZ").content.decode()

    assert 'value="Where are my keys?"' in answer
    assert "Paid an hour ago." in answer
    assert f'value="{BUYER}"' in answer
