"""Without Redis, a limit is counted in the database, so it holds across processes: three real Python
processes making 45 wrong attempts together against a limit of 10 get exactly 10 through (with
per-process memory each would have let 10 through — 30 in all)."""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from django.conf import settings

from yongxu.conftest import on_postgres
from yongxu.limits.models import Counter

ATTEMPTS = """
import os, sys
import django
django.setup()
from django.db import connection
from yongxu.core.errors import RateLimited
from yongxu.core.ratelimit import hit
from yongxu.limits.models import Counter
if sys.argv[1] == "create":
    with connection.schema_editor() as editor:
        editor.create_model(Counter)
    sys.exit(0)
allowed = 0
for _ in range(int(sys.argv[1])):
    try:
        hit("lookup:203.0.113.7", limit=10, window=10**9)
        allowed += 1
    except RateLimited:
        pass
print(allowed)
"""


def _database_url(tmp: Path) -> str:
    db = settings.DATABASES["default"]
    if on_postgres():  # the test database itself (transactional_db: every row is committed)
        return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return f"sqlite:///{tmp / 'shared.sqlite3'}"


def _run(url: str, *args: str) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "yongxu.settings"}
    env.pop("REDIS_URL", None)
    return subprocess.Popen([sys.executable, "-c", ATTEMPTS, *args], env=env, stdout=subprocess.PIPE, text=True)


@pytest.mark.django_db(transaction=True)
def test_three_processes_share_one_counter():
    tmp = Path(tempfile.mkdtemp(prefix="yongxu-limits-"))
    url = _database_url(tmp)
    if not on_postgres():
        creator = _run(url, "create")
        creator.communicate(timeout=60)
        assert creator.returncode == 0

    workers = [_run(url, "15") for _ in range(3)]
    allowed = [int(worker.communicate(timeout=120)[0]) for worker in workers]

    assert sum(allowed) == 10
    assert all(worker.returncode == 0 for worker in workers)
    if on_postgres():
        assert Counter.objects.get().count == 45
