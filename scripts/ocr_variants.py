"""OCR text of the 2024 plan's appendix in other table layouts: development material for the
OCR-text reader that is not the one layout it was first built on.

python scripts/ocr_variants.py make [--lang vie eng] [--layout NAME ...]   # writes OUT/*.txt
python scripts/ocr_variants.py make --damage 3 ...                        # from a damaged scan
python scripts/ocr_variants.py score [-v]                                  # scores OUT/*.txt
python scripts/ocr_variants.py pdf [--scan] [--layout NAME ...]             # the digital PDFs

Seed 001's rows (39 tasks, gold `tests/data/gold/001.json`) are printed as a Word table in each
layout below — other header words, the columns in another order, a product, note or monitoring
column besides the five usual ones — then LibreOffice → PDF → pdftoppm 200 dpi grey → tesseract
(default page segmentation, psm 3), page by page, pages joined by a form feed: what an office gets
from its scanner's OCR. Header wordings are those of Vietnamese plan appendices in general (the
column roles of `dean06.ingest.layout.tables`), not of any one held-out document.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from dean06.ingest.text import ROMAN_NUMERALS  # noqa: E402 (after the path is set)
from scripts import samples  # noqa: E402

OUT = Path(tempfile.gettempdir()) / "dean06-ocr-variants"
GOLD = ROOT / "tests" / "data" / "gold" / "001.json"
DPI = 200

# A column: (header text, what it holds, width in cm). Roles: stt, content, lead, coord,
# deadline (the seed's five cells), product and monitor (filled with a general phrase), note
# (empty).
Column = tuple[str, str, float]
SEED_ROLES = ("stt", "content", "lead", "coord", "deadline")


@dataclass(frozen=True)
class Layout:
    columns: tuple[Column, ...]
    # Group rows numbered in Roman numerals ("I. NHÓM ...") instead of letters.
    roman: bool = False
    # Number cells centred vertically: the number beside the middle of the task's text.
    centred: bool = False
    # The table's rules: "all" (Table Grid), "none" (no rules), "horizontal" (rules between
    # rows only, as many offices print them).
    rules: str = "all"
    # The appendix after an official letter (Kính gửi, numbered requests, signature block) on
    # portrait pages, and a figures table (Phần I) before the task table (Phần II).
    letter: bool = False
    # The header row repeated at the top of every page (Word's "repeat as header row").
    repeat_header: bool = True
    # No group rows: the tasks numbered 1, 2, ... straight through (a short letter's table).
    flat: bool = False
    # A department's letter to its own offices: only the first `tasks` tasks, each given to
    # offices of the department (names not in the provincial registry, `OFFICES`), and
    # the time column a number of days (a duration: no deadline). Scored against the gold
    # `department_gold` writes beside the text.
    department: int = 0
    # Whose offices (`OFFICES`), and whether the time column holds days (else the seed's
    # deadlines, kept in the gold).
    offices: str = "health"
    days: bool = True
    # Only these pages (first, last; 1-based) are OCR'd: a few pages from the middle of a
    # document, as someone sends what concerns them. The gold holds the tasks whose text starts
    # on them (found in the PDF's text layer).
    pages: tuple[int, int] | None = None
    # The units' header on two rows: "Đơn vị thực hiện" merged over "Chủ trì" | "Phối hợp", the
    # other header cells merged down (the way most plan appendices print it).
    units_header: bool = False


# The seed's own header (scripts/samples.HEADER).
_SEED_COLUMNS: tuple[Column, ...] = tuple(
    zip(samples.HEADER, SEED_ROLES, (1.2, 11.5, 4.6, 4.6, 4.6), strict=True)
)
LAYOUTS: dict[str, Layout] = {
    "words": Layout(
        (
            ("TT", "stt", 1.2),
            ("Công việc", "content", 11.5),
            ("Đơn vị thực hiện", "lead", 4.6),
            ("Đơn vị phối hợp", "coord", 4.6),
            ("Thời hạn", "deadline", 4.6),
        )
    ),
    "note": Layout(
        (
            ("STT", "stt", 1.2),
            ("Nhiệm vụ", "content", 10.0),
            ("Cơ quan chủ trì", "lead", 4.0),
            ("Cơ quan phối hợp", "coord", 4.0),
            ("Thời gian hoàn thành", "deadline", 3.8),
            ("Ghi chú", "note", 3.0),
        )
    ),
    "time-first": Layout(
        (
            ("STT", "stt", 1.2),
            ("Nội dung", "content", 11.0),
            ("Thời gian thực hiện", "deadline", 4.0),
            ("Đơn vị chủ trì", "lead", 4.8),
            ("Đơn vị phối hợp", "coord", 5.0),
        )
    ),
    "product-column": Layout(
        (
            ("STT", "stt", 1.2),
            ("Nhiệm vụ", "content", 9.5),
            ("Sản phẩm", "product", 4.0),
            ("Cơ quan chủ trì", "lead", 4.2),
            ("Cơ quan phối hợp", "coord", 4.2),
            ("Thời gian hoàn thành", "deadline", 3.6),
        )
    ),
    "product": Layout(
        (
            ("STT", "stt", 1.0),
            ("Nhiệm vụ", "content", 8.5),
            ("Sản phẩm", "product", 4.0),
            ("Thời gian hoàn thành", "deadline", 3.2),
            ("Chủ trì thực hiện", "lead", 3.6),
            ("Phối hợp thực hiện", "coord", 3.6),
            ("Theo dõi, đôn đốc", "monitor", 2.8),
        )
    ),
    "roman": Layout(_SEED_COLUMNS, roman=True),
    "centred": Layout(_SEED_COLUMNS, centred=True),
}
# The same table printed other ways, read from the digital PDF (`pdf`) as well as OCR'd.
_LETTER_COLUMNS: tuple[Column, ...] = (
    ("TT", "stt", 1.0),
    ("Công việc", "content", 7.6),
    ("Đơn vị thực hiện", "lead", 3.2),
    ("Đơn vị phối hợp", "coord", 3.2),
    ("Thời gian", "deadline", 2.6),
)
_DEPARTMENT_COLUMNS: tuple[Column, ...] = (
    ("TT", "stt", 1.0),
    ("Nội dung công việc", "content", 7.4),
    ("Đơn vị chủ trì", "lead", 3.3),
    ("Đơn vị phối hợp", "coord", 3.3),
    ("Thời gian thực hiện (ngày)", "days", 2.4),
)
# Two pages from the middle of a longer department letter's table, its header printed once on
# an earlier page: no header, no letter, maybe no row numbers (OCR loses lone digits in a narrow
# ruled cell) to say where the table is.
_MIDDLE = Layout(
    _DEPARTMENT_COLUMNS, letter=True, flat=True, department=34, repeat_header=False, pages=(4, 5)
)
DOCUMENTS: dict[str, Layout] = {
    "no-rules": Layout(_SEED_COLUMNS, rules="none"),
    "horizontal-rules": Layout(_SEED_COLUMNS, rules="horizontal"),
    "letter": Layout(_LETTER_COLUMNS, letter=True),
    "letter-no-rules": Layout(_LETTER_COLUMNS, letter=True, rules="none"),
    "letter-flat": Layout(_LETTER_COLUMNS, letter=True, flat=True),
    "flat": Layout(_SEED_COLUMNS, flat=True),
    "no-rules-header-once": Layout(_SEED_COLUMNS, rules="none", repeat_header=False),
    "department": Layout(_DEPARTMENT_COLUMNS, letter=True, flat=True, department=14),
    # The department's letter printed without vertical rules: psm 3 prints the text and lead
    # columns row by row, the coordinating and days columns as blocks after them.
    "department-no-rules": Layout(
        _DEPARTMENT_COLUMNS, letter=True, flat=True, department=14, rules="none"
    ),
    "department-middle": _MIDDLE,
    # The same pages printed without vertical rules, or with rules between rows only: psm 3
    # joins the lead cell to the text's first lines.
    "department-middle-no-rules": dataclasses.replace(_MIDDLE, rules="none"),
    "department-middle-horizontal": dataclasses.replace(_MIDDLE, rules="horizontal"),
    # The department's letter with the units' header on two rows.
    "department-units-header": Layout(
        _DEPARTMENT_COLUMNS, letter=True, flat=True, department=14, units_header=True
    ),
    "units-header": Layout(_SEED_COLUMNS, units_header=True),
    # Middle pages of another department's letter: its offices, the seed's deadlines.
    "department-middle-dates": dataclasses.replace(
        _MIDDLE, columns=_LETTER_COLUMNS, offices="education", days=False
    ),
    # Another department's offices and the seed's deadlines: made after the reader's changes
    # for the first, to check them on offices and a time column they were not made on.
    "department-dates": Layout(
        _LETTER_COLUMNS, letter=True, flat=True, department=16, offices="education", days=False
    ),
}
LAYOUTS.update(DOCUMENTS)
FILLERS = {
    "product": "Báo cáo kết quả thực hiện",
    "monitor": "Công an tỉnh",
    "note": "",
}


# The offices and units under a provincial department (the usual structure of a Sở: its office,
# inspectorate, specialised divisions, the centres, hospitals or schools it runs); none is a unit
# of the provincial registry.
OFFICES = {
    "health": (
        "Phòng Nghiệp vụ Y",
        "Văn phòng Sở",
        "Phòng Kế hoạch - Tài chính",
        "Thanh tra Sở",
        "Phòng Tổ chức cán bộ",
        "Trung tâm Kiểm soát bệnh tật",
        "Bệnh viện Đa khoa tỉnh",
        "Phòng Nghiệp vụ Dược",
    ),
    "education": (
        "Phòng Giáo dục Trung học",
        "Phòng Khảo thí và Quản lý chất lượng",
        "Văn phòng Sở",
        "Trung tâm Giáo dục thường xuyên tỉnh",
        "Phòng Giáo dục Mầm non",
        "Thanh tra Sở",
        "Trường Cao đẳng Sư phạm",
    ),
}
DEPARTMENT_DAYS = ("30", "15", "60", "45", "10", "90", "20", "7")


def department_units(index: int, offices: str = "health") -> tuple[str, list[str]]:
    """The lead office and the coordinating ones of a department layout's task `index`."""
    names = OFFICES[offices]
    n = len(names)
    lead = names[index % n]
    coordinating = [names[(index + 3) % n]]
    if index % 3 == 0:
        coordinating.append(names[(index + 5) % n])
    return lead, coordinating


