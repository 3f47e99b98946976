from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "yongxu.support"
    label = "support"
    verbose_name = "Support"
