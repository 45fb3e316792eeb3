"""Run-time detection of the optional system tools: tesseract (+ Vietnamese), poppler, LibreOffice.

Each `require_*` returns the executable's path or raises MissingToolError naming the Debian package.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from dean06.ingest.model import MissingToolError


@dataclass(frozen=True)
class ToolInfo:
    """An optional tool: the executable to look for and the Debian packages that provide it."""

    executable: str
    packages: tuple[str, ...]
    purpose_vi: str
    purpose_en: str


TESSERACT = ToolInfo(
    "tesseract",
    ("tesseract-ocr", "tesseract-ocr-vie"),
    "đọc văn bản scan (ảnh, PDF không có lớp chữ)",
    "read scanned documents (images, PDFs without a text layer)",
)
PDFTOPPM = ToolInfo(
    "pdftoppm", ("poppler-utils",), "chuyển trang PDF thành ảnh", "rasterise PDF pages"
)
SOFFICE = ToolInfo(
    "soffice",
    ("libreoffice-writer-nogui",),
    "chuyển văn bản Word sang PDF",
    "convert Word documents to PDF",
)

TOOLS: dict[str, ToolInfo] = {t.executable: t for t in (TESSERACT, PDFTOPPM, SOFFICE)}


def find_tool(executable: str) -> str | None:
    """The full path of `executable` on PATH, or None (looked up on every call: PATH may change)."""
    return shutil.which(executable)


def _missing(tool: ToolInfo) -> MissingToolError:
    packages = " và ".join(tool.packages)
    install = " ".join(tool.packages)
    return MissingToolError(
        f"Cần cài {packages} để {tool.purpose_vi}: chạy `apt install {install}` "
        f"(không tìm thấy lệnh {tool.executable}).",
        f"install {install} to {tool.purpose_en}; {tool.executable} not found on PATH",
    )


def require_tool(executable: str) -> str:
    """The path of a known optional tool, or MissingToolError saying which package to install."""
    info = TOOLS.get(executable) or ToolInfo(executable, (executable,), "tiếp tục", "continue")
    path = find_tool(executable)
    if path is None:
        raise _missing(info)
    return path


def tesseract_languages(executable: str) -> set[str]:
    """The language data tesseract has installed (empty when it cannot be asked)."""
    try:
        done = subprocess.run(
            [executable, "--list-langs"], capture_output=True, text=True, timeout=20, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return set()
    # The first line is a banner ('List of available languages in "...":'), on stdout or stderr.
    lines = (done.stdout + "\n" + done.stderr).splitlines()
    return {ln.strip() for ln in lines if ln.strip() and " " not in ln.strip()}


def require_tesseract(lang: str = "vie") -> str:
    """The tesseract executable, checked to have `lang` data; MissingToolError otherwise."""
    path = find_tool(TESSERACT.executable)
    if path is None:
        raise _missing(TESSERACT)
    if lang not in tesseract_languages(path):
        raise MissingToolError(
            f"Cần cài tesseract-ocr-{lang} (dữ liệu tiếng Việt cho tesseract) để "
            f"{TESSERACT.purpose_vi}: chạy `apt install tesseract-ocr-{lang}`.",
            f"install tesseract-ocr-{lang}: tesseract has no '{lang}' language data",
        )
    return path


def require_soffice() -> str:
    return require_tool(SOFFICE.executable)


def require_pdftoppm() -> str:
    return require_tool(PDFTOPPM.executable)


def soffice_convert(
    soffice: str, data: bytes, *, suffix: str, target: str, timeout: int
) -> bytes | None:
    """`data` (a file ending in `suffix`: "doc", "docx") converted by LibreOffice headless to
    `target` ("pdf", "docx", "pdf:writer_pdf_Export"), or None when LibreOffice wrote nothing.

    Runs in a private profile inside a temporary folder: a shared profile locks when two
    conversions run at once. subprocess.TimeoutExpired propagates: each caller words it.
    """
    extension = target.split(":", 1)[0]
    with tempfile.TemporaryDirectory(prefix="dean06-soffice-") as tmp:
        folder = Path(tmp)
        source = folder / f"source.{suffix}"
        source.write_bytes(data)
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation={(folder / 'profile').as_uri()}",
                "--headless",
                "--convert-to",
                target,
                "--outdir",
                str(folder / "out"),
                str(source),
            ],
            check=False,
            capture_output=True,
            timeout=timeout,
        )
        converted = folder / "out" / f"source.{extension}"
        return converted.read_bytes() if converted.is_file() else None


def tool_status() -> dict[str, bool]:
    """Which optional tools are usable now (for a status page or `dean06 doctor`)."""
    status = {name: find_tool(name) is not None for name in TOOLS}
    tess = find_tool(TESSERACT.executable)
    status["tesseract:vie"] = tess is not None and "vie" in tesseract_languages(tess)
    return status
