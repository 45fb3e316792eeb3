from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "dean06.plans"
    label = "plans"
    verbose_name = "Kế hoạch và nhiệm vụ"
