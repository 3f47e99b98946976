"""The admin lists keys masked; the clear text appears nowhere unless revealed on purpose."""

import pytest
from django.urls import reverse

from yongxu.inventory.models import CardKey
from yongxu.orders.tests.factories import pay, place

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("user", ["merchant", "clerk", "operator"])
def test_the_key_list_shows_masks_not_keys(client, product, user, request):
    client.force_login(request.getfixturevalue(user))

    page = client.get(reverse("admin:inventory_cardkey_changelist")).content.decode()

    assert f"KEY-{product.pk}-" not in page
    for key in CardKey.objects.filter(product=product):
        assert key.masked in page


def test_a_key_page_and_an_order_page_show_no_clear_key(client, product, merchant):
    order = pay(place(product, quantity=2))
    client.force_login(merchant)
    key = CardKey.objects.filter(order=order).first()

    key_page = client.get(reverse("admin:inventory_cardkey_change", args=[key.pk]))
    order_page = client.get(reverse("admin:orders_order_change", args=[order.pk]))

    assert key_page.status_code == order_page.status_code == 200
    assert f"KEY-{product.pk}-" not in key_page.content.decode()
    assert f"KEY-{product.pk}-" not in order_page.content.decode()
    assert key.masked in order_page.content.decode()


def test_the_reveal_page_asks_before_it_shows(client, product, merchant):
    client.force_login(merchant)
    key = CardKey.objects.filter(product=product).first()

    page = client.get(reverse("admin:inventory_cardkey_reveal", args=[key.pk])).content.decode()

    assert key.masked in page
    assert f"KEY-{product.pk}-" not in page
