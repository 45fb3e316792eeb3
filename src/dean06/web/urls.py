"""The pages' URL map, one block per domain module."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

from dean06.web.views import home, plans

urlpatterns = [
    path("", home.home, name="home"),
    path(
        "dang-nhap/",
        auth_views.LoginView.as_view(template_name="registration/login.html"),
        name="login",
    ),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("healthz", home.healthz, name="healthz"),
    # plans
    path("ke-hoach/", plans.plan_list, name="plan_list"),
    path("ke-hoach/<int:pk>/", plans.plan_detail, name="plan_detail"),
    path("ke-hoach/nhap/", plans.import_start, name="plan_import"),
    path("ke-hoach/nhap/<int:pk>/", plans.import_review, name="plan_import_review"),
    path("ke-hoach/nhap/<int:pk>/trang-thai/", plans.import_status, name="plan_import_status"),
    path("ke-hoach/nhap/<int:pk>/doc-lai/", plans.import_retry, name="plan_import_retry"),
    path("ke-hoach/thoi-han/", plans.deadline_preview, name="deadline_preview"),
]
