"""A key is stored encrypted: no database column holds its clear text."""

import pytest
from django.db import connection

from yongxu.conftest import make_product
from yongxu.inventory import crypto
from yongxu.inventory.models import CardKey
from yongxu.inventory.services import import_keys

pytestmark = pytest.mark.django_db

SECRET = "SECRET-KEY-12345"


def test_the_database_never_holds_the_clear_key():
    product = make_product()
    import_keys(product, [SECRET], actor="test")

    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM inventory_cardkey")
        rows = cursor.fetchall()

    assert len(rows) == 1
    assert all(SECRET not in str(value) for value in rows[0])
    key = CardKey.objects.get()
    assert crypto.decrypt(key.secret_encrypted) == SECRET


def test_the_mask_shows_only_the_ends():
    assert crypto.mask(SECRET) == "SEC" + "•" * 11 + "45"
    assert crypto.mask("ABCDEFGHIJKLMNOPQRSTUVWXYZ") == "ABC" + "•" * 12 + "YZ"
    assert crypto.mask("ABC123") == "••••••"


def test_the_same_key_encrypts_differently_each_time_but_has_one_fingerprint():
    assert crypto.encrypt(SECRET) != crypto.encrypt(SECRET)
    assert crypto.fingerprint(SECRET) == crypto.fingerprint(SECRET)
    assert crypto.fingerprint(SECRET) != crypto.fingerprint(SECRET.lower())
