"""Orders: place, expire, settle a payment into a delivery, deliver by hand, look up."""

import hashlib
import secrets
from datetime import timedelta
from functools import cache

from django.conf import settings
from django.contrib.auth.hashers import check_password, get_hasher, make_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models import Sum
from django.utils.crypto import salted_hmac

from yongxu.audit.services import record
from yongxu.catalog.models import DeliveryMode, Product
from yongxu.core import clock, ratelimit
from yongxu.core.capabilities import DELIVERY
from yongxu.core.money import quantize
from yongxu.coupons import services as coupons
from yongxu.inventory import crypto
from yongxu.inventory import services as inventory
from yongxu.inventory.models import KeyStatus
from yongxu.limits import pow
from yongxu.ops.models import AlertKind
from yongxu.ops.services import raise_alert
from yongxu.orders.errors import (
    IllegalTransition,
    InvalidEmail,
    InvalidQuantity,
    OutOfStock,
    ProductUnavailable,
    ProofOfWorkRequired,
    PurchaseLimitReached,
    TooManyOrders,
    UnpaidOrdersLimit,
    WrongQueryPassword,
)
from yongxu.orders.models import LIVE_STATUSES, PAID_STATUSES, TRANSITIONS, Order, OrderStatus
from yongxu.outbox import services as outbox
from yongxu.shop.services import shop_settings

_NUMBER_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def _new_number() -> str:
    return clock.now().strftime("YX%y%m%d") + "".join(secrets.choice(_NUMBER_ALPHABET) for _ in range(10))


def transition(order: Order, to: str) -> None:
    """Move an order to ``to`` if TRANSITIONS allows it, with a conditional UPDATE on the status it
    had; raise IllegalTransition otherwise (including when another transaction moved it first)."""
    if to not in TRANSITIONS[order.status]:
        raise IllegalTransition(code="illegal_transition", current=order.status, wanted=to)
    if Order.objects.filter(pk=order.pk, status=order.status).update(status=to) != 1:
        raise IllegalTransition(code="illegal_transition", current=order.status, wanted=to)
    order.status = to


def normalise_email(email: str) -> str:
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise InvalidEmail() from exc
    local, _, domain = email.rpartition("@")
    return f"{local}@{domain.lower()}"


def _check_limits(product: Product, quantity: int, email: str) -> None:
    if not isinstance(quantity, int) or isinstance(quantity, bool):
        raise InvalidQuantity()
    if not product.min_quantity <= quantity <= product.max_quantity:
        raise InvalidQuantity(f"Choose between {product.min_quantity} and {product.max_quantity}.",
                              minimum=product.min_quantity, maximum=product.max_quantity)
    if quantize(product.price * quantity) > settings.YONGXU_MAX_ORDER_AMOUNT:
        raise InvalidQuantity("That order is larger than this shop accepts in one payment.")
    if product.per_email_limit:
        bought = (Order.objects.filter(product=product, email__iexact=email, status__in=LIVE_STATUSES)
                  .aggregate(n=Sum("quantity"))["n"] or 0)
        if bought + quantity > product.per_email_limit:
            raise PurchaseLimitReached(remaining=max(product.per_email_limit - bought, 0))


def _check_order_rate(email: str, client_ip: str, proof: str) -> None:
    """Orders per e-mail and per client within YONGXU_ORDER_LIMIT_WINDOW_SECONDS. Past the e-mail's
    limit the order is refused (nobody floods an inbox with order mail); past the client's, each order
    needs a proof of work instead of a refusal (a network shared by many buyers keeps buying, a script
    pays in CPU for every extra order)."""
    window = settings.YONGXU_ORDER_LIMIT_WINDOW_SECONDS
    retry_after = max(1, window - int(clock.now().timestamp()) % window)
    address = hashlib.sha256(email.lower().encode("utf-8")).hexdigest()[:32]
    if ratelimit.count(f"order:email:{address}", window=window) > settings.YONGXU_ORDERS_PER_EMAIL:
        raise TooManyOrders(retry_after=retry_after)
    if ratelimit.count(f"order:client:{client_ip}", window=window) > settings.YONGXU_ORDERS_PER_CLIENT \
            and not pow.accept(proof, "order"):
        raise ProofOfWorkRequired(proof_of_work=pow.issue("order"), retry_after=retry_after)


