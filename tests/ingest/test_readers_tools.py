"""Detection of the optional system tools, and the Vietnamese message naming what to install."""

from __future__ import annotations

import shutil

import pytest

from dean06.ingest import tools
from dean06.ingest.model import IngestError, MissingToolError


@pytest.mark.parametrize(
    ("require", "package"),
    [
        (tools.require_soffice, "libreoffice-writer-nogui"),
        (tools.require_pdftoppm, "poppler-utils"),
        (tools.require_tesseract, "tesseract-ocr-vie"),
    ],
)
def test_missing_tool_names_the_debian_package_in_vietnamese(monkeypatch, require, package):
    monkeypatch.setenv("PATH", "")
    with pytest.raises(MissingToolError) as info:
        require()
    assert isinstance(info.value, IngestError)
    assert info.value.message.startswith("Cần cài")
    assert "apt install" in info.value.message and package in info.value.message
    assert package in info.value.message_en


def test_tool_status_reports_nothing_usable_without_path(monkeypatch):
    monkeypatch.setenv("PATH", "")
    assert tools.tool_status() == {
        "tesseract": False,
        "pdftoppm": False,
        "soffice": False,
        "tesseract:vie": False,
    }


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract is not installed")
def test_installed_tesseract_is_found_with_its_languages():
    path = tools.require_tesseract("vie")
    assert path == shutil.which("tesseract")
    assert "vie" in tools.tesseract_languages(path)
    assert tools.tool_status()["tesseract:vie"] is ("vie" in tools.tesseract_languages(path))
