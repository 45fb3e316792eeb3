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
