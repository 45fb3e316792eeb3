"""What a consolidated monthly report says, as plain data (no Django): the builder fills it from
the database, every exporter (Word, Excel, PDF) lays it out, and a generated report keeps it as
JSON so the file that was sent can be made again, byte for byte the same content, after the data
has changed.

Values stay raw (int, Decimal, date): each exporter formats them its own way (Word prints
"45.902" and "93,90%", Excel keeps numbers and writes formulas).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Literal

from dean06.ingest.model import from_jsonable, jsonable

TaskGroupKey = Literal["done", "recurring", "in_progress"]
SubmissionState = Literal["on_time", "late", "missing"]

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Header:
    """The header block of an administrative document (Decree 30/2020, Form 1.1)."""

    superior_body: str  # "UBND TỈNH BẮC GIANG"
    issuing_body: str  # "TỔ CÔNG TÁC TRIỂN KHAI ĐỀ ÁN 06"
    number_symbol: str  # "Số:        /BC-TCTĐA06" — the number is left for the clerk
    place: str  # "Bắc Giang"
    date: dt.date | None  # None: "ngày     tháng     năm" left for the clerk
    title: str  # "BÁO CÁO"
    subject: str  # "Kết quả triển khai Đề án 06 tháng 7/2024"
    recipients: tuple[str, ...] = ()  # "Nơi nhận"
    signer_role: str = ""  # "TM. TỔ CÔNG TÁC" / "TỔ TRƯỞNG"
    signer_title: str = ""
    signer_name: str = ""


@dataclass(frozen=True)
class Section:
    """A part of the body: a heading ("I. KẾT QUẢ ...") and its paragraphs."""

    heading: str
    paragraphs: tuple[str, ...] = ()


@dataclass(frozen=True)
class DocumentRow:
    stt: int
    number: str
    doc_type: str  # as printed: "Công văn", "Kế hoạch"
    date: dt.date | None
    date_raw: str  # what the record holds when the date could not be read
    summary: str
    note: str = ""  # the issuing unit for group III


@dataclass(frozen=True)
class DocumentGroup:
    roman: str  # "I"
    title: str  # "Văn bản của UBND tỉnh"
    rows: tuple[DocumentRow, ...] = ()


@dataclass(frozen=True)
class TaskRow:
    stt: int
    content: str
    assigning_document: str
    lead_unit: str
    timeframe: str  # "Tiến độ, thời gian": the task's deadline as the plan wrote it
    result: str  # "Kết quả": what the units reported this period


@dataclass(frozen=True)
class TaskGroup:
    roman: str
    key: TaskGroupKey
    title: str  # "NHIỆM VỤ ĐÃ HOÀN THÀNH"
    rows: tuple[TaskRow, ...] = ()


@dataclass(frozen=True)
class UnreportedTask:
    """A task due to be reported in the period on which some unit reported nothing."""

    stt: int
    content: str
    assigning_document: str
    timeframe: str
    owing_units: tuple[str, ...]


@dataclass(frozen=True)
class ServiceRow:
    stt: int
    name: str
    online_citizens: int | None
    online_businesses: int | None
    total: int | None
    share: Decimal | None  # computed from the counts, never as typed
    on_time: int | None = None
    overdue: int | None = None
    staff_total: int | None = None
    staff_province: str = ""  # "x" where the level does it, as the report marks it
    staff_district: str = ""
    staff_commune: str = ""
    target: Decimal | None = None  # the target share in force at the period's end


@dataclass(frozen=True)
class ServiceTotal:
    """The "Tổng số" row: the true sums of the rows above, the share computed from them."""

    online_citizens: int | None
    online_businesses: int | None
    total: int | None
    share: Decimal | None
    on_time: int | None = None
    overdue: int | None = None
    staff_total: int | None = None


@dataclass(frozen=True)
class SubmissionRow:
    stt: int
    unit: str
    state: SubmissionState
    submitted_on: dt.date | None = None
    days_late: int = 0
    missing_tasks: int = 0  # tasks the unit sent nothing on while it reported others

    @property
    def label(self) -> str:
        """ "Đúng hạn", "Muộn 3 ngày", "Chưa gửi"; ", còn 2 nhiệm vụ chưa báo cáo" when partial."""
        text = {"on_time": "Đúng hạn", "late": f"Muộn {self.days_late} ngày"}.get(
            self.state, "Chưa gửi"
        )
        if self.state != "missing" and self.missing_tasks:
            text += f", còn {self.missing_tasks} nhiệm vụ chưa báo cáo"
        return text


@dataclass(frozen=True)
class FindingRow:
    stt: int
    severity: str  # "Lỗi" / "Cảnh báo"
    where: str  # "Phụ lục III, dòng 18" or the unit and service
    message: str


@dataclass(frozen=True)
class MonthlyReport:
    """The whole report of one period."""

    period_label: str  # "Tháng 7/2024"
    year: int
    month: int
    period_start: dt.date
    period_end: dt.date
    header: Header
    body: tuple[Section, ...] = ()
    documents: tuple[DocumentGroup, ...] = ()
    tasks: tuple[TaskGroup, ...] = ()
    unreported: tuple[UnreportedTask, ...] = ()
    services: tuple[ServiceRow, ...] = ()
    service_total: ServiceTotal | None = None
    submissions: tuple[SubmissionRow, ...] = ()
    findings: tuple[FindingRow, ...] = ()
    schema: int = SCHEMA_VERSION

    @property
    def attachment_line(self) -> str:
        """ "(Kèm theo Báo cáo số      /BC-TCTĐA06 ngày      /8/2024 của Tổ công tác Đề án 06
        tỉnh Bắc Giang)" under each appendix title, as the province's reports print it."""
        number = self.header.number_symbol
        if number[:3].lower() == "số:":
            number = number[3:]
        day = self.header.date
        month, year = (self.month % 12 + 1, self.year + (self.month == 12))
        when = f"{day:%d/%m/%Y}" if day else f"     /{month}/{year}"
        return (
            f"(Kèm theo {self.header.title.capitalize()} số{number} ngày {when} của Tổ công tác "
            f"Đề án 06 tỉnh {self.header.place})"
        )

    def document_count(self) -> int:
        return sum(len(g.rows) for g in self.documents)

    def task_count(self) -> int:
        return sum(len(g.rows) for g in self.tasks)

    # --- JSON (the snapshot a generated report keeps) ----------------------------------------

    def to_json(self) -> str:
        return json.dumps(jsonable(asdict(self)), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> MonthlyReport:
        report: MonthlyReport = from_jsonable(cls, json.loads(text))
        return report


__all__ = [
    "DocumentGroup",
    "DocumentRow",
    "FindingRow",
    "Header",
    "MonthlyReport",
    "Section",
    "ServiceRow",
    "ServiceTotal",
    "SubmissionRow",
    "TaskGroup",
    "TaskRow",
    "UnreportedTask",
]
