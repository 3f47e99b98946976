"""The demo's gunicorn (the same command line `yongxu demo` runs) writes its access log with order,
bypass and API links, the query password, the Referer and the cookies redacted; Django's own
"Not Found" line beside it too."""

import socket
import subprocess
import time
import urllib.error
import urllib.request

from yongxu.core.tests.startup import REPOSITORY, environment, start
from yongxu.ops.management.commands.demo import gunicorn_command

SECRET = "Secr3t-Value_0123456789abc"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str, **headers: str) -> int:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=20) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_the_access_log_names_no_secret(tmp_path):
    assert start(tmp_path, {}, "-m", "yongxu.cli", "migrate", "-v0").returncode == 0
    port = str(_free_port())
    server = subprocess.Popen(gunicorn_command(port, "1"), env=environment(tmp_path, {"PORT": port}), cwd=REPOSITORY,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if _get(f"{base}/healthz") == 200:
                    break
            except OSError:
                time.sleep(0.1)

        statuses = [_get(f"{base}/o/{SECRET}/", Referer=f"{base}/o/{SECRET}/", Cookie=f"sessionid={SECRET}"),
                    _get(f"{base}/maintenance/bypass/{SECRET}/"),
                    _get(f"{base}/api/v1/orders/{SECRET}?query_password=open+sesame")]
    finally:
        server.terminate()
        out, err = server.communicate(timeout=30)

    assert statuses == [404, 404, 400]
    assert SECRET not in out + err
    assert "sesame" not in out + err
    access = [line for line in out.splitlines() if '"GET /o/' in line]
    assert len(access) == 1
    assert '"GET /o/[redacted]/ HTTP/1.1" 404 ' in access[0]
    assert f'"{base}/o/[redacted]/"' in access[0]  # the Referer
    assert '"GET /api/v1/orders/[redacted]?query_password=[redacted] HTTP/1.1" 400 ' in out
    assert "Not Found: /o/[redacted]/" in err
