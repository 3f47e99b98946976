"""Attachments: what a file really is, decided from its first bytes, and whether its name agrees."""

import os
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from yongxu.support.errors import AttachmentRefused

# kind -> (content type, extensions that may carry it)
KINDS: dict[str, tuple[str, frozenset[str]]] = {
    "png": ("image/png", frozenset({".png"})),
    "jpeg": ("image/jpeg", frozenset({".jpg", ".jpeg"})),
    "gif": ("image/gif", frozenset({".gif"})),
    "webp": ("image/webp", frozenset({".webp"})),
    "pdf": ("application/pdf", frozenset({".pdf"})),
    "txt": ("text/plain; charset=utf-8", frozenset({".txt"})),
}
ALLOWED_EXTENSIONS = sorted(ext for _type, exts in KINDS.values() for ext in exts)
IMAGE_KINDS = frozenset({"png", "jpeg", "gif", "webp"})
SNIFF_BYTES = 64 * 1024


@dataclass(frozen=True)
class CheckedFile:
    kind: str
    content_type: str
    name: str  # the uploaded name, cleaned, for display
    stored_name: str  # a random name, for the disk
    size: int


def max_bytes() -> int:
    return settings.YONGXU_SUPPORT_ATTACHMENT_MAX_BYTES


def sniff(head: bytes) -> str | None:
    """The kind of file these first bytes begin, or None for anything not allowed."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"%PDF-"):
        return "pdf"
    return "txt" if _looks_like_text(head) else None


def _looks_like_text(head: bytes) -> bool:
    if not head:
        return False
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut by the sniff window is still text.
        if exc.start < len(head) - 4:
            return False
        text = head[:exc.start].decode("utf-8")
    return not any(ord(ch) < 32 and ch not in "\t\n\r\f" for ch in text)


def check_upload(upload) -> CheckedFile:
    """Refuse (AttachmentRefused) a file that is empty, too large, of a type not allowed, or whose
    name says one type while its bytes say another."""
    original = os.path.basename(upload.name or "")
    extension = os.path.splitext(original)[1].lower()
    limit = max_bytes()
    if upload.size is None or upload.size > limit:
        raise AttachmentRefused(_("The file is too large: at most %(size)s MB.") % {"size": _megabytes(limit)})
    if upload.size == 0:
        raise AttachmentRefused(_("The file is empty."))
    if not any(extension in exts for _type, exts in KINDS.values()):
        raise AttachmentRefused(_("This type of file is not accepted. Allowed: %(types)s.")
                                % {"types": ", ".join(ALLOWED_EXTENSIONS)})
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    kind = sniff(head)
    if kind is None or extension not in KINDS[kind][1]:
        raise AttachmentRefused(_("The file's content does not match its name (%(ext)s).") % {"ext": extension})
    try:
        name = get_valid_filename(original)[-150:]
    except SuspiciousFileOperation:
        name = f"attachment{extension}"
    return CheckedFile(kind=kind, content_type=KINDS[kind][0], name=name,
                       stored_name=f"{uuid.uuid4().hex}{extension}", size=upload.size)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".removesuffix(".0")
