"""Template filters for what people read: numbers the one Vietnamese way (1.234 and 82,27%),
action codes of the audit log in words."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django import template

from dean06.core.audit import action_label
from dean06.kpis.shares import format_count, format_share

register = template.Library()


@register.filter
def vn_number(value: Any) -> str:
    """1234 → "1.234"; 12.5 → "12,5"; None or "" → ""."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    number = Decimal(str(value))
    if number == number.to_integral_value():
        return format_count(int(number))
    whole, _, fraction = f"{number.normalize():f}".partition(".")
    return f"{format_count(int(whole))},{fraction}" if whole != "-0" else f"-0,{fraction}"


@register.filter
def vn_percent(value: Any, digits: int = 2) -> str:
    """82.271 → "82,27%"; None → "—"."""
    return format_share(value, digits=digits)


@register.filter
def dictget(mapping: Mapping[str, Any] | None, key: str) -> Any:
    return (mapping or {}).get(key)


@register.filter
def action_words(action: str) -> str:
    """ "tracking.report.returned" → "Báo cáo tiến độ: trả lại"."""
    return action_label(action)


@register.filter
def person(user: Any, fallback: str = "") -> str:
    """A person's name as shown: full name, else user name; `fallback` when there is none (an
    audit entry written by a command carries its label instead)."""
    if user is None:
        return fallback or "hệ thống"
    return str(user.get_full_name() or user.username)