def department_gold(layout: Layout) -> dict[str, Any]:
    """Gold of the department layout: the seed's first tasks, numbered 1..n, the offices as
    written (not registry keys), no due date (a number of days is a duration)."""
    import json

    seed = json.loads(GOLD.read_text(encoding="utf-8"))
    tasks = []
    for index, task in enumerate(seed["tasks"][: layout.department]):
        lead, coordinating = department_units(index, layout.offices)
        tasks.append(
            {
                "code": str(index + 1),
                "content": task["content"],
                "origin": "table",
                "lead": [lead],
                "coordinating": coordinating,
                "due_date": None if layout.days else task["due_date"],
                "recurring": False if layout.days else task["recurring"],
            }
        )
    return {"input": "", "plan": {"number": "125/SYT-NVY", "year": 2024}, "tasks": tasks}


def _department_cells(row: samples.SeedRow, index: int, layout: Layout) -> samples.SeedRow:
    lead, coordinating = department_units(index, layout.offices)
    days = DEPARTMENT_DAYS[index % len(DEPARTMENT_DAYS)]
    time = samples.SeedCell(paragraphs=[(days, False)]) if layout.days else row.cells[4]
    cells = [
        *row.cells[:2],
        samples.SeedCell(paragraphs=[(lead, False)]),
        samples.SeedCell(paragraphs=[(", ".join(coordinating), False)]),
        time,
    ]
    return dataclasses.replace(row, cells=cells)


