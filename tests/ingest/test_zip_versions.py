"""A zip that asks for a later version of the format ("zip file version 6.4", found by the long
property run on a damaged template): Python's zipfile raises NotImplementedError, which every
reader of uploads turns into its own clear refusal, never an error page."""

from __future__ import annotations

import io
import zipfile

import pytest

from dean06.ingest.detect import detect, read_document
from dean06.ingest.model import IngestError
from dean06.kpis.xlsx import TemplateError, parse_template


def _needs_version_6_4(member: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(member, "<x/>")
    data = bytearray(buf.getvalue())
    central = data.rfind(b"PK\x01\x02")
    data[central + 6 : central + 8] = (64).to_bytes(2, "little")  # version needed: 6.4
    return bytes(data)


@pytest.mark.parametrize("member", ["word/document.xml", "xl/workbook.xml"])
def test_a_plan_or_report_file_is_refused_in_words(member):
    data = _needs_version_6_4(member)
    with pytest.raises(IngestError, match="hỏng"):
        detect(data, "x.docx")
    with pytest.raises(IngestError, match="hỏng"):
        read_document(data, filename="x.docx")


def test_a_figures_template_is_refused_in_words():
    with pytest.raises(TemplateError, match="hỏng"):
        parse_template(_needs_version_6_4("xl/workbook.xml"))
