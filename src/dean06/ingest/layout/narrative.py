"""Tasks written as running text: "breakthrough" blocks with `Đơn vị chủ trì:` bullets (2024 plan)
and per-unit sections ("1. Công an tỉnh - ..." followed by dash bullets, 2023 plan).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from dean06.ingest.deadlines import parse_deadline
from dean06.ingest.layout.tables import units_of
from dean06.ingest.model import Deadline, ExtractedSection, ExtractedTask, Source, UnitRef
from dean06.ingest.readers.base import Paragraph
from dean06.ingest.text import fold
from dean06.ingest.units import UnitResolver

ROMAN_HEADING = re.compile(r"^\s*([IVX]{1,5})\s*[.)]\s+(\S.*)$")
NUM_HEADING = re.compile(r"^\s*(\d{1,2}(?:\.\d{1,2}){0,3})\s*[.)]?\s+(\S.*)$")
# "* Nhiệm vụ 1: ...", "- Nhiệm vụ: ...", "Nhiệm vụ 2. ..."
TASK_LABEL = re.compile(r"^\s*[-*•+]?\s*Nhiệm\s+vụ\s*(\d{1,2})?\s*[:.]\s*(.*)$", re.IGNORECASE)
FIELD = re.compile(
    r"^\s*[-*•+]?\s*(Đơn\s+vị\s+chủ\s+trì|Cơ\s+quan\s+chủ\s+trì|Chủ\s+trì|Đơn\s+vị\s+phối\s+hợp|"
    r"Cơ\s+quan\s+phối\s+hợp|Phối\s+hợp|Đơn\s+vị\s+thực\s+hiện|Cơ\s+quan\s+thực\s+hiện|"
    r"Thời\s+gian\s+thực\s+hiện|Thời\s+gian\s+hoàn\s+thành|Thời\s+hạn(?:\s+hoàn\s+thành)?|"
    r"Tiến\s+độ(?:\s+thực\s+hiện)?|Sản\s+phẩm|Kết\s+quả\s+cần\s+đạt)\s*:\s*(.*)$",
    re.IGNORECASE,
)
BULLET = re.compile(r"^\s*(?:[-–•+]|[a-zđ]\))\s*(\S.*)$")
# An in-line deadline at the end of a bullet: "..., thời gian hoàn thành trong quý I/2023."
INLINE_DEADLINE = re.compile(
    r"[,;.(]?\s*(?:thời\s+gian|thời\s+hạn)\s*(?:hoàn\s+thành|thực\s+hiện)?\s*:?\s*(.+?)\)?\.?\s*$"
    r"|[,;]\s*((?:hoàn\s+thành|xong)\s+(?:trong|trước)\s+.+?)\.?\s*$",
    re.IGNORECASE,
)
STOP = ("phu luc", "noi nhan")


@dataclass
class NarrativeLayout:
    sections: list[ExtractedSection] = field(default_factory=list)
    tasks: list[ExtractedTask] = field(default_factory=list)
    unplaced: list[tuple[str, Source]] = field(default_factory=list)


@dataclass
class _Block:
    code: str
    section: str
    content: str
    source: Source
    fields: dict[str, str] = field(default_factory=dict)


def _role(label: str) -> str:
    folded = fold(label)
    if "phoi hop" in folded:
        return "coord"
    if "chu tri" in folded or ("thuc hien" in folded and "thoi gian" not in folded):
        return "lead"
    if "san pham" in folded or "ket qua" in folded:
        return "product"
    return "deadline"


class _Walker:
    def __init__(self, resolver: UnitResolver, plan_date: dt.date | None, year: int | None) -> None:
        self.resolver = resolver
        self.plan_date = plan_date
        self.year = year
        self.out = NarrativeLayout()
        self.roman = ""
        self.roman_title = ""
        self.path: list[str] = []
        self.heading_title = ""
        self.heading_source = Source()
        self.block: _Block | None = None
        self.label_count = 0
        self.unit_section: tuple[str, list[UnitRef]] | None = None
        self.unit_count = 0
        self.titles: dict[str, str] = {}

    # -- helpers --------------------------------------------------------------------------------

    def code(self, *extra: str) -> str:
        parts = [p for p in (self.roman, *self.path, *extra) if p]
        return ".".join(parts)

    def _ensure_section(self, code: str, title: str, parent: str | None, source: Source) -> None:
        if not any(s.code == code for s in self.out.sections):
            self.out.sections.append(
                ExtractedSection(code=code, title=title, parent=parent, source=source)
            )

    def _flush(self) -> None:
        block, self.block = self.block, None
        if block is None:
            return
        if not any(k in block.fields for k in ("lead", "coord")):
            # A deadline or product with no unit: it reads like a task, the reviewer must place it.
            if block.fields:
                self.out.unplaced.append((block.content or block.code, block.source))
            return
        lead, coord = units_of(
            block.fields.get("lead", ""), block.fields.get("coord", ""), self.resolver
        )
        raw = " ".join(block.fields.get("deadline", "").split()).rstrip(".")
        deadline = parse_deadline(raw, plan_date=self.plan_date, year=self.year)
        self.out.tasks.append(
            ExtractedTask(
                code=block.code,
                section=block.section,
                content=block.content,
                lead_units=lead,
                coordinating_units=coord,
                deadline=deadline,
                source=block.source,
                product=block.fields.get("product", ""),
                origin="narrative",
            )
        )

    def _start_block(self, code: str, content: str, source: Source) -> None:
        self._flush()
        if not code:
            # Blocks before any numbered heading: numbered in order of appearance.
            code = f"NV{sum(1 for t in self.out.tasks if t.origin == 'narrative') + 1}"
        top = ".".join(p for p in (self.roman, *self.path[:1]) if p)
        self.block = _Block(code=code, section=top or code, content=content, source=source)

    # -- walking --------------------------------------------------------------------------------

    def heading(self, roman: str | None, number: str | None, title: str, source: Source) -> None:
        self._flush()
        self.unit_section = None
        if roman:
            self.roman, self.roman_title, self.path = roman, title, []
        elif number:
            self.path = number.split(".")
            self.label_count = 0
            unit = self._unit_heading(title)
            if unit is not None:
                self.unit_section = (self.code(), unit)
                self.unit_count = 0
                parent = self.roman or None
                self._ensure_section(self.code(), title, parent, source)
        self.heading_title = title
        self.heading_source = source

    def _unit_heading(self, title: str) -> list[UnitRef] | None:
        """The unit a per-unit heading names ("Công an tỉnh - Cơ quan thường trực ..."), when the
        enclosing section lists tasks ("NHIỆM VỤ CỤ THỂ") and the heading is a unit's name."""
        if "nhiem vu" not in fold(self.roman_title) or len(self.path) != 1:
            return None
        name = re.split(r"\s+[-–]\s+|:|\(", title, maxsplit=1)[0].strip()
        if not name or len(name.split()) > 12:
            return None
        refs = self.resolver.parse_units(name)
        if refs and all(r.resolved and r.confidence >= 0.8 for r in refs):
            return list(refs)
        return None

    def paragraph(self, text: str, source: Source) -> None:
        if self.unit_section is not None:
            self._unit_bullet(text, source)
            return
        label = TASK_LABEL.match(text)
        if label:
            self.label_count += 1
            number = label.group(1)
            extra = (number,) if number else ()
            self._start_block(self.code(*extra), label.group(2).strip(), source)
            self._section_for_block(source)
            return
        m = FIELD.match(text)
        if m:
            if self.block is None:
                # Fields right under a heading: the heading is the task ("3.4. Đẩy mạnh ...").
                self._start_block(self.code(), self.heading_title, self.heading_source)
                self._section_for_block(self.heading_source)
            block = self.block
            if block is None:
                return
            role = _role(m.group(1))
            value = m.group(2).strip()
            old = block.fields.get(role)
            block.fields[role] = f"{old}; {value}" if old else value
            return
        if self.block is not None and not self.block.fields:
            # The task text goes on in the next paragraph.
            self.block.content = f"{self.block.content}\n{text}".strip()

    def _section_for_block(self, source: Source) -> None:
        if self.block is None:
            return
        code = self.block.section
        title = self.heading_title if len(self.path) == 1 else self._parent_title
        self._ensure_section(code, title, self.roman or None, source)

    @property
    def _parent_title(self) -> str:
        return self.titles.get(".".join(p for p in (self.roman, *self.path[:1]) if p), "")

    def _unit_bullet(self, text: str, source: Source) -> None:
        bullet = BULLET.match(text)
        if not bullet or self.unit_section is None:
            return
        body = bullet.group(1).strip()
        self.unit_count += 1
        code, lead = self.unit_section
        deadline = Deadline(raw="")
        m = INLINE_DEADLINE.search(body)
        if m:
            raw = (m.group(1) or m.group(2) or "").strip()
            parsed = parse_deadline(raw, plan_date=self.plan_date, year=self.year)
            if parsed.kind != "unknown":
                deadline = parsed
        self.out.tasks.append(
            ExtractedTask(
                code=f"{code}.{self.unit_count}",
                section=code,
                content=body,
                lead_units=list(lead),
                deadline=deadline,
                source=source,
                origin="unit_section",
            )
        )

    def finish(self) -> NarrativeLayout:
        self._flush()
        return self.out


