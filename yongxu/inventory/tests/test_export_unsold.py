"""Exporting unsold keys gives the available ones only, in clear, and is audit-logged."""

import pytest

from yongxu.audit.models import AuditEntry
from yongxu.conftest import make_product
from yongxu.inventory.services import export_unsold
from yongxu.orders.tests.factories import pay, place

pytestmark = pytest.mark.django_db


def test_only_available_keys_are_exported(product, merchant):
    place(product, quantity=2)              # reserved: KEY-…-00000, 00001
    pay(place(product, quantity=1))         # sold: KEY-…-00002

    text = export_unsold(product, actor=merchant)

    assert text == f"KEY-{product.pk}-00003\nKEY-{product.pk}-00004\n"
    entry = AuditEntry.objects.get(action="keys.exported")
    assert (entry.actor, entry.subject_id, entry.data) == ("user:merchant", str(product.pk), {"count": 2})


def test_an_empty_stock_exports_an_empty_file(merchant):
    assert export_unsold(make_product(), actor=merchant) == ""
    assert AuditEntry.objects.get(action="keys.exported").data == {"count": 0}
