"""End to end: each rendered format of seed 001 goes through `extract` and matches the gold file."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from dean06.ingest import extract
from dean06.ingest.scoring import score
from scripts import samples as render

GOLD = json.loads(
    (Path(__file__).resolve().parent.parent / "data" / "gold" / "001.json").read_text("utf-8")
)
no_soffice = render.soffice_missing_reason()

RENDERS = {
    "docx": lambda: render.render_docx("mark"),
    "docx-header-typed": lambda: render.render_docx("physical"),
    "xlsx": render.render_xlsx,
    "html": render.render_html,
    "pdf": lambda: render.render_pdf("mark"),
    "pdf-header-typed": lambda: render.render_pdf("physical"),
    # A plan saved as Word 97 (.doc): LibreOffice converts it before the Word reader reads it.
    "doc": lambda: render.docx_to_doc(render.render_docx("mark")),
}


@pytest.mark.parametrize("name", list(RENDERS))
def test_extract_of_each_render_matches_the_gold_tasks(name):
    if (name.startswith("pdf") or name == "doc") and no_soffice:
        pytest.skip(no_soffice)
    plan = extract(RENDERS[name]())
    if name == "doc":
        assert plan.source_format == "doc"
    assert len(plan.tasks) == 39
    assert [s.code for s in plan.sections if s.parent is None] == ["A", "B"]
    first = plan.tasks[0]
    assert first.code == "A.1"
    assert [u.unit_key for u in first.lead_units] == GOLD["tasks"][0]["lead"] == ["CAT"]
    result = score(plan, GOLD).as_row()
    assert result["overall"] >= 0.98, result


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract is not installed")
@pytest.mark.skipif(no_soffice is not None, reason=str(no_soffice))
def test_extract_of_a_scanned_page_finds_its_tasks():
    """One scanned page (the suite must stay quick): the six tasks of group A."""
    plan = extract(render.render_scanned_page_pdf(2))
    assert plan.source_format == "pdf-ocr"
    assert [t.code for t in plan.tasks] == [f"A.{i}" for i in range(1, 7)]
    gold = {t["code"]: t for t in GOLD["tasks"]}
    for task in plan.tasks:
        keys = [u.unit_key or u.collective for u in task.lead_units]
        assert keys == gold[task.code]["lead"], task.code
        due = task.deadline.due_date
        assert (due.isoformat() if due else None) == gold[task.code]["due_date"], task.code
