"""Plain-text tables of an extraction, for `dean06 extract --format table` and previews."""

from __future__ import annotations

import textwrap

from dean06.ingest.model import Deadline, ExtractedPlan, UnitRef


def _units(refs: list[UnitRef]) -> str:
    parts = []
    for ref in refs:
        mark = "" if ref.resolved and ref.confidence >= 0.85 else " (?)"
        parts.append(f"{ref.name}{mark}")
    return "; ".join(parts) or "—"


def deadline_text(deadline: Deadline) -> str:
    bits = []
    if deadline.due_date:
        bits.append(deadline.due_date.strftime("%d/%m/%Y"))
    if deadline.start_date:
        bits.append(f"từ {deadline.start_date:%d/%m/%Y}")
    if deadline.recurring:
        bits.append("thường xuyên")
    if not bits:
        bits.append(
            {"on_request": "khi có yêu cầu", "external": "theo lộ trình riêng"}.get(
                deadline.kind, deadline.raw or "—"
            )
        )
    return ", ".join(bits)


def plan_table(plan: ExtractedPlan, *, width: int = 60) -> str:
    meta = plan.plan
    lines = [
        f"Kế hoạch: {meta.number or '?'}  ngày {meta.date:%d/%m/%Y}"
        if meta.date
        else f"Kế hoạch: {meta.number or '?'}",
        f"Cơ quan ban hành: {meta.issuer or '?'}   Năm: {meta.year or '?'}",
    ]
    if meta.title:
        lines.append("Trích yếu: " + textwrap.shorten(meta.title, 160))
    lines.append("")
    lines.append("Nhóm nhiệm vụ (theo văn bản / tìm thấy):")
    for section in plan.sections:
        declared = "?" if section.declared_count is None else str(section.declared_count)
        flag = "" if section.declared_count in (None, section.found_count) else "  ⚠"
        lines.append(
            f"  {section.code:<8} {declared:>3} / {section.found_count:<3} "
            f"{textwrap.shorten(section.title, 70)}{flag}"
        )
    lines.append("")
    lines.append(f"{'Mã':<9} {'Nội dung':<{width}} {'Chủ trì':<32} {'Phối hợp':<32} Thời hạn")
    for task in plan.tasks:
        lines.append(
            f"{task.code:<9} {textwrap.shorten(task.content, width):<{width}} "
            f"{textwrap.shorten(_units(task.lead_units), 32):<32} "
            f"{textwrap.shorten(_units(task.coordinating_units), 32):<32} "
            f"{deadline_text(task.deadline)}"
        )
    lines.append("")
    lines.append(f"Tổng: {len(plan.tasks)} nhiệm vụ, {len(plan.warnings)} cảnh báo.")
    for warning in plan.warnings:
        where = warning.task or warning.section or ""
        lines.append(f"  ⚠ [{warning.code}] {where}: {warning.message}")
    return "\n".join(lines)
