"""The bypass link the CLI prints is on the shop's configured address: YONGXU_SITE_URL, else the
address the running web process recorded under var/ when it started, so an operator's command in
another shell (no $PORT there) prints the port the shop really serves, not 8000."""

import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command

from yongxu.maintenance.models import Closure

pytestmark = pytest.mark.django_db
PRINT_SITE_URL = "import django; django.setup(); from django.conf import settings; print(settings.SITE_URL)"


def run(code: str, var_dir, **env) -> str:
    base = {key: value for key, value in os.environ.items() if key not in ("PORT", "YONGXU_SITE_URL")}
    done = subprocess.run([sys.executable, "-c", code], env={**base, "DJANGO_SETTINGS_MODULE": "yongxu.settings",
                                                              "YONGXU_VAR_DIR": str(var_dir), **env},
                          capture_output=True, text=True, timeout=120, check=True)
    return done.stdout.strip()


def test_a_command_beside_the_running_shop_uses_its_address(tmp_path):
    run("import yongxu.wsgi", tmp_path, PORT="18801")  # the shop starts: `PORT=18801 yongxu demo`

    assert (tmp_path / "site_url").read_text() == "http://127.0.0.1:18801\n"
    assert run(PRINT_SITE_URL, tmp_path) == "http://127.0.0.1:18801"  # the operator's shell: no PORT
    assert run(PRINT_SITE_URL, tmp_path, YONGXU_SITE_URL="https://shop.example.com/") == "https://shop.example.com"


def test_the_web_process_never_takes_an_older_runs_address(tmp_path):
    (tmp_path / "site_url").write_text("http://127.0.0.1:18801\n")

    run("import yongxu.wsgi", tmp_path)  # started again without PORT: it serves on 8000

    assert (tmp_path / "site_url").read_text() == "http://127.0.0.1:8000\n"


def test_the_printed_link_is_on_the_configured_address(settings):
    settings.SITE_URL = "http://127.0.0.1:18801"
    out = StringIO()

    call_command("maintenance", "on", "--level", "full", "--secret", "let-me-in", stdout=out)

    assert Closure.objects.get().secret_id == "let-me-in"
    assert "bypass link: http://127.0.0.1:18801/maintenance/bypass/let-me-in/" in out.getvalue()
