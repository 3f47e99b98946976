"""A small reader for the project's gettext catalogue, so tests need no new dependency."""

import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

FIELD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) "(.*)"$')
ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgstrs: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    references: list[str] = field(default_factory=list)
    msgctxt: str | None = None


def catalogue(language: str = "zh_Hans") -> Path:
    return Path(settings.LOCALE_PATHS[0]) / language / "LC_MESSAGES" / "django.po"


def _unquote(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: ESCAPES[m.group(1)], text)


def read_po(path: Path) -> list[Entry]:
    """The catalogue's entries, header (msgid "") and obsolete (#~) entries left out."""
    entries, fields, comments = [], {}, []

    def close():
        if "msgid" in fields and fields["msgid"]:
            strs = [value for key, value in sorted(fields.items()) if key.startswith("msgstr")]
            flags = {flag.strip() for line in comments if line.startswith("#,") for flag in line[2:].split(",")}
            refs = [ref for line in comments if line.startswith("#:") for ref in line[2:].split()]
            entries.append(Entry(fields["msgid"], fields.get("msgid_plural"), strs, flags, refs, fields.get("msgctxt")))

    current = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            close()
            fields, comments, current = {}, [], None
        elif line.startswith("#"):
            comments.append(line)
        elif match := FIELD.match(line):
            current = match.group(1)
            fields[current] = _unquote(match.group(2))
        elif line.startswith('"') and current:
            fields[current] += _unquote(line[1:-1])
    close()
    return entries
