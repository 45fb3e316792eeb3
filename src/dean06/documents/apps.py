from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "dean06.documents"
    label = "documents"
    verbose_name = "Văn bản triển khai"