def layout_narrative(
    paragraphs: Sequence[Paragraph],
    resolver: UnitResolver,
    *,
    plan_date: dt.date | None = None,
    year: int | None = None,
) -> NarrativeLayout:
    """Tasks of the body text, up to the appendix ("Phụ lục") or the distribution list."""
    walker = _Walker(resolver, plan_date, year)
    titles = walker.titles
    for p in paragraphs:
        text = p.text.strip()
        folded = fold(text)
        if folded.startswith(STOP) and len(folded) < 80:
            break
        roman = ROMAN_HEADING.match(text)
        if roman and (
            p.level is not None or text[: len(roman.group(1)) + 20].isupper() or len(text) < 120
        ):
            walker.heading(roman.group(1), None, roman.group(2).strip(), p.source)
            titles[walker.roman] = roman.group(2).strip()
            continue
        num = NUM_HEADING.match(text)
        if num and not FIELD.match(text) and _is_heading(p, num.group(2)):
            walker.heading(None, num.group(1), num.group(2).strip(), p.source)
            titles[walker.code()] = num.group(2).strip()
            continue
        walker.paragraph(text, p.source)
    return walker.finish()


def _is_heading(p: Paragraph, title: str) -> bool:
    """A numbered line is a heading when the format says so or when it starts with a capital
    (list items in running text start like "1 năm 2025")."""
    if p.level is not None:
        return True
    return bool(title) and title[0].isupper()
