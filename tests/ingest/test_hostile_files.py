"""Hostile and broken files: every reader refuses them with a Vietnamese IngestError naming the
limit, before the expensive part (decompression, decoding, rendering) starts.

The helpers at the top build the bombs; the CLI, figures and web tests import them.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterable
from typing import IO

import docx
import pytest
from openpyxl import Workbook

from dean06.ingest import IngestError, extract
from dean06.ingest import limits as ingest_limits
from dean06.ingest.readers import docx as docx_reader
from dean06.ingest.readers import html as html_reader
from dean06.ingest.readers import ocr, pdf
from dean06.ingest.readers import xlsx as xlsx_reader
from dean06.ingest.report import extract_report, parse_vn_number
from dean06.reference import seed_path

MB = 1024 * 1024
DOCUMENT = "word/document.xml"
SHEET = "xl/worksheets/sheet1.xml"
WORKBOOK = "xl/workbook.xml"

# --- builders -------------------------------------------------------------------------------------

Writer = Callable[[IO[bytes]], None]


def small_docx(text: str = "Kế hoạch số 18/KH-UBND triển khai Đề án 06") -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Sở Tư pháp"
    table.cell(0, 1).text = "Quý II/2024"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def small_xlsx(*, merge: str | None = None, link: str | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet["A1"] = "STT"
    sheet["B1"] = "Nội dung"
    sheet["A2"] = 1
    sheet["B2"] = "Số hóa hồ sơ"
    if merge:
        sheet.merge_cells(merge)
    if link:
        sheet[link].hyperlink = "https://example.invalid/"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def member(data: bytes, name: str) -> bytes:
    return zipfile.ZipFile(io.BytesIO(data)).read(name)


def rebuild(
    data: bytes,
    *,
    replace: dict[str, bytes | Writer] | None = None,
    add: Iterable[tuple[str, bytes]] = (),
    level: int = 9,
) -> bytes:
    """A copy of the zip package `data` with members replaced (bytes, or a function that streams
    them into the open member) and members added."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as package:
        for info in source.infolist():
            new = (replace or {}).get(info.filename)
            if new is None:
                package.writestr(info.filename, source.read(info.filename))
            elif isinstance(new, bytes):
                package.writestr(info.filename, new)
            else:
                with package.open(info.filename, "w", force_zip64=True) as fh:
                    new(fh)
        for name, content in add:
            package.writestr(name, content)
    return out.getvalue()


def padded(original: bytes, size: int) -> Writer:
    """`original` with `size` bytes of white space before its last closing tag: still valid XML,
    deflating about 1000 to 1, streamed in 1 MB chunks so that the test stays small."""
    head, sep, tail = original.rpartition(b"</")

    def write(fh: IO[bytes]) -> None:
        fh.write(head)
        chunk = b" " * MB
        left = size
        while left > 0:
            fh.write(chunk[: min(left, MB)])
            left -= MB
        fh.write(sep + tail)

    return write


def bomb(data: bytes, name: str, size: int = 400 * MB) -> bytes:
    """The package with part `name` inflated to `size` bytes inside (a few hundred KB on disk)."""
    return rebuild(data, replace={name: padded(member(data, name), size)})


def many_members(data: bytes, count: int = 100_000) -> bytes:
    return rebuild(data, add=((f"customXml/x{i}.bin", b"") for i in range(count)), level=1)


def understated(data: bytes, name: str, declared: int) -> bytes:
    """The package with `name`'s uncompressed size written as `declared` in both its local header
    and the central directory: a zip whose directory lies."""
    out = bytearray(data)
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(name)
    struct.pack_into("<I", out, info.header_offset + 22, declared)
    encoded = name.encode()
    pos = out.find(b"PK\x01\x02")
    while pos >= 0:
        length = struct.unpack_from("<H", out, pos + 28)[0]
        if bytes(out[pos + 46 : pos + 46 + length]) == encoded:
            struct.pack_into("<I", out, pos + 24, declared)
        pos = out.find(b"PK\x01\x02", pos + 46)
    return bytes(out)


