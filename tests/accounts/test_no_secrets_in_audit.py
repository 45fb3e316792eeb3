"""No password (nor its hash) ever reaches the audit log, whichever way a user is written."""

from __future__ import annotations

import json

from dean06.accounts.models import User
from dean06.accounts.roles import Role
from dean06.accounts.services import user_create
from dean06.core.audit import is_secret, redact, snapshot
from dean06.core.models import AuditEntry
from tests.core.adminforms import form_data
from tests.factories import UnitFactory

NEW_PASSWORD = "mat-khau-moi-2024"


def _whole_log() -> str:
    return json.dumps(
        list(
            AuditEntry.objects.values(
                "action", "actor_label", "object_repr", "before", "after", "note"
            )
        ),
        ensure_ascii=False,
    )


def test_secret_names_are_told_apart_from_fingerprints_and_keys():
    secret = ["password", "password2", "api_token", "client_secret", "password_hash", "ApiKey"]
    kept = ["username", "sha256", "source_sha256", "key", "usable_password", "password_changed"]
    assert [name for name in secret if not is_secret(name)] == []
    assert [name for name in kept if is_secret(name)] == []


def test_snapshot_and_redact_leave_secrets_out(make_user):
    user = make_user(Role.SECRETARIAT)
    data = snapshot(user)
    assert "password" not in data and data["username"] == user.username
    assert redact({"a": 1, "token": "x", "nested": [{"secret": "y", "b": 2}]}) == {
        "a": 1,
        "nested": [{"b": 2}],
    }


def test_no_entry_holds_a_password_hash_through_admin_or_services(login, make_user):
    admin_user = make_user(Role.ADMIN, is_staff=True, is_superuser=True)
    client = login(admin_user)
    unit = UnitFactory()

    # A user created by the service (the CLI's and the demo's way).
    by_service = user_create(
        username="dichvu", password="x-123456789", role=Role.UNIT_OFFICER, unit=unit
    )

    # A user created through the admin's add page.
    added = client.post(
        "/quan-tri/accounts/user/add/",
        {
            "username": "quantri.tao",
            "usable_password": "true",
            "password1": "x-123456789",
            "password2": "x-123456789",
            "role": Role.SECRETARIAT,
            "_save": "Lưu",
        },
    )
    assert added.status_code == 302, added.content.decode()[:3000]
    by_admin = User.objects.get(username="quantri.tao")

    # Both edited on the admin's change page.
    for user in (by_service, by_admin):
        url = f"/quan-tri/accounts/user/{user.pk}/change/"
        data = form_data(client.get(url))
        data["email"] = f"{user.username}@example.vn"
        response = client.post(url, data)
        assert response.status_code == 302, response.content.decode()[:3000]

    # And the password changed on the admin's password page.
    changed = client.post(
        f"/quan-tri/accounts/user/{by_service.pk}/password/",
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "set_usable_password": "true"},
    )
    assert changed.status_code == 302, changed.content.decode()[:3000]
    by_service.refresh_from_db()
    assert by_service.check_password(NEW_PASSWORD)

    # A refused change (the two passwords differ) writes nothing.
    refused = client.post(
        f"/quan-tri/accounts/user/{by_admin.pk}/password/",
        {"password1": "a-123456789", "password2": "b-123456789", "set_usable_password": "true"},
    )
    assert refused.status_code == 200

    entry = AuditEntry.objects.get(action="accounts.user.password_changed")
    assert entry.actor == admin_user and entry.object_id == str(by_service.pk)
    assert entry.before is None
    assert entry.after == {"password_changed": True, "usable_password": True}
    updated = AuditEntry.objects.filter(action="accounts.user.updated")
    assert updated.count() == 2
    assert all(e.after["email"].endswith("@example.vn") for e in updated)
    assert AuditEntry.objects.filter(action="accounts.user.created").count() == 2

    log = _whole_log()
    for user in User.objects.all():
        assert user.password not in log
        assert user.password.split("$")[-1] not in log
    for word in ("pbkdf2", "argon2", "bcrypt", NEW_PASSWORD, "x-123456789"):
        assert word not in log
