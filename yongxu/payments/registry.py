"""Payment providers by name, from ``settings.YONGXU_PAYMENT_PROVIDERS`` (dotted class paths)."""

from django.conf import settings
from django.utils.module_loading import import_string

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


def available_providers(currency: str) -> list[PaymentProvider]:
    providers = [get_provider(name) for name, config in settings.YONGXU_PAYMENT_PROVIDERS.items()
                 if config.get("enabled", True)]
    return [provider for provider in providers if provider.supports(currency)]
