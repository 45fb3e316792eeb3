"""The words of each notice: a Vietnamese subject and a plain-text body listing the tasks (pure:
no Django). Every channel sends the same words."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from dean06.notifications.rules import Item, Kind

PREFIX = "[Đề án 06]"
SIGNATURE = (
    "Thường trực Tổ công tác triển khai Đề án 06 tỉnh\n"
    "(Thư gửi tự động từ hệ thống dean06, vui lòng không trả lời thư này.)"
)
CONTENT_CHARS = 200


@dataclass(frozen=True)
class Text:
    subject: str
    body: str


@dataclass(frozen=True)
class Unreached:
    """A reminder of a round that reached nobody by e-mail, as the secretariat reads it."""

    unit_name: str
    kind: Kind
    period_label: str
    tasks: int
    has_account: bool


def _day(day: dt.date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else "—"


def _lower_first(text: str) -> str:
    """ "Tháng 7/2024" inside a sentence: "tháng 7/2024"."""
    return text[:1].lower() + text[1:]


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= CONTENT_CHARS else text[: CONTENT_CHARS - 1].rstrip() + "…"


def task_lines(items: Sequence[Item], *, due_words: str) -> str:
    """ "1. [18/KH-UBND] B.1.3 — Đánh giá ... (hạn báo cáo 15/07/2024)", one line per task."""
    lines = []
    for number, item in enumerate(items, start=1):
        plan = f"[{item.task.plan}] " if item.task.plan else ""
        content = f" — {_short(item.task.content)}" if item.task.content else ""
        due = f" ({due_words} {_day(item.due)})" if item.due else ""
        lines.append(f"{number}. {plan}{item.task.code}{content}{due}")
    return "\n".join(lines)


def reminder_text(
    kind: Kind,
    *,
    on: dt.date,
    unit_name: str,
    period_label: str,
    items: Sequence[Item],
    due: dt.date | None,
) -> Text:
    """The words of a round's reminder to a unit (before the due day, on it, after it; a task
    turned overdue)."""
    period = _lower_first(period_label)
    count = len(items)
    if kind is Kind.TASK_OVERDUE:
        subject = f"{PREFIX} {count} nhiệm vụ đơn vị chủ trì đã quá hạn hoàn thành"
        intro = (
            f"Đến ngày {_day(on)}, {count} nhiệm vụ dưới đây do đơn vị chủ trì đã quá thời hạn "
            "hoàn thành mà đơn vị chưa báo cáo hoàn thành:"
        )
        ask = (
            "Đề nghị đơn vị khẩn trương thực hiện, báo cáo kết quả; nhiệm vụ nào đã hoàn thành "
            "thì cập nhật báo cáo tiến độ (tình hình «Hoàn thành», ngày hoàn thành)."
        )
        lines = task_lines(items, due_words="hạn hoàn thành")
        to = f"{unit_name} (cán bộ đầu mối và lãnh đạo đơn vị)"
    else:
        left = (due - on).days if due else 0
        if kind is Kind.BEFORE_DUE:
            subject = f"{PREFIX} Nhắc báo cáo {period}: hạn {_day(due)}, còn {left} ngày"
            intro = (
                f"Hạn gửi báo cáo tiến độ {period} là ngày {_day(due)} (còn {left} ngày). "
                f"Hệ thống chưa nhận được báo cáo của đơn vị về {count} nhiệm vụ đơn vị "
                "chủ trì dưới đây:"
            )
            ask = (
                "Đề nghị đơn vị đăng nhập hệ thống dean06, mục «Nhiệm vụ của đơn vị», để cập "
                "nhật và gửi báo cáo trước hạn."
            )
            to = unit_name
        elif kind is Kind.DUE_TODAY:
            subject = f"{PREFIX} Hôm nay ({_day(due)}) là hạn báo cáo {period}"
            intro = (
                f"Hôm nay, ngày {_day(due)}, là hạn gửi báo cáo tiến độ {period}. Hệ thống chưa "
                f"nhận được báo cáo của đơn vị về {count} nhiệm vụ đơn vị chủ trì dưới đây:"
            )
            ask = (
                "Đề nghị đơn vị gửi báo cáo trong ngày hôm nay (mục «Nhiệm vụ của đơn vị» trên "
                "hệ thống dean06)."
            )
            to = unit_name
        else:
            subject = f"{PREFIX} Quá hạn báo cáo {period} (hạn {_day(due)}, đã quá {-left} ngày)"
            intro = (
                f"Đã quá hạn gửi báo cáo tiến độ {period} (hạn ngày {_day(due)}) {-left} ngày. "
                f"Hệ thống chưa nhận được báo cáo của đơn vị về {count} nhiệm vụ đơn vị chủ trì "
                "dưới đây:"
            )
            ask = (
                "Đề nghị lãnh đạo đơn vị chỉ đạo gửi ngay báo cáo, nêu lý do báo cáo muộn "
                "(mục «Nhiệm vụ của đơn vị» trên hệ thống dean06)."
            )
            to = f"{unit_name} (cán bộ đầu mối và lãnh đạo đơn vị)"
        lines = task_lines(items, due_words="hạn báo cáo")
    body = f"Kính gửi: {to}\n\n{intro}\n\n{lines}\n\n{ask}\n\n{SIGNATURE}\n"
    return Text(subject=subject, body=body)


def returned_text(
    *,
    person: str,
    unit_name: str,
    period_label: str,
    items: Sequence[Item],
    returned_by: str,
    returned_on: dt.date | None,
    reason: str,
) -> Text:
    period = _lower_first(period_label)
    code = items[0].task.code if items else ""
    subject = f"{PREFIX} Báo cáo {period} bị trả lại" + (f": nhiệm vụ {code}" if code else "")
    lines = task_lines(items, due_words="hạn báo cáo")
    body = (
        f"Kính gửi: {person} ({unit_name})\n\n"
        f"Báo cáo tiến độ {period} của đơn vị về nhiệm vụ dưới đây đã bị {returned_by} trả lại"
        f"{' ngày ' + _day(returned_on) if returned_on else ''}:\n\n{lines}\n\n"
        f"Lý do trả lại: {reason or '(không nêu)'}\n\n"
        "Đề nghị sửa báo cáo theo ý kiến trên và gửi lại (mục «Nhiệm vụ của đơn vị» trên hệ "
        f"thống dean06).\n\n{SIGNATURE}\n"
    )
    return Text(subject=subject, body=body)


def unreached_text(*, on: dt.date, units: Sequence[Unreached]) -> Text:
    """To the secretariat: the units a round's reminders reached by no e-mail, one line per
    unit with the reminders it missed."""
    grouped: dict[str, list[Unreached]] = {}
    for u in units:
        grouped.setdefault(u.unit_name, []).append(u)
    lines = []
    for number, (name, missed) in enumerate(grouped.items(), start=1):
        why = (
            "tài khoản của đơn vị chưa có thư điện tử, chỉ xem được khi đăng nhập"
            if any(u.has_account for u in missed)
            else "đơn vị chưa có tài khoản"
        )
        what = "; ".join(
            f"{u.kind.label} ({u.tasks} nhiệm vụ)"
            if u.kind is Kind.TASK_OVERDUE or not u.period_label
            else f"{u.kind.label} {_lower_first(u.period_label)} ({u.tasks} nhiệm vụ)"
            for u in missed
        )
        lines.append(f"{number}. {name} ({why}): {what}")
    count = len(grouped)
    subject = f"{PREFIX} {count} đơn vị chưa nhận được nhắc việc qua thư điện tử"
    body = (
        "Kính gửi: Thường trực Tổ công tác Đề án 06 tỉnh\n\n"
        f"Đợt nhắc việc ngày {_day(on)} không gửi được thư điện tử tới {count} đơn vị "
        "dưới đây:\n\n" + "\n".join(lines) + "\n\n"
        "Đề nghị tạo tài khoản cán bộ đầu mối hoặc bổ sung thư điện tử cho các đơn vị này "
        "(mục Quản trị), và nhắc các đơn vị bằng cách khác trong lúc chờ.\n\n"
        f"{SIGNATURE}\n"
    )
    return Text(subject=subject, body=body)
