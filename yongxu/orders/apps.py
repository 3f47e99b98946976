from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "yongxu.orders"
    label = "orders"
