from django.apps import AppConfig


class LimitsConfig(AppConfig):
    name = "yongxu.limits"
    label = "limits"
