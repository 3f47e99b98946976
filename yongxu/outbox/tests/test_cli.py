"""`yongxu outbox`: what an operator types at 3 a.m. — how much waits, what needs a look, send it again."""

import pytest
from django.core.management import call_command

from yongxu.orders.tests.factories import pay, place
from yongxu.outbox import services as outbox
from yongxu.outbox.models import Effect

pytestmark = pytest.mark.django_db


def test_status_exits_3_with_a_maybe_sent_email_and_retry_sends_it(product, mail_server, mailoutbox, capsys):
    order = place(product, email="ann@example.com")
    outbox.drain()
    pay(order)
    mail_server.append("dropped")
    outbox.drain()
    effect = Effect.objects.get(status="maybe")

    with pytest.raises(SystemExit) as status:
        call_command("outbox", "status")
    call_command("outbox", "list")
    call_command("outbox", "retry", str(effect.pk))
    call_command("outbox", "run")

    out = capsys.readouterr().out
    assert status.value.code == 3
    assert "0 due (oldest 0 s), 1 maybe sent, 0 failed" in out
    assert f"{effect.pk}\tmaybe\torders.email\torder:{order.number}" in out
    effect.refresh_from_db()
    assert effect.status == "done"
    call_command("outbox", "status")  # exit 0 now


def test_retry_of_an_unknown_effect_exits_2():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError) as refused:
        call_command("outbox", "retry", "999")

    assert refused.value.returncode == 2
