"""Payment providers by name, from ``settings.YONGXU_PAYMENT_PROVIDERS`` (dotted class paths)."""

from django.conf import settings
from django.utils.module_loading import import_string

from yongxu.core.capabilities import GATEWAY_PREFIX
from yongxu.core.errors import DomainError
from yongxu.payments.providers.base import PaymentProvider


class UnknownProvider(DomainError):
    code = "unknown_provider"
    status = 404
    message = "This payment method is not available."


def get_provider(name: str, *, enabled_only: bool = True) -> PaymentProvider:
    config = settings.YONGXU_PAYMENT_PROVIDERS.get(name)
    if config is None or (enabled_only and not config.get("enabled", True)):
        raise UnknownProvider()
    return import_string(config["class"])(name, config)


def gateway_open(name: str) -> bool:
    """Each gateway is a capability of its own, ``payment:<name>``: an operator (or a circuit breaker)
    closes one and the others keep selling. Callbacks for a closed gateway are still applied."""
    from yongxu.maintenance.snapshot import is_open

    return is_open(f"{GATEWAY_PREFIX}{name}")


def _enabled(currency: str) -> list[PaymentProvider]:
    providers = [get_provider(name) for name, config in settings.YONGXU_PAYMENT_PROVIDERS.items()
                 if config.get("enabled", True)]
    return [provider for provider in providers if provider.supports(currency)]


def available_providers(currency: str) -> list[PaymentProvider]:
    return [provider for provider in _enabled(currency) if gateway_open(provider.name)]


def closed_providers(currency: str) -> list[PaymentProvider]:
    """Enabled gateways that are closed right now, so checkout can say why they are missing."""
    return [provider for provider in _enabled(currency) if not gateway_open(provider.name)]
