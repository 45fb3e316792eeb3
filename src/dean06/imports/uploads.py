"""A monthly report uploaded on the web page: kept, read by a background job, confirmed.

The file waits in the data directory under a random token (never the name it was sent with);
`<token>.state.json` beside it says how its reading goes (queued → reading → read | failed, the
progress, the error) and holds the extracted report once read, so that the preview and the
confirmation use the same reading and the file is read only once, outside any request.
No model: the state lives and dies with the file (a day at most, see PENDING_MAX_AGE).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import tempfile
import time
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from dean06.core.exceptions import ApplicationError
from dean06.ingest import IngestError
from dean06.ingest.limits import check_file_size
from dean06.ingest.model import from_jsonable
from dean06.ingest.report import ExtractedReport, extract_report

TOKEN_RE = re.compile(r"^[0-9a-f]{32}$")
SUFFIX_RE = re.compile(r"^\.[a-z0-9]{1,8}$")
STATE_SUFFIX = ".state.json"
# A preview nobody confirmed is forgotten after a day.
PENDING_MAX_AGE = 24 * 3600

INVALID = "Phiên nhập báo cáo không hợp lệ: hãy tải tệp lên lại."
GONE = "Tệp đã tải lên không còn: hãy tải tệp lên lại."
STALE_ERROR = (
    "Việc đọc tệp đã dừng giữa chừng (máy chủ bị tắt hoặc khởi động lại khi đang đọc; "
    "không có tín hiệu hoạt động trong {minutes} phút). Hãy tải tệp lên lại."
)


class ReadingStatus(StrEnum):
    QUEUED = "queued"
    READING = "reading"
    READ = "read"
    FAILED = "failed"


@dataclass(frozen=True)
class PendingReport:
    """Where the reading of an uploaded report stands, as its page shows it."""

    token: str
    name: str
    month: str  # the period chosen on upload, "YYYY-MM"
    status: ReadingStatus
    done: int = 0
    total: int = 0
    message: str = ""
    error: str = ""
    report: ExtractedReport | None = None

    @property
    def waiting(self) -> bool:
        return self.status in (ReadingStatus.QUEUED, ReadingStatus.READING)

    @property
    def page(self) -> int:
        """The page being read (1-based), for "trang 3/9"; 0 when the reader gives no pages."""
        return min(self.done + 1, self.total) if self.total > 0 else 0

    def extracted(self) -> ExtractedReport:
        """The report read from the file, once its reading job is done."""
        if self.status == ReadingStatus.FAILED:
            raise ApplicationError(self.error)
        if self.report is None:
            raise ApplicationError("Tệp chưa được đọc xong: hãy đợi rồi thử lại.")
        return self.report


# --- the files -------------------------------------------------------------------------------


def _folder() -> Path:
    folder = Path(settings.DATA_DIR) / "report-imports"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def _checked(token: str) -> str:
    if not TOKEN_RE.match(token):
        raise ApplicationError(INVALID)
    return token


def _state_path(token: str) -> Path:
    return _folder() / (token + STATE_SUFFIX)


def _file_path(token: str) -> Path | None:
    """The uploaded file kept under `token` (not its state, nor a state being written)."""
    for path in sorted(_folder().glob(f"{token}*")):
        if path.name == token or (path.name.startswith(token + ".") and path != _state_path(token)):
            return path
    return None


def _state_load(token: str) -> dict[str, Any] | None:
    try:
        data: dict[str, Any] = json.loads(_state_path(token).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None
    return data


def _state_write(token: str, state: dict[str, Any]) -> None:
    """Write the whole state at once (a temporary file moved into place): the page polling it
    never sees half a file. Nothing is written once the upload is gone (confirmed, cancelled
    or forgotten while its job was still reading)."""
    if _file_path(token) is None:
        return
    state["updated"] = time.time()
    fd, temp = tempfile.mkstemp(prefix=f".{token}.", suffix=".tmp", dir=_folder())
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(state, out, ensure_ascii=False)
        os.replace(temp, _state_path(token))
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _forget_stale() -> None:
    cutoff = time.time() - PENDING_MAX_AGE
    for path in _folder().iterdir():
        if path.is_file() and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


# --- the workflow ----------------------------------------------------------------------------


def pending_save(file: UploadedFile, *, by: Any, month: str) -> str:
    """Keep an uploaded report to be read by `imports.tasks.read_report`; returns its token.
    The size is checked against the reading limits (`ingest.limits`) before anything is
    written. Only `by` (who uploaded it) may see or confirm it."""
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
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out:
        for chunk in file.chunks():
            out.write(chunk)
    _state_write(
        token,
        {
            "status": ReadingStatus.QUEUED.value,
            "name": (file.name or "")[:200],
            "month": month,
            "owner": by.pk,
            "done": 0,
            "total": 0,
            "message": "",
            "error": "",
            "report": None,
        },
    )
    return token


def pending_extract(*, token: str) -> None:
    """Read the report kept under `token` (the background job), writing its progress as it
    goes and then the extracted report, or the reason it could not be read."""
    state = _state_load(_checked(token))
    path = _file_path(token)
    if state is None or path is None or state.get("status") != ReadingStatus.QUEUED:
        return
    state.update(status=ReadingStatus.READING.value, message="Đang nhận dạng định dạng tệp...")
    _state_write(token, state)

    def progress(done: int, total: int, message: str) -> None:
        state.update(done=done, total=total, message=message[:255])
        _state_write(token, state)

    try:
        report = extract_report(path, filename=state.get("name") or path.name, progress=progress)
    except IngestError as exc:
        state.update(status=ReadingStatus.FAILED.value, error=exc.message, message="")
        _state_write(token, state)
        return
    except Exception as exc:
        state.update(
            status=ReadingStatus.FAILED.value,
            error=f"Lỗi không mong đợi khi đọc tệp ({type(exc).__name__}).",
            message="",
        )
        _state_write(token, state)
        raise
    state.update(status=ReadingStatus.READ.value, report=report.to_dict(), message="Đã đọc xong.")
    _state_write(token, state)


def pending_state(token: str, *, by: Any) -> PendingReport:
    """Where the reading of `token` stands, for `by`, who uploaded it: another user's token is
    answered like one that does not exist. A reading with no sign of life (progress) for
    PLAN_UPLOAD_STALE_MINUTES is shown failed: its worker went with the server that ran it."""
    state = _state_load(_checked(token))
    owner = state.get("owner") if state else None
    if state is None or owner is None or owner != by.pk or _file_path(token) is None:
        raise ApplicationError(GONE)
    status = ReadingStatus(state["status"])
    error = state.get("error", "")
    minutes = settings.PLAN_UPLOAD_STALE_MINUTES
    if status in (ReadingStatus.QUEUED, ReadingStatus.READING) and (
        time.time() - float(state.get("updated", 0)) > minutes * 60
    ):
        status, error = ReadingStatus.FAILED, STALE_ERROR.format(minutes=minutes)
    report = state.get("report")
    return PendingReport(
        token=token,
        name=state.get("name", ""),
        month=state.get("month", ""),
        status=status,
        done=int(state.get("done", 0)),
        total=int(state.get("total", 0)),
        message=state.get("message", ""),
        error=error,
        report=report_from_dict(report) if status == ReadingStatus.READ and report else None,
    )


def pending_discard(token: str) -> None:
    if TOKEN_RE.match(token):
        for path in _folder().glob(f"{token}*"):
            path.unlink(missing_ok=True)


# --- the extracted report back from its JSON -------------------------------------------------


def report_from_dict(data: dict[str, Any]) -> ExtractedReport:
    """The inverse of `ExtractedReport.to_dict`, led by the dataclasses' own field types."""
    report: ExtractedReport = from_jsonable(ExtractedReport, data)
    return report
