"""The audit log: ``record()`` appends a hash-chained entry inside the caller's transaction."""

import hashlib
import json
from dataclasses import dataclass

from django.db import models, transaction

from yongxu.audit.models import AuditEntry, AuditHead
from yongxu.core import clock

GENESIS = "0" * 64


def actor_label(actor) -> str:
    """Who did it, as text: a user ('user:alice'), a system part ('system:reconcile') or a string."""
    if actor is None:
        return "system"
    if isinstance(actor, str):
        return actor
    if getattr(actor, "is_authenticated", False):
        return f"user:{actor.get_username()}"
    return str(actor)


def _canonical(data: dict) -> dict:
    return json.loads(json.dumps(data, default=str, sort_keys=True))


def _digest(prev_hash: str, at: str, action: str, actor: str, subject_type: str, subject_id: str,
            data: dict) -> str:
    payload = json.dumps([prev_hash, at, action, actor, subject_type, subject_id, data],
                         sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _entry_digest(entry: AuditEntry) -> str:
    return _digest(entry.prev_hash, entry.at.isoformat(), entry.action, entry.actor, entry.subject_type,
                   entry.subject_id, _canonical(entry.data))


@transaction.atomic
def record(action: str, *, actor, subject: models.Model | None = None, data: dict | None = None) -> AuditEntry:
    """Append an entry in the caller's transaction.

    Why late: the chain's head row stays locked until the caller commits, so services take their own
    row locks first and record afterwards; key rows are claimed with SKIP LOCKED and never wait."""
    head, _ = AuditHead.objects.get_or_create(pk=1, defaults={"last_hash": GENESIS})
    head = AuditHead.objects.select_for_update().get(pk=head.pk)
    at = clock.now()
    entry = AuditEntry(
        at=at, action=action, actor=actor_label(actor),
        subject_type=subject._meta.label_lower if subject is not None else "",
        subject_id=str(subject.pk) if subject is not None else "",
        data=_canonical(data or {}), prev_hash=head.last_hash,
    )
    entry.entry_hash = _entry_digest(entry)
    entry.save()
    AuditHead.objects.filter(pk=head.pk).update(last_hash=entry.entry_hash, count=models.F("count") + 1)
    return entry


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    first_bad_id: int | None = None
    problem: str = ""


def verify_chain() -> ChainReport:
    """Walk the log in order; report the first entry edited, deleted, inserted or reordered."""
    prev = GENESIS
    checked = 0
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=2000):
        if entry.prev_hash != prev:
            return ChainReport(False, checked, entry.pk, "does not follow the entry before it "
                                                         "(an entry was deleted, inserted or reordered)")
        if _entry_digest(entry) != entry.entry_hash:
            return ChainReport(False, checked, entry.pk, "its content was changed after it was written")
        prev = entry.entry_hash
        checked += 1
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and (head.last_hash != prev or head.count != checked):
        return ChainReport(False, checked, None, "the newest entries were deleted")
    return ChainReport(True, checked)
