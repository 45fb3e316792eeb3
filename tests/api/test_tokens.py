"""Tokens: stored hashed, shown once, never in the audit; revoked ones answer 401; the command
line makes and revokes them."""

from __future__ import annotations

import argparse
import json

import pytest

from dean06 import api_commands
from dean06.accounts.roles import Role
from dean06.accounts.token_services import api_token_create, api_token_revoke, token_hash
from dean06.accounts.tokens import ApiToken
from dean06.core.audit import audit_context
from dean06.core.exceptions import ApplicationError, PermissionDeniedError
from dean06.core.models import AuditEntry
from tests.api.conftest import bearer

pytestmark = pytest.mark.django_db


def _everything_stored() -> str:
    """Every token row and audit entry, as text."""
    rows = list(ApiToken.objects.values())
    audit = list(AuditEntry.objects.values())
    return json.dumps([rows, audit], default=str)


def test_a_token_is_stored_hashed_and_its_secret_is_nowhere(world):
    new = api_token_create(
        user=world.users[Role.SECRETARIAT], name="he-thong-mot-cua", scope="read", by=None
    )
    stored = ApiToken.objects.get(pk=new.token.pk)
    assert new.secret.startswith(f"d06_{stored.prefix}_")
    assert len(new.secret) > 60
    assert stored.key_hash == token_hash(new.secret)
    assert new.secret not in _everything_stored()
    secret_part = new.secret.rsplit("_", 1)[-1]
    assert secret_part not in _everything_stored()
    entry = AuditEntry.objects.get(action="accounts.apitoken.created")
    assert entry.after["name"] == "he-thong-mot-cua"
    assert entry.after["scope"] == "read"
    assert "key_hash" not in entry.after


def test_a_revoked_token_answers_401_and_the_revocation_is_audited(world, client):
    new = api_token_create(
        user=world.users[Role.SECRETARIAT], name="he-thong-mot-cua", scope="write", by=None
    )
    assert client.get("/api/units", **bearer(new.secret)).status_code == 200
    assert ApiToken.objects.get(pk=new.token.pk).last_used_at is not None
    api_token_revoke(name="he-thong-mot-cua", by=None)
    for response in (
        client.get("/api/units", **bearer(new.secret)),
        client.post(
            "/api/progress-reports", {}, content_type="application/json", **bearer(new.secret)
        ),
    ):
        assert response.status_code == 401
        assert "thu hồi" in response.json()["detail"]
    entry = AuditEntry.objects.get(action="accounts.apitoken.revoked")
    assert entry.before["revoked_at"] is None
    assert entry.after["revoked_at"] is not None


def test_a_revoked_token_writing_without_a_session_is_401_not_a_csrf_refusal(world):
    from django.test import Client

    system = Client(enforce_csrf_checks=True)
    new = api_token_create(user=world.users[Role.UNIT_OFFICER], name="x", scope="write", by=None)
    api_token_revoke(name="x", by=None)
    response = system.post(
        "/api/progress-reports", {}, content_type="application/json", **bearer(new.secret)
    )
    assert response.status_code == 401


def test_a_wrong_or_malformed_token_answers_401(world, client):
    new = api_token_create(
        user=world.users[Role.SECRETARIAT], name="he-thong", scope="read", by=None
    )
    tampered = new.secret[:-2] + ("AA" if not new.secret.endswith("AA") else "BB")
    for header in (tampered, "d06_x", "rác", new.token.prefix):
        assert client.get("/api/units", **bearer(header)).status_code == 401, header


def test_a_token_of_a_deactivated_account_answers_401(world, client):
    user = world.users[Role.SECRETARIAT]
    new = api_token_create(user=user, name="he-thong", scope="read", by=None)
    user.is_active = False
    user.save()
    assert client.get("/api/units", **bearer(new.secret)).status_code == 401


def test_only_administrators_make_or_revoke_tokens_and_names_are_unique(world):
    secretariat = world.users[Role.SECRETARIAT]
    with pytest.raises(PermissionDeniedError):
        api_token_create(user=secretariat, name="x", scope="read", by=secretariat)
    api_token_create(user=secretariat, name="x", scope="read", by=world.users[Role.ADMIN])
    with pytest.raises(ApplicationError, match="Đã có khóa API"):
        api_token_create(user=secretariat, name="x", scope="read", by=None)
    with pytest.raises(ApplicationError, match="Phạm vi"):
        api_token_create(user=secretariat, name="y", scope="admin", by=None)
    with pytest.raises(PermissionDeniedError):
        api_token_revoke(name="x", by=secretariat)
    api_token_revoke(name="x", by=None)
    # The name is free again once revoked.
    api_token_create(user=secretariat, name="x", scope="read", by=None)


def _run(argv: list[str]) -> int:
    from dean06.cli import _Parser

    parser = _Parser(prog="dean06")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    for register in api_commands.REGISTRARS:
        register(sub)
    args: argparse.Namespace = parser.parse_args(argv)
    with audit_context("dean06 api-token (test)"):
        return int(args.handler(args))


def test_the_command_line_makes_lists_and_revokes_a_token(world, client, capsys):
    username = world.users[Role.SECRETARIAT].username
    argv = ["api-token", "create", "--user", username, "--name", "cong-dvc", "--scope", "read"]
    assert _run(argv) == 0
    out = capsys.readouterr().out
    secret = next(line for line in out.splitlines() if line.startswith("d06_"))
    assert "chỉ hiện một lần" in out
    assert client.get("/api/plans", **bearer(secret)).status_code == 200
    entry = AuditEntry.objects.get(action="accounts.apitoken.created")
    assert entry.actor is None and entry.actor_label == "dean06 api-token (test)"
    assert secret not in _everything_stored()
    assert _run(["api-token", "list"]) == 0
    listed = capsys.readouterr().out
    assert "cong-dvc" in listed and secret not in listed
    assert _run(["api-token", "revoke", "--name", "cong-dvc"]) == 0
    assert "Đã thu hồi" in capsys.readouterr().out
    assert client.get("/api/plans", **bearer(secret)).status_code == 401


def test_the_command_line_tells_a_missing_account_in_one_line(world):
    from dean06.cli import CommandError

    with pytest.raises(CommandError, match="Không có tài khoản"):
        _run(["api-token", "create", "--user", "khong-co", "--name", "x"])
    with pytest.raises(CommandError, match="Không có khóa API"):
        _run(["api-token", "revoke", "--name", "khong-co"])
