from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "yongxu.catalog"
    label = "catalog"
