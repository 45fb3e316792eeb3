"""Word (.docx) reader: body paragraphs and tables in document order, merged cells expanded.

`Source.line` counts body paragraphs and table rows in reading order (1-based); pages are unknown.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator

import docx
from docx.oxml.ns import qn
from lxml import etree

from dean06.ingest.limits import CellBudget
from dean06.ingest.model import IngestError, Source
from dean06.ingest.readers._common import clean_text, open_ooxml
from dean06.ingest.readers.base import Block, Document, Paragraph, Progress, Table, TableRow

_W_P = qn("w:p")
_W_TBL = qn("w:tbl")
_W_SDT = qn("w:sdt")
_W_SDT_CONTENT = qn("w:sdtContent")
_W_T = qn("w:t")
_W_TAB = qn("w:tab")
_W_BR = qn("w:br")
_W_CR = qn("w:cr")
_W_NB_HYPHEN = qn("w:noBreakHyphen")
_W_TYPE = qn("w:type")
_W_VAL = qn("w:val")
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_W_TXBX = qn("w:txbxContent")
_W_TR = qn("w:tr")
_W_TC = qn("w:tc")
_GRID_SPAN = f"{qn('w:tcPr')}/{qn('w:gridSpan')}"
_V_MERGE = f"{qn('w:tcPr')}/{qn('w:vMerge')}"
_TBL_HEADER = f"{qn('w:trPr')}/{qn('w:tblHeader')}"
_GRID_BEFORE = f"{qn('w:trPr')}/{qn('w:gridBefore')}"
_GRID_AFTER = f"{qn('w:trPr')}/{qn('w:gridAfter')}"
# Property elements hold tab-stop definitions (<w:tabs><w:tab/>) that are not text.
_SKIP = (_MC_FALLBACK, _W_TXBX, qn("w:pPr"), qn("w:rPr"), qn("w:del"), qn("w:instrText"))

_HEADING = re.compile(r"^(?:heading|tiêu đề|đề mục)\s*(\d)$", re.IGNORECASE)
_BULLET_CHARS = ("-", "–", "—", "•", "+", "*", "·", "▪", "●", "o ")


def read(data: bytes, *, progress: Progress | None = None) -> Document:
    """Read a .docx file; IngestError when it is empty, corrupt, encrypted or not Word."""
    package = open_ooxml(data, "word/document.xml", "Word", "Word (.docx)")
    package.close()
    try:
        word = docx.Document(io.BytesIO(data))
    except (KeyError, ValueError, etree.XMLSyntaxError, zipfile.BadZipFile) as exc:
        raise IngestError(
            "Tệp Word bị hỏng, không đọc được nội dung.", f"corrupt .docx: {exc}"
        ) from exc
    reader = _Reader(word)
    blocks = reader.read_body(word.element.body)
    if progress is not None:
        progress(1, 1, "Đã đọc tệp Word")
    if not any(_has_text(b) for b in blocks):
        raise IngestError("Tệp Word không có nội dung.", "the .docx file has no text")
    return Document(blocks=blocks, format="docx", pages=None)


def _has_text(block: Block) -> bool:
    if isinstance(block, Paragraph):
        return bool(block.text)
    return any(any(c for c in r.cells) for r in block.rows)


class _Reader:
    def __init__(self, word: object) -> None:
        self.word = word
        self.line = 0
        self._style_cache: dict[str, tuple[int | None, bool]] = {}
        styles = getattr(word, "styles", None)
        self._styles = styles
        self.budget = CellBudget("Bảng trong tệp Word")

    # --- body -------------------------------------------------------------------------------

    def read_body(self, body: etree._Element) -> list[Block]:
        blocks: list[Block] = []
        for child in _content_children(body):
            if child.tag == _W_P:
                self.line += 1
                text = clean_text(self.paragraph_text(child, bullets=True))
                level = self.heading_level(child)
                for part in text.split("\n") if text else []:
                    blocks.append(Paragraph(part, Source(line=self.line), level=level))
            elif child.tag == _W_TBL:
                blocks.append(self.read_table(child))
        return blocks

    def read_table(self, tbl: etree._Element) -> Table:
        rows: list[TableRow] = []
        first_line = self.line + 1
        for tr, cells in self.grid_rows(tbl):
            self.line += 1
            header_mark = tr.find(_TBL_HEADER)
            header = header_mark is not None and header_mark.get(_W_VAL) not in (
                "0",
                "false",
                "off",
            )
            rows.append(TableRow(cells, Source(line=self.line), header=header))
        width = max((len(r.cells) for r in rows), default=0)
        for r in rows:
            r.cells.extend([""] * (width - len(r.cells)))
        return Table(rows, Source(line=first_line))

    def grid_rows(self, tbl: etree._Element) -> Iterator[tuple[etree._Element, list[str]]]:
        """Each row with its text per grid column: a cell spanning columns is repeated in each,
        a vertically merged cell repeats the text above it.

        Read from the XML rather than python-docx's `row.cells`, which finds the top of a
        vertical merge by recursion and a scan of the row above for every cell: a 40 KB file
        merging 2000 rows took half a minute to end in RecursionError.
        """
        self.budget.take(*_grid_size(tbl))
        above: list[str] = []
        for tr in tbl.iterchildren(_W_TR):
            cells = [""] * _number(tr.find(_GRID_BEFORE), 0)
            for tc in tr.iterchildren(_W_TC):
                merge = tc.find(_V_MERGE)
                if merge is not None and merge.get(_W_VAL, "continue") == "continue":
                    text = above[len(cells)] if len(cells) < len(above) else ""
                else:
                    text = self.cell_text(tc)
                cells.extend([text] * _number(tc.find(_GRID_SPAN), 1))
            cells.extend([""] * _number(tr.find(_GRID_AFTER), 0))
            above = cells
            yield tr, cells

    def cell_text(self, tc: etree._Element) -> str:
        """A cell's paragraphs joined with newlines; bullets as "- "; nested tables flattened."""
        lines: list[str] = []
        for child in _content_children(tc):
            if child.tag == _W_P:
                text = clean_text(self.paragraph_text(child, bullets=True))
                if text:
                    lines.append(text)
            elif child.tag == _W_TBL:
                for _, cells in self.grid_rows(child):
                    seen: list[str] = []
                    for cell in cells:
                        text = cell.replace("\n", " ")
                        if text and (not seen or seen[-1] != text):
                            seen.append(text)
                    if seen:
                        lines.append(" | ".join(seen))
        return "\n".join(lines)

    # --- paragraphs -------------------------------------------------------------------------

    def paragraph_text(self, p: etree._Element, *, bullets: bool) -> str:
        parts: list[str] = []
        for el in _text_elements(p):
            tag = el.tag
            if tag == _W_T:
                parts.append(el.text or "")
            elif tag == _W_TAB:
                parts.append(" ")
            elif tag == _W_BR:
                # A page or column break is not a line of text; a soft line break is.
                parts.append(" " if el.get(_W_TYPE) in ("page", "column") else "\n")
            elif tag == _W_CR:
                parts.append("\n")
            elif tag == _W_NB_HYPHEN:
                parts.append("-")
        text = "".join(parts)
        if bullets and text.strip() and self.is_list_item(p):
            stripped = text.lstrip()
            if not stripped.startswith(_BULLET_CHARS):
                text = "- " + stripped
        return text

    def _style_id(self, p: etree._Element) -> str | None:
        ppr = p.find(qn("w:pPr"))
        if ppr is None:
            return None
        style = ppr.find(qn("w:pStyle"))
        return None if style is None else style.get(_W_VAL)

    def _style_info(self, style_id: str | None) -> tuple[int | None, bool]:
        """(heading level, is a list style) for a paragraph style, following `basedOn`."""
        if style_id is None or self._styles is None:
            return None, False
        if style_id in self._style_cache:
            return self._style_cache[style_id]
        self._style_cache[style_id] = (None, False)  # guards against basedOn loops
        level: int | None = None
        is_list = False
        style_el = None
        for el in self._styles.element.findall(qn("w:style")):
            if el.get(qn("w:styleId")) == style_id:
                style_el = el
                break
        if style_el is not None:
            name_el = style_el.find(qn("w:name"))
            name = (name_el.get(_W_VAL) if name_el is not None else style_id) or style_id
            match = _HEADING.match(name.strip())
            if match:
                level = int(match.group(1))
            elif name.strip().lower() == "title":
                level = 1
            ppr = style_el.find(qn("w:pPr"))
            if ppr is not None:
                outline = ppr.find(qn("w:outlineLvl"))
                if level is None and outline is not None and (outline.get(_W_VAL) or "").isdigit():
                    value = int(outline.get(_W_VAL) or "9")
                    level = value + 1 if value < 9 else None
                is_list = ppr.find(qn("w:numPr")) is not None
            is_list = is_list or name.lower().startswith("list")
            based = style_el.find(qn("w:basedOn"))
            if based is not None and (level is None or not is_list):
                base_level, base_list = self._style_info(based.get(_W_VAL))
                level = level if level is not None else base_level
                is_list = is_list or base_list
        self._style_cache[style_id] = (level, is_list)
        return level, is_list

    def heading_level(self, p: etree._Element) -> int | None:
        ppr = p.find(qn("w:pPr"))
        if ppr is not None:
            outline = ppr.find(qn("w:outlineLvl"))
            if outline is not None and (outline.get(_W_VAL) or "").isdigit():
                value = int(outline.get(_W_VAL) or "9")
                if value < 9:
                    return value + 1
        return self._style_info(self._style_id(p))[0]

    def is_list_item(self, p: etree._Element) -> bool:
        ppr = p.find(qn("w:pPr"))
        if ppr is not None:
            num = ppr.find(qn("w:numPr"))
            if num is not None:
                num_id = num.find(qn("w:numId"))
                # numId 0 explicitly removes the numbering a style would give.
                return num_id is None or num_id.get(_W_VAL) != "0"
        return self._style_info(self._style_id(p))[1]


