"""Excel (.xlsx) reader: every sheet with data becomes one Table, merged ranges expanded.

Dates are given as "dd/mm/yyyy", whole numbers without ".0"; `Source.page` is the sheet's
1-based index and `Source.line` the Excel row number.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from dean06.ingest.limits import CellBudget
from dean06.ingest.model import IngestError, Source
from dean06.ingest.readers._common import clean_text, open_ooxml
from dean06.ingest.readers.base import Block, Document, Progress, Table, TableRow


def read(data: bytes, *, progress: Progress | None = None) -> Document:
    """Read an .xlsx workbook; IngestError when it is empty, corrupt, encrypted or not Excel."""
    open_ooxml(data, "xl/workbook.xml", "Excel", "Excel (.xlsx)").close()
    from openpyxl import load_workbook

    try:
        # read_only mode does not expose merged ranges; data_only gives cached formula results.
        book = load_workbook(io.BytesIO(data), read_only=False, data_only=True)
    except Exception as exc:  # openpyxl lets KeyError, lxml and zip errors out for damaged parts
        raise IngestError(
            "Tệp Excel bị hỏng, không đọc được nội dung.", f"corrupt .xlsx: {exc}"
        ) from exc

    blocks: list[Block] = []
    sheets = book.worksheets
    budget = CellBudget("Bảng tính Excel")
    for index, sheet in enumerate(sheets, start=1):
        table = _read_sheet(sheet, index, budget)
        if table is not None:
            blocks.append(table)
        if progress is not None:
            progress(index, len(sheets), f"Đã đọc trang tính {sheet.title}")
    if not blocks:
        raise IngestError("Tệp Excel không có dữ liệu.", "the workbook has no data")
    return Document(blocks=blocks, format="xlsx", pages=len(sheets))


def _read_sheet(sheet: Any, index: int, budget: CellBudget) -> Table | None:
    values: dict[tuple[int, int], str] = {}
    cells: dict[tuple[int, int], Any] = getattr(sheet, "_cells", {})
    for (row, col), cell in cells.items():
        text = format_value(cell.value, cell.number_format)
        if text:
            values[(row, col)] = text
    for merged in sheet.merged_cells.ranges:
        top_left = values.get((merged.min_row, merged.min_col), "")
        if not top_left:
            continue
        for row in range(merged.min_row, merged.max_row + 1):
            for col in range(merged.min_col, merged.max_col + 1):
                values[(row, col)] = top_left
    if not values:
        return None
    rows = sorted({r for r, _ in values})
    cols = sorted({c for _, c in values})
    # Two far-apart cells (A1048576 and XFD1) make a table as wide as one and as tall as the
    # other: counted before it is built.
    budget.take(len(rows), len(cols))
    table_rows = [
        TableRow([values.get((r, c), "") for c in cols], Source(page=index, line=r)) for r in rows
    ]
    return Table(table_rows, Source(page=index, line=rows[0]))


def format_value(value: object, number_format: str = "General") -> str:
    """A cell value as the text a person sees, in Vietnamese conventions for dates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.strftime("%d/%m/%Y")
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, dt.timedelta):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if "%" in (number_format or ""):
            return _number(value * 100) + "%"
        return _number(value)
    return clean_text(str(value))


def _number(value: float) -> str:
    if value.is_integer():
        return str(int(value))
    # Round away binary noise (0.1 + 0.2) without showing an exponent.
    text = f"{value:.10f}".rstrip("0").rstrip(".")
    return text or "0"
