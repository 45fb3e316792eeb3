"""Write the Word template of the consolidated monthly report shipped in the package
(src/dean06/reports/templates/bao-cao-thang.docx): an empty A4 document with the margins of
Decree 30/2020/NĐ-CP and Normal = Times New Roman 14 pt (also for East Asian and complex scripts,
so Vietnamese never falls back to another font). An administrator may replace it with their own.

    .venv/bin/python scripts/make_report_template.py [OUT.docx]
"""

from __future__ import annotations

import datetime as dt
import io
import sys
from pathlib import Path

import docx
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

OUT = Path(__file__).resolve().parents[1] / "src/dean06/reports/templates/bao-cao-thang.docx"
FONT = "Times New Roman"


def build() -> bytes:
    document = docx.Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance, section.footer_distance = Mm(10), Mm(10)
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)
    # The document defaults too: text outside any style (table cells of some editors) keeps it.
    defaults = document.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
        if rpr is not None:
            for old in rpr.findall(qn("w:rFonts")):
                rpr.remove(old)
            default_fonts = OxmlElement("w:rFonts")
            for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
                default_fonts.set(qn(attr), FONT)
            rpr.insert(0, default_fonts)
    lang = normal.element.get_or_add_rPr().find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        normal.element.get_or_add_rPr().append(lang)
    lang.set(qn("w:val"), "vi-VN")
    properties = document.core_properties
    properties.author = "dean06"
    properties.title = "Báo cáo tháng"
    properties.comments = "Mẫu báo cáo tháng của Tổ công tác Đề án 06 (Nghị định 30/2020/NĐ-CP)"
    # A fixed date: the same script writes the same bytes.
    properties.created = properties.modified = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    properties.last_modified_by = "dean06"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else OUT
    data = build()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    print(f"{out} ({len(data)} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
