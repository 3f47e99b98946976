"""Secrets of the embedded mode: generated once, kept under ``var/secrets/`` (0700), each file 0600."""

import os
import secrets
from collections.abc import Callable
from pathlib import Path

from yongxu.core.files import PRIVATE_FILE, private_dir, private_file


def embedded_secret(var_dir: Path, name: str, generate: Callable[[], str] | None = None) -> str:
    path = private_dir(var_dir / "secrets") / name
    if not path.exists():
        value = (generate or (lambda: secrets.token_urlsafe(48)))()
        # O_EXCL: two processes starting at once must agree on one value; 0600 from the first byte.
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
        except FileExistsError:
            pass
        else:
            with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                handle.write(value)
    private_file(path)
    return path.read_text(encoding="utf-8").strip()
