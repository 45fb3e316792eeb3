"""The exporters are found by being defined; one report loads only its own format's library."""

from __future__ import annotations

import subprocess
import sys

import pytest

from dean06.reports.exporters.base import Exporter, ExportError
from dean06.reports.exporters.registry import exporter_for, exporter_formats


def test_every_format_is_found_without_a_list_of_them():
    assert exporter_formats() == ["docx", "pdf", "xlsx"]
    assert {exporter_for(f).format for f in exporter_formats()} == {"docx", "pdf", "xlsx"}
    assert exporter_for(".DOCX").format == "docx"


def test_an_unknown_format_names_the_known_ones():
    with pytest.raises(ExportError) as info:
        exporter_for("odt")
    assert ".docx" in info.value.message and ".xlsx" in info.value.message


def test_a_new_exporter_class_is_registered_by_being_defined():
    class Csv(Exporter):
        format = "csvtest"
        label = "CSV"

        def render(self, report, *, template=None):
            return b""

    try:
        assert isinstance(exporter_for("csvtest"), Csv)
    finally:
        Exporter._registry.pop("csvtest", None)


def test_a_word_report_does_not_load_openpyxl():
    code = (
        "import sys\n"
        "from dean06.reports.exporters.registry import exporter_for\n"
        "exporter_for('docx')\n"
        "print('openpyxl' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
