"""Key stock: import, count, reserve for an order, sell, release, export, reveal."""

import csv
import io
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q

from yongxu.audit.services import record
from yongxu.catalog.models import Product
from yongxu.core import clock
from yongxu.core.errors import DomainError
from yongxu.inventory import crypto
from yongxu.inventory.models import CardKey, KeyStatus

MAX_KEY_LENGTH = 500
HEADER_WORDS = {"card", "card number", "cardno", "key", "code", "password", "pass", "pin", "secret",
                "卡号", "卡密", "密码", "激活码"}
MAX_UPLOAD_READ = 64 * 1024 * 1024  # read past the limit, so an oversized file is told, not cut


class KeyImportError(DomainError):
    code = "key_import_invalid"


@dataclass
class ImportResult:
    added: int = 0
    duplicates: int = 0
    invalid: int = 0
    invalid_lines: list[int] = field(default_factory=list)
    fulfilled_orders: list[str] = field(default_factory=list)


def _normalise(line: str) -> str | None:
    """One key per line; a card number and a password may share it ("CARD PASS", "CARD,PASS",
    "CARD----PASS"). Inner runs of blanks fold to one space. None if the line is not a usable key."""
    text = " ".join(line.strip().split())
    if not text or len(text) > MAX_KEY_LENGTH or any(ord(ch) < 32 for ch in text):
        return None
    return text


def lines_from_upload(data: bytes, filename: str) -> list[str]:
    """A .txt file is one key per line; a .csv file gives card number and optional password columns."""
    if len(data) > settings.YONGXU_KEY_UPLOAD_MAX_BYTES:
        raise KeyImportError(f"The file is larger than {settings.YONGXU_KEY_UPLOAD_MAX_BYTES // 1024} KiB.",
                             code="upload_too_large")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise KeyImportError("The file is not UTF-8 text.", code="upload_not_text") from exc
    if "\x00" in text:
        raise KeyImportError("The file is not a text file.", code="upload_not_text")
    if filename.lower().endswith(".csv"):
        rows = [[cell.strip() for cell in row if cell.strip()] for row in csv.reader(io.StringIO(text))]
        if rows and rows[0] and all(cell.lower() in HEADER_WORDS for cell in rows[0]):
            rows = rows[1:]  # a header row such as "card,password" is not a key
        return [" ".join(row) for row in rows]
    return text.splitlines()


@transaction.atomic
def import_keys(product: Product, lines: list[str], *, actor) -> ImportResult:
    """Add keys to a product's stock; refuse duplicates (within the paste and against stock), count
    invalid lines, then deliver paid orders that were waiting for stock, oldest first."""
    if not product.uses_key_stock:
        raise KeyImportError("This product does not use key stock (manual delivery or a reusable key).",
                             code="product_has_no_stock")
    result = ImportResult()
    batch = uuid.uuid4().hex[:12]
    candidates: dict[str, str] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        text = _normalise(line)
        if text is None:
            result.invalid += 1
            result.invalid_lines.append(number)
            continue
        digest = crypto.fingerprint(text)
        if digest in candidates:
            result.duplicates += 1
            continue
        candidates[digest] = text
    existing = set(CardKey.objects.filter(product=product, fingerprint__in=list(candidates))
                   .values_list("fingerprint", flat=True))
    new_keys = [CardKey(product=product, secret_encrypted=crypto.encrypt(text), fingerprint=digest,
                        masked=crypto.mask(text), batch=batch)
                for digest, text in candidates.items() if digest not in existing]
    result.duplicates += len(candidates) - len(new_keys)
    try:
        with transaction.atomic():
            CardKey.objects.bulk_create(new_keys, batch_size=500)
    except IntegrityError as exc:  # another import of the same keys committed in between
        raise KeyImportError("Some of these keys were imported at the same moment by someone else; "
                             "nothing was added. Please import again.", code="concurrent_import") from exc
    result.added = len(new_keys)
    if result.added:
        Product.objects.filter(pk=product.pk).update(low_stock_alerted=False)
        from yongxu.ops.models import AlertKind
        from yongxu.ops.services import resolve_alerts

        resolve_alerts(AlertKind.LOW_STOCK, subject_ref=product.slug)  # restocked: the next low is news again
        from yongxu.orders.services import fulfil_waiting_orders  # orders builds on inventory

        result.fulfilled_orders = fulfil_waiting_orders(product, actor=actor)
    record("keys.imported", actor=actor, subject=product,
           data={"batch": batch, "added": result.added, "duplicates": result.duplicates,
                 "invalid": result.invalid, "fulfilled": result.fulfilled_orders})
    return result


