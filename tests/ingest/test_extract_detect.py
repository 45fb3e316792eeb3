"""The reader is chosen by content, not by file name; unusable input gives IngestError."""

from __future__ import annotations

import io
import unicodedata
import zipfile
from importlib import resources

import pytest

from dean06.ingest import IngestError, extract
from dean06.ingest.detect import _MODULES, detect, read_document


def _seed(name: str) -> bytes:
    return (resources.files("dean06") / "data" / "seeds" / name).read_bytes()


def _zip(*names: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name in names:
            z.writestr(name, "x")
    return buf.getvalue()


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (_zip("[Content_Types].xml", "word/document.xml"), "docx"),
        (_zip("[Content_Types].xml", "xl/workbook.xml"), "xlsx"),
        (b"%PDF-1.7\n...", "pdf"),
        (b"\x89PNG\r\n\x1a\n....", "image"),
        (b"\xff\xd8\xff\xe0....", "image"),
        (b"II*\x00....", "image"),
        (b"<!DOCTYPE html><html><body>x</body></html>", "html"),
        (b"<table><tr><td>1</td></tr></table>", "html"),
        ("Kế hoạch\nSTT\tNội dung\tChủ trì\n".encode(), "text"),
    ],
)
def test_detect_by_content(data, kind):
    assert detect(data, filename="misleading.txt") == kind


def test_detect_tells_pdf_extracted_text_from_tab_separated_text():
    assert detect(_seed("002_6f41b110d532d470.txt")) == "pdf-text"
    assert detect(_seed("001_33c018715ba11eff.txt")) == "text"
    assert detect(_seed("000_29642a5544120c4a.txt")) == "text"


def _cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows wrote it: base letters precomposed, tones combining."""
    out = b""
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            d = unicodedata.normalize("NFD", ch)
            tones = "".join(c for c in d if c in "\u0300\u0301\u0303\u0309\u0323")
            base = unicodedata.normalize("NFC", "".join(c for c in d if c not in tones))
            out += base.encode("cp1258") + tones.encode("cp1258")
    return out


def test_text_in_the_vietnamese_code_page_is_read():
    text = "STT\tNội dung\tĐơn vị chủ trì\tThời hạn\n1\tRà soát văn bản\tSở Tư pháp\tQuý I/2024\n"
    plan = extract(_cp1258(text))
    assert [t.code for t in plan.tasks] == ["1"]
    assert plan.tasks[0].lead_units[0].unit_key == "STP"


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"", "rỗng"),
        (_zip("mimetype", "content.xml"), "chưa được hỗ trợ"),
        (b"PK\x03\x04 broken zip", "hỏng"),
        (b"\x00\x01\x02\x03binary\x00", "chưa được hỗ trợ"),
    ],
)
def test_unusable_input_raises_ingest_error_in_vietnamese(data, fragment):
    with pytest.raises(IngestError) as info:
        extract(data)
    assert fragment in info.value.message
    assert info.value.message_en


def test_missing_file_raises_ingest_error(tmp_path):
    with pytest.raises(IngestError):
        extract(tmp_path / "khong-co.docx")


def test_path_and_bytes_give_the_same_plan(tmp_path):
    path = tmp_path / "ke-hoach.txt"
    path.write_bytes(_seed("001_33c018715ba11eff.txt"))
    assert extract(path).to_dict() == extract(path.read_bytes()).to_dict()
    assert extract(str(path)).to_dict() == extract(path).to_dict()


def test_a_reader_that_is_not_installed_gives_ingest_error(monkeypatch):
    monkeypatch.setitem(_MODULES, "docx", "khong_co_module")
    with pytest.raises(IngestError) as info:
        read_document(_zip("word/document.xml"))
    assert "Chưa có bộ đọc" in info.value.message


def test_ocr_text_of_a_scan_whose_rules_print_as_lone_pipes_is_read_as_ocr_text():
    # A damaged scan's table rules come out of tesseract as lines holding only "|": enough of
    # them passed for a web page's pipe table, and the text reader found no task (0 of 39 on a
    # damaged scan of a letter's appendix). A web page saved as text has no form feed.
    from pathlib import Path

    text = (Path(__file__).parent.parent / "data" / "ocr" / "plan2024-vie-psm3.txt").read_text()
    lines = text.split("\n")
    for at in range(300, 300 + 8 * 40, 40):
        lines[at:at] = ["|", "|"]
    damaged = "\n".join(lines).encode()
    assert detect(damaged) == "ocr-text"
    assert len(extract(damaged).tasks) >= 35
    # The same pipes without page breaks are still a web page's table.
    assert detect(damaged.replace(b"\f", b"\n")) == "text"
