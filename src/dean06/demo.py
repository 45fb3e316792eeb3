"""Demo data: reference data, the 2024 plan of Bắc Giang from the shipped seeds, demo accounts."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from dean06 import bootstrap
from dean06.accounts.models import User
from dean06.accounts.roles import Role
from dean06.accounts.services import user_create
from dean06.orgs.models import Unit


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role: str
    unit_key: str | None = None
    full_name: str = ""

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label)


DEMO_PASSWORD = "dean06-demo"  # noqa: S105 — printed for the local demo only
DEMO_ACCOUNTS = (
    DemoAccount("quantri", DEMO_PASSWORD, Role.ADMIN, None, "Quản trị hệ thống"),
    DemoAccount("thuongtruc", DEMO_PASSWORD, Role.SECRETARIAT, None, "Thường trực Tổ công tác"),
    DemoAccount("stttt", DEMO_PASSWORD, Role.UNIT_OFFICER, "STTTT", "Đầu mối Sở TT&TT"),
    DemoAccount("lanhdao.stttt", DEMO_PASSWORD, Role.UNIT_LEADER, "STTTT", "Lãnh đạo Sở TT&TT"),
    DemoAccount("stp", DEMO_PASSWORD, Role.UNIT_OFFICER, "STP", "Đầu mối Sở Tư pháp"),
    DemoAccount("lanhdaotinh", DEMO_PASSWORD, Role.PROVINCIAL_LEADER, None, "Lãnh đạo UBND tỉnh"),
)


def demo_accounts_ensure() -> int:
    created = 0
    for account in DEMO_ACCOUNTS:
        if User.objects.filter(username=account.username).exists():
            continue
        unit = Unit.objects.get(key=account.unit_key) if account.unit_key else None
        user_create(
            username=account.username,
            password=account.password,
            role=account.role,
            unit=unit if account.role in (Role.UNIT_OFFICER, Role.UNIT_LEADER) else None,
            full_name=account.full_name,
        )
        created += 1
    return created


def load_demo(*, progress: bool = False) -> Iterator[str]:
    """Initialise and load the demo data; running it again changes nothing."""
    yield from bootstrap.initialise()
    yield from _demo_plans()
    yield f"Tài khoản dùng thử: {demo_accounts_ensure()} mới."


DEMO_REPORT_SEED = "003_9912287c508b6ad0.txt"


def _demo_plans() -> Iterator[str]:
    from dean06.imports.report import report_import
    from dean06.ingest.report import extract_report
    from dean06.plans.services import plan_import_seed_demo
    from dean06.reference import seed_path

    yield from plan_import_seed_demo()
    report = extract_report(seed_path(DEMO_REPORT_SEED))
    result = report_import(report=report, year=2024, month=7, by=None, source=DEMO_REPORT_SEED)
    yield f"Báo cáo mẫu tháng 7/2024: {result.summary()}"
