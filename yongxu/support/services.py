"""Support tickets: open, reply as the buyer or as staff, change, close.

Each use case is one transaction that writes its audit entry; e-mails leave only after the commit.
A buyer is known by the ticket's secret link; an order is linked only when its number and e-mail
match, and a mismatch never says whether the order exists."""

import secrets

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from yongxu.audit.services import record
from yongxu.core import clock
from yongxu.core.errors import NotFound
from yongxu.orders.models import Order
from yongxu.orders.services import normalise_email
from yongxu.outbox import services as outbox
from yongxu.support.errors import InvalidAssignee, InvalidTicket, OrderNotMatched
from yongxu.support.files import CheckedFile, check_upload
from yongxu.support.models import Attachment, AuthorKind, Message, Priority, Ticket, TicketStatus

SUBJECT_MAX = 200
BODY_MAX = 10_000
ORDER_NUMBER_MAX = 24
_NUMBER_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
UNCHANGED = object()


def _new_number() -> str:
    return clock.now().strftime("T%y%m%d") + "".join(secrets.choice(_NUMBER_ALPHABET) for _ in range(6))


def ticket_url(ticket: Ticket) -> str:
    return settings.SITE_URL + reverse("support-ticket", args=[ticket.token])


def _text(value: str, *, field: str, label: str, maximum: int) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidTicket(_("Please fill in: %(field)s.") % {"field": label}, code="required", field=field)
    if len(value) > maximum:
        raise InvalidTicket(_("%(field)s is too long: at most %(max)s characters.") % {"field": label, "max": maximum},
                            code="too_long", field=field)
    return value


def _language(language: str) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    return language if language in codes else settings.LANGUAGE_CODE


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def match_order(number: str, *, email: str) -> Order | None:
    """The order with this number placed with this e-mail; None for no number; OrderNotMatched otherwise."""
    number = (number or "").strip().upper()
    if not number:
        return None
    if len(number) > ORDER_NUMBER_MAX:
        raise OrderNotMatched()
    order = Order.objects.filter(number=number, email__iexact=email).first()
    if order is None:
        raise OrderNotMatched()
    return order


def known_order(number: str, *, tokens: list[str]) -> Order | None:
    """The order with this number if this browser has already opened its page (its token is among
    ``tokens``, from the signed device cookie): then its e-mail may be shown back to prefill a form."""
    number = (number or "").strip().upper()
    if not number or not tokens or len(number) > ORDER_NUMBER_MAX:
        return None
    return Order.objects.filter(number=number, token__in=tokens).first()


def _add_message(ticket: Ticket, *, kind: str, author, body: str, internal: bool, upload, checked: CheckedFile | None,
                 at) -> Message:
    message = Message.objects.create(ticket=ticket, author_kind=kind, author=author, body=body, internal=internal,
                                     created_at=at)
    if checked is not None:
        attachment = Attachment(message=message, name=checked.name, content_type=checked.content_type,
                                size=checked.size, created_at=at)
        # Why a random stored name: the uploaded name is shown, never used as a path.
        attachment.file.save(checked.stored_name, upload, save=False)
        attachment.save()
    return message


def _email(ticket: Ticket, kind: str, message: Message | None = None) -> None:
    """An e-mail about the ticket, as an outbox row of the caller's transaction (one per ticket, kind and message)."""
    message_id = message.pk if message is not None else None
    outbox.add("support.email", key=f"ticket:{ticket.pk}:{kind}:{message_id or ''}",
               payload={"ticket": ticket.pk, "kind": kind, "message": message_id}, subject=f"ticket:{ticket.number}")


def open_ticket(*, subject: str, body: str, email: str, order_number: str = "", language: str = "en",
                client_ip: str | None = None, attachment=None, actor) -> Ticket:
    """Open a ticket with the buyer's first message; e-mail the buyer the secret link and tell staff.
    Raise InvalidTicket, InvalidEmail, OrderNotMatched or AttachmentRefused and store nothing."""
    subject = _text(subject, field="subject", label=_("Subject"), maximum=SUBJECT_MAX)
    body = _text(body, field="message", label=_("Message"), maximum=BODY_MAX)
    email = normalise_email(email)
    checked = check_upload(attachment) if attachment else None
    order = match_order(order_number, email=email)
    now = clock.now()
    with transaction.atomic():
        ticket = Ticket.objects.create(
            number=_new_number(), token=secrets.token_urlsafe(32), subject=subject, email=email, order=order,
            language=_language(language), client_ip=client_ip or None, created_at=now, updated_at=now)
        _add_message(ticket, kind=AuthorKind.BUYER, author=_user(actor), body=body, internal=False, upload=attachment,
                     checked=checked, at=now)
        record("support.ticket_opened", actor=actor, subject=ticket,
               data={"number": ticket.number, "order": order.number if order else "", "attachment": bool(checked)})
        _email(ticket, "opened")
        _email(ticket, "staff_opened")
    return ticket


