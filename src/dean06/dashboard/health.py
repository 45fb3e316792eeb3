"""Data health: what in the stored data needs a person's attention, gathered for the secretariat
in a fixed number of queries whatever the size of the province.

Six kinds of problem: conflicting values (the same figure reported twice with different values:
the open findings of the rules that compare two reports of one figure), duplicate tasks (one
plan, the same content once folded), duplicate documents (the same number from the same issuer),
service figures without a source, tasks without a lead unit, and plans not yet read (uploads
still queued, reading, waiting for review or failed; plans and tasks marked for review).

It lives beside the dashboard, above every domain app it reads (plans, documents, kpis,
quality): a read model that changes nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from dean06.accounts.permissions import Action, can
from dean06.core.exceptions import PermissionDeniedError
from dean06.documents.models import DocumentRecord
from dean06.documents.selectors import duplicate_key
from dean06.ingest.text import fold
from dean06.kpis.models import ServiceStat
from dean06.plans.models import Assignment, AssignmentRole, Plan, PlanUpload, Task, UploadStatus
from dean06.quality.builtin import PARTS_MATCH_TOTAL, SHARE_MATCHES, TOTAL_ROW_SUM
from dean06.quality.models import Finding, FindingStatus

# Each list shows at most this many items; its count says how many there are in all.
LIMIT = 50

# The rules that find one figure reported twice with two values: the share a report printed
# against the share its counts give, the total row against the sum of the rows, the province's
# total against the sum of its units' parts.
CONFLICT_RULES: tuple[str, ...] = (PARTS_MATCH_TOTAL.code, SHARE_MATCHES.code, TOTAL_ROW_SUM.code)
UNRESOLVED = (FindingStatus.OPEN, FindingStatus.RETURNED, FindingStatus.EXPLAINED)
UNREAD = (UploadStatus.QUEUED, UploadStatus.RUNNING, UploadStatus.READY, UploadStatus.FAILED)

T = TypeVar("T")


@dataclass
class Section(Generic[T]):
    """One kind of problem: the first `LIMIT` items and how many there are."""

    items: list[T] = field(default_factory=list)
    total: int = 0

    @property
    def more(self) -> int:
        return max(0, self.total - len(self.items))


@dataclass(frozen=True)
class DuplicateGroup:
    """Records that are one and the same (two or more)."""

    label: str
    records: list[Any]


@dataclass
class DataHealth:
    conflicts: Section[Finding]
    duplicate_tasks: Section[DuplicateGroup]
    duplicate_documents: Section[DuplicateGroup]
    unsourced_figures: Section[Any]
    tasks_without_lead: Section[Task]
    unread_uploads: Section[PlanUpload]
    plans_to_review: Section[Plan]

    @property
    def problems(self) -> int:
        return sum(
            s.total
            for s in (
                self.conflicts,
                self.duplicate_tasks,
                self.duplicate_documents,
                self.unsourced_figures,
                self.tasks_without_lead,
                self.unread_uploads,
                self.plans_to_review,
            )
        )


def _limited(qs: QuerySet[Any]) -> Section[Any]:
    items = list(qs[:LIMIT])
    total = qs.count() if len(items) == LIMIT else len(items)
    return Section(items=items, total=total)


def _groups(
    rows: Iterable[T], key: Callable[[T], Hashable | None], label: Callable[[list[T]], str]
) -> Section[DuplicateGroup]:
    found: dict[Hashable, list[T]] = defaultdict(list)
    for row in rows:
        k = key(row)
        if k is not None:
            found[k].append(row)
    groups = [DuplicateGroup(label(g), g) for g in found.values() if len(g) > 1]
    return Section(items=groups[:LIMIT], total=len(groups))


def _conflicts() -> Section[Finding]:
    return _limited(
        Finding.objects.filter(rule_code__in=CONFLICT_RULES, status__in=UNRESOLVED)
        .select_related("period", "unit")
        .order_by("-period__end", "unit__name", "id")
    )


def _task_key(task: Task) -> tuple[int, str] | None:
    content = fold(task.content)
    return (task.plan_id, content) if content else None


def _duplicate_tasks() -> Section[DuplicateGroup]:
    # Only the plans holding two tasks of the same content matter, but which ones is known
    # only after folding: every task's content is read once (one query), folded in Python.
    tasks = Task.objects.select_related("plan").only(
        "id", "code", "content", "plan__id", "plan__number", "plan__kind"
    )
    return _groups(
        tasks.order_by("plan_id", "order", "code"),
        key=_task_key,
        label=lambda g: f"{g[0].plan.number}: {g[0].content[:120]}",
    )


def _document_label(group: list[DocumentRecord]) -> str:
    first = group[0]
    issuer = first.issuer_unit.name if first.issuer_unit else first.issuing_body
    return f"{first.number} — {issuer or 'không rõ cơ quan ban hành'}"


def _duplicate_documents() -> Section[DuplicateGroup]:
    documents = DocumentRecord.objects.select_related("issuer_unit", "period").order_by(
        "number", "date", "id"
    )
    return _groups(
        documents,
        key=lambda d: duplicate_key(d.number, d.issuer_unit_id, d.issuing_body),
        label=_document_label,
    )


def _unsourced_figures() -> Section[Any]:
    return _limited(
        ServiceStat.objects.filter(Q(source="") | Q(source__isnull=True))
        .select_related("service", "unit", "period")
        .order_by("-period__end", "unit__name", "service__order", "id")
    )


def _tasks_without_lead() -> Section[Task]:
    lead = Assignment.objects.filter(task=OuterRef("pk"), role=AssignmentRole.LEAD)
    return _limited(
        Task.objects.filter(~Exists(lead))
        .select_related("plan")
        .order_by("plan__number", "order", "code")
    )


def _unread_uploads() -> Section[PlanUpload]:
    return _limited(PlanUpload.objects.filter(status__in=UNREAD).order_by("-created_at", "-id"))


def _plans_to_review() -> Section[Plan]:
    return _limited(
        Plan.objects.annotate(tasks_to_review=Count("tasks", filter=Q(tasks__needs_review=True)))
        .filter(Q(needs_review=True) | Q(tasks_to_review__gt=0))
        .order_by("-year", "number")
    )


def data_health(user: Any) -> DataHealth:
    """Every kind of problem, for the secretariat and administrators (others are refused)."""
    if not can(user, Action.IMPORT_PLAN):
        raise PermissionDeniedError("Chỉ Thường trực Tổ công tác xem được sức khỏe dữ liệu.")
    return DataHealth(
        conflicts=_conflicts(),
        duplicate_tasks=_duplicate_tasks(),
        duplicate_documents=_duplicate_documents(),
        unsourced_figures=_unsourced_figures(),
        tasks_without_lead=_tasks_without_lead(),
        unread_uploads=_unread_uploads(),
        plans_to_review=_plans_to_review(),
    )