def _roman_group(cell: samples.SeedCell) -> samples.SeedCell:
    """A group row's cell with its letter as a Roman numeral ("B. NHÓM ..." → "II. NHÓM ...")."""
    paragraphs = list(cell.paragraphs)
    text, item = paragraphs[0]
    if len(text) > 2 and text[1] == "." and text[0] in "ABCDEFGH":
        text = ROMAN_NUMERALS["ABCDEFGH".index(text[0])] + text[1:]
    return samples.SeedCell(paragraphs=[(text, item), *paragraphs[1:]], bold=cell.bold)


# An official letter of a department (made up here): its requests, then the appendix.
LETTER_HEAD = (
    "UBND TỈNH BẮC GIANG",
    "SỞ Y TẾ",
    "Số: 125/SYT-NVY",
    "V/v triển khai nhiệm vụ Đề án 06 năm 2024",
    "Bắc Giang, ngày 23 tháng 01 năm 2024",
    "Kính gửi:",
    "- Các bệnh viện, trung tâm y tế trực thuộc;",
    "- Phòng Y tế các huyện, thành phố.",
    "Thực hiện Kế hoạch số 18/KH-UBND ngày 23/01/2024 của UBND tỉnh về triển khai Đề án 06 năm "
    "2024, Sở Y tế đề nghị các đơn vị triển khai thực hiện một số nội dung sau:",
    "1. Rà soát, cập nhật dữ liệu khám, chữa bệnh của người dân lên hệ thống, bảo đảm đúng, đủ, "
    "sạch, sống; báo cáo kết quả về Sở Y tế trước ngày 15 hằng tháng.",
    "2. Phối hợp chặt chẽ với Công an tỉnh trong việc sử dụng thẻ Căn cước công dân gắn chip "
    "thay thẻ bảo hiểm y tế khi khám, chữa bệnh.",
    "3. Thực hiện các nhiệm vụ được phân công tại Phụ lục kèm theo Công văn này.",
    "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, đề nghị các đơn vị phản ánh về Sở "
    "Y tế (qua Phòng Nghiệp vụ Y) để được hướng dẫn./.",
    "Nơi nhận:",
    "- Như trên;",
    "- Lưu: VT, NVY.",
    "GIÁM ĐỐC",
    "Nguyễn Văn An",
)
FIGURES = (
    ("STT", "Chỉ tiêu", "Số lượng", "Tỷ lệ (%)"),
    ("1", "Cơ sở khám, chữa bệnh chấp nhận thẻ Căn cước công dân gắn chip", "45", "95,7"),
    ("2", "Cơ sở khám, chữa bệnh kết nối liên thông giấy chứng sinh", "38", "80,9"),
    ("3", "Cơ sở khám, chữa bệnh kết nối liên thông giấy báo tử", "36", "76,6"),
    ("4", "Cơ sở khám, chữa bệnh thanh toán không dùng tiền mặt", "41", "87,2"),
)


