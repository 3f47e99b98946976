"""Files under var/ that hold keys or secrets are the owner's only: 0700 folders, 0600 files.

Only what Yongxu itself created is tightened: a folder or file another user owns (an operator's own
layout) is left as it is rather than refusing to start. The maintenance page and collected static
files are not private: the web server serves them."""

import os
from pathlib import Path

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600


def _tighten(path: Path, mode: int) -> None:
    status = path.stat()
    if status.st_mode & 0o777 != mode and status.st_uid == os.getuid():
        path.chmod(mode)


def private_dir(path: Path) -> Path:
    """Create ``path`` (and its parents) if missing; the folder itself ends up 0700."""
    path = Path(path)
    path.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
    _tighten(path, PRIVATE_DIR)
    return path


def private_file(path: Path) -> Path:
    """Create ``path`` empty if missing, never readable by others even for an instant; 0600 after."""
    path = Path(path)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
    except FileExistsError:
        pass
    _tighten(path, PRIVATE_FILE)
    return path


def open_private(path: Path, mode: str = "ab"):
    """``open(path, mode)`` for a file that may hold a secret: created 0600 (umask or not)."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if "a" in mode else os.O_TRUNC)
    descriptor = os.open(path, flags, PRIVATE_FILE)
    _tighten(Path(path), PRIVATE_FILE)
    return os.fdopen(descriptor, mode)
