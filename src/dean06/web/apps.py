from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "dean06.web"
    label = "web"
    verbose_name = "Giao diện web"
