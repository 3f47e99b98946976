"""The shop's settings, read through the cache (one row, rarely changed, read by every page)."""

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, transaction

from yongxu.shop.models import ShopSettings

CACHE_KEY = "shop:settings:v1"


def _defaults() -> ShopSettings:
    return ShopSettings(name=settings.YONGXU_SHOP_NAME, default_currency=settings.YONGXU_DEFAULT_CURRENCY,
                        order_timeout_minutes=settings.YONGXU_ORDER_TIMEOUT_MINUTES,
                        contacts="\n".join(settings.YONGXU_SUPPORT_CONTACTS))


def shop_settings() -> ShopSettings:
    cached = cache.get(CACHE_KEY)
    if cached is not None:
        return cached
    try:
        row = ShopSettings.objects.order_by("pk").first() or _defaults()
    except DatabaseError:  # e.g. before migrations, or the database is the thing under maintenance
        return _defaults()
    cache.set(CACHE_KEY, row, 300)
    return row


@transaction.atomic
def save_shop_settings(row: ShopSettings, *, actor) -> ShopSettings:
    """Save the shop's settings; the pre-rendered maintenance pages, which carry its name, brand and
    contacts, are rendered again on every node."""
    from yongxu.audit.services import record
    from yongxu.maintenance.services import republish_page

    row.save()
    cache.delete(CACHE_KEY)
    # Again after the commit: a page read meanwhile may have cached the old row.
    transaction.on_commit(lambda: cache.delete(CACHE_KEY), robust=True)
    record("shop.settings_changed", actor=actor, subject=row,
           data={"name": row.name, "currency": row.default_currency, "order_timeout": row.order_timeout_minutes})
    republish_page(actor=actor, what="shop settings")
    return row