def _grid_size(tbl: etree._Element) -> tuple[int, int]:
    """(rows, widest row in grid columns) from the XML, before python-docx repeats each cell once
    per column it spans (a gridSpan or gridBefore of a billion is a few bytes)."""
    rows = tbl.findall(_W_TR)
    width = 0
    for tr in rows:
        columns = sum(_number(tr.find(path), 0) for path in (_GRID_BEFORE, _GRID_AFTER))
        columns += sum(_number(tc.find(_GRID_SPAN), 1) for tc in tr.findall(_W_TC))
        width = max(width, columns)
    return len(rows), width


def _number(element: etree._Element | None, default: int) -> int:
    value = element.get(_W_VAL) if element is not None else None
    try:
        return max(default, int(value)) if value is not None else default
    except ValueError:
        return default


def _content_children(parent: etree._Element) -> Iterator[etree._Element]:
    """Paragraphs and tables of a body or cell in order, looking inside content controls."""
    for child in parent:
        if child.tag == _W_SDT:
            content = child.find(_W_SDT_CONTENT)
            if content is not None:
                yield from _content_children(content)
        elif child.tag in (_W_P, _W_TBL):
            yield child


def _text_elements(p: etree._Element) -> Iterator[etree._Element]:
    """Text-bearing descendants of a paragraph, skipping text boxes and compatibility fallbacks
    (which would repeat text that is shown elsewhere or twice)."""
    stack = list(reversed(list(p)))
    while stack:
        el = stack.pop()
        if not isinstance(el.tag, str) or el.tag in _SKIP:
            continue
        if el.tag in (_W_T, _W_TAB, _W_BR, _W_CR, _W_NB_HYPHEN):
            yield el
            continue
        stack.extend(reversed(list(el)))
