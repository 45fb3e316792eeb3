"""Checks on an extracted plan that a reviewer should see: warnings with stable codes and Vietnamese
messages (declared counts, missing lead units, duplicate codes, unparsed deadlines, the "6 rõ")."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from dean06.ingest.model import ExtractedPlan, ExtractedTask, ExtractWarning, Source
from dean06.ingest.text import fold
from dean06.ingest.units import is_person

COUNT_MISMATCH = "count_mismatch"
NO_LEAD_UNIT = "no_lead_unit"
DUPLICATE_CODE = "duplicate_code"
UNPARSED_DEADLINE = "unparsed_deadline"
LOW_CONFIDENCE_UNIT = "low_confidence_unit"
PERSON_AS_UNIT = "person_as_unit"  # "Đ/c Hùng" where a unit is expected: kept as written
UNPLACED_TEXT = "unplaced_text"
SIX_CLEAR = "six_clear"
NO_TASKS = "no_tasks"
READER = "reader"

# A unit resolved with less confidence than this is shown to the reviewer.
CONFIDENCE_FLOOR = 0.85

# Nouns naming a deliverable: a task that mentions one says what it produces.
OUTPUT_NOUNS = (
    "ke hoach",
    "bao cao",
    "van ban",
    "quyet dinh",
    "chi thi",
    "de an",
    "du thao",
    "quy che",
    "quy dinh",
    "quy trinh",
    "huong dan",
    "he thong",
    "co so du lieu",
    "csdl",
    "phan mem",
    "ung dung",
    "nen tang",
    "cong dich vu",
    "tai khoan",
    "ty le",
    "chi tieu",
    "mo hinh",
    "hoi nghi",
    "tap huan",
    "tin bai",
    "tin, bai",
    "danh sach",
    "so lieu",
    "ket noi",
    "so hoa",
)
# Words saying who decides or approves.
AUTHORITY_WORDS = (
    "trinh",
    "phe duyet",
    "chu tich",
    "ubnd tinh",
    "uy ban nhan dan tinh",
    "tham quyen",
)

SIX_CLEAR_LABELS = {
    "who": "rõ người",
    "what": "rõ việc",
    "when": "rõ thời gian",
    "responsibility": "rõ trách nhiệm",
    "product": "rõ sản phẩm",
    "authority": "rõ thẩm quyền",
}


def _key(ref_key: str | None, collective: str | None, name: str) -> str:
    return ref_key or collective or fold(name)


def six_clear_missing(task: ExtractedTask, *, issuer: str | None = None) -> list[str]:
    """Which of the "6 rõ" a task lacks (keys of SIX_CLEAR_LABELS), in their usual order.

    - who: the task names at least one lead unit.
    - what: the task's content says what to do (at least three words).
    - when: its deadline was understood (kind is not "unknown"; recurring counts).
    - responsibility: every lead unit is resolved against the registry (a known unit or group),
      and no unit is both lead and coordinating — otherwise nobody is clearly accountable.
    - product: a product / expected-result column is filled, or the content names a deliverable
      (a plan, report, document, system, database, rate or target ... see OUTPUT_NOUNS).
    - authority: the plan's issuer is known (it assigned the task and receives its report), or the
      task names who decides or approves (trình, phê duyệt, Chủ tịch, UBND tỉnh ...).
    """
    missing: list[str] = []
    if not task.lead_units:
        missing.append("who")
    if len(task.content.split()) < 3:
        missing.append("what")
    if task.deadline.kind == "unknown":
        missing.append("when")
    leads = {_key(u.unit_key, u.collective, u.name) for u in task.lead_units}
    coords = {_key(u.unit_key, u.collective, u.name) for u in task.coordinating_units}
    if not task.lead_units or not all(u.resolved for u in task.lead_units) or leads & coords:
        missing.append("responsibility")
    folded = fold(task.content)
    names_output = any(noun in folded for noun in OUTPUT_NOUNS) or "%" in task.content
    if not task.product.strip() and not names_output:
        missing.append("product")
    if not issuer and not any(w in folded for w in AUTHORITY_WORDS):
        missing.append("authority")
    return missing


def validate(
    plan: ExtractedPlan,
    *,
    unplaced: Iterable[tuple[str, Source]] = (),
    reader_notes: Iterable[str] = (),
) -> list[ExtractWarning]:
    """Warnings about `plan`; also sets each section's `found_count`.

    `reader_notes` are the reader's own warnings (a scanned page it could not read ...), passed on
    with the code "reader".
    """
    warnings: list[ExtractWarning] = [ExtractWarning(READER, note) for note in reader_notes]
    warnings += _counts(plan)
    codes = Counter(t.code for t in plan.tasks)
    for code, n in codes.items():
        if n > 1:
            warnings.append(
                ExtractWarning(
                    DUPLICATE_CODE,
                    f"Mã nhiệm vụ {code} xuất hiện {n} lần.",
                    task=code,
                )
            )
    for task in plan.tasks:
        warnings += _task_warnings(task, plan.plan.issuer)
    for text, source in unplaced:
        where = f" (dòng {source.line})" if source.line else ""
        warnings.append(
            ExtractWarning(
                UNPLACED_TEXT,
                f"Đoạn văn có vẻ là nhiệm vụ nhưng chưa được xếp vào đâu{where}: «{text[:120]}»",
            )
        )
    if not plan.tasks:
        warnings.append(ExtractWarning(NO_TASKS, "Không tìm thấy nhiệm vụ nào trong văn bản."))
    return warnings


def _descends(code: str | None, section: str) -> bool:
    return code is not None and (code == section or code.startswith(section + "."))


def _counts(plan: ExtractedPlan) -> list[ExtractWarning]:
    out: list[ExtractWarning] = []
    for section in plan.sections:
        section.found_count = sum(1 for t in plan.tasks if _descends(t.section, section.code))
        if section.declared_count is not None and section.declared_count != section.found_count:
            out.append(
                ExtractWarning(
                    COUNT_MISMATCH,
                    f"Mục {section.code} ghi {section.declared_count:02d} nhiệm vụ nhưng liệt kê "
                    f"{section.found_count:02d} nhiệm vụ.",
                    section=section.code,
                )
            )
    return out


def _task_warnings(task: ExtractedTask, issuer: str | None) -> Sequence[ExtractWarning]:
    out: list[ExtractWarning] = []
    code = task.code
    if not task.lead_units:
        out.append(
            ExtractWarning(NO_LEAD_UNIT, f"Nhiệm vụ {code} chưa có đơn vị chủ trì.", task=code)
        )
    if task.deadline.raw.strip() and task.deadline.kind == "unknown":
        out.append(
            ExtractWarning(
                UNPARSED_DEADLINE,
                f"Nhiệm vụ {code}: chưa hiểu được thời hạn «{task.deadline.raw}».",
                task=code,
            )
        )
    for role, refs in (("chủ trì", task.lead_units), ("phối hợp", task.coordinating_units)):
        for ref in refs:
            if not ref.resolved and is_person(ref.raw):
                out.append(
                    ExtractWarning(
                        PERSON_AS_UNIT,
                        f"Nhiệm vụ {code}: {role} là một người («{ref.raw}»), không phải đơn vị: "
                        "cần ghi đơn vị của người đó.",
                        task=code,
                    )
                )
            elif not ref.resolved:
                out.append(
                    ExtractWarning(
                        LOW_CONFIDENCE_UNIT,
                        f"Nhiệm vụ {code}: đơn vị {role} «{ref.raw}» chưa có trong danh mục "
                        "đơn vị (đề xuất thêm mới).",
                        task=code,
                    )
                )
            elif ref.confidence < CONFIDENCE_FLOOR:
                out.append(
                    ExtractWarning(
                        LOW_CONFIDENCE_UNIT,
                        f"Nhiệm vụ {code}: «{ref.raw}» được hiểu là «{ref.name}» "
                        f"(độ tin cậy {ref.confidence:.0%}), cần kiểm tra.",
                        task=code,
                    )
                )
    missing = six_clear_missing(task, issuer=issuer)
    if missing:
        labels = ", ".join(SIX_CLEAR_LABELS[m] for m in missing)
        out.append(
            ExtractWarning(
                SIX_CLEAR, f"Nhiệm vụ {code} chưa đạt “6 rõ”: thiếu {labels}.", task=code
            )
        )
    return out