def with_doctype(xml: bytes, entity: str) -> bytes:
    """The XML part with a DOCTYPE declaring `entity` (an external file or nested expansions)."""
    declaration, sep, rest = xml.partition(b"?>")
    if not sep:
        declaration, rest = b"", xml
    found = re.match(rb"\s*<([\w:.-]+)", rest)
    assert found is not None
    doctype = f"<!DOCTYPE {found.group(1).decode()} [{entity}]>".encode()
    return declaration + sep + doctype + rest


def png_header(width: int, height: int) -> bytes:
    """A PNG whose header announces width × height, with hardly any pixel data: opening it costs
    nothing, decoding it would allocate the whole image."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def blank_pdf(pages: int, size: tuple[float, float] = (595, 842)) -> bytes:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument.new()
    for _ in range(pages):
        document.new_page(*size)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


XXE = '<!ENTITY xxe SYSTEM "file:///etc/hostname">'
LAUGHS = '<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'


@pytest.fixture(scope="module")
def docx_bomb() -> bytes:
    return bomb(small_docx(), DOCUMENT)


@pytest.fixture(scope="module")
def xlsx_bomb() -> bytes:
    return bomb(small_xlsx(), SHEET)


@pytest.fixture
def no_decompression(monkeypatch):
    """Any read of a zip member's content fails the test: the refusal must come from the
    directory alone."""

    def refuse(self, *args, **kwargs):
        raise AssertionError("a member was decompressed")

    monkeypatch.setattr(zipfile.ZipExtFile, "read", refuse)
    monkeypatch.setattr(zipfile.ZipExtFile, "read1", refuse)


# --- zip bombs ------------------------------------------------------------------------------------


def test_docx_bomb_is_refused_from_the_zip_directory(docx_bomb, no_decompression):
    assert len(docx_bomb) < 2 * MB
    with pytest.raises(IngestError) as info:
        extract(docx_bomb, filename="ke-hoach.docx")
    message = info.value.message
    assert message.startswith("Tệp Word quá lớn khi giải nén")
    assert DOCUMENT in message and "giới hạn 10 MB" in message
    assert "DEAN06_MAX_XML_PART_MB" in info.value.message_en


def test_xlsx_bomb_is_refused_from_the_zip_directory(xlsx_bomb, no_decompression):
    with pytest.raises(IngestError) as info:
        extract(xlsx_bomb, filename="bang.xlsx")
    assert info.value.message.startswith("Tệp Excel quá lớn khi giải nén")
    assert SHEET in info.value.message


def test_the_readers_themselves_refuse_bombs(docx_bomb, xlsx_bomb):
    with pytest.raises(IngestError, match="quá lớn khi giải nén"):
        docx_reader.read(docx_bomb)
    with pytest.raises(IngestError, match="quá lớn khi giải nén"):
        xlsx_reader.read(xlsx_bomb)


@pytest.fixture(scope="module")
def crowded() -> bytes:
    return many_members(small_docx())


def test_a_zip_of_100000_members_is_refused_before_zipfile_reads_its_directory(
    crowded, monkeypatch
):
    data = crowded

    def refuse(self):
        raise AssertionError("zipfile built the directory")

    monkeypatch.setattr(zipfile.ZipFile, "_RealGetContents", refuse)
    with pytest.raises(IngestError) as info:
        extract(data, filename="ke-hoach.docx")
    assert "quá nhiều thành phần" in info.value.message
    assert "10.000" in info.value.message


def test_member_count_walks_the_directory_like_zipfile(crowded, monkeypatch):
    monkeypatch.setenv("DEAN06_MAX_ZIP_MEMBERS", "1000000")
    for data in (small_docx(), crowded):  # the second has zip64 end records (> 65535 entries)
        entries = len(zipfile.ZipFile(io.BytesIO(data)).infolist())
        assert ingest_limits.zip_member_count(data) == entries
    assert ingest_limits.zip_member_count(b"not a zip") is None


def test_xml_total_is_limited_across_parts(monkeypatch):
    data = small_xlsx()
    two = rebuild(
        data,
        replace={
            SHEET: padded(member(data, SHEET), 2 * MB),
            "xl/styles.xml": padded(member(data, "xl/styles.xml"), 2 * MB),
        },
    )
    monkeypatch.setenv("DEAN06_MAX_XML_PART_MB", "3")
    monkeypatch.setenv("DEAN06_MAX_XML_TOTAL_MB", "3")
    with pytest.raises(IngestError, match="Nội dung XML của tệp Excel quá lớn khi giải nén"):
        xlsx_reader.read(two)
    monkeypatch.setenv("DEAN06_MAX_XML_TOTAL_MB", "5")
    assert xlsx_reader.read(two).tables


def test_a_lying_directory_does_not_get_past_the_streaming_check():
    data = small_docx()
    big = rebuild(data, replace={DOCUMENT: padded(member(data, DOCUMENT), 30 * MB)})
    # Rewritten without zip64 so that the 32-bit size fields are the ones read.
    plain = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(big)) as source,
        zipfile.ZipFile(plain, "w", zipfile.ZIP_DEFLATED) as package,
    ):
        for info in source.infolist():
            package.writestr(info.filename, source.read(info.filename))
    lying = understated(plain.getvalue(), DOCUMENT, 2000)
    assert zipfile.ZipFile(io.BytesIO(lying)).getinfo(DOCUMENT).file_size == 2000
    with pytest.raises(IngestError, match="bị hỏng"):
        docx_reader.read(lying)


def test_xml_hidden_under_another_name_is_counted_as_it_is_decompressed(monkeypatch):
    data = small_docx()
    hidden = rebuild(data, add=[("word/media/blob.bin", b"<x>" + b" " * (3 * MB) + b"</x>")])
    monkeypatch.setenv("DEAN06_MAX_XML_PART_MB", "2")
    with pytest.raises(IngestError) as info:
        docx_reader.read(hidden)
    assert "word/media/blob.bin" in info.value.message and "giới hạn 2 MB" in info.value.message


def test_the_whole_package_is_limited_images_included(monkeypatch):
    data = rebuild(small_docx(), add=[("word/media/image1.png", b"\x89PNG" + bytes(3 * MB))])
    monkeypatch.setenv("DEAN06_MAX_UNPACKED_MB", "2")
    with pytest.raises(
        IngestError, match=r"^Tệp Word quá lớn khi giải nén: 3,\d MB, giới hạn 2 MB\."
    ):
        docx_reader.read(data)


def test_limits_come_from_the_environment(monkeypatch):
    data = small_docx()
    monkeypatch.setenv("DEAN06_MAX_XML_PART_MB", "0.001")
    with pytest.raises(IngestError, match=r"quá lớn khi giải nén: phần .* mỗi phần"):
        docx_reader.read(data)
    monkeypatch.setenv("DEAN06_MAX_XML_PART_MB", "không biết")
    with pytest.raises(IngestError, match="DEAN06_MAX_XML_PART_MB"):
        docx_reader.read(data)
    monkeypatch.setenv("DEAN06_MAX_XML_PART_MB", "-1")
    with pytest.raises(IngestError, match="cần một số dương"):
        docx_reader.read(data)


# --- DTDs and entities ----------------------------------------------------------------------------


@pytest.mark.parametrize("entity", [XXE, LAUGHS], ids=["external", "billion-laughs"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_docx_with_a_doctype_is_refused(entity, encoding):
    data = small_docx()
    xml = with_doctype(member(data, DOCUMENT), entity)
    if encoding == "utf-16":
        text = xml.decode("utf-8").replace("encoding='UTF-8'", "encoding='UTF-16'")
        xml = text.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
    hostile = rebuild(data, replace={DOCUMENT: xml})
    with pytest.raises(IngestError) as info:
        extract(hostile, filename="ke-hoach.docx")
    assert "DOCTYPE" in info.value.message


@pytest.mark.parametrize("name", [SHEET, WORKBOOK])
def test_xlsx_with_a_doctype_is_refused(name):
    data = small_xlsx()
    hostile = rebuild(data, replace={name: with_doctype(member(data, name), XXE)})
    with pytest.raises(IngestError, match="DOCTYPE"):
        xlsx_reader.read(hostile)


# --- spread-out tables ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("merge", "link"), [("A1:B2", None), (None, "A1")], ids=["merged", "hyperlink"]
)
def test_xlsx_range_over_the_whole_sheet_is_refused_before_openpyxl_spreads_it(merge, link):
    data = small_xlsx(merge=merge, link=link)
    xml = member(data, SHEET)
    ref = b'ref="A1:B2"' if merge else b'ref="A1"'
    assert ref in xml
    hostile = rebuild(data, replace={SHEET: xml.replace(ref, b'ref="A1:XFD1048576"')})
    with pytest.raises(IngestError, match="ô gộp hoặc liên kết"):
        xlsx_reader.read(hostile)


def test_xlsx_cells_far_apart_do_not_make_a_huge_table(monkeypatch):
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for i in range(1, 40):
        sheet.cell(i, 1, f"dòng {i}")
        sheet.cell(1, i + 1, f"cột {i}")
    out = io.BytesIO()
    book.save(out)
    monkeypatch.setenv("DEAN06_MAX_TABLE_CELLS", "1000")
    with pytest.raises(IngestError, match="Bảng tính Excel quá lớn"):
        xlsx_reader.read(out.getvalue())


def test_docx_grid_span_of_a_billion_is_refused():
    data = small_docx()
    xml = member(data, DOCUMENT)
    assert b"<w:tcW " in xml
    hostile = rebuild(
        data,
        replace={DOCUMENT: xml.replace(b"<w:tcW ", b'<w:gridSpan w:val="1000000000"/><w:tcW ', 1)},
    )
    with pytest.raises(IngestError, match="Bảng trong tệp Word quá lớn"):
        docx_reader.read(hostile)


def test_docx_long_vertical_merge_reads_in_linear_time():
    """python-docx finds the top of a vertical merge by recursion: 2000 merged rows (40 KB)
    took half a minute and ended in RecursionError."""
    from docx.oxml import parse_xml

    document = docx.Document()
    document.add_paragraph("Phụ lục")
    table = document.add_table(rows=1, cols=2)
    tbl = table._tbl
    tbl.remove(tbl.tr_lst[0])
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    for i in range(2000):
        merge = '<w:vMerge w:val="restart"/>' if i == 0 else "<w:vMerge/>"
        lead = "Sở Tư pháp" if i == 0 else ""
        tbl.append(
            parse_xml(
                f"<w:tr {w}><w:tc><w:tcPr>{merge}</w:tcPr><w:p><w:r><w:t>{lead}</w:t></w:r></w:p>"
                f"</w:tc><w:tc><w:p><w:r><w:t>Nhiệm vụ {i}</w:t></w:r></w:p></w:tc></w:tr>"
            )
        )
    out = io.BytesIO()
    document.save(out)
    rows = docx_reader.read(out.getvalue()).tables[0].rows
    assert len(rows) == 2000
    assert rows[1999].cells == ["Sở Tư pháp", "Nhiệm vụ 1999"]


def test_html_rowspan_colspan_bomb_is_refused(monkeypatch):
    cells = '<td colspan="10" rowspan="10">a</td>' * 20
    page = f"<html><body><table><tr>{cells}</tr>{'<tr><td>b</td></tr>' * 10}</table></body></html>"
    monkeypatch.setenv("DEAN06_MAX_TABLE_CELLS", "1000")
    with pytest.raises(IngestError, match="Bảng trong trang HTML quá lớn"):
        html_reader.read(page.encode())


# --- text sizes -----------------------------------------------------------------------------------


def test_text_over_its_limit_is_refused_before_decoding(monkeypatch):
    data = b"a\n" * (MB // 2) + b"b"
    decoded = []
    from dean06.ingest.readers import text

    monkeypatch.setattr(text, "decode", lambda raw: decoded.append(raw) or "")
    with pytest.raises(IngestError) as info:
        extract(data, filename="ke-hoach.txt")
    assert info.value.message == "Tệp văn bản quá lớn: 1,1 MB, giới hạn 1 MB."
    assert "DEAN06_MAX_TEXT_MB" in info.value.message_en
    assert not decoded


def test_html_pages_have_their_own_larger_limit(monkeypatch):
    seed = seed_path("001_33c018715ba11eff.txt").read_bytes()
    page = b"<html><body><p>" + seed.replace(b"\n", b"</p><p>") + b"</p></body></html>"
    monkeypatch.setenv("DEAN06_MAX_TEXT_MB", "0.01")
    with pytest.raises(IngestError, match="Tệp văn bản quá lớn"):
        extract(seed, filename="ke-hoach.txt")
    assert extract(page, filename="ke-hoach.html").source_format == "html"
    monkeypatch.setenv("DEAN06_MAX_HTML_MB", "0.01")
    with pytest.raises(IngestError, match="Trang HTML quá lớn"):
        extract(page, filename="ke-hoach.html")


def test_a_path_over_every_limit_is_not_read(tmp_path, monkeypatch):
    big = tmp_path / "to.txt"
    big.write_bytes(b"x" * 40_000)
    for name in ("TEXT", "HTML", "OFFICE", "PDF", "IMAGE"):
        monkeypatch.setenv(f"DEAN06_MAX_{name}_MB", "0.01")
    monkeypatch.setattr(type(big), "read_bytes", lambda self: pytest.fail("read"))
    with pytest.raises(IngestError, match="Tệp quá lớn"):
        extract(big)
    with pytest.raises(IngestError, match="Tệp quá lớn"):
        extract_report(big)


def test_report_text_over_its_limit_is_refused():
    with pytest.raises(IngestError, match="Tệp báo cáo quá lớn"):
        extract_report(b"Ph\xe1\xbb\xa5 l\xe1\xbb\xa5c I\n" + b"1\t2\n" * MB)


def test_vietnamese_numbers_never_raise_and_stay_exact():
    assert parse_vn_number("123456789012345678901234567890") == 123456789012345678901234567890
    assert parse_vn_number("12.345.678.901.234.567.890") == 12345678901234567890
    assert parse_vn_number("9" * 5000) is None  # past Python's int() digit limit
    assert parse_vn_number("1" + "0" * 400 + ",5") is None  # no float holds it


# --- images and PDFs ------------------------------------------------------------------------------


def test_image_over_the_pixel_limit_is_refused_from_its_header():
    with pytest.raises(IngestError, match="triệu điểm ảnh"):
        ocr.image_pages(png_header(8000, 6000))  # 48 million pixels, no pixel data


def test_image_past_pils_own_bomb_limit_is_an_ingest_error():
    with pytest.raises(IngestError, match="Ảnh quá lớn"):
        ocr.image_pages(png_header(20000, 20000))


def test_small_image_upscaled_past_the_limit_is_refused(monkeypatch):
    monkeypatch.setenv("DEAN06_MAX_IMAGE_MEGAPIXELS", "1")
    total, _ = ocr.image_pages(png_header(400, 300))  # read at 2×: under 1 million
    assert total == 1
    with pytest.raises(IngestError, match="giới hạn 1 triệu"):
        ocr.image_pages(png_header(1000, 600))  # 2.4 million once doubled for tesseract


def test_pdf_with_too_many_pages_is_refused_before_any_page_is_read(monkeypatch):
    import pdfplumber

    monkeypatch.setattr(pdfplumber, "open", lambda *a, **k: pytest.fail("pdfplumber opened it"))
    with pytest.raises(IngestError) as info:
        pdf.read(blank_pdf(201))
    assert info.value.message == "Tệp PDF có quá nhiều trang: 201, giới hạn 200."


def test_pdf_page_too_large_to_render_is_refused_before_rendering(monkeypatch):
    monkeypatch.setenv("DEAN06_MAX_IMAGE_MEGAPIXELS", "5")  # an A4 page at 300 dpi is 8.7
    total, pages = ocr.pdf_pages(blank_pdf(1))
    assert total == 1
    with pytest.raises(IngestError, match="Trang 1 của tệp PDF quá lớn"):
        next(pages)
    with pytest.raises(IngestError, match="Trang 1 của tệp PDF quá lớn"):
        ocr.rasterise_pdf(blank_pdf(1))


def test_scanned_pages_are_rendered_one_at_a_time():
    total, pages = ocr.pdf_pages(blank_pdf(3))
    assert total == 3 and not isinstance(pages, list)
    assert [page.mode for page in pages] == ["L", "L", "L"]
