"""A buyer who ordered in Chinese gets the delivery e-mail in Chinese: subject, text and HTML."""

import pytest

from yongxu.orders.services import delivered_items
from yongxu.orders.tests.factories import pay, place

pytestmark = pytest.mark.django_db


def delivered_to(order, mailoutbox):
    return [message for message in mailoutbox if message.to == [order.email] and order.number in message.subject
            and "卡密" in message.subject]


def test_the_keys_arrive_in_chinese(product, mailoutbox, django_capture_on_commit_callbacks):
    order = place(product, email="buyer@example.com", quantity=2, language="zh-hans")

    with django_capture_on_commit_callbacks(execute=True):
        pay(order)

    [message] = delivered_to(order, mailoutbox)
    [(html, _)] = message.alternatives
    assert message.subject == f"您的订单 {order.number}：卡密已发货"
    assert f"感谢您的购买，订单号 {order.number}。" in message.body
    assert "您的卡密：" in message.body
    assert f"感谢您的购买，订单号 <strong>{order.number}</strong>。" in html
    assert '<html lang="zh-hans">' in html
    for key in delivered_items(order):
        assert key in message.body
        assert key in html
    assert "Thank you" not in message.body + html
    assert "Your keys" not in message.body + html


def test_the_same_order_in_english_stays_english(product, mailoutbox, django_capture_on_commit_callbacks):
    order = place(product, email="buyer@example.com", language="en")

    with django_capture_on_commit_callbacks(execute=True):
        pay(order)

    [message] = [m for m in mailoutbox if m.subject == f"Your order {order.number}: your keys"]
    assert f"Thank you for your order {order.number}." in message.body
    assert "卡密" not in message.body
