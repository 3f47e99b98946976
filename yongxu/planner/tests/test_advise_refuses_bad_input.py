"""Bad requests get one clear answer and exit code 2; nothing is scheduled."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from yongxu.maintenance.models import Closure

pytestmark = pytest.mark.django_db


def advise(*args):
    call_command("maintenance", "advise", *args, stdout=StringIO())


@pytest.mark.parametrize(("args", "message"), [
    (["--duration", "2h", "--within", "1h"], "bad_advice_request: --within 1h is shorter than the window itself (2h)"),
    (["--duration", "2h", "--staff-hours", "09:00-10:00", "--staff-tz", "Asia/Shanghai"],
     "bad_advice_request: staff hours 09:00-10:00 Asia/Shanghai leave no 2h window within 336h"),
    (["--duration", "2h", "--staff-hours", "09:00-23:00", "--staff-tz", "Mars/Olympus"],
     "bad_advice_request: unknown time zone 'Mars/Olympus' (use an IANA name such as Asia/Shanghai)"),
    (["--duration", "two hours"], "bad_advice_request: not a duration: 'two hours' (use e.g. 90m, 2h, 14d)"),
    (["--duration", "2h", "--staff-hours", "9 to 5", "--staff-tz", "UTC"],
     "bad_advice_request: not staff hours: '9 to 5' (use e.g. 09:00-23:00)"),
])
def test_bad_input_is_refused_with_exit_code_2(args, message):
    with pytest.raises(CommandError) as refused:
        advise(*args)

    assert refused.value.returncode == 2
    assert str(refused.value) == message
    assert Closure.objects.count() == 0
