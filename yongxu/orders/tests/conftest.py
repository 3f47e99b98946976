import pytest
from django.contrib.auth.hashers import MD5PasswordHasher

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


class CountingHasher(MD5PasswordHasher):
    """The suite's fast hasher, counting how often a password is checked against a hash."""

    algorithm = "counting_md5"
    checks = 0

    def verify(self, password, encoded):
        CountingHasher.checks += 1
        return super().verify(password, encoded)


@pytest.fixture
def counting_hasher(settings):
    """Passwords hashed and checked by CountingHasher; ``.checks`` says how many checks so far."""
    settings.PASSWORD_HASHERS = ["yongxu.orders.tests.conftest.CountingHasher"]
    CountingHasher.checks = 0
    return CountingHasher