def available_count(product: Product) -> int:
    return CardKey.objects.filter(product=product, status=KeyStatus.AVAILABLE).count()


def stock_counts(products) -> dict[int, int]:
    """Available keys per product id, in one query."""
    rows = (CardKey.objects.filter(product__in=products).values("product_id")
            .annotate(n=Count("id", filter=Q(status=KeyStatus.AVAILABLE))))
    return {row["product_id"]: row["n"] for row in rows}


def claim_keys(order, quantity: int, *, status: str) -> bool:
    """Give ``quantity`` available keys of the order's product to the order, or none at all.

    Rows are locked with SKIP LOCKED on PostgreSQL so concurrent buyers take different keys; the
    conditional UPDATE is the guard everywhere (SQLite serialises writers with IMMEDIATE)."""
    ids = list(CardKey.objects.select_for_update(skip_locked=True)
               .filter(product_id=order.product_id, status=KeyStatus.AVAILABLE)
               .order_by("id").values_list("id", flat=True)[:quantity])
    if len(ids) < quantity:
        return False
    changes = {"status": status, "order": order}
    if status == KeyStatus.SOLD:
        changes["sold_at"] = clock.now()
    claimed = CardKey.objects.filter(id__in=ids, status=KeyStatus.AVAILABLE).update(**changes)
    if claimed != quantity:
        raise RuntimeError("key claim raced; the transaction must roll back")
    return True


def release_keys(order) -> int:
    """Give an unpaid order's reserved keys back to stock."""
    return CardKey.objects.filter(order=order, status=KeyStatus.RESERVED).update(
        status=KeyStatus.AVAILABLE, order=None)


def sell_keys(order) -> bool:
    """Turn the order's reservation into a sale; if the reservation is gone (a late payment), claim
    fresh keys. All or nothing. Call inside the transaction that applies the payment."""
    reserved = CardKey.objects.filter(order=order, status=KeyStatus.RESERVED)
    if reserved.count() == order.quantity:
        return reserved.update(status=KeyStatus.SOLD, sold_at=clock.now()) == order.quantity
    release_keys(order)
    return claim_keys(order, order.quantity, status=KeyStatus.SOLD)


def keys_of(order) -> list[str]:
    return [crypto.decrypt(key.secret_encrypted)
            for key in CardKey.objects.filter(order=order, status=KeyStatus.SOLD).order_by("id")]


def reveal_key(key: CardKey, *, actor) -> str:
    record("key.revealed", actor=actor, subject=key, data={"product": key.product_id, "status": key.status})
    return crypto.decrypt(key.secret_encrypted)


@transaction.atomic
def export_unsold(product: Product, *, actor) -> str:
    keys = CardKey.objects.filter(product=product, status=KeyStatus.AVAILABLE).order_by("id")
    texts = [crypto.decrypt(key.secret_encrypted) for key in keys]
    record("keys.exported", actor=actor, subject=product, data={"count": len(texts)})
    return "\n".join(texts) + ("\n" if texts else "")


def low_stock_products() -> list[Product]:
    """Products with key stock under their threshold whose merchant was not yet told."""
    counts = stock_counts(Product.objects.all())
    return [product for product in Product.objects.filter(low_stock_alerted=False)
            if product.uses_key_stock and counts.get(product.pk, 0) < product.low_stock_threshold]
