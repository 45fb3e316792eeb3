from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "dean06.reports"
    label = "reports"
    verbose_name = "Báo cáo tổng hợp"
