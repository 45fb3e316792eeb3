"""Changes made in the administrators' screens are audited with before and after."""

from __future__ import annotations

from dean06.accounts.roles import Role
from dean06.core.models import AuditEntry
from dean06.kpis.models import PublicService


def test_admin_edit_of_a_service_is_audited(login, make_user, reference):
    admin_user = make_user(Role.ADMIN, is_staff=True, is_superuser=True)
    client = login(admin_user)
    service = PublicService.objects.get(order=9)
    page = client.get(f"/quan-tri/kpis/publicservice/{service.pk}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update({"name": "Đăng ký khai sinh (sửa)", "aliases": "[]", "_save": "Lưu"})
    for key in ("owner_is_public_security", "is_linked_group"):
        if not data.get(key):
            data.pop(key, None)
    response = client.post(f"/quan-tri/kpis/publicservice/{service.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = AuditEntry.objects.filter(action="kpis.publicservice.updated").latest("id")
    assert entry.actor == admin_user
    assert entry.before["name"] == "Đăng ký khai sinh"
    assert entry.after["name"] == "Đăng ký khai sinh (sửa)"


def test_audit_log_is_read_only_in_admin(login, make_user, reference):
    client = login(make_user(Role.ADMIN, is_staff=True, is_superuser=True))
    assert client.get("/quan-tri/core/auditentry/").status_code == 200
    assert client.get("/quan-tri/core/auditentry/add/").status_code == 403
