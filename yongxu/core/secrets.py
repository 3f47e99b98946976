"""Secrets of the embedded mode: generated once, kept under ``var/secrets/``, mode 0600."""

import secrets
from collections.abc import Callable
from pathlib import Path


def embedded_secret(var_dir: Path, name: str, generate: Callable[[], str] | None = None) -> str:
    folder = var_dir / "secrets"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    if not path.exists():
        value = (generate or (lambda: secrets.token_urlsafe(48)))()
        # O_EXCL: two processes starting at once must agree on one value.
        try:
            with open(path, "x", encoding="utf-8") as handle:
                handle.write(value)
            path.chmod(0o600)
        except FileExistsError:
            pass
    return path.read_text(encoding="utf-8").strip()
