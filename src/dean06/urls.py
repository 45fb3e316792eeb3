"""URL map: pages from dean06.web, the admin for administrators."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import path

from dean06.web import views

admin.site.site_header = "dean06 — Quản trị"
admin.site.site_title = "dean06"

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "dang-nhap/",
        auth_views.LoginView.as_view(template_name="registration/login.html"),
        name="login",
    ),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("healthz", views.healthz, name="healthz"),
    path("quan-tri/", admin.site.urls),
]
