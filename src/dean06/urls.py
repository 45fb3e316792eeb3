"""URL map: pages from dean06.web, the REST API (dean06.api), the admin for administrators."""

from django.contrib import admin
from django.urls import include, path

from dean06.api.main import urls as api_urls

admin.site.site_header = "dean06 — Quản trị"
admin.site.site_title = "dean06"

urlpatterns = [
    path("quan-tri/", admin.site.urls),
    path("api/", api_urls),
    path("", include("dean06.web.urls")),
]
