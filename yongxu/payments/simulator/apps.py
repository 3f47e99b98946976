from django.apps import AppConfig


class SimulatorConfig(AppConfig):
    name = "yongxu.payments.simulator"
    label = "simulator"
    verbose_name = "Gateway simulator (demo: Epay, Alipay)"
