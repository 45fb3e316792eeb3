"""Reader for plain text OCR'd by tesseract, with or without Vietnamese data (diacritics lost or
garbled), in the shapes its page segmentation gives a table: one row per line (psm 4/6, lines.py)
or each cell a block of its own, cells or whole columns one after another (psm 3, blocks.py).
Words are read through vocabulary.py (registry unit words, deadline words, OCR confusions)."""

from __future__ import annotations

from collections.abc import Sequence

from dean06.ingest.model import IngestError, Source, UnitRegistry
from dean06.ingest.readers.base import Block, Document, Paragraph, Progress, Table, TableRow
from dean06.ingest.readers.ocrtext.detection import looks_like_ocr_text
from dean06.ingest.readers.ocrtext.lines import Builder, estimate_widths, is_header_line
from dean06.ingest.readers.ocrtext.narrative import ProseLine, paragraph_text, paragraphs
from dean06.ingest.readers.ocrtext.vocabulary import (
    GROUP,
    HEADER,
    Tok,
    Vocabulary,
    tokenize,
    vocabulary,
)

__all__ = [
    "HEADER",
    "Tok",
    "Vocabulary",
    "looks_like_ocr_text",
    "read",
    "read_text",
    "tokenize",
    "vocabulary",
]


def read(
    data: bytes, *, progress: Progress | None = None, registry: UnitRegistry | None = None
) -> Document:
    """Paragraphs before the table, then the table rebuilt (see the module docstring)."""
    from dean06.ingest.readers.text import decode

    text = decode(data)
    if not text.strip():
        raise IngestError("Tệp văn bản rỗng.", "the text file is empty")
    return read_text(text, registry=registry, progress=progress)


def _table_start(lines: Sequence[str]) -> int | None:
    from dean06.ingest.text import fold

    for i, line in enumerate(lines):
        stripped = line.strip()
        folded = fold(stripped)
        if is_header_line(stripped) or folded.startswith("phu luc"):
            return i
        group = GROUP.match(stripped)
        if group and "nhom" in fold(group.group(2)):
            return i
    return None


# The column orders this reader rebuilds rows from: the task's text, perhaps its product, then
# the units and the time in either order, perhaps a note last.
_READ_ORDERS = (
    ("stt", "content", "product", "lead", "coord", "deadline", "note"),
    ("stt", "content", "product", "deadline", "lead", "coord", "note"),
)
_ROLE_NAMES = {
    "stt": "STT",
    "content": "Nội dung",
    "lead": "Chủ trì",
    "coord": "Phối hợp",
    "deadline": "Thời gian",
    "note": "Ghi chú",
    "product": "Sản phẩm",
    "start": "Thời gian nhận",
    "ignore": "cột khác",
}


def header_roles(lines: Sequence[str], start: int, vocab: Vocabulary) -> list[str]:
    """The columns the table's first header names, left to right: its header on one line, or its
    header cells one per line (psm 3). Words are read as printed and through the OCR confusions
    ("phéi hop"), whichever names more columns."""
    from dean06.ingest.layout.tables import named_columns

    def roles_of(text: str) -> list[str]:
        repaired = " ".join(k for t in tokenize(text, vocab) for k in t.keys)
        return max(named_columns(text), named_columns(repaired), key=len)

    window = [ln.replace("\f", "").strip() for ln in lines[start : start + 60]]
    window = [ln for ln in window if ln]
    for line in window:
        roles = roles_of(line)
        if len(roles) >= 3:
            return roles
    for k in range(len(window)):
        run: list[str] = []
        for line in window[k : k + 16]:
            if len(line) > 30:
                break
            run.append(line)
        roles = roles_of(" ".join(run))
        if len(roles) >= 3:
            return roles
    return []


def time_first(roles: Sequence[str]) -> bool:
    """The time column comes before the units ("Nội dung | Thời gian | Chủ trì | Phối hợp")."""
    units = [k for k, r in enumerate(roles) if r in ("lead", "coord")]
    return "deadline" in roles and bool(units) and roles.index("deadline") < units[0]


def _after_content(roles: Sequence[str]) -> str | None:
    """The column right after the task's text."""
    if "content" not in roles:
        return None
    k = roles.index("content")
    return roles[k + 1] if k + 1 < len(roles) else None


