"""A plan's identity from its text: number, date, place, issuer, title, year, reporting rule."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from dean06.ingest.model import PlanMeta
from dean06.ingest.readers.base import Paragraph
from dean06.ingest.text import fold

# "Số: 18 /KH-UBND", "Số 105/KH-UBND", "Kế hoạch số 18/KH-UBND"
_NUMBER = re.compile(
    r"\b[Ss][ốôỐÔ]\s*:?\s*(\d{1,5})\s*/\s*((?:\d{4}/)?[A-ZĐ][A-ZĐa-zđ]*(?:-[A-ZĐ][A-ZĐa-zđ0-9&]*)*)",
)
# "Bắc Giang, ngày 23 tháng 01 năm 2024" ("năm" as OCR without Vietnamese data prints it too:
# "ndm", "n&m")
_PLACE_DATE = re.compile(
    r"^\s*([^\d,]{2,40}),\s*ngày\s*(\d{1,2})\s*tháng\s*(\d{1,2})\s*n\S{1,2}m\s*(\d{4})",
    re.IGNORECASE,
)
# "(Kèm theo Kế hoạch số 18/KH-UBND ngày 23/01/2024 của Chủ tịch UBND tỉnh)"
_ANNEX = re.compile(
    r"kèm\s+theo\s+(.+?)\s+số\s+(\S+?)\s+ngày\s+(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})"
    r"(?:\s+của\s+([^)]+))?",
    re.IGNORECASE,
)
# A title line of a sheet or page: "KẾ HOẠCH số 20/KH-UBND ngày 15/3/2024 của UBND tỉnh Lào Cai"
_CITED = re.compile(
    r"^\W*(?:kế\s+hoạch|quyết\s+định|chương\s+trình|chỉ\s+thị)\s+số\s+(\S+?)\s+ngày\s+"
    r"(\d{1,2})\s*(?:/|\s+tháng\s+)\s*(\d{1,2})\s*(?:/|\s+năm\s+)\s*(\d{4})"
    r"(?:\s+của\s+([^)]+))?",
    re.IGNORECASE,
)
_YEAR = re.compile(r"\bnăm\s+(20\d{2})\b", re.IGNORECASE)
_REPORT_DAY = re.compile(
    r"trước\s+(?:\*+)?ngày\s+(\d{1,2})\s+(?:của\s+)?(?:hằng|hàng|mỗi)\s+tháng", re.IGNORECASE
)
_DOC_TYPES = {
    "ke hoach": "Kế hoạch",
    "quyet dinh": "Quyết định",
    "chuong trinh": "Chương trình",
    "chi thi": "Chỉ thị",
    "thong bao": "Thông báo",
}
_ISSUERS = {"UBND": "UBND", "BCĐ": "Ban Chỉ đạo", "TCT": "Tổ công tác", "CAT": "Công an"}
# A letter's subject (công văn, Decree 30/2020 annex I): "V/v triển khai ...", under its number.
_SUBJECT = re.compile(r"^\s*V\s*/\s*v\b[\s.:]*(.+)", re.IGNORECASE)
# The national title and motto on the right of the header block, whole or in pieces: never the
# issuing body.
_NATIONAL_WORDS = frozenset(
    "cong hoa xa hoi chu nghia viet nam doc lap tu do hanh phuc".split()  # noqa: SIM905
)
# The first word of a body's name (Ủy ban, UBND, Sở, Ban, Tổ, Công an, Văn phòng, Phòng, Trung
# tâm, Bộ, Hội, Cục, Chi cục, Đoàn, Bệnh viện, Trường, Viện, Thanh tra, Đảng ủy) or of a place
# heading one (Huyện, Xã, Tỉnh, Thành phố, Quận, Phường, Thị xã).
_BODY_HEADS = frozenset(
    (  # noqa: SIM905
        "uy ubnd so ban to cong van phong trung bo hoi cuc chi doan benh truong vien thanh dang "
        "huyen xa tinh quan phuong thi"
    ).split()
)


def _date(day: str, month: str, year: str) -> dt.date | None:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def extract_metadata(paragraphs: Sequence[Paragraph]) -> PlanMeta:
    """Metadata found in the first matching paragraphs; fields stay None when absent."""
    meta = PlanMeta()
    texts = [p.text for p in paragraphs]
    head = texts[:40]
    for text in head:
        if meta.number is None:
            m = _NUMBER.search(text)
            if m and fold(text).startswith("so"):
                meta.number = f"{m.group(1)}/{m.group(2)}"
        if meta.date is None:
            # The number and the place and date side by side, as OCR prints the header block
            # on one line: "Số: 28/KH-UBND Bắc Giang, ngày 15 tháng 02 năm 2023".
            number = _NUMBER.search(text) if fold(text).startswith("so") else None
            m = _PLACE_DATE.match(text[number.end() :] if number else text)
            if m:
                meta.place = m.group(1).strip()
                meta.date = _date(m.group(2), m.group(3), m.group(4))
    annex_issuer: str | None = None
    for text in head:
        m = _CITED.search(text)
        if m and meta.number is None:
            meta.number = m.group(1).strip().rstrip(",")
            meta.date = meta.date or _date(m.group(2), m.group(3), m.group(4))
            if m.group(5):
                annex_issuer = m.group(5).strip().rstrip(".")
            break
    for text in texts:
        m = _ANNEX.search(text)
        if m:
            if meta.number is None:
                meta.number = m.group(2).strip().rstrip(",")
            if meta.date is None:
                meta.date = _date(m.group(3), m.group(4), m.group(5))
            if m.group(6):
                annex_issuer = m.group(6).strip()
            break
    meta.title = _title(head)
    meta.issuer = _issuer(meta, annex_issuer) or _header_body(head)
    meta.year = _year(meta)
    meta.reporting_rule, meta.reporting_day = _reporting(texts)
    return meta


def _title(head: Sequence[str]) -> str | None:
    """The document type line ("KẾ HOẠCH") and the paragraph under it, or an annex heading."""
    for i, text in enumerate(head):
        folded = fold(text).strip()
        if folded in _DOC_TYPES and i + 1 < len(head):
            subject = head[i + 1].strip()
            return f"{_DOC_TYPES[folded]} {subject[:1].lower()}{subject[1:]}" if subject else None
    # A letter has no type line: its subject is the "V/v ..." line under the number.
    for text in head[:15]:
        m = _SUBJECT.match(text)
        if m and m.group(1).strip():
            return f"Công văn về việc {m.group(1).strip().rstrip('.')}"
    # An appendix alone: its heading lines ("BẢNG PHÂN CÔNG ..."), up to the "(Kèm theo ...)" line.
    lines: list[str] = []
    for text in head:
        if fold(text).startswith(("(kem theo", "stt")):
            break
        if text.isupper() or (lines and text.upper() == text):
            lines.append(text.strip())
        elif lines:
            break
    return " ".join(lines) if lines else None


def _issuer(meta: PlanMeta, annex_issuer: str | None) -> str | None:
    if meta.number and "/" in meta.number:
        symbol = meta.number.split("/")[-1]
        body = symbol.split("-")[-1] if "-" in symbol else ""
        if body in _ISSUERS and meta.place:
            return f"{_ISSUERS[body]} tỉnh {meta.place}"
    return annex_issuer


def _header_body(head: Sequence[str]) -> str | None:
    """The issuing body from the header block (Decree 30/2020): the capitals above the number,
    the last of them when a parent body comes first ("UBND TỈNH PHÚ THỌ" / "SỞ Y TẾ")."""
    bodies: list[str] = []
    for text in head[:8]:
        line = text.strip()
        folded = fold(line)
        if folded.startswith(("so:", "so ")) and _NUMBER.search(line):
            return bodies[-1] if bodies else None
        words = re.findall(r"[a-z]+", folded)
        if not line or not line.isupper() or len(line) > 80 or not words:
            continue
        if set(words) <= _NATIONAL_WORDS or words[0] not in _BODY_HEADS:
            continue
        if "cong hoa" in folded or "doc lap" in folded:
            # The two columns of the header read as one line (OCR): the body is not clear.
            continue
        bodies.append(" ".join(line.split()))
    return None


def _year(meta: PlanMeta) -> int | None:
    if meta.title:
        years = _YEAR.findall(meta.title)
        if years:
            return int(years[-1])
    return meta.date.year if meta.date else None


def _reporting(texts: Sequence[str]) -> tuple[str | None, int | None]:
    """The sentence that asks units to report, with its day of the month when it names one."""
    for text in texts:
        m = _REPORT_DAY.search(text)
        if m and "bao cao" in fold(text):
            day = int(m.group(1))
            return text.strip().lstrip("-•* ").strip(), day if 1 <= day <= 31 else None
    for text in texts:
        folded = fold(text)
        if "che do" in folded and "bao cao" in folded and len(text) > 40:
            return text.strip().lstrip("-•* ").strip(), None
    return None, None
