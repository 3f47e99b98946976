"""The shop's public address when YONGXU_SITE_URL is not set. The web process records the address it
serves under var/ when it starts, so a command run beside it in another shell (``yongxu maintenance
on --secret`` printing the bypass link) uses that address, not a guess from its own $PORT."""

import logging
import os
from pathlib import Path

log = logging.getLogger(__name__)
FILE_NAME = "site_url"


def recorded(var_dir: Path) -> str:
    """The address the running shop recorded, or "" (none recorded, or not a plain http(s) URL)."""
    try:
        value = (Path(var_dir) / FILE_NAME).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return ""
    plain = value.startswith(("http://", "https://")) and value.isprintable() and " " not in value and len(value) < 300
    return value.rstrip("/") if plain else ""


def record(var_dir: Path, url: str) -> None:
    """Write the address this process serves (atomically; a failure only costs the hint)."""
    path = Path(var_dir) / FILE_NAME
    temporary = path.with_name(f".{FILE_NAME}.{os.getpid()}.tmp")
    try:
        temporary.write_text(url + "\n", encoding="utf-8")
        os.replace(temporary, path)
    except OSError as exc:
        log.warning("could not record the shop's address in %s: %s", path, exc)
