"""What every router shares: paging, the month filter, "not found"."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import Http404
from ninja import Field, Path, Schema
from ninja.pagination import LimitOffsetPagination

from dean06.api.schemas import MAX_ID
from dean06.core.exceptions import ApplicationError
from dean06.tracking.periods import PeriodError, parse_month

MAX_LIMIT = 200

# A record's id in a path: bounded so that no id overflows a database integer.
PathId = Annotated[int, Path(..., ge=1, le=MAX_ID)]
DEFAULT_LIMIT = 50


class Paging(LimitOffsetPagination):
    """`?limit=` (1–200, default 50) and `?offset=`; answers `{"items": [...], "count": n}`."""

    class Input(Schema):
        limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="số dòng mỗi trang")
        offset: int = Field(0, ge=0, le=10_000_000, description="bỏ qua bao nhiêu dòng đầu")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_LIMIT, **kwargs)


def month_filter(value: str | None) -> tuple[int, int] | None:
    """A `period=YYYY-MM` filter as (year, month); a month that does not exist is a 400."""
    if not value:
        return None
    try:
        return parse_month(value)
    except PeriodError as exc:
        raise ApplicationError(str(exc)) from exc


def required_month(value: str) -> tuple[int, int]:
    month = month_filter(value)
    if month is None:
        raise ApplicationError("Cần nêu tháng báo cáo (YYYY-MM).")
    return month


def found(obj: Any, message: str) -> Any:
    if obj is None:
        raise Http404(message)
    return obj
