"""No traceback is ever shown: a failure inside a view answers the Vietnamese 500 page."""

from __future__ import annotations

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import include, path

from dean06.accounts.roles import Role


def _broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("secret detail of the failure")


urlpatterns = [path("hong/", _broken), path("", include("dean06.urls"))]


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_failure_shows_the_vietnamese_page_without_a_traceback(make_user, settings):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    client.force_login(make_user(Role.SECRETARIAT))
    response = client.get("/hong/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Đã có lỗi ở máy chủ" in html
    assert "secret detail" not in html and "Traceback" not in html and "RuntimeError" not in html
