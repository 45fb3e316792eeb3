"""Ten wrong passwords lock an account (and an address) out, the right one included, until the
cool-off passes or an administrator unlocks it — audited; the test client's login still works."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from dean06.accounts.roles import Role
from dean06.accounts.services import login_unlock
from dean06.core.models import AuditEntry

LOGIN = "/dang-nhap/"
PASSWORD = "Mat-khau-dung-2024"


@pytest.fixture
def officer(make_user):
    user = make_user(Role.SECRETARIAT, username="thuongtruc2")
    user.set_password(PASSWORD)
    user.save()
    return user


def _sign_in(client, username, password, address="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_ten_wrong_passwords_lock_the_account_even_for_the_right_one(client, officer):
    for _ in range(9):
        assert _sign_in(client, "thuongtruc2", "sai").status_code == 200
    assert _sign_in(client, "thuongtruc2", PASSWORD).status_code == 302  # 9 do not lock
    client.logout()
    for _ in range(10):
        _sign_in(client, "thuongtruc2", "sai")
    locked = _sign_in(client, "thuongtruc2", PASSWORD, address="10.0.0.2")  # another machine
    assert locked.status_code == 429
    assert "Tạm khóa đăng nhập" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_ten_failures_from_one_address_lock_that_address(client, officer, make_user):
    for n in range(10):
        _sign_in(client, f"khong-co-{n}", "sai", address="10.9.9.9")
    assert _sign_in(client, "thuongtruc2", PASSWORD, address="10.9.9.9").status_code == 429
    assert _sign_in(client, "thuongtruc2", PASSWORD, address="10.0.0.3").status_code == 302


def test_an_administrator_unlocks_and_it_is_audited(client, officer, make_user):
    for _ in range(10):
        _sign_in(client, "thuongtruc2", "sai")
    assert _sign_in(client, "thuongtruc2", PASSWORD).status_code == 429
    admin = make_user(Role.ADMIN)
    assert login_unlock(username="thuongtruc2", by=admin) >= 1
    entry = AuditEntry.objects.get(action="accounts.lockout.unlocked")
    assert entry.actor == admin and entry.object_id == "thuongtruc2"
    assert _sign_in(client, "thuongtruc2", PASSWORD).status_code == 302


def test_the_unlock_command_lifts_an_address(client, officer, capsys):
    for n in range(10):
        _sign_in(client, f"khong-co-{n}", "sai", address="10.7.7.7")
    call_command("unlock", address="10.7.7.7")
    assert "Đã mở khóa" in capsys.readouterr().out
    assert _sign_in(client, "thuongtruc2", PASSWORD, address="10.7.7.7").status_code == 302
    assert AuditEntry.objects.filter(action="accounts.lockout.unlocked").count() == 1


def test_the_test_clients_login_keeps_working(client, officer):
    assert client.login(username="thuongtruc2", password=PASSWORD)


def test_passwords_are_hashed_with_argon2_and_old_hashes_are_upgraded(client, settings, make_user):
    from django.contrib.auth.hashers import make_password

    from dean06 import settings as production

    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS
    user = make_user(Role.SECRETARIAT, username="argon")
    user.set_password(PASSWORD)
    user.save()
    assert user.password.startswith("argon2$")
    user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")  # an account of before
    user.save()
    assert _sign_in(client, "argon", PASSWORD).status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$")
