from django import template

from yongxu.payments.registry import closed_providers

register = template.Library()


@register.inclusion_tag("payments/_closed_gateways.html")
def closed_gateways(currency: str) -> dict:
    """One line per gateway closed right now, saying why it is missing from the choices."""
    return {"closed": closed_providers(currency)}
