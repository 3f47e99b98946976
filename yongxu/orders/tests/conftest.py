import pytest

from yongxu.orders.tests.factories import pay


@pytest.fixture
def settle(django_capture_on_commit_callbacks):
    """Pay an order and run what its commit sets off (the buyer's e-mail, the merchant's alerts)."""

    def settle(order):
        with django_capture_on_commit_callbacks(execute=True):
            pay(order)
        order.refresh_from_db()
        return order

    return settle


@pytest.fixture
def buyer_mail(mailoutbox, buyer_email):
    """The messages about the order sent so far to the buyer after the "order placed" one (merchant alerts
    go to the merchant's own address)."""
    return lambda: [message for message in mailoutbox if message.to == [buyer_email]
                    and message.extra_headers.get("X-Yongxu-Template") != "orders/email/placed"]