def _check_unpaid(client_ip: str, now) -> None:
    """Refuse a client that already holds YONGXU_UNPAID_ORDERS_PER_CLIENT unpaid orders, so no script
    can hold a product's stock. Runs in place_order's transaction, first: on PostgreSQL under a lock
    per client (two simultaneous orders from one client cannot both count the same unpaid ones); on
    SQLite the write lock taken at BEGIN IMMEDIATE already serialises them."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)",
                           [int.from_bytes(hashlib.sha256(f"order-client:{client_ip}".encode()).digest()[:8], "big",
                                           signed=True)])
    unpaid = list(Order.objects.filter(client_ip=client_ip, status=OrderStatus.PENDING, expires_at__gt=now)
                  .order_by("expires_at").values_list("expires_at", flat=True))
    if len(unpaid) >= settings.YONGXU_UNPAID_ORDERS_PER_CLIENT:
        raise UnpaidOrdersLimit(unpaid=len(unpaid), retry_after=max(1, int((unpaid[0] - now).total_seconds())))


def place_order(product: Product, *, quantity: int, email: str, query_password: str = "", coupon_code: str = "",
                client_ip: str | None = None, proof: str = "", user=None, language: str = "en", actor=None) -> Order:
    """Create an order awaiting payment, reserve its keys and hold its coupon, or raise and leave
    nothing behind. The amount the payment must match is the subtotal less the coupon's discount.

    An order from a client (``client_ip`` given: the buy form, the API) is limited per e-mail and per
    client — past the client's limit it needs ``proof``, an answer to a proof-of-work challenge — and
    refused while the client holds too many unpaid orders."""
    if not product.visible or not product.category.visible:
        raise ProductUnavailable()
    email = normalise_email(email)
    _check_limits(product, quantity, email)
    if client_ip:
        _check_order_rate(email, client_ip, proof)
    if product.uses_key_stock and inventory.available_count(product) < quantity:
        expire_orders()  # keys held by orders past their deadline go back first
    now = clock.now()
    with transaction.atomic():
        if client_ip:
            _check_unpaid(client_ip, now)
        order = Order.objects.create(
            number=_new_number(), token=secrets.token_urlsafe(24), product=product, product_name=product.name,
            quantity=quantity, unit_price=product.price, subtotal=quantize(product.price * quantity),
            amount=quantize(product.price * quantity),
            currency=product.currency, email=email,
            query_password=make_password(query_password) if query_password else "",
            lookup_fingerprint=lookup_fingerprint(email, query_password) if query_password else "",
            created_at=now, expires_at=now + timedelta(minutes=shop_settings().order_timeout_minutes),
            client_ip=client_ip, user=user if getattr(user, "is_authenticated", False) else None,
            language=language[:10],
        )
        if product.uses_key_stock and not inventory.claim_keys(order, quantity, status=KeyStatus.RESERVED):
            raise OutOfStock(available=inventory.available_count(product))
        if coupon_code.strip():
            priced = coupons.redeem(coupon_code, order)
            order.discount, order.amount, order.coupon = priced.discount, priced.amount, priced.coupon
            order.save(update_fields=["discount", "amount", "coupon"])
        record("order.placed", actor=actor or f"buyer:{email}", subject=order,
               data={"product": product.pk, "quantity": quantity, "amount": order.amount,
                     "discount": order.discount, "coupon": order.coupon.code if order.coupon else "",
                     "currency": order.currency})
        _email(order, "placed")
    return order


def expire_orders(*, limit: int = 500) -> int:
    """Expire unpaid orders past their deadline and give their keys back. Safe to run anywhere, any
    time: each order is claimed with a conditional UPDATE, so a payment that won the race wins."""
    due = list(Order.objects.filter(status=OrderStatus.PENDING, expires_at__lte=clock.now())
               .order_by("expires_at").values_list("pk", flat=True)[:limit])
    expired = 0
    for pk in due:
        with transaction.atomic():
            if Order.objects.filter(pk=pk, status=OrderStatus.PENDING).update(status=OrderStatus.EXPIRED) != 1:
                continue
            order = Order.objects.get(pk=pk)
            released = inventory.release_keys(order)
            coupon_released = coupons.release(order)
            record("order.expired", actor="system:expiry", subject=order,
                   data={"released_keys": released, "coupon_released": coupon_released})
            expired += 1
    return expired


def settle_order(order: Order, *, payment, actor) -> Order:
    """Apply a successful payment to its order and deliver, in the caller's transaction.

    Called only by payments.services.apply_payment, which holds the payment's row lock. An order
    already paid by another payment is not delivered twice: the merchant is alerted to refund."""
    order = Order.objects.select_for_update().get(pk=order.pk)
    if order.status in PAID_STATUSES:
        raise_alert(AlertKind.DOUBLE_PAYMENT, f"Order {order.number} was paid again by {payment.reference}; "
                    "refund the second payment.", subject_ref=order.number)
        return order
    late = order.status != OrderStatus.PENDING
    transition(order, OrderStatus.PAID)
    if late:
        coupons.restore(order)
    order.paid_at = clock.now()
    order.paid_by = payment
    order.save(update_fields=["paid_at", "paid_by"])
    _deliver(order, actor=actor)  # row locks first, the audit record (which locks the chain) last
    record("order.paid", actor=actor, subject=order,
           data={"payment": payment.reference, "late": late, "amount": payment.amount, "status": order.status})
    return order


def _deliver(order: Order, *, actor) -> None:
    product = order.product
    if product.delivery_mode == DeliveryMode.MANUAL:
        raise_alert(AlertKind.MANUAL_DELIVERY, f"Order {order.number} ({order.product_name} × {order.quantity}) "
                    "is paid and waits for you to deliver it.", subject_ref=order.number)
        _email(order, "received")
        return
    from yongxu.maintenance.snapshot import is_open

    if not is_open(DELIVERY):
        # Delivery is closed for maintenance: the order stays paid and is delivered when it reopens.
        order.attention_reason = "queued: delivery paused for maintenance"
        order.save(update_fields=["attention_reason"])
        _email(order, "received")
        return
    if product.has_reusable_key:
        order.delivery_encrypted = product.reusable_key_encrypted
    elif not inventory.sell_keys(order):
        transition(order, OrderStatus.ATTENTION)
        order.attention_reason = "out of stock when the payment arrived"
        order.save(update_fields=["attention_reason"])
        raise_alert(AlertKind.NEEDS_STOCK, f"Order {order.number} is paid but {order.product_name} has too few "
                    "keys; import keys and it will be delivered.", subject_ref=order.number)
        _email(order, "received")
        return
    _mark_delivered(order, actor=actor)


def _mark_delivered(order: Order, *, actor) -> None:
    transition(order, OrderStatus.DELIVERED)
    order.delivered_at = clock.now()
    order.save(update_fields=["delivered_at", "delivery_encrypted"])
    record("order.delivered", actor=actor, subject=order, data={"quantity": order.quantity})
    _email(order, "delivered")
    _check_low_stock(order.product)


def _check_low_stock(product: Product) -> None:
    if not product.uses_key_stock or product.low_stock_alerted:
        return
    left = inventory.available_count(product)
    if left < product.low_stock_threshold:
        Product.objects.filter(pk=product.pk).update(low_stock_alerted=True)
        raise_alert(AlertKind.LOW_STOCK, f"{product.name}: {left} keys left (threshold "
                    f"{product.low_stock_threshold}).", subject_ref=product.slug)


def _email(order: Order, kind: str, *, again: str = "") -> None:
    """The buyer's e-mail about the order, as an outbox row of the caller's transaction: sent once the
    transaction commits, and never twice (one per order and kind; ``again`` makes a deliberate resend)."""
    outbox.add("orders.email", key=f"order:{order.pk}:{kind}{again}", payload={"order": order.pk, "kind": kind},
               subject=f"order:{order.number}")


def deliver_queued_orders(*, actor) -> list[str]:
    """Deliver auto-delivery orders that were paid while delivery was closed, oldest first."""
    from yongxu.maintenance.snapshot import is_open

    if not is_open(DELIVERY):
        return []
    delivered = []
    queued = (Order.objects.filter(status=OrderStatus.PAID, product__delivery_mode=DeliveryMode.AUTO)
              .order_by("paid_at", "pk").values_list("pk", flat=True)[:500])
    for pk in queued:
        with transaction.atomic():
            order = Order.objects.select_for_update(of=("self",)).select_related("product").get(pk=pk)
            if order.status != OrderStatus.PAID:
                continue
            order.attention_reason = ""
            order.save(update_fields=["attention_reason"])
            _deliver(order, actor=actor)
            if order.status == OrderStatus.DELIVERED:
                delivered.append(order.number)
    return delivered


def fulfil_waiting_orders(product: Product, *, actor) -> list[str]:
    """Deliver paid orders that waited for stock, oldest payment first, while keys last."""
    delivered = []
    waiting = Order.objects.filter(product=product, status=OrderStatus.ATTENTION).order_by("paid_at", "pk")
    for order in waiting.select_for_update():
        if not inventory.sell_keys(order):
            break
        order.attention_reason = ""
        order.save(update_fields=["attention_reason"])
        _mark_delivered(order, actor=actor)
        delivered.append(order.number)
    return delivered


@transaction.atomic
def deliver_manually(order: Order, *, content: str, actor) -> Order:
    """The merchant fulfils a manual product (or any paid order waiting) with the given text."""
    order = Order.objects.select_for_update().get(pk=order.pk)
    if not content.strip():
        raise IllegalTransition("Write what the buyer receives.", code="empty_delivery")
    order.delivery_encrypted = crypto.encrypt(content.strip())
    _mark_delivered(order, actor=actor)
    return order


@transaction.atomic
def resend_delivery_email(order: Order, *, actor) -> None:
    if order.status != OrderStatus.DELIVERED:
        raise IllegalTransition("Only delivered orders have keys to send.", code="not_delivered")
    entry = record("order.email_resent", actor=actor, subject=order, data={})
    _email(order, "delivered", again=f":resend:{entry.pk}")


def delivered_items(order: Order) -> list[str]:
    """What the buyer receives, in clear: card keys, a reusable key or the merchant's text."""
    if order.status != OrderStatus.DELIVERED:
        return []
    items = inventory.keys_of(order)
    if order.delivery_encrypted:
        items.append(crypto.decrypt(order.delivery_encrypted))
    return items


