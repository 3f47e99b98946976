from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TicketStatus(models.TextChoices):
    OPEN = "open", _("Open")
    WAITING = "waiting", _("Waiting for your reply")
    CLOSED = "closed", _("Closed")


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


class AuthorKind(models.TextChoices):
    BUYER = "buyer", _("You")
    STAFF = "staff", _("Support")


class Ticket(models.Model):
    number = models.CharField(max_length=24, unique=True)
    token = models.CharField(max_length=64, unique=True, help_text="The secret of the buyer's link.")
    subject = models.CharField(max_length=200)
    email = models.EmailField()
    order = models.ForeignKey("orders.Order", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="tickets", help_text="Verified: the order's e-mail is the ticket's.")
    status = models.CharField(max_length=10, choices=TicketStatus.choices, default=TicketStatus.OPEN)
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="support_tickets", limit_choices_to={"is_staff": True})
    language = models.CharField(max_length=10, default="en", help_text="The buyer's language, for e-mails.")
    client_ip = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["status", "updated_at"]), models.Index(fields=["email"])]

    def __str__(self) -> str:
        return f"{self.number} · {self.subject}"


class Message(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="messages")
    author_kind = models.CharField(max_length=10, choices=AuthorKind.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    body = models.TextField()
    internal = models.BooleanField(default=False, help_text="A staff-only note: never shown to the buyer nor e-mailed.")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.ticket.number} #{self.pk}"


class Attachment(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="support/%Y/%m/")
    name = models.CharField(max_length=200, help_text="The file's name as uploaded (cleaned).")
    content_type = models.CharField(max_length=60, help_text="Decided from the file's bytes, not the upload's claim.")
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name
