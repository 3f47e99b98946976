"""The merchant delivers a paid manual order from the admin; the buyer gets what was written."""

import pytest
from django.urls import reverse

from yongxu.audit.models import AuditEntry
from yongxu.catalog.models import DeliveryMode
from yongxu.conftest import make_product
from yongxu.orders.models import OrderStatus
from yongxu.orders.services import delivered_items
from yongxu.orders.tests.factories import place

pytestmark = pytest.mark.django_db

DELIVERY = "Account buyer@example.com topped up, receipt 8841"


@pytest.fixture
def waiting(buyer_email, settle, mailoutbox):
    order = settle(place(make_product(delivery_mode=DeliveryMode.MANUAL), email=buyer_email))
    mailoutbox.clear()
    return order


def test_the_merchant_delivers_by_hand_and_the_buyer_is_emailed(client, merchant, waiting, buyer_mail,
                                                                django_capture_on_commit_callbacks):
    client.force_login(merchant)
    url = reverse("admin:orders_order_deliver", args=[waiting.pk])
    assert client.get(url).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"content": f"  {DELIVERY}\n"}, follow=True)

    waiting.refresh_from_db()
    assert response.redirect_chain == [(reverse("admin:orders_order_change", args=[waiting.pk]), 302)]
    assert f"{waiting.number}: done." in response.content.decode()
    assert waiting.status == OrderStatus.DELIVERED
    assert delivered_items(waiting) == [DELIVERY]
    [message] = buyer_mail()
    assert DELIVERY in message.body
    assert AuditEntry.objects.filter(action="order.delivered", actor="user:merchant").count() == 1


def test_an_empty_delivery_is_refused(client, merchant, waiting, buyer_mail, django_capture_on_commit_callbacks):
    client.force_login(merchant)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:orders_order_deliver", args=[waiting.pk]), {"content": "   "})

    waiting.refresh_from_db()
    assert response.status_code == 200
    assert waiting.status == OrderStatus.PAID
    assert buyer_mail() == []


def test_staff_who_may_not_change_orders_cannot_deliver(client, clerk, waiting, buyer_mail):
    client.force_login(clerk)

    response = client.post(reverse("admin:orders_order_deliver", args=[waiting.pk]), {"content": DELIVERY})

    waiting.refresh_from_db()
    assert response.status_code == 403
    assert waiting.status == OrderStatus.PAID
    assert buyer_mail() == []


def test_a_delivered_order_is_not_delivered_twice(client, merchant, product, buyer_email, settle, buyer_mail):
    done = settle(place(product, email=buyer_email))
    client.force_login(merchant)

    response = client.post(reverse("admin:orders_order_deliver", args=[done.pk]), {"content": DELIVERY}, follow=True)

    done.refresh_from_db()
    assert "The order cannot change to that state." in response.content.decode()
    assert delivered_items(done) == [f"KEY-{product.pk}-00000"]
    assert len(buyer_mail()) == 1
