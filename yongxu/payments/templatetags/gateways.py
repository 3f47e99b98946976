from decimal import Decimal

from django import template

from yongxu.payments.registry import Reason, available_providers, unavailable_providers

register = template.Library()


@register.inclusion_tag("payments/_closed_gateways.html")
def closed_gateways(currency: str, amount: Decimal | None = None) -> dict:
    """One line per configured gateway missing from the choices right now, saying why: closed for
    maintenance, switched off by the shop, or (when ``amount`` is given) outside its limits."""
    return {"missing": unavailable_providers(currency, amount), "reasons": Reason, "currency": currency}


@register.inclusion_tag("payments/_gateway_fee.html")
def gateway_fee(provider, amount: Decimal, currency: str) -> dict:
    """Beside a gateway's name: its fee on ``amount`` and the total the buyer will pay, if it has a fee."""
    return {"terms": provider.terms, "fee": provider.terms.fee(amount), "total": provider.terms.total(amount),
            "currency": currency}


@register.inclusion_tag("payments/_gateway_fees.html")
def gateway_fees(currency: str, amount: Decimal) -> dict:
    """Under the price quote: what each gateway with a fee will charge, and those that do not take it."""
    return {"offered": [{"label": provider.label, "fee": provider.terms.fee(amount), "total": provider.terms.total(amount)}
                        for provider in available_providers(currency, amount) if provider.terms.has_fee],
            "missing": [entry.provider for entry in unavailable_providers(currency, amount)
                        if entry.reason == Reason.AMOUNT],
            "amount": amount, "currency": currency}
