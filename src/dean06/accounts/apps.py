from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "dean06.accounts"
    label = "accounts"
    verbose_name = "Tài khoản"
