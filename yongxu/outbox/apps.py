from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "yongxu.outbox"
    label = "outbox"
    verbose_name = "Outbox (e-mails, alerts, webhooks)"
