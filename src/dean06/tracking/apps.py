from django.apps import AppConfig


class TrackingConfig(AppConfig):
    name = "dean06.tracking"
    label = "tracking"
    verbose_name = "Theo dõi tiến độ"
