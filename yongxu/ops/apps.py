from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "yongxu.ops"
    label = "ops"
