"""Decree 13/2023: a page says what is kept about people and why; sessions end with the browser
and after a working day; successful sign-ins leave no record of address and browser."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt, AccessLog
from django.urls import reverse

from dean06.accounts.roles import Role

pytestmark = pytest.mark.django_db


def test_anyone_can_read_what_is_kept_and_why(client, settings):
    settings.AXES_FAILURE_LIMIT = 7
    response = client.get(reverse("personal_data"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nghị định số 13/2023/NĐ-CP" in html
    assert "Khóa tạm sau 7 lần sai" in html
    assert "không</b> lưu dữ liệu dân cư" in html
    assert f'href="{reverse("personal_data")}"' in client.get(reverse("login")).content.decode()


def test_a_session_ends_with_the_browser_and_after_a_working_day(client, make_user, settings):
    make_user(Role.SECRETARIAT, username="thu", password="mat-khau-dung-1")
    response = client.post(
        reverse("login"), {"username": "thu", "password": "mat-khau-dung-1"}, REMOTE_ADDR="10.0.0.9"
    )
    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    assert cookie["expires"] == "" and cookie["max-age"] == ""  # gone when the browser closes
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE == 8 * 3600


def test_only_failed_sign_ins_are_kept(client, make_user):
    make_user(Role.SECRETARIAT, username="thu", password="mat-khau-dung-1")
    client.post(reverse("login"), {"username": "thu", "password": "sai"}, REMOTE_ADDR="10.0.0.9")
    assert AccessAttempt.objects.filter(username="thu").count() == 1
    client.post(
        reverse("login"), {"username": "thu", "password": "mat-khau-dung-1"}, REMOTE_ADDR="10.0.0.9"
    )
    assert AccessAttempt.objects.filter(username="thu").count() == 0  # cleared by the success
    assert AccessLog.objects.count() == 0
