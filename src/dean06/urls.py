"""URL map: pages from dean06.web, the REST API (dean06.api), the admin for administrators, and
single sign-on at /oidc/ when it is configured (DEAN06_OIDC_*: dean06.accounts.oidc)."""

from django.conf import settings
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

if settings.OIDC_ENABLED:
    # Imported only then: mozilla-django-oidc is an optional extra.
    from dean06.accounts import oidc

    urlpatterns.insert(0, path("oidc/", include(oidc.urlpatterns)))
