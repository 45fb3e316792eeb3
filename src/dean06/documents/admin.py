from django.contrib import admin

from dean06.core.admin import AuditedAdmin
from dean06.documents.models import DocumentRecord


@admin.register(DocumentRecord)
class DocumentRecordAdmin(AuditedAdmin):
    list_display = ("number", "doc_type", "date", "issuing_body", "period")
    list_filter = ("doc_type", "group", "period")
    search_fields = ("number", "summary")
