"""Finds the exporters: every module of this package is imported once, each `Exporter`
subclass it defines registers itself."""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from dean06.reports.exporters.base import Exporter, ExportError

_NOT_EXPORTERS = {"base", "registry"}


@cache
def _discover() -> dict[str, type[Exporter]]:
    package = importlib.import_module("dean06.reports.exporters")
    for info in pkgutil.iter_modules(package.__path__):
        if info.name not in _NOT_EXPORTERS:
            importlib.import_module(f"{package.__name__}.{info.name}")
    return dict(sorted(Exporter._registry.items()))


def exporter_formats() -> list[str]:
    """The formats a report can be written in, whether or not this machine can write them now."""
    return list(_discover())


def _named_module(key: str) -> None:
    """Import only the module named as the format (docx.py for "docx"), so one report does not
    load every format's library (openpyxl for a Word file); others are found by discovery."""
    if key.isidentifier() and key not in _NOT_EXPORTERS:
        try:
            importlib.import_module(f"dean06.reports.exporters.{key}")
        except ModuleNotFoundError as exc:
            if exc.name != f"dean06.reports.exporters.{key}":
                raise


def exporter_for(fmt: str) -> Exporter:
    """The exporter of a format ("docx", "xlsx", "pdf"); ExportError naming the known ones."""
    key = fmt.lower().lstrip(".")
    _named_module(key)
    found = Exporter._registry.get(key) or _discover().get(key)
    if found is None:
        known = ", ".join(f".{f}" for f in _discover())
        raise ExportError(f"Không xuất được báo cáo dạng «{fmt}»: chỉ có {known}.")
    return found()
