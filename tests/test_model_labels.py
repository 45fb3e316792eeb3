"""Every field of dean06's models has a Vietnamese label: Django shows a field's label in forms,
admin screens and validation messages ("... với thông tin Service, Unit, Period đã tồn tại")."""

from __future__ import annotations

from django.apps import apps
from django.db import models

OUR_APPS = (
    "core",
    "orgs",
    "accounts",
    "plans",
    "tracking",
    "kpis",
    "quality",
    "documents",
    "reports",
    "notifications",
)


def test_every_field_of_our_models_has_a_vietnamese_label():
    missing = []
    for model in apps.get_models():
        if model._meta.app_label not in OUR_APPS:
            continue
        for field in model._meta.get_fields():
            if not isinstance(field, models.Field) or field.auto_created:
                continue
            if str(field.verbose_name) == field.name.replace("_", " "):
                missing.append(f"{model._meta.label}.{field.name}")
    assert missing == []