def _follows_up(roles: Sequence[str]) -> bool:
    """The last column is one this reader does not keep ("Theo dõi, đôn đốc"), after the units."""
    return len(roles) >= 2 and roles[-1] == "ignore" and roles[-2] in ("lead", "coord", "deadline")


def layout_warning(roles: Sequence[str]) -> str | None:
    """A warning when the header's columns are not in an order this reader rebuilds rows from
    (a follow-up column, a product column away from the text, the units before the text)."""

    def readable(order: Sequence[str]) -> bool:
        return all(r in order for r in roles) and list(roles) == sorted(roles, key=order.index)

    if not roles or any(readable(order) for order in _READ_ORDERS):
        return None
    order = ", ".join(_ROLE_NAMES[r] for r in roles)
    return (
        f"Bảng trong văn bản OCR có các cột theo thứ tự: {order}. Văn bản OCR không giữ vị trí "
        "cột, nên với thứ tự cột này nội dung, đơn vị và thời hạn có thể bị ghép sai: nên tải "
        "lên chính bản quét (PDF hoặc ảnh) để đọc theo lưới bảng, hoặc rà soát từng nhiệm vụ."
    )


def _ends_table(line: str) -> bool:
    """The note under a table ("Ghi chú: các đơn vị báo cáo ...") or the list of recipients ends
    it; "Ghi chú" alone is the header cell of a note column (psm 3 prints it on its own line)."""
    from dean06.ingest.text import fold

    folded = fold(line)
    if folded.startswith("noi nhan"):
        return True
    return folded.startswith("ghi chu") and (":" in line or len(folded.split()) > 3)


def read_text(
    text: str, *, registry: UnitRegistry | None = None, progress: Progress | None = None
) -> Document:
    registry = registry if registry is not None else UnitRegistry.default()
    builder = Builder(registry)
    lines = text.replace("\r\n", "\n").split("\n")
    start = _table_start(lines)
    roles = header_roles(lines, start, builder.vocab) if start is not None else []
    if start is not None:
        table_tokens = [tokenize(ln, builder.vocab) for ln in lines[start:]]
        builder.widths = estimate_widths(
            table_tokens,
            builder.vocab,
            time_first=time_first(roles),
            product=_after_content(roles) == "product",
            follow_up=_follows_up(roles),
        )
    blocks: list[Block]
    page = 1
    table_line: int | None = None
    ended = False
    prose: list[ProseLine] = []
    new_paragraph = True
    for number, raw in enumerate(lines, start=1):
        if progress is not None and number % 200 == 0:
            progress(number, len(lines), "đọc văn bản OCR")
        if "\f" in raw:
            page += raw.count("\f")
            builder.blank()  # a block never goes on across a page
        line = raw.replace("\f", "").strip()
        if not line:
            builder.blank()
            new_paragraph = True
            continue
        source = Source(page=page, line=number)
        in_table = start is not None and number - 1 >= start and not ended
        if in_table and _ends_table(line) and builder.rows:
            ended = True
            in_table = False
        if in_table:
            before = len(builder.rows) + (builder.row is not None)
            builder.add_line(line, source)
            if table_line is None and len(builder.rows) + (builder.row is not None) > before:
                table_line = number
            if table_line is not None or builder.row is not None or builder.rows:
                new_paragraph = True
                continue
        prose.append(ProseLine(line, source, new_paragraph))
        new_paragraph = False
    blocks = [
        Paragraph(text=paragraph_text(text, builder.vocab), source=source)
        for text, source in paragraphs(prose)
    ]
    builder.finish()
    warning = layout_warning(roles)
    if warning is not None:
        builder.warnings.insert(0, warning)
    if builder.rows:
        rows = [TableRow(cells=list(HEADER), header=True), *builder.rows]
        table = Table(rows=rows, source=Source(page=None, line=table_line))
        # The table goes where it started among the paragraphs.
        index = next(
            (
                k
                for k, b in enumerate(blocks)
                if isinstance(b, Paragraph) and (b.source.line or 0) > (table_line or 0)
            ),
            len(blocks),
        )
        blocks.insert(index, table)
    if not blocks:
        raise IngestError("Văn bản OCR không có nội dung.", "the OCR text has no content")
    return Document(blocks=blocks, format="ocr-text", pages=page, warnings=builder.warnings)
