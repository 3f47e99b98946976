"""An operator ends a lock with `yongxu signin unlock USERNAME` (when the unlock e-mail cannot reach
the staff member), audit-logged; an unknown name exits 2."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from yongxu.accounts.models import SignInLock
from yongxu.accounts.services import account_key
from yongxu.audit.models import AuditEntry
from yongxu.core import clock

pytestmark = pytest.mark.django_db


def test_unlock_ends_the_lock(merchant):
    SignInLock.objects.create(account=account_key("merchant"), created_at=clock.now())
    out = StringIO()

    call_command("signin", "unlock", "Merchant", stdout=out)

    assert out.getvalue() == "merchant unlocked\n"
    assert SignInLock.objects.count() == 0
    assert AuditEntry.objects.filter(action="account.signin_unlocked", actor="cli").count() == 1


def test_an_unknown_name_exits_2(db):
    with pytest.raises(CommandError) as refusal:
        call_command("signin", "unlock", "nobody")

    assert refusal.value.returncode == 2
    assert AuditEntry.objects.count() == 0
