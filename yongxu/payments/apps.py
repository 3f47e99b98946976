from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "yongxu.payments"
    label = "payments"
