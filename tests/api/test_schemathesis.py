"""The API against its own schema: schemathesis generates requests for every operation and the
running server answers each without a server error, with a status, a content type and a body
that the schema documents."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from dean06.accounts.roles import Role

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.mark.once
@pytest.mark.django_db(transaction=True)
def test_every_operation_keeps_to_its_schema(world, live_server):
    headers = {"Authorization": f"Bearer {world.token(Role.SECRETARIAT, 'write')}"}
    schema = schemathesis.openapi.from_url(
        f"{live_server.url}/api/openapi.json", headers=headers, timeout=30
    )
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=4,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case):
            case.call_and_validate(base_url=live_server.url, headers=headers, checks=CHECKS)

        check()
