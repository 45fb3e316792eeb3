"""The JSON of backups: Django's JSON serializer, with times to the microsecond.

Django's own encoder cuts times to the millisecond (`12:00:00.123456` → `12:00:00.123`): a restore
from it would not give back the same values. Registered as the format "precisejson"
(`SERIALIZATION_MODULES`); read by Django's JSON deserializer, which takes any ISO 8601 time."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.serializers import json as django_json
from django.core.serializers.json import DjangoJSONEncoder

Deserializer = django_json.Deserializer


class PreciseEncoder(DjangoJSONEncoder):
    def default(self, o: Any) -> Any:
        if isinstance(o, dt.datetime):
            text = o.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        if isinstance(o, dt.time):
            return o.isoformat()
        return super().default(o)


class Serializer(django_json.Serializer):
    def _init_options(self) -> None:
        super()._init_options()  # type: ignore[misc]
        self.json_kwargs["cls"] = PreciseEncoder
