"""Buyer-facing use cases of the notices app: subscribe (double opt-in), confirm, unsubscribe,
leave a request before a window, and the reminder shown right after sign-in."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yongxu.audit.services import record
from yongxu.core import clock
from yongxu.core.errors import DomainError
from yongxu.maintenance.models import MaintenanceWindow, Phase
from yongxu.notices import mail
from yongxu.notices.models import Feedback, StatusSubscriber, Unsubscribe
from yongxu.notices.tokens import confirm_token, email_from_confirm, email_from_unsubscribe
from yongxu.outbox import services as outbox
from yongxu.outbox.errors import Skip
from yongxu.outbox.mail import send


class NoticeError(DomainError):
    code = "notice_invalid"
    message = gettext_lazy("Please check what you entered.")


def _address(email: str) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise NoticeError(_("Please enter a valid e-mail address."), code="bad_email", field="email")
    return email


def subscribe_status(*, email: str, language: str, actor) -> StatusSubscriber:
    """Ask for status e-mails: a confirmation link goes out; nothing else until it is clicked.
    Asking again re-sends the link and changes nothing else."""
    email = _address(email)
    with transaction.atomic():
        subscriber, _created = StatusSubscriber.objects.get_or_create(email=email, defaults={"language": language})
        record("notices.subscribe_requested", actor=actor, subject=subscriber, data={"language": language})
        if subscriber.confirmed_at is None:
            outbox.add("notices.confirm_email", key=f"confirm:{email}:{secrets.token_hex(8)}",
                       payload={"email": email, "language": language}, subject=f"subscriber:{subscriber.pk}")
    return subscriber


def handle_confirm_effect(effect) -> None:
    """The outbox's "notices.confirm_email": the double opt-in link (made when sent)."""
    email, language = effect.payload["email"], effect.payload["language"]
    if not StatusSubscriber.objects.filter(email=email, confirmed_at__isnull=True).exists():
        raise Skip("already confirmed, or gone")
    link = settings.SITE_URL + reverse("notices-confirm", args=[confirm_token(email)])
    send(effect, mail.build("notices/email/confirm", {"confirm_url": link}, to=email, language=language,
                            unsubscribe=False))


@transaction.atomic
def confirm_subscription(token: str, *, actor) -> StatusSubscriber:
    email = email_from_confirm(token)
    subscriber = StatusSubscriber.objects.select_for_update().filter(email=email).first() if email else None
    if subscriber is None:
        raise NoticeError(_("This confirmation link is not valid any more. Please subscribe again."), code="bad_token")
    if subscriber.confirmed_at is None:
        subscriber.confirmed_at = clock.now()
        subscriber.save(update_fields=["confirmed_at"])
        Unsubscribe.objects.filter(email=email).delete()
        record("notices.subscribed", actor=actor, subject=subscriber, data={})
    return subscriber


@transaction.atomic
def unsubscribe(token: str, *, actor) -> str:
    """One click: no more notices of any kind to this address. Idempotent."""
    email = email_from_unsubscribe(token)
    if not email:
        raise NoticeError(_("This unsubscribe link is not valid."), code="bad_token")
    Unsubscribe.objects.get_or_create(email=email)
    StatusSubscriber.objects.filter(email=email).delete()
    record("notices.unsubscribed", actor=actor, data={"email": email})
    return email


def open_window(window_id: int) -> MaintenanceWindow:
    window = MaintenanceWindow.objects.filter(pk=window_id, phase__in=[Phase.PREPARE, Phase.EXECUTE, Phase.VERIFY]).first()
    if window is None:
        raise NoticeError(_("This maintenance window is over."), code="window_over")
    return window


@transaction.atomic
def leave_feedback(window: MaintenanceWindow, *, email: str, message: str, language: str, actor) -> Feedback:
    email = _address(email)
    message = (message or "").strip()
    if not message:
        raise NoticeError(_("Tell us what you need."), code="empty_message", field="message")
    feedback = Feedback.objects.create(window=window, email=email, message=message[:2000], language=language)
    record("notices.feedback", actor=actor, subject=window, data={"feedback": feedback.pk})
    return feedback


def sign_in_reminder() -> str | None:
    """The line shown right after a buyer signs in when a window starts within the banner's lead time."""
    now = clock.now()
    window = (MaintenanceWindow.objects.filter(phase=Phase.PREPARE, planned_start__gt=now,
                                               planned_start__lte=now + timedelta(hours=settings.YONGXU_BANNER_LEAD_HOURS))
              .order_by("planned_start").first())
    if window is None:
        return None
    return _("Planned maintenance: %(title)s, from %(start)s UTC. Need keys? Buy before then.") % {
        "title": window.public_title, "start": f"{window.planned_start:%Y-%m-%d %H:%M}"}


def remind_after_sign_in(request) -> None:
    from django.contrib import messages

    text = sign_in_reminder()
    if text:
        messages.info(request, text)
