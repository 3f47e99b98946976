"""Coupons: quote a discount, redeem it atomically inside the order's transaction, release it when
the order expires unpaid, and issue batches of single-use coupons (compensation)."""

import secrets
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from yongxu.audit.services import record
from yongxu.core import clock
from yongxu.core.errors import DomainError
from yongxu.core.money import CENT, quantize
from yongxu.coupons.models import Coupon, CouponKind, Redemption


class CouponRefused(DomainError):
    code = "coupon_invalid"
    status = 409
    message = _("This coupon cannot be used.")


@dataclass(frozen=True)
class Quote:
    subtotal: Decimal
    discount: Decimal
    amount: Decimal
    coupon: Coupon | None = None


def normalise_code(code: str) -> str:
    return "".join((code or "").split()).upper()


def discount_for(coupon: Coupon, subtotal: Decimal) -> Decimal:
    if coupon.kind == CouponKind.PERCENT:
        discount = quantize(subtotal * coupon.value / 100)
    else:
        discount = coupon.value
    # A payment of nothing cannot go through a gateway: the buyer pays at least one cent.
    return max(min(discount, subtotal - CENT), Decimal("0.00"))


def _check(coupon: Coupon | None, product, subtotal: Decimal, email: str, now: datetime) -> Coupon:
    if coupon is None or not coupon.active:
        raise CouponRefused(_("We do not know this coupon code."), code="coupon_unknown")
    if (coupon.valid_from and now < coupon.valid_from) or (coupon.valid_until and now >= coupon.valid_until):
        raise CouponRefused(_("This coupon is not valid now."), code="coupon_expired")
    if coupon.for_email and coupon.for_email.lower() != (email or "").lower():
        raise CouponRefused(_("This coupon belongs to another e-mail address."), code="coupon_not_yours")
    if coupon.currency and coupon.kind == CouponKind.FIXED and coupon.currency != product.currency:
        raise CouponRefused(_("This coupon does not apply to this product."), code="coupon_not_applicable")
    products = set(coupon.products.values_list("pk", flat=True))
    categories = set(coupon.categories.values_list("pk", flat=True))
    if (products or categories) and product.pk not in products and product.category_id not in categories:
        raise CouponRefused(_("This coupon does not apply to this product."), code="coupon_not_applicable")
    if subtotal < coupon.min_amount:
        raise CouponRefused(_("This coupon needs an order of at least %(amount)s.") % {"amount": coupon.min_amount},
                            code="coupon_minimum")
    if coupon.total_uses is not None and coupon.used_count >= coupon.total_uses:
        raise CouponRefused(_("This coupon has been used up."), code="coupon_used_up")
    if coupon.uses_per_email is not None and email:
        used = Redemption.objects.filter(coupon=coupon, email__iexact=email, released_at__isnull=True).count()
        if used >= coupon.uses_per_email:
            raise CouponRefused(_("You have already used this coupon."), code="coupon_used_by_you")
    return coupon


def quote(product, quantity: int, code: str = "", *, email: str = "") -> Quote:
    """The price breakdown a buyer is shown (no side effects)."""
    subtotal = quantize(product.price * quantity)
    if not normalise_code(code):
        return Quote(subtotal, Decimal("0.00"), subtotal)
    coupon = _check(Coupon.objects.filter(code=normalise_code(code)).first(), product, subtotal, email, clock.now())
    discount = discount_for(coupon, subtotal)
    return Quote(subtotal, discount, subtotal - discount, coupon)


def redeem(code: str, order) -> Quote:
    """Hold the coupon for ``order``, inside the caller's transaction. The coupon row is locked, so
    two buyers racing for its last use cannot both get it; the conditional UPDATE is the guard."""
    coupon = Coupon.objects.select_for_update().filter(code=normalise_code(code)).first()
    subtotal = order.subtotal
    _check(coupon, order.product, subtotal, order.email, clock.now())
    claimed = Coupon.objects.filter(pk=coupon.pk).filter(
        Q(total_uses__isnull=True) | Q(used_count__lt=F("total_uses"))).update(used_count=F("used_count") + 1)
    if claimed != 1:
        raise CouponRefused(_("This coupon has been used up."), code="coupon_used_up")
    discount = discount_for(coupon, subtotal)
    Redemption.objects.create(coupon=coupon, order=order, email=order.email, discount=discount)
    return Quote(subtotal, discount, subtotal - discount, coupon)


def release(order) -> bool:
    """Give the coupon's use back when its order expired unpaid. Idempotent."""
    now = clock.now()
    redemption = Redemption.objects.filter(order=order, released_at__isnull=True).first()
    if redemption is None:
        return False
    if Redemption.objects.filter(pk=redemption.pk, released_at__isnull=True).update(released_at=now) != 1:
        return False
    Coupon.objects.filter(pk=redemption.coupon_id, used_count__gt=0).update(used_count=F("used_count") - 1)
    return True


def restore(order) -> None:
    """A late payment revived an expired order: its coupon use counts again (even past the limit —
    the buyer paid the discounted amount, and money is never refused)."""
    redemption = Redemption.objects.filter(order=order, released_at__isnull=False).first()
    if redemption and Redemption.objects.filter(pk=redemption.pk).exclude(released_at=None).update(released_at=None):
        Coupon.objects.filter(pk=redemption.coupon_id).update(used_count=F("used_count") + 1)


@transaction.atomic
def issue_coupons(emails: list[str], *, kind: str, value: Decimal, valid_until: datetime, actor, batch: str = "",
                  currency: str = "", min_amount: Decimal = Decimal("0")) -> list[Coupon]:
    """One single-use coupon per e-mail (deduplicated), each usable only by that e-mail, until
    ``valid_until``. Used to compensate buyers after a maintenance."""
    if kind not in CouponKind.values:
        raise CouponRefused(_("Unknown coupon kind."), code="coupon_kind")
    if valid_until <= clock.now():
        raise CouponRefused(_("The expiry must be in the future."), code="coupon_expiry")
    batch = batch or f"batch-{clock.now():%Y%m%d%H%M%S}"
    unique = sorted({email.strip().lower() for email in emails if email and email.strip()})
    coupons = [Coupon(code=f"YX{secrets.token_hex(5).upper()}", kind=kind, value=value, currency=currency,
                      min_amount=min_amount, valid_until=valid_until, total_uses=1, uses_per_email=1, for_email=email,
                      batch=batch) for email in unique]
    Coupon.objects.bulk_create(coupons)
    record("coupons.issued", actor=actor, data={"batch": batch, "count": len(coupons), "kind": kind, "value": value,
                                                "valid_until": valid_until})
    return coupons
