"""Checks and text clean-up shared by the binary-format readers (DOCX, XLSX, HTML, PDF, OCR)."""

from __future__ import annotations

import re
import unicodedata
import zipfile

from dean06.ingest.limits import open_zip
from dean06.ingest.model import IngestError

CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u3000]+")


def clean_text(text: str) -> str:
    """NFC (some sources store Vietnamese decomposed), one space between words, no edge blanks.

    Line breaks are kept: they separate paragraphs inside a cell.
    """
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    lines = [_SPACES.sub(" ", ln).strip() for ln in text.split("\n")]
    return "\n".join(ln for ln in lines if ln)


def require_data(data: bytes, kind_vi: str, kind_en: str) -> None:
    if not data or data.isspace():
        raise IngestError(f"Tệp {kind_vi} rỗng.", f"the {kind_en} file is empty")


def open_ooxml(data: bytes, part: str, kind_vi: str, kind_en: str) -> zipfile.ZipFile:
    """The OOXML package as a zip, after refusing empty, encrypted, legacy and corrupt input
    and packages over the limits of `ingest.limits` (unpacked sizes, members, DTDs).

    A password-protected .docx/.xlsx is not a zip but an OLE compound file (CFB) that holds
    "EncryptionInfo" and "EncryptedPackage" streams; a legacy .doc/.xls is a CFB too.
    """
    require_data(data, kind_vi, kind_en)
    if data.startswith(CFB_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise IngestError(
                f"Tệp {kind_vi} được đặt mật khẩu (mã hóa); hãy gỡ mật khẩu rồi tải lên lại.",
                f"the {kind_en} file is password-protected (encrypted)",
            )
        raise IngestError(
            f"Tệp {kind_vi} ở định dạng cũ (.doc/.xls, Office 97-2003); hãy lưu lại dưới dạng "
            ".docx/.xlsx rồi tải lên lại.",
            f"legacy binary Office format, not {kind_en}; save it as OOXML",
        )
    # Sizes, member count and DTDs are checked before python-docx or openpyxl open the package.
    package = open_zip(data, what_vi=f"Tệp {kind_vi}", what_en=f"{kind_en} file")
    if part not in package.namelist():
        raise IngestError(
            f"Tệp không phải là tệp {kind_vi} (thiếu {part}).",
            f"not a {kind_en} package: {part} missing",
        )
    return package


def expand_rows(rows: list[list[str]]) -> list[list[str]]:
    """Pad ragged rows to the widest row, so that every TableRow has the same number of cells."""
    width = max((len(r) for r in rows), default=0)
    return [r + [""] * (width - len(r)) for r in rows]
