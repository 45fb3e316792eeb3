"""Bringing an installation up: migrations, role groups and reference data (idempotent)."""

from __future__ import annotations

from collections.abc import Iterator

from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def is_migrated() -> bool:
    executor = MigrationExecutor(connection)
    return not executor.migration_plan(executor.loader.graph.leaf_nodes())


def migrate(verbose: bool = False) -> None:
    call_command("migrate", interactive=False, verbosity=1 if verbose else 0)


def load_reference() -> Iterator[str]:
    from dean06.accounts.services import role_groups_ensure
    from dean06.kpis.services import services_load_reference, targets_ensure_default
    from dean06.orgs.services import units_load_reference
    from dean06.quality.services import rules_ensure_builtin

    units, groups = units_load_reference()
    yield f"Đơn vị: {units}."
    yield f"Nhóm đơn vị: {groups}."
    yield f"Dịch vụ công thiết yếu: {services_load_reference()}."
    yield f"Chỉ tiêu mặc định: {targets_ensure_default()}."
    yield f"Quy tắc kiểm tra có sẵn: {rules_ensure_builtin()}."
    role_groups_ensure()


def initialise(*, reference: bool = True, verbose: bool = True) -> Iterator[str]:
    yield "Khởi tạo cơ sở dữ liệu..."
    migrate(verbose=False)
    yield "Cơ sở dữ liệu đã sẵn sàng."
    if reference:
        yield from load_reference()
    yield from periods_ensure_around_today()


def periods_ensure_around_today() -> Iterator[str]:
    """The reporting periods of last year, this year and next exist without anyone creating them
    (the daily job `tracking.tasks.periods_keep` keeps this true as years pass)."""
    from dean06.core import clock
    from dean06.tracking.services import periods_ensure

    year = clock.today().year
    created = periods_ensure(range(year - 1, year + 2))
    yield f"Kỳ báo cáo {year - 1}–{year + 1}: {created} kỳ mới."
