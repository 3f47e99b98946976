"""Every kind of effect the outbox delivers, with its handler: a dict you can grep, not discovery.

A handler is ``def handle(effect: Effect) -> None``. It reads ``effect.payload``, does the work, and:
- calls ``effect.hand_over()`` right before giving anything to the outside world when that must happen at
  most once (an e-mail): a crash after that point leaves the effect "maybe", never sent twice by itself;
- otherwise must be safe to run twice (a crash before it is marked done runs it again);
- raises Skip when the effect is no longer needed, Permanent when retrying cannot help, anything else
  (Retry included) for "try again later, with back-off".
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    handler: str  # dotted path of the handler
    max_attempts: int = 12  # 30 s, 1, 2, 4 … 60 min apart: about 6 hours before giving up
    alert: bool = False  # a failed or "maybe sent" effect of this kind raises a merchant alert


KINDS: dict[str, Kind] = {
    # The buyer's e-mails about an order (placed, received, delivered: the keys). Never given up quickly.
    "orders.email": Kind("yongxu.orders.emails.handle_effect", max_attempts=20, alert=True),
    "payments.refund_email": Kind("yongxu.payments.emails.handle_effect", alert=True),
    "accounts.email": Kind("yongxu.accounts.emails.handle_effect"),
    "support.email": Kind("yongxu.support.emails.handle_effect"),
    "ops.alert_email": Kind("yongxu.ops.alerts.handle_effect"),
    # Something reopened: deliver what waited for delivery, tell who waited for what is open again.
    "maintenance.reopened": Kind("yongxu.maintenance.tasks.handle_reopened"),
    "maintenance.back_email": Kind("yongxu.maintenance.tasks.handle_back_email"),
    # A window's update, handed to each of settings.YONGXU_WINDOW_UPDATE_HANDLERS.
    "maintenance.window_update": Kind("yongxu.maintenance.windows.handle_update_effect"),
    "notices.advance_email": Kind("yongxu.notices.advance.handle_effect", max_attempts=3),
    "notices.update_email": Kind("yongxu.notices.live.handle_email_effect", max_attempts=3),
    "notices.confirm_email": Kind("yongxu.notices.services.handle_confirm_effect", max_attempts=5),
    "notices.webhook": Kind("yongxu.notices.live.handle_webhook_effect", max_attempts=7),
}


def kind(name: str) -> Kind:
    try:
        return KINDS[name]
    except KeyError:
        raise ValueError(f"unknown outbox effect kind {name!r}: register it in yongxu.outbox.registry") from None
