from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "yongxu.accounts"
    label = "accounts"
    verbose_name = "Buyer accounts"