def check_query_password(order: Order, password: str) -> None:
    if order.has_query_password and not check_password(password or "", order.query_password):
        raise WrongQueryPassword()


def lookup_fingerprint(email: str, password: str, *, secret: str | None = None) -> str:
    """A keyed hash of (the whole address lower-cased, the query password), stored on the order so a
    lookup by e-mail + password finds it through an index. Keyed with SECRET_KEY (or ``secret``)."""
    return salted_hmac("yongxu.orders.lookup", f"{email.strip().lower()}\0{password}", secret=secret,
                       algorithm="sha256").hexdigest()


def _fingerprints(email: str, password: str) -> list[str]:
    """Under the current key and every SECRET_KEY_FALLBACKS key, so rotating the key loses no order."""
    return [lookup_fingerprint(email, password, secret=key) for key in [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]]


@cache
def _dummy_hash(algorithm: str) -> str:
    """A hash of nothing anyone knows, made by the current hasher, so checking it costs what a real one does."""
    return make_password(secrets.token_urlsafe(16), hasher=algorithm)


def find_orders(*, email: str, number: str = "", query_password: str = "") -> list[Order]:
    """Order lookup: by number + e-mail, or by e-mail + query password. Returns [] for any wrong
    part, so a guess learns nothing about which part was wrong.

    By e-mail + password every address costs the same: the fingerprint finds the matching orders and
    exactly one password hash is checked — the newest match's, or a dummy's when nothing matches —
    whether the address has no order or a thousand. Orders placed before fingerprints existed have
    none: the newest of them stands in for a match, and once the password is proven the address's
    other such orders are checked and given their fingerprint (work only the owner can cause, once)."""
    try:
        email = normalise_email(email)
    except InvalidEmail:
        return []
    if number:
        return list(Order.objects.filter(number=number.strip().upper(), email__iexact=email))
    if not query_password:
        return []
    mine = Order.objects.filter(email__iexact=email)
    matches = list(mine.filter(lookup_fingerprint__in=_fingerprints(email, query_password))
                   .order_by("-created_at")[:50])
    legacy = mine.filter(lookup_fingerprint="").exclude(query_password="").order_by("-created_at")
    probe = matches[0] if matches else legacy.first()
    if not check_password(query_password, probe.query_password if probe else _dummy_hash(get_hasher().algorithm)):
        return []
    fingerprint = lookup_fingerprint(email, query_password)
    for order in legacy[:50]:
        if order == probe or check_password(query_password, order.query_password):
            Order.objects.filter(pk=order.pk, lookup_fingerprint="").update(lookup_fingerprint=fingerprint)
            matches.append(order)
    return sorted(matches, key=lambda order: order.created_at, reverse=True)