def _letter(word: Any) -> None:
    """The letter and the appendix's first part (a figures table) before the task table, on
    portrait pages."""
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_BREAK
    from docx.shared import Cm

    section = word.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for line in LETTER_HEAD:
        word.add_paragraph(line)
    word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    for line in (
        "Phụ lục I",
        "KẾT QUẢ VÀ NHIỆM VỤ TRIỂN KHAI ĐỀ ÁN 06 NĂM 2024",
        "(Kèm theo Công văn số 125/SYT-NVY ngày 23/01/2024 của Sở Y tế)",
        "I. KẾT QUẢ THỰC HIỆN",
    ):
        word.add_paragraph(line)
    figures = word.add_table(rows=0, cols=len(FIGURES[0]))
    figures.style = "Table Grid"
    for values in FIGURES:
        for cell, value in zip(figures.add_row().cells, values, strict=True):
            cell.paragraphs[0].add_run(value)
    word.add_paragraph("II. NHIỆM VỤ TRIỂN KHAI")


def _rules(table: Any, rules: str) -> None:
    """Rules on every cell ("all"), none, or only between rows ("horizontal")."""
    if rules == "all":
        table.style = "Table Grid"
        return
    if rules == "none":
        return  # python-docx's default table style has no rules
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "bottom", "insideH"):
        element = OxmlElement(f"w:{edge}")
        for key, value in (("val", "single"), ("sz", "4"), ("space", "0"), ("color", "000000")):
            element.set(qn(f"w:{key}"), value)
        borders.append(element)
    table._tbl.tblPr.append(borders)


UNITS_HEADER = ("Đơn vị thực hiện", "Chủ trì", "Phối hợp")


def _header(table: Any, cells: Any, layout: Layout) -> None:
    """The header row (with `units_header`, two rows: the units' cell over its two parts)."""
    roles = [role for _, role, _ in layout.columns]
    if layout.units_header:
        below = table.add_row().cells
        lead, coord = roles.index("lead"), roles.index("coord")
        for index, (name, _, _) in enumerate(layout.columns):
            if index in (lead, coord):
                below[index].paragraphs[0].add_run(UNITS_HEADER[1 if index == lead else 2])
                below[index].paragraphs[0].runs[0].bold = True
            else:
                cells[index].paragraphs[0].add_run(name).bold = True
                cells[index].merge(below[index])
        cells[lead].merge(cells[coord]).paragraphs[0].add_run(UNITS_HEADER[0]).bold = True
    else:
        for cell, (name, _, _) in zip(cells, layout.columns, strict=True):
            cell.paragraphs[0].add_run(name).bold = True
    if layout.repeat_header:
        for row in table.rows[-2 if layout.units_header else -1 :]:
            samples._mark_header(row)


