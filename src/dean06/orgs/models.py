"""Units (departments, People's Committees, agencies, ...) and the collective phrases grouping them.

Units are renamed, merged and abolished over time: a unit is never deleted once records refer to it;
it gets `valid_to` and, when something took its place, `replaced_by`. Records keep pointing at the
unit as it was.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q

from dean06.core.models import BaseModel


class UnitKind(models.TextChoices):
    DEPARTMENT = "department", "Cơ quan chuyên môn thuộc UBND tỉnh"
    AGENCY = "agency", "Cơ quan ngành dọc, Trung ương"
    PEOPLE_COMMITTEE = "people_committee", "Ủy ban nhân dân"
    STATE_ENTERPRISE = "state_enterprise", "Doanh nghiệp nhà nước"
    MASS_ORGANISATION = "mass_organisation", "Tổ chức chính trị - xã hội"
    MEDIA = "media", "Cơ quan báo chí"
    OTHER = "other", "Khác"


class UnitLevel(models.TextChoices):
    PROVINCE = "province", "Cấp tỉnh"
    DISTRICT = "district", "Cấp huyện"
    COMMUNE = "commune", "Cấp xã"


class UnitOrigin(models.TextChoices):
    REFERENCE = "reference", "Danh mục chuẩn"
    MANUAL = "manual", "Nhập tay"
    IMPORT = "import", "Đề xuất từ văn bản nhập"


class Unit(BaseModel):
    key = models.SlugField("mã", max_length=64, unique=True)
    name = models.CharField("tên đầy đủ", max_length=255)
    short_name = models.CharField("tên ngắn", max_length=100, blank=True)
    aliases = models.JSONField("tên gọi khác, viết tắt", default=list, blank=True)
    kind = models.CharField("loại", max_length=32, choices=UnitKind.choices)
    level = models.CharField("cấp", max_length=16, choices=UnitLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="đơn vị cấp trên",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    valid_from = models.DateField("hiệu lực từ", null=True, blank=True)
    valid_to = models.DateField("hiệu lực đến", null=True, blank=True)
    replaced_by = models.ForeignKey(
        "self",
        verbose_name="được thay bằng",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replaces",
    )
    email = models.EmailField("thư điện tử", blank=True)
    origin = models.CharField(
        "nguồn", max_length=16, choices=UnitOrigin.choices, default=UnitOrigin.MANUAL
    )

    class Meta:
        verbose_name = "đơn vị"
        verbose_name_plural = "đơn vị"
        ordering = ["level", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="unit_valid_range",
            ),
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="unit_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    def is_valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


class UnitGroup(BaseModel):
    """A collective phrase of plans ("Các sở, ban, ngành").

    Members are the units listed explicitly, plus, when `member_kinds`/`member_level` are set, every
    unit of those kinds and level valid on the day asked. `fans_out=False` keeps the phrase as a
    note on the task instead of assigning it to units.
    """

    key = models.SlugField("mã", max_length=64, unique=True)
    name = models.CharField("tên", max_length=255)
    aliases = models.JSONField("cách viết khác", default=list, blank=True)
    fans_out = models.BooleanField("giao cho từng đơn vị thành viên", default=True)
    member_kinds = models.JSONField("loại đơn vị thành viên", default=list, blank=True)
    member_level = models.CharField(
        "cấp của thành viên", max_length=16, choices=UnitLevel.choices, blank=True
    )
    members = models.ManyToManyField(
        Unit, verbose_name="đơn vị thành viên", blank=True, related_name="groups"
    )

    class Meta:
        verbose_name = "nhóm đơn vị"
        verbose_name_plural = "nhóm đơn vị"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
