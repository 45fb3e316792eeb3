"""The body of the consolidated report, written from the data as a secretariat writes it
(plain functions: the same facts always give the same sentences)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from dean06.kpis.shares import format_count, format_share
from dean06.reports import content as c

# A list in the body names this many items, then says how many more the appendix holds.
LIST_LIMIT = 10


@dataclass(frozen=True)
class ReportFacts:
    """What the body says beyond the appendices' rows."""

    as_of: dt.date  # the day the four counts are taken on
    counts: dict[str, int]  # the four counts (tracking.status)
    overdue: tuple[tuple[str, str, int], ...] = ()  # (task, lead units, days overdue)
    done_in_period: tuple[str, ...] = ()
    next_tasks: tuple[tuple[str, str], ...] = ()  # (task with its due day, lead units)
    difficulties: tuple[tuple[str, str], ...] = ()  # (unit, text)
    proposals: tuple[tuple[str, str], ...] = ()
    by_group: tuple[tuple[str, int, int, int], ...] = ()  # (group, tasks, done, overdue)


def _day(value: object) -> str:
    return value.strftime("%d/%m/%Y") if value is not None else ""  # type: ignore[attr-defined]


# An item of a list in the body is cut at a word after this many characters (the appendix
# holds the whole text).
ITEM_CHARS = 220


def _one_line(text: str) -> str:
    flat = " ".join(part.strip(" -;") for part in text.splitlines() if part.strip(" -;"))
    if len(flat) <= ITEM_CHARS:
        return flat
    return flat[:ITEM_CHARS].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _limited(items: Sequence[str], what: str) -> list[str]:
    lines = [f"- {item}" for item in items[:LIST_LIMIT]]
    if len(items) > LIST_LIMIT:
        lines.append(f"- Và {len(items) - LIST_LIMIT} {what} khác.")
    return lines


def _documents(report: c.MonthlyReport) -> list[str]:
    total = report.document_count()
    if not total:
        return ["Trong kỳ báo cáo chưa ghi nhận văn bản chỉ đạo, triển khai nào."]
    parts = "; ".join(
        f"{g.title[len('Văn bản của ') :] if g.title.startswith('Văn bản của ') else g.title}: "
        f"{len(g.rows)} văn bản"
        for g in report.documents
    )
    return [
        f"Trong kỳ báo cáo (từ ngày {_day(report.period_start)} đến ngày "
        f"{_day(report.period_end)}), đã ban hành {total} văn bản chỉ đạo, triển khai ({parts}); "
        "chi tiết tại Phụ lục I."
    ]


def _tasks(report: c.MonthlyReport, facts: ReportFacts) -> list[str]:
    by_group = {g.key: len(g.rows) for g in report.tasks}
    reported = sum(by_group.values())
    counts = facts.counts
    all_tasks = sum(counts.values())
    out = []
    if reported:
        out.append(
            f"Trong kỳ, các đơn vị báo cáo tiến độ {reported} nhiệm vụ: đã hoàn thành "
            f"{by_group.get('done', 0)}; thực hiện thường xuyên {by_group.get('recurring', 0)}; "
            f"đang thực hiện {by_group.get('in_progress', 0)} (chi tiết tại Phụ lục II)."
        )
    else:
        out.append("Trong kỳ, chưa có đơn vị nào báo cáo tiến độ thực hiện nhiệm vụ.")
    if all_tasks:
        out.append(
            f"Tính đến ngày {_day(facts.as_of)}, trong tổng số {all_tasks} nhiệm vụ được "
            f"giao: hoàn thành đúng hạn {counts.get('done_on_time', 0)}; hoàn thành quá hạn "
            f"{counts.get('done_late', 0)}; đang thực hiện trong hạn "
            f"{counts.get('in_progress_within_term', 0)}; quá hạn chưa hoàn thành "
            f"{counts.get('overdue', 0)}."
        )
    if facts.by_group:
        out.append("Theo nhóm nhiệm vụ của kế hoạch:")
        out += _limited(
            [
                f"{_one_line(group)}: {total} nhiệm vụ, đã hoàn thành {done}, quá hạn {overdue}"
                for group, total, done, overdue in facts.by_group
            ],
            "nhóm",
        )
    if facts.done_in_period:
        out.append("Các nhiệm vụ hoàn thành trong kỳ:")
        out += _limited([_one_line(t) for t in facts.done_in_period], "nhiệm vụ")
    if facts.overdue:
        out.append("Các nhiệm vụ quá hạn chưa hoàn thành:")
        out += _limited(
            [
                f"{_one_line(task)} (đơn vị chủ trì: {units or 'chưa giao'}; quá hạn {days} ngày)"
                for task, units, days in sorted(facts.overdue, key=lambda x: -x[2])
            ],
            "nhiệm vụ",
        )
    if report.unreported:
        out.append(
            f"Có {len(report.unreported)} nhiệm vụ chưa có đơn vị nào báo cáo trong kỳ "
            "(danh sách và đơn vị chưa báo cáo tại Phụ lục II)."
        )
    return out