def render_layout(layout: Layout) -> bytes:
    """Seed 001's appendix as a Word table in this layout (group rows merged across; their
    letters as Roman numerals, numbers centred, as the layout says)."""
    columns = layout.columns
    from docx.shared import Cm

    word = samples.landscape_document(12)
    bullet = word.styles["List Bullet"]
    if layout.letter:
        _letter(word)
    else:
        for line in samples.preamble():
            para = word.add_paragraph()
            para.add_run(line).bold = not line.startswith("(")
    table = word.add_table(rows=0, cols=len(columns))
    _rules(table, layout.rules)
    table.autofit = False
    widths = [Cm(w) for _, _, w in columns]
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    number = 0
    for row in samples.clean_rows():
        if layout.flat and row.kind in ("group", "subgroup"):
            continue
        if layout.flat and row.kind == "task":
            if layout.department and number >= layout.department:
                continue
            if layout.department:
                row = _department_cells(row, number, layout)
            number += 1
            row = dataclasses.replace(
                row, cells=[samples.SeedCell(paragraphs=[(str(number), False)]), *row.cells[1:]]
            )
        cells = table.add_row().cells
        for cell, width in zip(cells, widths, strict=True):
            cell.width = width
        if row.kind == "header":
            _header(table, cells, layout)
        elif row.kind == "group":
            group = _roman_group(row.cells[0]) if layout.roman else row.cells[0]
            samples._add_cell_paragraphs(cells[0].merge(cells[-1]), group, bullet)
        elif row.kind == "subgroup":
            samples._add_cell_paragraphs(cells[0], row.cells[0], bullet)
            samples._add_cell_paragraphs(cells[1].merge(cells[-1]), row.cells[1], bullet)
        else:
            if layout.centred:
                from docx.enum.table import WD_ALIGN_VERTICAL

                cells[0].vertical_alignment = WD_ALIGN_VERTICAL.CENTER
            for cell, (_, role, _) in zip(cells, columns, strict=True):
                if role in (*SEED_ROLES, "days"):
                    # (A department's number of days stands in the seed row's deadline cell.)
                    seed = row.cells[SEED_ROLES.index("deadline" if role == "days" else role)]
                else:
                    seed = samples.SeedCell(paragraphs=[(FILLERS[role], False)])
                samples._add_cell_paragraphs(cell, seed, bullet)
    import io

    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def make(out: Path, layouts: list[str], langs: list[str], damage: int | None = None) -> None:
    """Each layout OCR'd; with `damage`, from the PDF printed and scanned at that level of
    `scan_damage.LEVELS` (its dpi, JPEG, turn, specks, seal) instead of a clean render."""
    out.mkdir(parents=True, exist_ok=True)
    for name in layouts:
        started = time.perf_counter()
        layout = LAYOUTS[name]
        pdf = samples.docx_to_pdf(render_layout(layout))
        write_gold(out, name, pdf)
        dpi, suffix = DPI, ""
        if damage is not None:
            from scripts import scan_damage

            level = scan_damage.LEVELS[damage]
            pdf, dpi, suffix = scan_damage.scan(pdf, level, seed=7), level.dpi, f"-l{damage}"
        for lang in langs:
            target = out / f"{name}-{lang}-psm3{suffix}.txt"
            images = samples.pdftoppm_pages(pdf, dpi=dpi)
            if layout.pages is not None:
                images = images[layout.pages[0] - 1 : layout.pages[1]]
            text = samples.ocr_text(images, dpi, lang)
            target.write_text(text, encoding="utf-8")
        print(f"{name}: {time.perf_counter() - started:.1f}s", flush=True)


def make_pdfs(out: Path, layouts: list[str], scan: bool = False) -> list[Path]:
    """Each layout as the digital PDF LibreOffice prints (a text layer, no OCR); with `scan`,
    also that PDF scanned (200 dpi grey pages in an image-only PDF)."""
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in layouts:
        path = out / f"{name}.pdf"
        pdf = samples.docx_to_pdf(render_layout(LAYOUTS[name]))
        write_gold(out, name, pdf)
        pages = LAYOUTS[name].pages
        path.write_bytes(_pdf_pages(pdf, pages) if pages is not None else pdf)
        paths.append(path)
        if scan:
            scanned = out / f"{name}-scan.pdf"
            images = samples.pdftoppm_pages(path.read_bytes(), dpi=DPI)
            scanned.write_bytes(samples.images_to_pdf(images, dpi=DPI))
            paths.append(scanned)
    return paths


