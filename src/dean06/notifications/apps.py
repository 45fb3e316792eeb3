from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "dean06.notifications"
    label = "notifications"
    verbose_name = "Nhắc việc, thông báo"
