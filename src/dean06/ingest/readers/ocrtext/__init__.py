"""Reader for plain text OCR'd by tesseract, with or without Vietnamese data (diacritics lost or
garbled), in the shapes its page segmentation gives a table: one row per line (psm 4/6, lines.py)
or each cell a block of its own, cells or whole columns one after another (psm 3, blocks.py).
Words are read through vocabulary.py (registry unit words, deadline words, OCR confusions)."""

from __future__ import annotations

from collections.abc import Sequence

from dean06.ingest.model import IngestError, Source, UnitRegistry
from dean06.ingest.readers.base import Block, Document, Paragraph, Progress, Table
from dean06.ingest.readers.ocrtext.blocks import Cells, cell_names, days_column
from dean06.ingest.readers.ocrtext.columns import (
    after_content,
    counts_days,
    first_row_of_cells,
    follows_up,
    header_cell,
    header_roles,
    layout_warning,
    named_body_words,
    narrow_blocks,
    time_first,
    unit_cell_width,
)
from dean06.ingest.readers.ocrtext.columnwise import (
    ColumnPage,
    ColumnRow,
    ends_table,
    read_columns,
)
from dean06.ingest.readers.ocrtext.detection import accented, looks_like_ocr_text
from dean06.ingest.readers.ocrtext.lines import Builder, estimate_widths, is_header_line
from dean06.ingest.readers.ocrtext.narrative import ProseLine, paragraph_text, paragraphs
from dean06.ingest.readers.ocrtext.numbering import (
    number_path,
    numbered_in_groups,
    transition_cost,
)
from dean06.ingest.readers.ocrtext.vocabulary import (
    GROUP,
    HEADER,
    HEADER_CELLS_SPAN,
    MIN_NUMBERED_ROWS,
    NARROW_SHARE,
    NUMBER_SKIP_COST,
    UNIT_LINE_WIDTH,
    UNIT_WIDTH,
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


def _table_start(lines: Sequence[str], vocab: Vocabulary) -> int | None:
    """Where the task table starts: its header (on one line, or its cells on lines of their own
    as psm 3 prints them), or a group row ("A. NHÓM ...") before it. The appendix's title
    ("Phụ lục ...") starts it only where no header is read: an appendix may hold another table
    first (figures: "Chỉ tiêu", "Số lượng"), whose rows are not tasks."""
    from dean06.ingest.text import fold

    appendix = group = None
    for i, line in enumerate(lines):
        stripped = line.strip()
        if is_header_line(stripped) or (stripped and _header_cells_from(lines, i, vocab)):
            return i if group is None else group
        if appendix is None and fold(stripped).startswith("phu luc"):
            appendix = i
        match = GROUP.match(stripped)
        if group is None and match and "nhom" in fold(match.group(2)):
            group = i
    candidates = [i for i in (appendix, group) if i is not None]
    return min(candidates) if candidates else None


def _numbered_start(lines: Sequence[str], start: int | None) -> int | None:
    """The table's start, given where its header, title or group row is (None: none read), and
    its rows' numbers: pages from the middle of a table (pasted one after another, the first
    page's header garbled) start at the first row number where three or more follow on, when
    the numbers after the header read go on from those before it ("5.4" before, "6" after), not
    begin again at "1" (a letter's numbered requests or a figures table before the tasks)."""
    before, _ = number_path(lines[:start] if start is not None else lines)
    if len(before) < MIN_NUMBERED_ROWS:
        return start
    if start is None:
        return min(before)
    after, _ = number_path(lines[start:])
    if not after:
        return start
    last, first = before[max(before)], after[min(after)]
    cost = transition_cost(last, first, "." in last)
    # (Going on: the next number, or one lost; "10" after a letter's "3" is a cell's figure.)
    if first in ("1", "1.1") or cost is None or cost > NUMBER_SKIP_COST:
        return start
    return min(before)


def _header_cells_from(lines: Sequence[str], start: int, vocab: Vocabulary) -> bool:
    """A header printed cell by cell from this line: short blocks of lines (blank lines between
    the cells; see columns.header_cell) that name at least three roles (number, text, units,
    time) and nothing else."""
    roles: set[str] = set()
    block: list[str] = []
    for line in [*lines[start : start + HEADER_CELLS_SPAN], ""]:
        stripped = line.strip()
        if stripped:
            block.append(stripped)
            continue
        if not block:
            continue
        named = header_cell(" ".join(block), vocab)
        block = []
        if named is None:
            break
        roles.update(named)
    return len(roles - {"stt"}) >= 3


COLUMNS_READ = (
    "Bảng trong bản OCR in từng cột liền nhau (bảng không kẻ cột): ô của mỗi cột được ghép với "
    "nhiệm vụ theo thứ tự; nhiệm vụ nào có số ô các cột không khớp được nêu riêng để rà soát."
)


def _put_columns(builder: Builder, page: ColumnPage) -> None:
    """A page read column by column (columnwise.py) into the builder, row by row; first the ends
    of the cells of the page before's last row, where that page was read row by row."""
    if page.carried is not None:
        ends = (page.carried.content, page.carried.lead, page.carried.coord, page.carried.time)
        builder.extend_last_row([" ".join(end) for end in ends])
    for item in page.items:
        source = Source(page=item.page, line=item.first + 1)
        if isinstance(item, ColumnRow):
            cells = Cells(
                content=[" ".join(item.content)],
                units=[" ".join(item.lead), " ".join(item.coord)],
                deadline=[" ".join(item.time)],
                numbered=item.aligned,
            )
            builder.add_cells_row(item.number, cells, source)
        elif item.letter:
            builder.group(item.letter, item.title, source)
        else:
            builder.subgroup(item.number or builder.next_subgroup(), item.title, source)


def read_text(
    text: str, *, registry: UnitRegistry | None = None, progress: Progress | None = None
) -> Document:
    registry = registry if registry is not None else UnitRegistry.default()
    builder = Builder(registry)
    builder.accented = accented(text)
    lines = text.replace("\r\n", "\n").split("\n")
    start = _numbered_start(lines, _table_start(lines, builder.vocab))
    if start is None:
        # Neither header nor row numbers: a page from a table's middle, its number cells lost.
        start = first_row_of_cells(lines, builder.vocab)
        builder.header_seen = start is not None
    roles = header_roles(lines, start, builder.vocab) if start is not None else []
    if start is not None:
        builder.learn_unit_words(named_body_words(lines[start:], builder.vocab))
        table_tokens = [tokenize(ln, builder.vocab) for ln in lines[start:]]
        builder.splitter.learn_pairs(table_tokens)
        builder.days = counts_days(lines, start)
        numbers, ends = number_path(lines[start:], days=builder.days)
        builder.numbers = {start + k + 1: value for k, value in numbers.items()}
        builder.grouped = numbered_in_groups(lines[start:], numbers)
        builder.number_ends = {start + k + 1 for k in ends}
        builder.widths = estimate_widths(
            table_tokens,
            builder.vocab,
            time_first=time_first(roles),
            product=after_content(roles) == "product",
            follow_up=follows_up(roles),
        )
        measured = unit_cell_width(lines[start:], builder.vocab)
        if measured is not None:
            # (How the row's unit lines are shared between the lead and coordinating cells; the
            # line's cut into columns keeps the usual widths, its other columns not measured.)
            builder.splitter.unit_width = UNIT_WIDTH + measured - UNIT_LINE_WIDTH
            builder.narrow = NARROW_SHARE * measured
        builder.cell_names = cell_names(narrow_blocks(lines[start:]))
        by_columns = read_columns(
            lines,
            start,
            {start + k: v for k, v in numbers.items()},
            builder.vocab,
            measured,
            days=builder.days,
            names=builder.cell_names,
        )
    else:
        by_columns = None
    column_pages = {p.start: p for p in by_columns.pages} if by_columns is not None else {}
    read_to = 0  # the lines before this index were read by columns
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
        if number - 1 in column_pages:
            column_page = column_pages.pop(number - 1)
            _put_columns(builder, column_page)
            read_to = column_page.end
            if table_line is None and column_page.items:
                table_line = column_page.items[0].first + 1
        if number - 1 < read_to:
            continue
        line = raw.replace("\f", "").strip()
        if not line:
            builder.blank()
            new_paragraph = True
            continue
        source = Source(page=page, line=number)
        in_table = start is not None and number - 1 >= start and not ended
        if in_table and ends_table(line) and builder.rows:
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
        Paragraph(text=paragraph_text(paragraph, builder.vocab), source=source)
        for paragraph, source in paragraphs(prose)
    ]
    builder.finish()
    # (A table read by its header's cells, column by column, is not cut by the header's order.)
    warning = layout_warning(roles) if by_columns is None else COLUMNS_READ

    if warning is not None:
        builder.warnings.insert(0, warning)
    if builder.rows:
        header = list(HEADER)
        unnamed = "deadline" not in roles  # no header read names the time column
        times = [row.cells[4] for row in builder.rows if row.cells[2]]
        if builder.days or (unnamed and days_column(times)):
            header[-1] = "Số ngày thực hiện"  # a duration: into the task's note, no deadline
        table = Table(rows=builder.table_rows(header), source=Source(page=None, line=table_line))
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
