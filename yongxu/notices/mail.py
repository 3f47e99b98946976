"""Notice e-mails: the shop's branded templates plus a one-click unsubscribe (RFC 8058 headers)."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse

from yongxu.notices.tokens import unsubscribe_token
from yongxu.shop.emails import render_email
from yongxu.shop.services import shop_settings


def unsubscribe_url(email: str) -> str:
    return settings.SITE_URL + reverse("notices-unsubscribe", args=[unsubscribe_token(email)])


def build(template: str, context: dict, *, to: str, language: str, unsubscribe: bool = True) -> EmailMultiAlternatives:
    """The message, not sent: the caller decides when it is handed to the mail server."""
    link = unsubscribe_url(to) if unsubscribe else ""
    subject, text, html = render_email(template, {**context, "unsubscribe_url": link}, language=language)
    headers = {"X-Yongxu-Template": template}
    if link:
        headers |= {"List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    shop = shop_settings()
    message = EmailMultiAlternatives(subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[to],
                                     reply_to=[shop.support_email] if shop.support_email else None, headers=headers)
    message.attach_alternative(html, "text/html")
    return message
