"""A small province for the API: units A and B, one plan with a task for each, their reports,
figures, documents and findings for July 2024, a generated report, and one account per role."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.files.base import ContentFile

from dean06.accounts.roles import Role
from dean06.accounts.token_services import api_token_create
from dean06.documents.models import DocumentGroup, DocumentRecord
from dean06.kpis.models import PublicService, ServiceStat
from dean06.quality.models import Finding
from dean06.reports.models import GeneratedReport
from dean06.tracking.models import ProgressReport, ReportStatus
from dean06.tracking.services import period_get_or_create
from tests.factories import AssignmentFactory, PlanFactory, TaskFactory, UnitFactory

MONTH = "2024-07"


@dataclass
class World:
    units: dict[str, Any] = field(default_factory=dict)
    users: dict[str, Any] = field(default_factory=dict)
    plan: Any = None
    tasks: dict[str, Any] = field(default_factory=dict)
    assignments: dict[str, Any] = field(default_factory=dict)
    reports: dict[str, Any] = field(default_factory=dict)
    documents: dict[str, Any] = field(default_factory=dict)
    findings: dict[str, Any] = field(default_factory=dict)
    stats: dict[str, Any] = field(default_factory=dict)
    period: Any = None
    generated: Any = None
    service: Any = None

    def token(self, role: str, scope: str = "read") -> str:
        new = api_token_create(
            user=self.users[role], name=f"he-thong-{role}-{scope}", scope=scope, by=None
        )
        return new.secret


def add_unit_data(world: World, name: str, unit: Any, *, n: int = 1) -> None:
    """Unit `unit`'s task(s) in the plan, with a report, figures, a document and a finding."""
    for i in range(n):
        key = name if i == 0 else f"{name}{i}"
        task = TaskFactory(plan=world.plan, code=f"{name}.{i + 1}", content=f"Nhiệm vụ {key}")
        assignment = AssignmentFactory(task=task, unit=unit)
        world.tasks.setdefault(key, task)
        world.assignments.setdefault(key, assignment)
        world.reports.setdefault(
            key,
            ProgressReport.objects.create(
                assignment=assignment,
                period=world.period,
                status=ReportStatus.APPROVED,
                state="in_progress",
                progress=f"Tiến độ của {key}",
                submitted_at=dt.datetime(2024, 7, 12, 9, 0, tzinfo=dt.UTC),
            ),
        )
        world.documents.setdefault(
            key,
            DocumentRecord.objects.create(
                number=f"{i + 1}/KH-{name}",
                summary=f"Văn bản của {key}",
                date=dt.date(2024, 7, 1),
                issuer_unit=unit,
                group=DocumentGroup.UNIT,
                period=world.period,
            ),
        )
        world.findings.setdefault(
            key,
            Finding.objects.create(
                rule_code=f"R{i}",
                severity="warning",
                message=f"Cảnh báo của {key}",
                scope="service_stat",
                period=world.period,
                unit=unit,
            ),
        )
        service = PublicService.objects.create(code=f"S-{key}", name=f"Dịch vụ {key}", order=i)
        world.stats.setdefault(
            key,
            ServiceStat.objects.create(
                service=service,
                unit=unit,
                period=world.period,
                online_citizens=30,
                online_businesses=10,
                total_received=80,
            ),
        )


@pytest.fixture
def world(db, settings, tmp_path) -> World:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DEMO_TODAY = dt.date(2024, 7, 10)
    w = World()
    w.units = {"A": UnitFactory(name="Sở A"), "B": UnitFactory(name="Sở B")}
    w.period = period_get_or_create("month", 2024, 7)
    w.plan = PlanFactory(number="18/KH-UBND", year=2024)
    add_unit_data(w, "A", w.units["A"])
    add_unit_data(w, "B", w.units["B"])
    from tests.factories import UserFactory

    w.users = {
        Role.ADMIN: UserFactory(role=Role.ADMIN, username="admin"),
        Role.SECRETARIAT: UserFactory(role=Role.SECRETARIAT, username="thuong-truc"),
        Role.PROVINCIAL_LEADER: UserFactory(role=Role.PROVINCIAL_LEADER, username="lanh-dao"),
        Role.UNIT_OFFICER: UserFactory(
            role=Role.UNIT_OFFICER, unit=w.units["A"], username="can-bo-a"
        ),
        Role.UNIT_LEADER: UserFactory(
            role=Role.UNIT_LEADER, unit=w.units["A"], username="lanh-dao-a"
        ),
        "officer_b": UserFactory(role=Role.UNIT_OFFICER, unit=w.units["B"], username="can-bo-b"),
    }
    generated = GeneratedReport(
        period=w.period, format="xlsx", filename="bao-cao-de-an-06-thang-07-2024.xlsx", size=4
    )
    generated.file.save(generated.filename, ContentFile(b"PK\x03\x04"), save=False)
    generated.save()
    w.generated = generated
    return w


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
