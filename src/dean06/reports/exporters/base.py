"""The exporter interface: one class per output format, registered by defining it.

A new format is a new module in this package with a subclass of `Exporter`; the registry
(`dean06.reports.exporters.registry`) finds it, and the CLI, the page and the service offer it
without a line changed elsewhere (as pretix registers its exporters).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from abc import ABC, abstractmethod
from typing import ClassVar

from dean06.core.exceptions import ApplicationError
from dean06.reports.content import MonthlyReport


class ExportError(ApplicationError):
    """A report that cannot be written in a format now (a system tool missing, a bad template)."""


class Exporter(ABC):
    """Writes a `MonthlyReport` as one file format."""

    format: ClassVar[str] = ""  # "docx": the key users type (`--out x.docx`, `?format=docx`)
    label: ClassVar[str] = ""  # "Word (.docx)"
    media_type: ClassVar[str] = "application/octet-stream"
    # The file name of the template shipped in dean06/reports/templates/ that an administrator
    # may replace (DEAN06_DATA_DIR/templates/<same name>); None when the format uses none.
    template_name: ClassVar[str | None] = None

    _registry: ClassVar[dict[str, type[Exporter]]] = {}

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if cls.format:
            Exporter._registry[cls.format] = cls

    @property
    def extension(self) -> str:
        return f".{self.format}"

    def missing(self) -> str | None:
        """Why this format cannot be written on this machine now (Vietnamese), or None."""
        return None

    @abstractmethod
    def render(self, report: MonthlyReport, *, template: bytes | None = None) -> bytes:
        """The file's bytes; `template` is the template file to lay it out on (the shipped one
        when None)."""


def stable_zip(data: bytes, day: dt.date) -> bytes:
    """An OOXML package (Word, Excel) with every member dated `day`: the writers date them with
    the clock, and the same report must give the same bytes, so a kept snapshot makes the very
    same file again."""
    stamp = (day.year, day.month, day.day, 0, 0, 0)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for member in source.infolist():
            info = zipfile.ZipInfo(member.filename, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, source.read(member))
    return out.getvalue()
