from __future__ import annotations

import pytest

from dean06.imports.report import report_import
from dean06.ingest.report import extract_report
from dean06.reference import seed_path
from dean06.tracking.models import ReportingPeriod

SEED_003 = seed_path("003_9912287c508b6ad0.txt")


@pytest.fixture
def files(settings, tmp_path):
    """Stored files and the administrator's templates in a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.DATA_DIR = tmp_path
    return tmp_path


@pytest.fixture
def july_period(plan_2024) -> ReportingPeriod:
    """A database holding the 2024 plan and the July 2024 report of the seeds."""
    report_import(
        report=extract_report(SEED_003), year=2024, month=7, by=None, source=SEED_003.name
    )
    return ReportingPeriod.objects.get(kind="month", year=2024, number=7)
