"""Fixtures shared by the whole suite."""

from __future__ import annotations

import os

import pytest

from dean06.accounts.roles import Role
from tests.factories import UnitFactory, UserFactory


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Passwords in tests are hashed with a fast hasher: the production hasher is slow on
    purpose (~0.3 s a hash), which every account made and every sign-in would pay."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def reference(db):
    """The shipped reference data: units, unit groups, 25 services, role groups."""
    from dean06 import bootstrap

    replayed("reference", lambda: list(bootstrap.load_reference()))


# The rows a fixture's real work wrote into an empty database, by name, kept per process,
# with the content types and permissions they may point to.
_WRITTEN: dict[str, tuple[int, list[tuple[type, list[dict[str, object]]]]]] = {}


def _schema_rows() -> int:
    """A fingerprint of the content types and permissions: a test that empties the database
    (a live server's) has them made again with other keys."""
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    return hash(
        (
            tuple(ContentType.objects.order_by("pk").values_list("pk", "app_label", "model")),
            tuple(Permission.objects.order_by("pk").values_list("pk", "content_type", "codename")),
        )
    )


def replayed(name: str, build) -> None:
    """`build()` run for real the first time in this process; later, into a database in the
    same state (no unit yet, the same content types and permissions), the rows it wrote are
    inserted again as they were: a few bulk inserts instead of its validated and audited
    writes one by one (the reference load is 1,200 queries, half a second, paid by hundreds of
    tests). Anywhere else it runs for real."""
    from django.apps import apps

    from dean06.orgs.models import Unit

    if Unit.objects.exists():
        build()
        return
    schema = _schema_rows()
    fingerprint, written = _WRITTEN.get(name, (None, []))
    if fingerprint == schema:
        from django.db import transaction

        with transaction.atomic():  # rows point to each other: checked once, at the end
            for model, rows in written:
                model._base_manager.bulk_create([model(**row) for row in rows])
        return
    models = [m for m in apps.get_models(include_auto_created=True) if not m._meta.proxy]
    before = {m: set(m._base_manager.values_list("pk", flat=True)) for m in models}
    build()
    written: list[tuple[type, list[dict[str, object]]]] = []
    for model in models:
        fields = [f.attname for f in model._meta.concrete_fields]
        new = [
            row
            for row in model._base_manager.order_by("pk").values(*fields)
            if row[model._meta.pk.attname] not in before[model]
        ]
        if new:
            written.append((model, new))
    _WRITTEN[name] = (schema, written)


CYCLE_PLAN = "000_29642a5544120c4a.txt"


@pytest.fixture
def plan_2024(db):
    """The reference data and the 2024 plan of the seeds, imported with its file."""
    from dean06 import bootstrap
    from dean06.ingest import extract
    from dean06.orgs.selectors import unit_registry
    from dean06.plans.services import plan_import
    from dean06.reference import seed_path

    def build() -> None:
        list(bootstrap.load_reference())
        data = seed_path(CYCLE_PLAN).read_bytes()
        plan_import(extracted=extract(data, unit_registry()), by=None, source_bytes=data)

    replayed("plan-2024", build)


@pytest.fixture
def cycle(db, make_user, settings, tmp_path):
    """The 2024 plan imported, Sở TT&TT's officer and the secretariat, on 10/07/2024 (the July
    2024 cycle), with B.1.3 (led by Sở TT&TT) ready to report on."""
    import datetime as dt

    from dean06 import bootstrap
    from dean06.ingest import extract
    from dean06.orgs.models import Unit
    from dean06.orgs.selectors import unit_registry
    from dean06.plans.models import Assignment
    from dean06.plans.services import plan_import
    from dean06.reference import seed_path
    from dean06.tracking.services import period_get_or_create

    settings.DEMO_TODAY = dt.date(2024, 7, 10)
    settings.MEDIA_ROOT = tmp_path / "media"

    def build() -> None:
        list(bootstrap.load_reference())
        plan_import(
            extracted=extract(
                seed_path(CYCLE_PLAN).read_bytes(), unit_registry(), filename=CYCLE_PLAN
            ),
            by=None,
            source_name=CYCLE_PLAN,
        )

    replayed("cycle", build)
    unit = Unit.objects.get(key="STTTT")
    return {
        "unit": unit,
        "assignment": Assignment.objects.get(
            task__code="B.1.3", task__plan__number="18/KH-UBND", unit=unit, role="lead"
        ),
        "period": period_get_or_create("month", 2024, 7),
        "officer": make_user(Role.UNIT_OFFICER, unit=unit),
        "secretariat": make_user(Role.SECRETARIAT),
    }


@pytest.fixture
def make_user(db):
    def make(role: str = Role.UNIT_OFFICER, unit=None, **kwargs):
        if role in (Role.UNIT_OFFICER, Role.UNIT_LEADER) and unit is None:
            unit = UnitFactory()
        return UserFactory(role=role, unit=unit, **kwargs)

    return make


@pytest.fixture
def login(client):
    def as_user(user):
        client.force_login(user)
        return client

    return as_user


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """No persistent connections in tests: threads of the live server must not keep the test
    database open, or PostgreSQL refuses to drop it at the end."""
    from django.conf import settings

    settings.DATABASES["default"]["CONN_MAX_AGE"] = 0
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        # A test database in a file, as in production: an in-memory one is shared between
        # threads through SQLite's shared cache, where writers fail at once with "database
        # table is locked" instead of waiting their turn (busy timeout) as they do on a file.
        # One file per pytest-xdist worker.
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = str(
            settings.DATA_DIR / f"test-db-{worker}.sqlite3"
        )


def pytest_collection_modifyitems(config, items):
    """Files holding a `slow` test run first, each file's tests together and in order: a
    minute-long test started last keeps one worker busy while the others wait.

    `DEAN06_DB_TESTS_ONLY=1` (the second, PostgreSQL run of .ci/run) keeps the tests that use
    the database: the others (readers, pure rules, commands run on their own SQLite data folder)
    do not depend on it and already ran; nor do the tests marked `once` (they open a database
    but check file reading or OCR)."""
    slow_files = {item.path for item in items if item.get_closest_marker("slow")}
    items[:] = sorted(items, key=lambda item: item.path not in slow_files)  # stable
    if os.environ.get("DEAN06_DB_TESTS_ONLY") != "1":
        return
    database = {"db", "transactional_db", "django_db_setup", "live_server"}
    keep, skip = [], []
    for item in items:
        uses = database & set(getattr(item, "fixturenames", ())) or item.get_closest_marker(
            "django_db"
        )
        if item.get_closest_marker("once"):
            uses = False
        (keep if uses else skip).append(item)
    if skip:
        config.hook.pytest_deselected(items=skip)
        items[:] = keep