def _locked(ticket: Ticket) -> Ticket:
    return Ticket.objects.select_for_update().get(pk=ticket.pk)


def reply_as_buyer(ticket: Ticket, *, body: str, attachment=None, actor) -> Message:
    """The buyer writes again: the ticket is (re)opened and staff are told."""
    body = _text(body, field="message", label=_("Message"), maximum=BODY_MAX)
    checked = check_upload(attachment) if attachment else None
    with transaction.atomic():
        locked = _locked(ticket)
        was = locked.status
        locked.status = TicketStatus.OPEN
        locked.updated_at = clock.now()
        locked.save(update_fields=["status", "updated_at"])
        message = _add_message(locked, kind=AuthorKind.BUYER, author=_user(actor), body=body, internal=False,
                               upload=attachment, checked=checked, at=locked.updated_at)
        record("support.buyer_replied", actor=actor, subject=locked,
               data={"message": message.pk, "status": [was, locked.status], "attachment": bool(checked)})
        _email(locked, "buyer_replied", message)
    ticket.status, ticket.updated_at = locked.status, locked.updated_at
    return message


def reply_as_staff(ticket: Ticket, *, body: str, internal: bool = False, attachment=None, actor) -> Message:
    """Staff answer: the buyer is e-mailed and the ticket waits on them. An internal note changes no
    status, is never shown to the buyer and e-mails nobody."""
    body = _text(body, field="message", label=_("Message"), maximum=BODY_MAX)
    checked = check_upload(attachment) if attachment else None
    with transaction.atomic():
        locked = _locked(ticket)
        was = locked.status
        locked.updated_at = clock.now()
        if not internal:
            locked.status = TicketStatus.WAITING
        locked.save(update_fields=["status", "updated_at"])
        message = _add_message(locked, kind=AuthorKind.STAFF, author=_user(actor), body=body, internal=internal,
                               upload=attachment, checked=checked, at=locked.updated_at)
        record("support.note_added" if internal else "support.staff_replied", actor=actor, subject=locked,
               data={"message": message.pk, "internal": internal, "status": [was, locked.status],
                     "attachment": bool(checked)})
        if not internal:
            _email(locked, "replied", message)
    ticket.status, ticket.updated_at = locked.status, locked.updated_at
    return message


def change_ticket(ticket: Ticket, *, status: str | None = None, priority: str | None = None, assignee=UNCHANGED,
                  actor) -> Ticket:
    """Set status, priority and/or assignee (a staff user or None). Records what changed, old and new;
    a change to nothing records nothing."""
    if status is not None and status not in TicketStatus.values:
        raise InvalidTicket(_("Unknown status."), code="invalid_status")
    if priority is not None and priority not in Priority.values:
        raise InvalidTicket(_("Unknown priority."), code="invalid_priority")
    if assignee is not UNCHANGED and assignee is not None and not (assignee.is_staff and assignee.is_active):
        raise InvalidAssignee()
    with transaction.atomic():
        locked = _locked(ticket)
        changes: dict[str, list] = {}
        if status is not None and status != locked.status:
            changes["status"] = [locked.status, status]
            locked.status = status
        if priority is not None and priority != locked.priority:
            changes["priority"] = [locked.priority, priority]
            locked.priority = priority
        if assignee is not UNCHANGED and (assignee.pk if assignee else None) != locked.assignee_id:
            changes["assignee"] = [locked.assignee.get_username() if locked.assignee else None,
                                   assignee.get_username() if assignee else None]
            locked.assignee = assignee
        if changes:
            locked.updated_at = clock.now()
            locked.save(update_fields=["status", "priority", "assignee", "updated_at"])
            record("support.ticket_changed", actor=actor, subject=locked, data=changes)
    return locked


def close_ticket(ticket: Ticket, *, actor) -> Ticket:
    """Close the ticket (staff, or the buyer from the link: "solved"). A later buyer message reopens it."""
    with transaction.atomic():
        locked = _locked(ticket)
        if locked.status != TicketStatus.CLOSED:
            was = locked.status
            locked.status = TicketStatus.CLOSED
            locked.updated_at = clock.now()
            locked.save(update_fields=["status", "updated_at"])
            record("support.ticket_closed", actor=actor, subject=locked, data={"status": [was, locked.status]})
    return locked


def ticket_by_token(token: str) -> Ticket:
    ticket = Ticket.objects.select_related("order").filter(token=token).first() if token else None
    if ticket is None:
        raise NotFound()
    return ticket


def public_messages(ticket: Ticket) -> list[Message]:
    """What the buyer sees: every message but the internal notes."""
    return list(ticket.messages.filter(internal=False).prefetch_related("attachments"))


def buyer_attachment(token: str, attachment_id: int) -> Attachment:
    """An attachment of a message the buyer can see on the ticket with this token; NotFound otherwise."""
    attachment = (Attachment.objects.select_related("message__ticket")
                  .filter(pk=attachment_id, message__ticket__token=token, message__internal=False).first()
                  if token else None)
    if attachment is None:
        raise NotFound()
    return attachment
