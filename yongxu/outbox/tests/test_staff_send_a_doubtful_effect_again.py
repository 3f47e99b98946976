"""Staff see a "maybe sent" or failed e-mail and, having checked it did not arrive, send it again: the same
effect goes out once more (same Message-ID, so mail clients can tell), audit-logged with who did it."""

import pytest

from yongxu.audit.models import AuditEntry
from yongxu.orders.tests.factories import pay, place
from yongxu.outbox import services as outbox
from yongxu.outbox.models import Effect

pytestmark = pytest.mark.django_db


def paid(product):
    """A paid order whose "your keys" e-mail waits in the outbox (its "order placed" e-mail already sent)."""
    order = place(product, email="ann@example.com")
    outbox.drain()
    return pay(order)


def test_send_again_from_the_admin(client, operator, product, mail_server, mailoutbox):
    order = paid(product)
    effect = Effect.objects.get(key=f"order:{order.pk}:delivered")
    mail_server.append("dropped")
    outbox.drain()
    effect.refresh_from_db()
    assert effect.status == "maybe"

    client.force_login(operator)
    response = client.post("/admin/outbox/effect/", {"action": "send_again", "_selected_action": [effect.pk]})
    outbox.drain()

    assert response.status_code == 302
    effect.refresh_from_db()
    assert effect.status == "done"
    [sent] = [m for m in mailoutbox if m.to == ["ann@example.com"] and m.subject.endswith("your keys")]
    assert sent.extra_headers["Message-ID"].endswith("@127.0.0.1>") or "@" in sent.extra_headers["Message-ID"]
    entry = AuditEntry.objects.get(action="outbox.retried")
    assert (entry.actor, entry.data["was"]) == ("user:operator", "maybe")


def test_a_done_effect_cannot_be_sent_again(operator, product, mail_server, mailoutbox):
    from yongxu.core.errors import DomainError

    order = paid(product)
    outbox.drain()
    effect = Effect.objects.get(key=f"order:{order.pk}:delivered")

    with pytest.raises(DomainError):
        outbox.retry_effect(effect, actor=operator)

    assert AuditEntry.objects.filter(action="outbox.retried").count() == 0
