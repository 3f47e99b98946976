"""Branded e-mails: every message is HTML + plain text, in the recipient's language, wrapped in the
shop's brand (shop/email/base.html). Templates: ``<name>.txt`` and ``<name>.html`` (the HTML extends
the base), with ``subject`` rendered from ``<name>.subject.txt``."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from yongxu.shop.services import shop_settings


def render_email(template: str, context: dict, *, language: str | None = None) -> tuple[str, str, str]:
    """(subject, text, html) for a template name like ``orders/email/delivered``."""
    with translation.override(language or settings.LANGUAGE_CODE):
        full = {"shop": shop_settings(), "site_url": settings.SITE_URL, **context}
        subject = " ".join(render_to_string(f"{template}.subject.txt", full).split())
        return subject, render_to_string(f"{template}.txt", full), render_to_string(f"{template}.html", full)


def build_email(template: str, context: dict, *, to: list[str], language: str | None = None,
                headers: dict | None = None) -> EmailMultiAlternatives:
    """The branded message, not sent: the outbox hands it to the mail server (yongxu.outbox.mail.send)."""
    subject, text, html = render_email(template, context, language=language)
    shop = shop_settings()
    message = EmailMultiAlternatives(subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=to,
                                     reply_to=[shop.support_email] if shop.support_email else None,
                                     headers={"X-Yongxu-Template": template, **(headers or {})})
    message.attach_alternative(html, "text/html")
    return message


def send_email(effect, template: str, context: dict, *, to: list[str], language: str | None = None) -> None:
    """Build the message and send it as the outbox effect ``effect`` (at most once)."""
    from yongxu.outbox.mail import send

    send(effect, build_email(template, context, to=to, language=language))
