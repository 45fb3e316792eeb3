from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "dean06.core"
    label = "core"
    verbose_name = "Lõi hệ thống"
