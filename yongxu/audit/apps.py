from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "yongxu.audit"
    label = "audit"
