"""Every list and export costs the same number of queries whatever the data size."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dean06.accounts.roles import Role
from tests.api.conftest import MONTH, add_unit_data, bearer

pytestmark = pytest.mark.django_db

LISTS = [
    "/api/units",
    "/api/plans",
    "/api/tasks",
    "/api/assignments",
    "/api/periods",
    f"/api/progress-reports?period={MONTH}",
    "/api/documents",
    "/api/services",
    f"/api/service-figures?period={MONTH}",
    "/api/findings",
    "/api/generated-reports",
    f"/api/exports/tasks?period={MONTH}&format=json",
    f"/api/exports/progress?period={MONTH}&format=csv",
    f"/api/exports/service-figures?period={MONTH}&format=xlsx",
]
# Authentication (the token and its owner, the "last used" note) and the list itself.
MAX_QUERIES = 9


def _counts(client, headers):
    counts = {}
    for path in LISTS:
        client.get(path, **headers)  # the token's "last used" is written once a minute at most
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path, **headers)
        assert response.status_code in (200, 403), path
        counts[path] = len(queries)
    return counts


@pytest.mark.parametrize("role", [Role.SECRETARIAT, Role.UNIT_OFFICER])
def test_lists_cost_the_same_queries_for_small_and_larger_data(
    world, client, role, django_assert_max_num_queries
):
    headers = bearer(world.token(role))
    small = _counts(client, headers)
    add_unit_data(world, "C", world.units["A"], n=12)
    add_unit_data(world, "D", world.units["B"], n=12)
    larger = _counts(client, headers)
    assert larger == small
    for path in LISTS:
        with django_assert_max_num_queries(MAX_QUERIES):
            client.get(path, **headers)
