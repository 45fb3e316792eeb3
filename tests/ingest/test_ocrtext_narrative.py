"""Running text of an OCR'd plan: the labels the narrative layout reads ("Đơn vị chủ trì:",
"Thời gian thực hiện:") given back their marks, so per-unit and per-task blocks are read."""

from __future__ import annotations

from dean06.ingest import extract_document
from dean06.ingest.model import UnitRegistry
from dean06.ingest.readers import ocrtext
from dean06.ingest.readers.ocrtext.narrative import paragraph_text

# Without Vietnamese data: marks lost ("Don vi chu tri") or garbled ("Thdi gian", "phdi hgp").
NARRATIVE = """UY BAN NHAN DAN TINH
So: 12/KH-UBND
KE HOACH trien khai Dé an 06 nam 2025
II. NHIEM VU CU THE
1. Nhiém vu trong tam
1.1. Hoan thién ha tang két noi dir liéu dan cu vdi hé thong cua tinh.
- Don vi chu tri: S¢ Thdng tin va Truyén thdng.
- Don vi phdi hgp: Cong an tinh.
- Thdi gian thuc hién: Quy 111/2025.
"""


def test_labels_get_their_marks_back_and_other_words_stay():
    vocab = ocrtext.vocabulary(UnitRegistry.default())
    assert paragraph_text("- Don vi phdi hgp: Cong an tinh.", vocab) == (
        "- Đơn vị phối hợp: Cong an tinh."
    )
    assert paragraph_text("II. NHIEM VU CU THE", vocab) == "II. NHIỆM VỤ CU THE"


def test_narrative_task_of_unaccented_text_is_read_with_its_units_and_deadline():
    registry = UnitRegistry.default()
    plan = extract_document(ocrtext.read_text(NARRATIVE, registry=registry), registry)
    assert plan.plan.number == "12/KH-UBND"
    [task] = plan.tasks
    assert [u.unit_key for u in task.lead_units] == ["STTTT"]
    assert [u.unit_key for u in task.coordinating_units] == ["CAT"]
    assert task.deadline.due_date is not None
    assert task.deadline.due_date.isoformat() == "2025-09-30"
