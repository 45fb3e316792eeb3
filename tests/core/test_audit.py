from __future__ import annotations

import datetime as dt

from dean06.core.audit import audit_record, snapshot
from dean06.core.models import AuditEntry
from tests.factories import PlanFactory


def test_audit_record_keeps_actor_time_before_and_after(make_user):
    user = make_user()
    plan = PlanFactory(date=dt.date(2024, 1, 23))
    before = snapshot(plan)
    plan.title = "Tiêu đề mới"
    plan.save()
    entry = audit_record(
        action="plans.plan.updated", actor=user, instance=plan, before=before, after=snapshot(plan)
    )
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.actor == user
    assert stored.at is not None
    assert stored.object_type == "plans.plan"
    assert stored.object_id == str(plan.pk)
    assert stored.before["title"] == "Kế hoạch thử nghiệm"
    assert stored.after["title"] == "Tiêu đề mới"
    assert stored.after["date"] == "2024-01-23"


def test_audit_record_without_signed_in_user_keeps_no_actor(db):
    plan = PlanFactory()
    entry = audit_record(action="plans.plan.created", actor=None, instance=plan)
    assert entry.actor is None


def test_every_action_code_the_code_writes_reads_as_vietnamese_words():
    """Administrators read the log: each action code the services write (found in the source)
    is shown as "<object>: <what was done>" in Vietnamese, never as the code."""
    import re
    from pathlib import Path

    from dean06.core.audit import VERBS, action_label

    source = Path(__file__).resolve().parents[2] / "src" / "dean06"
    written = set()
    for path in source.rglob("*.py"):
        written |= set(re.findall(r'action="([a-z_]+\.[a-z_.]+)"', path.read_text()))
    codes = {c for c in written if c.count(".") >= 2}
    # A code with one dot is the prefix `upsert_audited` completes with .created / .updated.
    for prefix in written - codes:
        codes |= {f"{prefix}.created", f"{prefix}.updated"}
    assert len(codes) > 30
    for code in sorted(codes):
        label = action_label(code)
        assert "Đối tượng khác" not in label, code
        assert code.rpartition(".")[2] in VERBS, code
        assert not re.search(r"[a-z]+[._][a-z]+", label), (code, label)
    assert action_label("kpis.stat.updated") == "Số liệu dịch vụ công: sửa"