def _pdf_pages(pdf: bytes, pages: tuple[int, int]) -> bytes:
    """Only these pages of the PDF (first, last; 1-based)."""
    import io

    import pypdfium2 as pdfium

    source, kept = pdfium.PdfDocument(pdf), pdfium.PdfDocument.new()
    kept.import_pages(source, list(range(pages[0] - 1, pages[1])))
    out = io.BytesIO()
    kept.save(out)
    return out.getvalue()


def write_gold(out: Path, name: str, pdf: bytes | None = None) -> None:
    """A layout with tasks of its own (the department's) gets its gold beside its files; with
    `pages`, only the tasks whose text starts on those pages of the `pdf`."""
    import json

    layout = LAYOUTS[name]
    if not layout.department:
        return
    gold = department_gold(layout)
    if layout.pages is not None:
        if pdf is None:
            raise ValueError(f"{name}: the gold of some pages needs the PDF")
        gold["tasks"] = _tasks_on_pages(gold["tasks"], pdf, layout.pages)
    text = json.dumps(gold, ensure_ascii=False, indent=1)
    (out / f"{name}.gold.json").write_text(text, encoding="utf-8")


def _tasks_on_pages(
    tasks: list[dict[str, Any]], pdf: bytes, pages: tuple[int, int]
) -> list[dict[str, Any]]:
    """The tasks whose text's first five words stand on the pages `pages` of the PDF's text
    layer (five: a narrow text cell's first line, not cut by the cells beside it)."""
    import io
    import re

    import pdfplumber

    def squeeze(text: str) -> str:
        return re.sub(r"\s+", "", text)

    with pdfplumber.open(io.BytesIO(pdf)) as document:
        texts = [squeeze(page.extract_text() or "") for page in document.pages]
    first, last = pages
    kept = "".join(texts[first - 1 : last])
    return [t for t in tasks if squeeze(" ".join(t["content"].split()[:5])) in kept]


def gold_for(path: Path) -> Path:
    """The gold of a file `make` or `pdf` wrote: its layout's own, or seed 001's."""
    names = [name for name in LAYOUTS if path.stem == name or path.stem.startswith(f"{name}-")]
    if names:
        own = path.parent / f"{max(names, key=len)}.gold.json"
        if own.exists():
            return own
    return GOLD


def score(out: Path, verbose: bool) -> int:
    files = sorted(out.glob("*.txt"))
    if not files:
        print(f"no OCR texts in {out}: run `make` first", file=sys.stderr)
        return 1
    argv = [f"{f}:{gold_for(f)}" for f in files]
    from scripts import score_extraction

    return score_extraction.main([*(["-v"] if verbose else []), *argv])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_make = sub.add_parser("make")
    p_make.add_argument("--lang", nargs="+", default=["vie", "eng"])
    p_make.add_argument("--layout", nargs="+", default=list(LAYOUTS), choices=list(LAYOUTS))
    p_make.add_argument("--out", type=Path, default=OUT)
    p_make.add_argument(
        "--damage", type=int, choices=range(5), help="scan the PDF at this damage level first"
    )
    p_pdf = sub.add_parser("pdf", help="make the digital PDFs and score them")
    p_pdf.add_argument("--layout", nargs="+", default=list(LAYOUTS), choices=list(LAYOUTS))
    p_pdf.add_argument("--out", type=Path, default=OUT / "pdf")
    p_pdf.add_argument("-v", "--verbose", action="store_true")
    p_pdf.add_argument("--scan", action="store_true", help="also score a 200 dpi scan of each")
    p_score = sub.add_parser("score")
    p_score.add_argument("-v", "--verbose", action="store_true")
    p_score.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    if args.command == "make":
        make(args.out, args.layout, args.lang, args.damage)
        return 0
    if args.command == "pdf":
        from scripts import score_extraction

        paths = make_pdfs(args.out, args.layout, scan=args.scan)
        pairs = [f"{path}:{gold_for(path)}" for path in paths]
        return score_extraction.main([*(["-v"] if args.verbose else []), *pairs])
    return score(args.out, args.verbose)


if __name__ == "__main__":
    sys.exit(main())
