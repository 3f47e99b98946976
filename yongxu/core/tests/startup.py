"""Start Yongxu's settings in a fresh process, with only the environment a test gives it (nothing of the
suite's own: no YONGXU_TESTING, no DATABASE_URL or REDIS_URL of this run)."""

import os
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet

IMPORT_SETTINGS = "import yongxu.settings"


REPOSITORY = Path(__file__).resolve().parents[3]


def environment(var_dir: Path, env: dict[str, str]) -> dict[str, str]:
    return {"PATH": os.environ["PATH"], "LANG": "C.UTF-8", "YONGXU_VAR_DIR": str(var_dir),
            "DJANGO_SETTINGS_MODULE": "yongxu.settings", **env}


def start(var_dir: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    """``python -c 'import yongxu.settings'`` by default; ``args`` to run something else."""
    return subprocess.run([sys.executable, *(args or ("-c", IMPORT_SETTINGS))], env=environment(var_dir, env),
                          capture_output=True, text=True, timeout=180, cwd=REPOSITORY, check=False)


def production_env(var_dir: Path, **overrides: str) -> dict[str, str]:
    """A production environment that is safe as it is: secrets, hosts, database, https site URL."""
    return {"YONGXU_PRODUCTION": "1", "SECRET_KEY": "s" * 20 + Fernet.generate_key().decode(),
            "YONGXU_KEY_ENCRYPTION_KEY": Fernet.generate_key().decode(), "ALLOWED_HOSTS": "shop.example",
            "DATABASE_URL": f"sqlite:///{var_dir / 'shop.sqlite3'}", "YONGXU_SITE_URL": "https://shop.example",
            **overrides}


def refusal(result: subprocess.CompletedProcess) -> str:
    """The ImproperlyConfigured message a refused start-up ends with."""
    assert result.returncode != 0, result.stdout
    last = result.stderr.strip().splitlines()
    start_at = next(i for i, line in enumerate(last) if line.startswith("django.core.exceptions.ImproperlyConfigured"))
    return "\n".join(last[start_at:]).removeprefix("django.core.exceptions.ImproperlyConfigured: ")
