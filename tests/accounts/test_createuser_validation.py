"""Creating a user checks the password with Django's validators and the user name with the model's
rules, and says what is wrong in Vietnamese: in one line from `dean06 createuser`."""

from __future__ import annotations

import pytest

from dean06.accounts.models import User
from dean06.accounts.roles import Role
from dean06.accounts.services import user_create
from dean06.cli import main
from dean06.core.exceptions import ApplicationError


@pytest.mark.parametrize(
    ("password", "reasons"),
    [
        ("1", ["quá ngắn, cần ít nhất 8 ký tự"]),
        ("password", ["quá phổ biến"]),
        ("abc", ["quá ngắn, cần ít nhất 8 ký tự", "quá phổ biến"]),
    ],
)
def test_weak_passwords_are_refused_with_vietnamese_reasons(db, password, reasons):
    with pytest.raises(ApplicationError) as refused:
        user_create(username="yeu", password=password, role=Role.SECRETARIAT)
    assert refused.value.message.startswith("Mật khẩu không đạt yêu cầu: ")
    for reason in reasons:
        assert reason in refused.value.message
    assert not User.objects.filter(username="yeu").exists()


@pytest.mark.parametrize("username", ["a b!", "x" * 200, ""])
def test_invalid_user_names_are_refused_in_vietnamese(db, username):
    with pytest.raises(ApplicationError, match="Tên đăng nhập không hợp lệ"):
        user_create(username=username, password="x-123456789", role=Role.SECRETARIAT)
    assert not User.objects.exists()


def test_a_bad_email_is_an_application_error_not_a_crash(db):
    with pytest.raises(ApplicationError, match="Thông tin tài khoản không hợp lệ"):
        user_create(
            username="thu", password="x-123456789", role=Role.SECRETARIAT, email="khong-hop-le"
        )


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["createuser", "yeu", "--password", "1"], "quá ngắn"),
        (["createuser", "a b!", "--password", "x-123456789"], "Tên đăng nhập không hợp lệ"),
        (["createuser", "x" * 200, "--password", "x-123456789"], "đang có 200"),
    ],
)
def test_createuser_reports_each_problem_in_one_line_with_exit_2(db, capsys, args, words):
    code = main([*args, "--role", "secretariat"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("dean06: lỗi: ") and words in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert not User.objects.exists()


def test_createuser_refuses_a_weak_password_then_takes_a_good_one(db, capsys):
    assert main(["createuser", "tot", "--role", "secretariat", "--password", "12345"]) == 2
    assert main(["createuser", "tot", "--role", "secretariat", "--password", "x-123456789"]) == 0
    assert User.objects.get(username="tot").check_password("x-123456789")


@pytest.mark.django_db
def test_an_account_without_a_password_cannot_sign_in(reference, client):
    from dean06.accounts.services import user_create
    from dean06.orgs.models import Unit

    user = user_create(
        username="daumoi.stp",
        password="",
        role="unit_officer",
        unit=Unit.objects.get(key="STP"),
        usable_password=False,
    )
    assert not user.has_usable_password()
    assert not client.login(username="daumoi.stp", password="")
