from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "dean06.orgs"
    label = "orgs"
    verbose_name = "Đơn vị"
