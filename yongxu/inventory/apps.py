from django.apps import AppConfig


class InventoryConfig(AppConfig):
    name = "yongxu.inventory"
    label = "inventory"
