from django.apps import AppConfig


class ShopConfig(AppConfig):
    name = "yongxu.shop"
    label = "shop"
    verbose_name = "Shop settings and brand"
