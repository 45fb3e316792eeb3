from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "dean06.quality"
    label = "quality"
    verbose_name = "Kiểm tra chất lượng số liệu"
