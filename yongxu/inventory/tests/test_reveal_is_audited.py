"""Revealing one key in clear is written to the audit log with who did it."""

import pytest

from yongxu.audit.models import AuditEntry
from yongxu.inventory.models import CardKey
from yongxu.inventory.services import reveal_key

pytestmark = pytest.mark.django_db


def test_a_reveal_returns_the_key_and_is_audited(product, merchant):
    key = CardKey.objects.filter(product=product).first()

    clear = reveal_key(key, actor=merchant)

    assert clear == f"KEY-{product.pk}-00000"
    entry = AuditEntry.objects.get(action="key.revealed")
    assert (entry.actor, entry.subject_type, entry.subject_id) == ("user:merchant", "inventory.cardkey", str(key.pk))
    assert entry.data == {"product": product.pk, "status": "available"}
