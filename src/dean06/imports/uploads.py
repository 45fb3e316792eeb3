"""A monthly report uploaded on the web page, kept between its preview and the confirmation.

The file waits in the data directory under a random name (never the name it was sent with) and
is read again when the import is confirmed, so the preview and the import read the same bytes.
"""

from __future__ import annotations

import re
import secrets
import time
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from dean06.core.exceptions import ApplicationError
from dean06.ingest import IngestError
from dean06.ingest.limits import check_file_size
from dean06.ingest.report import ExtractedReport, extract_report

TOKEN_RE = re.compile(r"^[0-9a-f]{32}$")
SUFFIX_RE = re.compile(r"^\.[a-z0-9]{1,8}$")
# A preview nobody confirmed is forgotten after a day.
PENDING_MAX_AGE = 24 * 3600


def _folder() -> Path:
    folder = Path(settings.DATA_DIR) / "report-imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _path(token: str) -> Path:
    if not TOKEN_RE.match(token):
        raise ApplicationError("Phiên nhập báo cáo không hợp lệ: hãy tải tệp lên lại.")
    found = sorted(_folder().glob(f"{token}.*")) + sorted(_folder().glob(token))
    if not found:
        raise ApplicationError("Tệp đã tải lên không còn: hãy tải tệp lên lại.")
    return found[0]


def _forget_stale() -> None:
    cutoff = time.time() - PENDING_MAX_AGE
    for path in _folder().iterdir():
        if path.is_file() and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


def pending_save(file: UploadedFile) -> str:
    """Keep an uploaded report until it is confirmed; returns its token. The size is checked
    against the reading limits (`ingest.limits`) before anything is written."""
    size = file.size or 0
    if size <= 0:
        raise ApplicationError("Tệp rỗng: không có gì để đọc.")
    try:
        check_file_size(size)
    except IngestError as exc:
        raise ApplicationError(exc.message) from exc
    _forget_stale()
    suffix = Path(file.name or "").suffix.lower()
    token = secrets.token_hex(16)
    path = _folder() / (token + (suffix if SUFFIX_RE.match(suffix) else ""))
    with path.open("wb") as out:
        for chunk in file.chunks():
            out.write(chunk)
    return token


def pending_read(token: str) -> ExtractedReport:
    """The appendices of the report kept under `token`; an unreadable file is a clean error."""
    try:
        return extract_report(_path(token))
    except IngestError as exc:
        raise ApplicationError(exc.message) from exc


def pending_discard(token: str) -> None:
    if TOKEN_RE.match(token):
        for path in _folder().glob(f"{token}*"):
            path.unlink(missing_ok=True)
