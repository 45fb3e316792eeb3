"""`load-reference` installs the shipped units, groups and services; re-running changes nothing."""

from __future__ import annotations

from dean06 import bootstrap
from dean06.core.models import AuditEntry
from dean06.kpis.models import PublicService
from dean06.orgs.models import Unit, UnitGroup


def test_reference_load_installs_units_groups_and_services(reference):
    assert Unit.objects.count() == 52
    assert UnitGroup.objects.count() == 7
    assert PublicService.objects.count() == 25
    assert PublicService.objects.filter(owner_is_public_security=True).count() == 11
    assert PublicService.objects.filter(is_linked_group=True).count() == 2
    vp = Unit.objects.get(key="VP_UBND")
    assert vp.parent is not None and vp.parent.key == "UBND_TINH"
    assert "Sở LĐTBXH" in Unit.objects.get(key="SLDTBXH").aliases
    assert UnitGroup.objects.get(key="CAP_THON").fans_out is False


def test_reference_load_twice_changes_nothing(reference):
    units = list(Unit.objects.values())
    audit_count = AuditEntry.objects.count()
    lines = list(bootstrap.load_reference())
    assert list(Unit.objects.values()) == units
    assert AuditEntry.objects.count() == audit_count
    assert "0 mới, 0 cập nhật, 52 không đổi" in lines[0]


def test_reference_load_restores_an_edited_unit_and_records_it(reference):
    Unit.objects.filter(key="STP").update(name="Sở Tư pháp (sai)")
    list(bootstrap.load_reference())
    assert Unit.objects.get(key="STP").name == "Sở Tư pháp"
    entry = AuditEntry.objects.filter(action="orgs.unit.updated").latest("id")
    assert entry.before["name"] == "Sở Tư pháp (sai)"
    assert entry.after["name"] == "Sở Tư pháp"
