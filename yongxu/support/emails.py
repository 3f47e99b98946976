"""Support e-mails: to the buyer (ticket opened, staff replied) in the buyer's language; short notes
to staff (the assignee, else the merchant addresses) with a link to the ticket in the admin."""

from django.conf import settings
from django.urls import reverse

from yongxu.outbox.errors import Skip
from yongxu.shop.emails import send_email
from yongxu.support.models import Message, Ticket
from yongxu.support.services import ticket_url

TO_BUYER = frozenset({"opened", "replied"})
TO_STAFF = frozenset({"staff_opened", "buyer_replied"})


def staff_recipients(ticket: Ticket) -> list[str]:
    if ticket.assignee is not None and ticket.assignee.email:
        return [ticket.assignee.email]
    return list(settings.MERCHANT_EMAILS)


def handle_effect(effect) -> None:
    """The outbox's "support.email" (payload: ticket id, kind, optional message id)."""
    kind, message_id = effect.payload["kind"], effect.payload.get("message")
    if kind not in TO_BUYER | TO_STAFF:
        raise ValueError(f"unknown support e-mail {kind!r}")
    ticket = Ticket.objects.select_related("order", "assignee").filter(pk=effect.payload["ticket"]).first()
    if ticket is None:
        raise Skip("the ticket is gone")
    message = None
    if message_id is not None:
        # Internal notes are never e-mailed, whoever asks.
        message = Message.objects.filter(pk=message_id, ticket=ticket, internal=False).first()
        if message is None:
            raise Skip("an internal note, or gone")
    else:
        message = ticket.messages.filter(internal=False).first()
    context = {"ticket": ticket, "message": message, "ticket_url": ticket_url(ticket),
               "admin_url": settings.SITE_URL + reverse("admin:support_ticket_change", args=[ticket.pk])}
    if kind in TO_BUYER:
        send_email(effect, f"support/email/{kind}", context, to=[ticket.email], language=ticket.language)
    else:
        recipients = staff_recipients(ticket)
        if not recipients:
            raise Skip("nobody to tell (no assignee, no YONGXU_MERCHANT_EMAILS)")
        send_email(effect, f"support/email/{kind}", context, to=recipients, language=settings.LANGUAGE_CODE)
