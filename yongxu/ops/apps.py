from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "yongxu.ops"
    label = "ops"

    def ready(self) -> None:
        from yongxu.ops import checks  # noqa: F401 - registers the system checks
