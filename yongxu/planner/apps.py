from django.apps import AppConfig


class PlannerConfig(AppConfig):
    name = "yongxu.planner"
    label = "planner"
    verbose_name = "Window advisor"
