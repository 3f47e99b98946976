"""The buyer's side of support: open a ticket, follow it at its secret link, reply, close, download
an attachment. Thin: parse, rate-limit, call one service, render."""

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from yongxu.core.errors import DomainError, NotFound
from yongxu.core.http import client_ip
from yongxu.core.ratelimit import hit
from yongxu.orders.views import device_tokens  # the signed "orders on this device" cookie
from yongxu.support import services
from yongxu.support.files import IMAGE_KINDS, KINDS, max_bytes
from yongxu.support.forms import ReplyForm, TicketForm
from yongxu.support.models import Attachment, TicketStatus

REPLIES_PER_WINDOW = 30
# Which form field a domain error belongs to, so it is shown beside that field.
ERROR_FIELDS = {"order_not_matched": "order_number", "attachment_refused": "attachment", "invalid_email": "email"}


def _actor(request):
    return request.user if request.user.is_authenticated else "buyer"


def _show_error(form, error: DomainError) -> None:
    field = error.details.get("field") or ERROR_FIELDS.get(error.code)
    form.add_error(field if field in form.fields else None, str(error.message))


def _initial(request) -> dict:
    """Arriving from an order page (?order=NUMBER): the number, and the e-mail too when this browser
    has opened that order's page; a signed-in buyer's own address otherwise."""
    number = request.GET.get("order", "")[:services.ORDER_NUMBER_MAX]
    order = services.known_order(number, tokens=device_tokens(request))
    email = order.email if order else (request.user.email if request.user.is_authenticated else "")
    return {"order_number": number.strip().upper(), "email": email}


def _context(form, **extra) -> dict:
    return {"form": form, "max_megabytes": f"{max_bytes() / (1024 * 1024):g}", "types": ", ".join(KINDS), **extra}


@require_http_methods(["GET", "POST"])
def start(request):
    if request.method == "GET":
        return render(request, "support/start.html", _context(TicketForm(initial=_initial(request))))
    form = TicketForm(request.POST, request.FILES)
    try:
        # Every attempt counts, failed ones too: this also slows down guessing order/e-mail pairs.
        hit(f"support-open:{client_ip(request)}", limit=settings.YONGXU_SUPPORT_OPEN_ATTEMPTS,
            window=settings.YONGXU_SUPPORT_WINDOW_SECONDS)
    except DomainError as error:
        return render(request, "support/start.html", _context(form, error=error), status=error.status)
    if form.is_valid():
        data = form.cleaned_data
        try:
            ticket = services.open_ticket(subject=data["subject"], body=data["message"], email=data["email"],
                                          order_number=data["order_number"], attachment=data["attachment"],
                                          language=request.LANGUAGE_CODE, client_ip=client_ip(request),
                                          actor=_actor(request))
        except DomainError as error:
            _show_error(form, error)
        else:
            messages.success(request, _("Your ticket %(number)s is open. We have e-mailed you this page's link: "
                                        "keep it to follow the conversation.") % {"number": ticket.number})
            return redirect("support-ticket", token=ticket.token)
    return render(request, "support/start.html", _context(form), status=400)


def _ticket(token: str):
    try:
        return services.ticket_by_token(token)
    except NotFound:
        raise Http404("No such ticket")


@require_http_methods(["GET", "POST"])
def ticket_page(request, token: str):
    ticket = _ticket(token)
    form = ReplyForm()
    status = 200
    if request.method == "POST":
        form = ReplyForm(request.POST, request.FILES)
        try:
            hit(f"support-reply:{client_ip(request)}", limit=REPLIES_PER_WINDOW,
                window=settings.YONGXU_SUPPORT_WINDOW_SECONDS)
            if form.is_valid():
                services.reply_as_buyer(ticket, body=form.cleaned_data["message"],
                                        attachment=form.cleaned_data["attachment"], actor=_actor(request))
                messages.success(request, _("Your message was sent. We will answer by e-mail."))
                return redirect("support-ticket", token=ticket.token)
            status = 400
        except DomainError as error:
            _show_error(form, error)
            status = error.status
    return render(request, "support/ticket.html",
                  _context(form, ticket=ticket, conversation=services.public_messages(ticket),
                           closed=ticket.status == TicketStatus.CLOSED), status=status)


@require_POST
def close(request, token: str):
    ticket = _ticket(token)
    services.close_ticket(ticket, actor=_actor(request))
    messages.success(request, _("The ticket is closed. Write again below if you need us."))
    return redirect("support-ticket", token=ticket.token)


def serve_attachment(attachment: Attachment) -> FileResponse:
    """The file as stored, with the type decided at upload; images shown, anything else downloaded.
    The sandbox and nosniff headers keep a hostile file from running as a page of the shop."""
    image = any(attachment.content_type == KINDS[kind][0] for kind in IMAGE_KINDS)
    response = FileResponse(attachment.file.open("rb"), as_attachment=not image, filename=attachment.name,
                            content_type=attachment.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


def attachment(request, token: str, attachment_id: int):
    try:
        found = services.buyer_attachment(token, attachment_id)
    except NotFound:
        raise Http404("No such file")
    return serve_attachment(found)