def _services(report: c.MonthlyReport) -> list[str]:
    total = report.service_total
    if total is None or not total.total:
        return ["Trong kỳ chưa có số liệu về các dịch vụ công thiết yếu."]
    online = (total.online_citizens or 0) + (total.online_businesses or 0)
    out = [
        f"Tổng số hồ sơ tiếp nhận của {len(report.services)} dịch vụ công thiết yếu là "
        f"{format_count(total.total)}, trong đó nộp trực tuyến {format_count(online)} (công dân "
        f"{format_count(total.online_citizens or 0)}, doanh nghiệp "
        f"{format_count(total.online_businesses or 0)}), đạt {format_share(total.share)}; "
        "chi tiết tại Phụ lục III."
    ]
    with_target = [s for s in report.services if s.target is not None and s.share is not None]
    below = [s for s in with_target if s.share is not None and s.share < s.target]  # type: ignore[operator]
    no_data = [s for s in report.services if s.share is None]
    if with_target:
        out.append(
            f"So với chỉ tiêu, {len(with_target) - len(below)}/{len(with_target)} dịch vụ có số "
            "liệu đạt tỷ lệ hồ sơ trực tuyến được giao."
        )
    if below:
        out.append("Các dịch vụ chưa đạt chỉ tiêu:")
        out += _limited(
            [
                f"{s.name}: {format_share(s.share)} (chỉ tiêu {format_share(s.target)})"
                for s in sorted(below, key=lambda s: s.share or 0)
            ],
            "dịch vụ",
        )
    if no_data:
        out.append(f"Có {len(no_data)} dịch vụ chưa có hồ sơ hoặc chưa có số liệu trong kỳ.")
    return out


def _submissions(report: c.MonthlyReport) -> list[str]:
    if not report.submissions:
        return ["Trong kỳ không có đơn vị nào phải báo cáo tiến độ nhiệm vụ."]
    states = Counter(r.state for r in report.submissions)
    total = len(report.submissions)
    out = [
        f"Có {states['on_time']}/{total} đơn vị gửi báo cáo đúng hạn, {states['late']} đơn vị "
        f"gửi muộn, {states['missing']} đơn vị chưa gửi (chi tiết tại Phụ lục IV)."
    ]
    late = [r for r in report.submissions if r.state == "late"]
    if late:
        out.append("Đơn vị gửi báo cáo muộn:")
        out += _limited([f"{r.unit} (muộn {r.days_late} ngày)" for r in late], "đơn vị")
    missing = [r.unit for r in report.submissions if r.state == "missing"]
    if missing:
        out.append("Đơn vị chưa gửi báo cáo:")
        out += _limited(missing, "đơn vị")
    return out


def _findings(report: c.MonthlyReport) -> list[str]:
    if not report.findings:
        return ["Kiểm tra số liệu của kỳ không còn lỗi, cảnh báo nào chưa xử lý."]
    kinds = Counter(f.severity for f in report.findings)
    parts = ", ".join(f"{n} {kind.lower()}" for kind, n in sorted(kinds.items()))
    return [f"Kiểm tra số liệu của kỳ còn {parts} chưa xử lý (chi tiết tại Phụ lục V)."]


def _said(items: Sequence[tuple[str, str]], none: str) -> list[str]:
    if not items:
        return [none]
    return _limited([f"{unit}: {_one_line(text)}" for unit, text in items], "ý kiến")


def write_body(report: c.MonthlyReport, facts: ReportFacts) -> tuple[c.Section, ...]:
    period = report.period_label[:1].lower() + report.period_label[1:]
    open_tasks = facts.counts.get("in_progress_within_term", 0) + facts.counts.get("overdue", 0)
    next_lines = [
        f"Tiếp tục thực hiện {open_tasks} nhiệm vụ chưa hoàn thành; tập trung hoàn thành "
        f"{facts.counts.get('overdue', 0)} nhiệm vụ đã quá hạn."
    ]
    if facts.next_tasks:
        next_lines.append("Các nhiệm vụ đến hạn trong tháng tới:")
        next_lines += _limited(
            [
                f"{task} — đơn vị chủ trì: {units or 'chưa giao'}"
                for task, units in facts.next_tasks
            ],
            "nhiệm vụ",
        )
    next_lines.append(
        "Các đơn vị báo cáo kết quả thực hiện đúng thời hạn quy định để Tổ công tác tổng hợp."
    )
    return (
        c.Section(f"I. KẾT QUẢ TRIỂN KHAI {period.upper()}"),
        c.Section("1. Công tác chỉ đạo, triển khai", tuple(_documents(report))),
        c.Section("2. Tiến độ thực hiện nhiệm vụ", tuple(_tasks(report, facts))),
        c.Section("3. Kết quả thực hiện 25 dịch vụ công thiết yếu", tuple(_services(report))),
        c.Section("4. Tình hình báo cáo của các đơn vị", tuple(_submissions(report))),
        c.Section("5. Kiểm tra số liệu", tuple(_findings(report))),
        c.Section(
            "II. KHÓ KHĂN, VƯỚNG MẮC",
            tuple(_said(facts.difficulties, "Các đơn vị không báo cáo khó khăn, vướng mắc.")),
        ),
        c.Section(
            "III. ĐỀ XUẤT, KIẾN NGHỊ",
            tuple(_said(facts.proposals, "Các đơn vị không có đề xuất, kiến nghị.")),
        ),
        c.Section("IV. NHIỆM VỤ TRỌNG TÂM THÁNG TỚI", tuple(next_lines)),
        c.Section(
            "",
            (
                f"Trên đây là báo cáo kết quả triển khai Đề án 06 {period} của Tổ công tác "
                f"Đề án 06 tỉnh {report.header.place}./.",
            ),
        ),
    )
