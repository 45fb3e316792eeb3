"""Essential online public services, their monthly figures per unit, indicators and targets."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from dean06.core.models import BaseModel


class ServiceCatalogue(models.TextChoices):
    ESSENTIAL_25 = "da06_25", "25 DVC thiết yếu Đề án 06"
    DECISION_422 = "qd422", "DVC theo Quyết định 422/QĐ-TTg"
    OTHER = "other", "Khác"


class PublicService(BaseModel):
    code = models.CharField("mã", max_length=32, unique=True)
    order = models.PositiveIntegerField("số thứ tự", default=0)
    name = models.CharField("tên ngắn", max_length=255)
    full_name = models.TextField("tên đầy đủ", blank=True)
    online_level = models.CharField("mức độ trực tuyến", max_length=32, blank=True)
    province_body = models.CharField("cơ quan chủ trì tại tỉnh", max_length=255, blank=True)
    owner_ministry = models.CharField("bộ, ngành chủ quản", max_length=255, blank=True)
    owner_is_public_security = models.BooleanField("do Bộ Công an chủ trì", default=False)
    is_linked_group = models.BooleanField("nhóm thủ tục liên thông", default=False)
    catalogue = models.CharField(
        "danh mục", max_length=16, choices=ServiceCatalogue.choices, default=ServiceCatalogue.OTHER
    )
    aliases = models.JSONField("tên gọi khác", default=list, blank=True)
    active = models.BooleanField("đang theo dõi", default=True)

    class Meta:
        verbose_name = "dịch vụ công"
        verbose_name_plural = "dịch vụ công"
        ordering = ["catalogue", "order"]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"


class StatLevel(models.TextChoices):
    PROVINCE = "province", "Cấp tỉnh"
    DISTRICT = "district", "Cấp huyện"
    COMMUNE = "commune", "Cấp xã"
    ALL = "all", "Toàn tỉnh"


class ServiceStat(BaseModel):
    """The figures of one service, reported by one unit, for one period, at one level.

    The share received online is never stored as typed: it is computed from the counts
    (`kpis.shares.online_share`); what a report printed is kept as `share_reported` to compare.
    """

    service = models.ForeignKey(
        PublicService, on_delete=models.PROTECT, related_name="stats", verbose_name="dịch vụ công"
    )
    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="service_stats", verbose_name="đơn vị"
    )
    period = models.ForeignKey(
        "tracking.ReportingPeriod",
        on_delete=models.PROTECT,
        related_name="service_stats",
        verbose_name="kỳ báo cáo",
    )
    level = models.CharField("cấp", max_length=16, choices=StatLevel.choices, default=StatLevel.ALL)
    online_citizens = models.PositiveIntegerField("trực tuyến — công dân", null=True, blank=True)
    online_businesses = models.PositiveIntegerField(
        "trực tuyến — doanh nghiệp", null=True, blank=True
    )
    total_received = models.PositiveIntegerField("tổng số tiếp nhận", null=True, blank=True)
    share_reported = models.DecimalField(
        "tỷ lệ trực tuyến (theo báo cáo, %)", max_digits=7, decimal_places=2, null=True, blank=True
    )
    on_time = models.PositiveIntegerField("giải quyết đúng hạn", null=True, blank=True)
    overdue = models.PositiveIntegerField("giải quyết quá hạn", null=True, blank=True)
    staff_total = models.PositiveIntegerField("nhân lực — tổng số", null=True, blank=True)
    staff_province = models.PositiveIntegerField("nhân lực — tỉnh", null=True, blank=True)
    staff_district = models.PositiveIntegerField("nhân lực — huyện", null=True, blank=True)
    staff_commune = models.PositiveIntegerField("nhân lực — xã", null=True, blank=True)
    levels_marked = models.CharField("cấp thực hiện (đánh dấu)", max_length=32, blank=True)
    note = models.TextField("ghi chú", blank=True)
    accepted_reason = models.TextField("lý do chấp nhận khi có cảnh báo", blank=True)
    source = models.CharField("nguồn", max_length=32, default="web")
    # Optimistic locking: a form carries the version it was read at; a save from an older
    # version is refused instead of silently overwriting what someone else saved meanwhile.
    version = models.PositiveIntegerField("phiên bản", default=1)

    class Meta:
        verbose_name = "số liệu dịch vụ công"
        verbose_name_plural = "số liệu dịch vụ công"
        ordering = ["period", "service", "unit"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "unit", "period", "level"], name="servicestat_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service.name} · {self.unit} · {self.period}"


class ServiceReporter(BaseModel):
    """A unit expected to report its part of a service's figures, at a level, from `valid_from`
    (to `valid_to`).

    What a row of figures means: the row of the province's People's Committee at level "all" is
    the province's total; every other unit's rows are parts (that unit's own share). This table
    says whose parts are expected, so that the sum of the parts can be judged complete before
    it is compared with the total (`kpis.selectors.service_totals`). The province itself is
    never a reporter of a part.
    """

    service = models.ForeignKey(
        PublicService,
        on_delete=models.CASCADE,
        related_name="reporters",
        verbose_name="dịch vụ công",
    )
    unit = models.ForeignKey(
        "orgs.Unit",
        on_delete=models.PROTECT,
        related_name="reported_services",
        verbose_name="đơn vị báo cáo",
    )
    level = models.CharField("cấp", max_length=16, choices=StatLevel.choices, default=StatLevel.ALL)
    valid_from = models.DateField("áp dụng từ")
    valid_to = models.DateField("áp dụng đến", null=True, blank=True)
    note = models.CharField("căn cứ, ghi chú", max_length=255, blank=True)

    class Meta:
        verbose_name = "đơn vị báo cáo dịch vụ công"
        verbose_name_plural = "đơn vị báo cáo dịch vụ công"
        ordering = ["service", "unit", "level", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "unit", "level", "valid_from"], name="servicereporter_unique"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="servicereporter_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service.name} — {self.unit} ({self.get_level_display()})"


class IndicatorKind(models.TextChoices):
    RATIO = "ratio", "Tỷ lệ (tử số/mẫu số)"
    COUNT = "count", "Số lượng"
    BOOLEAN = "boolean", "Có/Không"


class Direction(models.TextChoices):
    HIGHER = "higher", "Càng cao càng tốt"
    LOWER = "lower", "Càng thấp càng tốt"


class Aggregation(models.TextChoices):
    SUM = "sum", "Cộng dồn các đơn vị"
    AVERAGE = "average", "Bình quân các đơn vị"
    ALL_MUST_PASS = "all", "Mọi đơn vị phải đạt"


class Indicator(BaseModel):
    """An indicator a plan sets (chỉ tiêu), reported by units each period."""

    code = models.CharField("mã", max_length=64, unique=True)
    name = models.TextField("tên chỉ tiêu")
    kind = models.CharField("loại", max_length=16, choices=IndicatorKind.choices)
    unit_label = models.CharField("đơn vị tính", max_length=50, blank=True)
    direction = models.CharField(
        "chiều đánh giá", max_length=8, choices=Direction.choices, default=Direction.HIGHER
    )
    cumulative = models.BooleanField("lũy kế từ đầu năm", default=False)
    aggregation = models.CharField(
        "cách tổng hợp", max_length=8, choices=Aggregation.choices, default=Aggregation.SUM
    )
    task = models.ForeignKey(
        "plans.Task",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="indicators",
        verbose_name="nhiệm vụ",
    )
    reporting_units = models.ManyToManyField(
        "orgs.Unit", blank=True, related_name="indicators", verbose_name="đơn vị báo cáo"
    )
    active = models.BooleanField("đang theo dõi", default=True)

    class Meta:
        verbose_name = "chỉ tiêu"
        verbose_name_plural = "chỉ tiêu"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class IndicatorValue(BaseModel):
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="values", verbose_name="chỉ tiêu"
    )
    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="đơn vị"
    )
    period = models.ForeignKey(
        "tracking.ReportingPeriod",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="kỳ báo cáo",
    )
    numerator = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True, verbose_name="tử số"
    )
    denominator = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True, verbose_name="mẫu số"
    )
    value = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True, verbose_name="giá trị"
    )
    flag = models.BooleanField(null=True, blank=True, verbose_name="đạt (có/không)")
    cause_if_missed = models.TextField("nguyên nhân chưa đạt", blank=True)

    class Meta:
        verbose_name = "giá trị chỉ tiêu"
        verbose_name_plural = "giá trị chỉ tiêu"
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "unit", "period"], name="indicatorvalue_unique"
            ),
            models.CheckConstraint(
                condition=Q(numerator__isnull=True)
                | Q(denominator__isnull=True)
                | Q(numerator__lte=models.F("denominator")),
                name="indicatorvalue_numerator_le_denominator",
            ),
        ]


class TargetScope(models.TextChoices):
    SERVICE = "service", "Một dịch vụ"
    ALL_SERVICES = "all", "Tất cả DVC thiết yếu"
    PUBLIC_SECURITY = "mps", "DVC do Bộ Công an chủ trì"
    OTHER_MINISTRIES = "other", "DVC do các bộ, ngành khác chủ trì"
    LINKED = "linked", "Nhóm thủ tục liên thông"
    INDICATOR = "indicator", "Một chỉ tiêu"


class Target(BaseModel):
    """A target in force from `valid_from` (to `valid_to`): e.g. ≥ 60% online for all services."""

    scope = models.CharField("áp dụng cho", max_length=16, choices=TargetScope.choices)
    service = models.ForeignKey(
        PublicService,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="targets",
        verbose_name="dịch vụ công",
    )
    indicator = models.ForeignKey(
        Indicator,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="targets",
        verbose_name="chỉ tiêu",
    )
    value = models.DecimalField("mức chỉ tiêu", max_digits=14, decimal_places=2)
    direction = models.CharField(
        "chiều đánh giá", max_length=8, choices=Direction.choices, default=Direction.HIGHER
    )
    valid_from = models.DateField("áp dụng từ")
    valid_to = models.DateField("áp dụng đến", null=True, blank=True)
    source = models.CharField("căn cứ", max_length=255, blank=True)

    class Meta:
        verbose_name = "chỉ tiêu phấn đấu"
        verbose_name_plural = "chỉ tiêu phấn đấu"
        ordering = ["scope", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(scope="service") | Q(service__isnull=False),
                name="target_service_scope_needs_service",
            ),
            models.CheckConstraint(
                condition=~Q(scope="indicator") | Q(indicator__isnull=False),
                name="target_indicator_scope_needs_indicator",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_scope_display()} ≥ {self.value} từ {self.valid_from:%d/%m/%Y}"
