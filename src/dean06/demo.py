"""Demo data: reference data, the 2024 plan of Bắc Giang from the shipped seeds, demo accounts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

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
# People's names, as real accounts have: the header shows the name, then the role and unit.
DEMO_ACCOUNTS = (
    DemoAccount("quantri", DEMO_PASSWORD, Role.ADMIN, None, "Trần Minh Quân"),
    DemoAccount("thuongtruc", DEMO_PASSWORD, Role.SECRETARIAT, None, "Nguyễn Thị Thu Hà"),
    DemoAccount("stttt", DEMO_PASSWORD, Role.UNIT_OFFICER, "STTTT", "Lê Văn Đức"),
    DemoAccount("lanhdao.stttt", DEMO_PASSWORD, Role.UNIT_LEADER, "STTTT", "Phạm Quốc Hưng"),
    DemoAccount("stp", DEMO_PASSWORD, Role.UNIT_OFFICER, "STP", "Hoàng Thị Mai"),
    DemoAccount("lanhdaotinh", DEMO_PASSWORD, Role.PROVINCIAL_LEADER, None, "Đỗ Văn Thành"),
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
    yield from _demo_indicators()
    from dean06.demo_cycle import load_cycle

    yield from load_cycle()


@dataclass(frozen=True)
class DemoIndicator:
    code: str
    name: str
    kind: str
    unit_label: str
    target: Decimal | None
    # Per unit key: per month of 2024 (5, 6, 7), (numerator, denominator) or a count.
    values: dict[str, tuple[tuple[int, int] | int | None, ...]]


# Indicators set by the 2024 plan (Kế hoạch 18/KH-UBND, tasks 2.15, 2.16, 3.4) with figures for
# May–July 2024 as units would report them: some met, some not, one unit late for July.
DEMO_INDICATORS = (
    DemoIndicator(
        "KH18-2.15-LUUTRU",
        "Tỷ lệ kết quả giải quyết TTHC của cá nhân được lưu trữ điện tử",
        "ratio",
        "%",
        Decimal(100),
        {
            "STTTT": ((412, 430), (455, 461), (498, 498)),
            "STP": ((1620, 1869), (1702, 1815), None),
            "CAT": ((5210, 5210), (5388, 5388), (5605, 5605)),
        },
    ),
    DemoIndicator(
        "KH18-2.15-HAILONG",
        "Tỷ lệ người dân, doanh nghiệp hài lòng về việc giải quyết TTHC (53 DVC thiết yếu; cư trú, "
        "hộ tịch, xuất nhập cảnh, cấp CCCD)",
        "ratio",
        "%",
        Decimal(90),
        {
            "STTTT": ((301, 320), (330, 352), (361, 380)),
            "STP": ((1455, 1700), (1530, 1690), None),
            "CAT": ((4890, 5210), (5150, 5388), (5420, 5605)),
        },
    ),
    DemoIndicator(
        "KH18-2.16-XULYMANG",
        "Tỷ lệ hồ sơ công việc liên quan đến dân cư cấp tỉnh được xử lý trên môi trường mạng",
        "ratio",
        "%",
        Decimal(90),
        {
            "STTTT": ((188, 200), (192, 205), (199, 210)),
            "STP": ((160, 190), (171, 188), None),
        },
    ),
    DemoIndicator(
        "KH18-3.4-LUUTRU-VNEID",
        "Số cơ sở lưu trú thông báo lưu trú qua ứng dụng VNeID",
        "count",
        "cơ sở",
        Decimal(600),
        {"CAT": (512, 547, 583)},
    ),
)
DEMO_MONTHS = (5, 6, 7)
DEMO_CAUSE = "Một số hồ sơ tiếp nhận trực tiếp chưa được số hóa kịp trong kỳ; đang bổ sung."


def _demo_indicators() -> Iterator[str]:
    """Indicators with a target and three months of values, entered by the units' own officers
    (the secretariat for units without a demo account), so that the indicator pages show data."""
    from dean06.kpis.models import IndicatorValue, Target, TargetScope
    from dean06.kpis.services import indicator_ensure, indicator_value_save, target_create
    from dean06.tracking.services import period_get_or_create

    admin = User.objects.get(username="quantri")
    secretariat = User.objects.get(username="thuongtruc")
    officers = {
        a.unit_key: User.objects.get(username=a.username)
        for a in DEMO_ACCOUNTS
        if a.role == Role.UNIT_OFFICER and a.unit_key
    }
    saved = 0
    for item in DEMO_INDICATORS:
        units = [Unit.objects.get(key=key) for key in item.values]
        indicator = indicator_ensure(
            code=item.code,
            name=item.name,
            kind=item.kind,
            unit_label=item.unit_label,
            reporting_units=units,
            by=admin,
        )
        if item.target is not None and not Target.objects.filter(indicator=indicator).exists():
            target_create(
                scope=TargetScope.INDICATOR,
                indicator=indicator,
                value=item.target,
                valid_from=dt.date(2024, 1, 1),
                source="Kế hoạch 18/KH-UBND ngày 23/01/2024",
                by=admin,
            )
        for unit in units:
            by = officers.get(unit.key, secretariat)
            for month, figure in zip(DEMO_MONTHS, item.values[unit.key], strict=True):
                period = period_get_or_create("month", 2024, month, by=by)
                if (
                    figure is None
                    or IndicatorValue.objects.filter(
                        indicator=indicator, unit=unit, period=period
                    ).exists()
                ):
                    continue
                numbers: dict[str, int | None] = (
                    {"numerator": figure[0], "denominator": figure[1], "value": None}
                    if isinstance(figure, tuple)
                    else {"numerator": None, "denominator": None, "value": figure}
                )
                # The cause is kept only where the target is missed (the service decides).
                indicator_value_save(
                    indicator=indicator,
                    unit=unit,
                    period=period,
                    numerator=numbers["numerator"],
                    denominator=numbers["denominator"],
                    value=numbers["value"],
                    cause=DEMO_CAUSE,
                    by=by,
                )
                saved += 1
    yield f"Chỉ tiêu mẫu: {len(DEMO_INDICATORS)} chỉ tiêu, {saved} giá trị mới."


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
