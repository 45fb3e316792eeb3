"""A `MonthlyReport` made from the July 2024 report of the seeds without a database, for the
exporters' tests: the same documents, tasks and services the real report holds."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from dean06.ingest.report import extract_report
from dean06.kpis.shares import online_share
from dean06.reference import seed_path
from dean06.reports import content as c

TASK_TITLES = {
    "done": "NHIỆM VỤ ĐÃ HOÀN THÀNH",
    "recurring": "NHIỆM VỤ THỰC HIỆN THƯỜNG XUYÊN",
    "in_progress": "NHIỆM VỤ ĐANG THỰC HIỆN",
}


def _int(value: object) -> int | None:
    return None if value is None else int(value)  # type: ignore[call-overload]


def seed_report() -> c.MonthlyReport:
    read = extract_report(seed_path("003_9912287c508b6ad0.txt").read_bytes())
    groups: dict[str, list[c.DocumentRow]] = {}
    titles: dict[str, str] = {}
    for d in read.documents:
        titles[d.group] = d.group_title
        rows = groups.setdefault(d.group, [])
        rows.append(
            c.DocumentRow(len(rows) + 1, d.number, d.type, d.date, d.date_raw, d.summary, d.note)
        )
    documents = tuple(c.DocumentGroup(g, titles[g], tuple(rows)) for g, rows in groups.items())
    tasks = []
    for roman, key in (("I", "done"), ("II", "recurring"), ("III", "in_progress")):
        rows_t = [t for t in read.tasks if t.group == key]
        tasks.append(
            c.TaskGroup(
                roman,
                key,  # type: ignore[arg-type]
                TASK_TITLES[key],
                tuple(
                    c.TaskRow(i, t.content, t.assigning_document, t.lead_unit, t.progress, t.result)
                    for i, t in enumerate(rows_t, 1)
                ),
            )
        )
    services = tuple(
        c.ServiceRow(
            stt=i,
            name=s.name,
            online_citizens=_int(s.online_citizens),
            online_businesses=_int(s.online_businesses),
            total=_int(s.total),
            share=online_share(_int(s.online_citizens), _int(s.online_businesses), _int(s.total)),
            staff_province=s.staff_province or "",
            staff_district=s.staff_district or "",
            staff_commune=s.staff_commune or "",
            target=Decimal("80"),
        )
        for i, s in enumerate(read.services, 1)
    )
    sums = [
        sum(getattr(s, f) or 0 for s in services)
        for f in ("online_citizens", "online_businesses", "total")
    ]
    total = c.ServiceTotal(sums[0], sums[1], sums[2], online_share(sums[0], sums[1], sums[2]))
    header = c.Header(
        superior_body="UBND TỈNH BẮC GIANG",
        issuing_body="TỔ CÔNG TÁC TRIỂN KHAI ĐỀ ÁN 06",
        number_symbol="Số:        /BC-TCTĐA06",
        place="Bắc Giang",
        date=None,
        title="BÁO CÁO",
        subject="Kết quả triển khai Đề án 06 tháng 7/2024",
        recipients=("UBND tỉnh (b/c);", "Tổ công tác Đề án 06 Chính phủ (b/c);", "Lưu: VT."),
        signer_role="TM. TỔ CÔNG TÁC",
        signer_title="TỔ TRƯỞNG",
        signer_name="",
    )
    body = (
        c.Section("I. KẾT QUẢ TRIỂN KHAI", ("Trong tháng, các đơn vị đã ban hành 30 văn bản.",)),
        c.Section("II. NHIỆM VỤ THÁNG TỚI", ("Tiếp tục thực hiện các nhiệm vụ đang thực hiện.",)),
    )
    return c.MonthlyReport(
        period_label="Tháng 7/2024",
        year=2024,
        month=7,
        period_start=dt.date(2024, 6, 15),
        period_end=dt.date(2024, 7, 14),
        header=header,
        body=body,
        documents=documents,
        tasks=tuple(tasks),
        unreported=(
            c.UnreportedTask(
                1, "Nhiệm vụ chưa báo cáo", "KH số 18/KH-UBND", "Năm 2024", ("Sở Y tế",)
            ),
        ),
        services=services,
        service_total=total,
        submissions=(
            c.SubmissionRow(1, "Công an tỉnh", "on_time", dt.date(2024, 7, 12)),
            c.SubmissionRow(2, "Sở Y tế", "late", dt.date(2024, 7, 17), 3),
            c.SubmissionRow(3, "UBND huyện Lục Nam", "missing"),
        ),
        findings=(
            c.FindingRow(
                1, "Lỗi", "Phụ lục III, dòng 18", "Tỷ lệ in ra khác tỷ lệ tính từ số liệu."
            ),
        ),
    )
