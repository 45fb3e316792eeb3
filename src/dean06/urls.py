"""URL map: pages from dean06.web, the admin for administrators."""

from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "dean06 — Quản trị"
admin.site.site_title = "dean06"

urlpatterns = [
    path("quan-tri/", admin.site.urls),
    path("", include("dean06.web.urls")),
]
