"""Two people at once on the figures grid: a stale form is refused with both values shown and
nothing overwritten; racing first saves of the same empty row never end in an error page."""

from __future__ import annotations

import threading

import pytest
from django.db import close_old_connections, connection

from dean06.accounts.roles import Role
from dean06.core.models import AuditEntry
from dean06.kpis.models import ServiceStat
from dean06.kpis.services import service_stats_save, targets_ensure_default
from dean06.orgs.models import Unit
from dean06.quality.services import rules_ensure_builtin
from dean06.tracking.services import period_get_or_create, period_unsaved

BIRTH = "DA06-09"


@pytest.fixture
def unit(reference):
    rules_ensure_builtin()
    targets_ensure_default()
    return Unit.objects.get(key="STP")


def _cells(online, total):
    return {"online_citizens": online, "online_businesses": "0", "total_received": total}


def _grid(unit):
    return f"/so-lieu/2024/7/don-vi/{unit.pk}/"


def _post(online, total, version):
    return {
        f"c-{BIRTH}-online_citizens": online,
        f"c-{BIRTH}-online_businesses": "0",
        f"c-{BIRTH}-total_received": total,
        f"v-{BIRTH}": str(version),
    }


@pytest.mark.django_db
def test_stale_save_is_refused_with_both_values_and_nothing_overwritten(unit, make_user):
    first, second = make_user(Role.UNIT_OFFICER, unit=unit), make_user(Role.SECRETARIAT)
    period = period_unsaved("month", 2024, 7)
    saved = service_stats_save(
        unit=unit,
        period=period,
        rows=[(BIRTH, _cells("50", "100"))],
        versions={BIRTH: 0},
        by=first,
    )
    assert saved.saved
    # Both read version 1; the first to save wins.
    service_stats_save(
        unit=unit,
        period=saved.period,
        rows=[(BIRTH, _cells("60", "100"))],
        versions={BIRTH: 1},
        by=first,
    )
    stale = service_stats_save(
        unit=unit,
        period=saved.period,
        rows=[(BIRTH, _cells("10", "300"))],
        versions={BIRTH: 1},
        by=second,
    )
    assert not stale.saved
    [conflict] = stale.conflicts
    assert conflict.mine["online_citizens"] == 10 and conflict.mine["total_received"] == 300
    assert conflict.stored["online_citizens"] == 60 and conflict.stored["total_received"] == 100
    assert conflict.stored_version == 2 and set(conflict.fields) == {
        "online_citizens",
        "total_received",
    }
    assert "vừa được người khác lưu" in stale.message
    stat = ServiceStat.objects.get()
    assert (stat.online_citizens, stat.total_received, stat.version) == (60, 100, 2)
    assert AuditEntry.objects.filter(action="kpis.stat.updated").count() == 1


@pytest.mark.django_db
def test_a_stale_grid_form_shows_both_versions_and_keeps_the_stored_one(unit, make_user, login):
    officer = make_user(Role.UNIT_OFFICER, unit=unit)
    client = login(officer)
    page = client.get(_grid(unit)).content.decode()
    assert f'name="v-{BIRTH}" value="0"' in page
    assert client.post(_grid(unit), _post("50", "100", 0)).status_code == 302
    page = client.get(_grid(unit)).content.decode()
    assert f'name="v-{BIRTH}" value="1"' in page

    # Another person saves 50/100 → 60/100 while this form (version 1) is still open.
    other = make_user(Role.SECRETARIAT, first_name="Lan", last_name="Nguyễn")
    stat = ServiceStat.objects.get()
    service_stats_save(
        unit=unit,
        period=stat.period,
        rows=[(BIRTH, _cells("60", "100"))],
        versions={BIRTH: 1},
        by=other,
    )
    response = client.post(_grid(unit), _post("10", "300", 1))
    assert response.status_code == 409
    body = response.content.decode()
    assert 'id="conflicts"' in body and "Lan Nguyễn" in body
    assert 'class="num mine">10<' in body and 'class="num theirs">60<' in body
    assert 'class="num mine">300<' in body and 'class="num theirs">100<' in body
    # The form now carries the stored version: saving again is a deliberate overwrite.
    assert f'name="v-{BIRTH}" value="2"' in body
    stat.refresh_from_db()
    assert (stat.online_citizens, stat.total_received) == (60, 100)
    assert client.post(_grid(unit), _post("10", "300", 2)).status_code == 302
    stat.refresh_from_db()
    assert (stat.online_citizens, stat.total_received, stat.version) == (10, 300, 3)


@pytest.mark.django_db
def test_a_form_without_versions_never_overwrites_blindly(unit, make_user, login):
    client = login(make_user(Role.UNIT_OFFICER, unit=unit))
    assert client.post(_grid(unit), _post("50", "100", 0)).status_code == 302
    data = _post("1", "2", 0)
    del data[f"v-{BIRTH}"]
    assert client.post(_grid(unit), data).status_code == 409
    assert ServiceStat.objects.get().online_citizens == 50


@pytest.mark.django_db(transaction=True)
def test_racing_first_saves_of_an_empty_row_give_one_winner_and_one_stale_answer(unit, make_user):
    """Several people save the same empty cell at the same moment, each in its own connection
    (threads). On PostgreSQL the unique constraint lets one insert in; the others must get the
    stale-form answer with both values, never an error. On SQLite writers queue (IMMEDIATE
    transactions) and the later ones see the first one's row: the same answer."""
    people = [make_user(Role.SECRETARIAT) for _ in range(4)]
    period = period_get_or_create("month", 2024, 7)
    barrier = threading.Barrier(len(people))
    outcomes: list[object] = []
    errors: list[BaseException] = []

    def save(person, online):
        try:
            barrier.wait(timeout=10)
            outcomes.append(
                service_stats_save(
                    unit=unit,
                    period=period,
                    rows=[(BIRTH, _cells(str(online), "100"))],
                    versions={BIRTH: 0},
                    by=person,
                )
            )
        except BaseException as exc:
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=save, args=(p, 10 * (i + 1))) for i, p in enumerate(people)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    saved = [o for o in outcomes if o.saved]
    refused = [o for o in outcomes if not o.saved]
    assert len(saved) == 1 and len(refused) == len(people) - 1
    stat = ServiceStat.objects.get()
    winner = stat.online_citizens
    for outcome in refused:
        [conflict] = outcome.conflicts
        assert conflict.stored["online_citizens"] == winner
        assert conflict.mine["online_citizens"] != winner
    assert AuditEntry.objects.filter(action="kpis.stat.created").count() == 1
