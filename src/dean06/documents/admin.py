from django.contrib import admin

from dean06.core.admin import AuditedAdmin
from dean06.documents.models import DocumentRecord


@admin.register(DocumentRecord)
class DocumentRecordAdmin(AuditedAdmin):
    list_display = ("number", "doc_type", "date", "issuing_body", "period")
    list_filter = ("doc_type", "group", "period")
    search_fields = ("number", "summary", "issuing_body")
    # A plan holds hundreds of tasks: linked by id here, chosen by plan on the register's page.
    raw_id_fields = ("tasks",)
