"""What the screens show when the demo is loaded: pages open where there is data, the header
names the person once, administrators find their screens, the browser finds an icon."""

from __future__ import annotations

import pytest

from dean06 import demo
from dean06.accounts.roles import Role
from dean06.core.models import AuditEntry
from dean06.kpis.models import IndicatorValue
from dean06.orgs.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_data():
    for _ in demo.load_demo():
        pass


def _as(client, username):
    assert client.login(username=username, password=demo.DEMO_PASSWORD)
    return client


def test_the_demo_screens_open_on_data(client, demo_data):
    """One demo load, every role's view of it (loading the demo takes seconds)."""
    secretariat = _as(client, "thuongtruc")
    # The services page opens on the latest month with figures, counts written 1.234.
    body = secretariat.get("/so-lieu/").content.decode()
    assert "Dịch vụ công thiết yếu — Tháng 7/2024" in body and 'value="2024-07"' in body
    assert ">46.309<" in body or ">1.869<" in body
    # The indicators page too, with results against the targets.
    body = secretariat.get("/chi-tieu/").content.decode()
    assert "Chỉ tiêu — Tháng 7/2024" in body and "Chưa có chỉ tiêu nào" not in body
    assert "Tỷ lệ kết quả giải quyết TTHC của cá nhân được lưu trữ điện tử" in body
    assert "≥ 100%" in body and "Chưa đạt" in body and ">Đạt<" in body
    assert ">2/3<" in body  # the Sở Tư pháp has not reported July yet
    assert 'href="/quan-tri/"' not in body
    client.logout()

    # Values were entered by the units' own officers.
    stp = Unit.objects.get(key="STP")
    values = IndicatorValue.objects.filter(unit=stp)
    assert values.count() == 6  # three indicators, May and June; July still missing
    entry = AuditEntry.objects.get(
        action="kpis.indicator_value.created", object_id=str(values.first().pk)
    )
    assert entry.actor.username == "stp"

    # A unit officer sees its unit's values only; the header names the person once.
    body = _as(client, "stttt").get("/chi-tieu/?ky=2024-07").content.decode()
    assert ">1/1<" in body and ">2/3<" not in body
    header = body[body.index('<div class="who">') : body.index("</header>")]
    assert "Lê Văn Đức" in header and header.count("Cán bộ đầu mối đơn vị") == 1
    assert "Sở Thông tin và Truyền thông" in header
    assert 'href="/quan-tri/"' not in body
    client.logout()

    # Administrators find the administration in the menu.
    assert 'href="/quan-tri/"' in _as(client, "quantri").get("/").content.decode()

    # No unit is made out of a plan's phrase ("các đơn vị có CSDL chuyên ngành").
    assert not Unit.objects.filter(name__icontains="CSDL chuyên ngành").exists()


def test_a_user_named_like_the_role_sees_the_role_once(client, make_user):
    user = make_user(Role.SECRETARIAT, first_name="Thường trực Tổ", last_name="công tác")
    client.force_login(user)
    body = client.get("/").content.decode()
    header = body[body.index('<div class="who">') : body.index("</header>")]
    assert header.count("Thường trực Tổ công tác") == 1


def test_every_page_names_an_icon_and_favicon_ico_leads_to_it(client, db):
    login = client.get("/dang-nhap/").content.decode()
    assert 'rel="icon"' in login and "favicon.svg" in login
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("dean06/favicon.svg")
    icon = client.get(response["Location"])
    assert icon.status_code == 200 and b"<svg" in b"".join(icon.streaming_content)
