"""Payment providers by name, from ``settings.YONGXU_PAYMENT_PROVIDERS`` (dotted class paths), each with
the merchant's GatewaySettings row (switch, name, order, limits, fee, encrypted credentials) merged over
its settings dict."""

import logging
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from yongxu.core.capabilities import GATEWAY_PREFIX
from yongxu.core.errors import DomainError
from yongxu.payments.models import GatewaySettings
from yongxu.payments.providers.base import PaymentProvider

log = logging.getLogger(__name__)
#: settings no GatewaySettings row may override: the code that runs comes from settings only
PROTECTED_KEYS = frozenset({"class", "enabled"})


class UnknownProvider(DomainError):
    code = "unknown_provider"
    status = 404
    message = "This payment method is not available."


class Reason:
    CLOSED = "closed"  # its capability payment:<name> is closed (maintenance, circuit breaker)
    DISABLED = "disabled"  # the merchant switched it off in GatewaySettings
    AMOUNT = "amount"  # the total is outside its minimum/maximum


@dataclass(frozen=True)
class Unavailable:
    """A gateway missing from checkout, and why, so checkout can say so."""

    provider: PaymentProvider
    reason: str


def merged_config(name: str, base: dict, row: GatewaySettings | None) -> dict:
    """The settings dict with the merchant's row over it. A row's switch can turn a gateway off, and on
    only if it is configured (in settings, or by the credentials stored in the row). ``switched_off``:
    configured, but off by the merchant's choice (checkout says so)."""
    if row is None:
        return {**base, "switched_off": False}
    try:
        credentials = row.get_credentials()
    except (ImproperlyConfigured, ValueError):
        log.error("the stored credentials of gateway %s cannot be decrypted; it is off", name)
        credentials, usable = {}, False
    else:
        usable = bool(base.get("enabled", True) or credentials)
    config = {**base, **{key: value for key, value in credentials.items() if key not in PROTECTED_KEYS},
              "enabled": row.enabled and usable, "switched_off": usable and not row.enabled,
              "sort_order": row.sort_order, "min_amount": row.min_amount, "max_amount": row.max_amount,
              "fee_fixed": row.fee_fixed, "fee_percent": row.fee_percent}
    if row.display_name:
        config["label"] = row.display_name
    return config


def _build(name: str, config: dict) -> PaymentProvider:
    return import_string(config["class"])(name, config)


def get_provider(name: str, *, enabled_only: bool = True) -> PaymentProvider:
    """The provider ``name`` with its merchant settings. ``enabled_only=False`` for callbacks, queries and
    refunds: money already asked for through a gateway since switched off is still applied."""
    base = settings.YONGXU_PAYMENT_PROVIDERS.get(name)
    if base is None:
        raise UnknownProvider()
    config = merged_config(name, base, GatewaySettings.objects.filter(name=name).first())
    if enabled_only and not config.get("enabled", True):
        raise UnknownProvider()
    return _build(name, config)


def gateway_open(name: str) -> bool:
    """Each gateway is a capability of its own, ``payment:<name>``: an operator (or a circuit breaker)
    closes one and the others keep selling. Callbacks for a closed gateway are still applied."""
    from yongxu.maintenance.snapshot import is_open

    return is_open(f"{GATEWAY_PREFIX}{name}")


def _checkout(currency: str, amount: Decimal | None) -> tuple[list[PaymentProvider], list[Unavailable]]:
    rows = {row.name: row for row in GatewaySettings.objects.all()}
    offered, missing = [], []
    for index, (name, base) in enumerate(settings.YONGXU_PAYMENT_PROVIDERS.items()):
        config = merged_config(name, base, rows.get(name))
        if not config.get("enabled", True) and not config["switched_off"]:
            continue  # not configured: nothing to explain to a buyer
        provider = _build(name, config)
        if not provider.supports(currency):
            continue
        if config["switched_off"]:
            missing.append(Unavailable(provider, Reason.DISABLED))
        elif not gateway_open(name):
            missing.append(Unavailable(provider, Reason.CLOSED))
        elif amount is not None and not provider.terms.takes(amount):
            missing.append(Unavailable(provider, Reason.AMOUNT))
        else:
            offered.append((provider.terms.sort_order, index, provider))
    return [provider for *_, provider in sorted(offered, key=lambda entry: entry[:2])], missing


def available_providers(currency: str, amount: Decimal | None = None) -> list[PaymentProvider]:
    """The gateways checkout offers for ``currency`` (and, when given, an order of ``amount``), in the
    merchant's order."""
    return _checkout(currency, amount)[0]


def unavailable_providers(currency: str, amount: Decimal | None = None) -> list[Unavailable]:
    """Configured gateways missing from checkout right now, each with its reason."""
    return _checkout(currency, amount)[1]


def closed_providers(currency: str) -> list[PaymentProvider]:
    """Configured gateways whose capability is closed right now."""
    return [entry.provider for entry in unavailable_providers(currency) if entry.reason == Reason.CLOSED]
