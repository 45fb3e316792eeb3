from django.apps import AppConfig


class KpisConfig(AppConfig):
    name = "dean06.kpis"
    label = "kpis"
    verbose_name = "Dịch vụ công và chỉ tiêu"
