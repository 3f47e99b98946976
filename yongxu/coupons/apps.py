from django.apps import AppConfig


class CouponsConfig(AppConfig):
    name = "yongxu.coupons"
    label = "coupons"
