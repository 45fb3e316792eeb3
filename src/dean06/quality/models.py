"""Validation rules stored in the database (editable by administrators) and their findings."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models

from dean06.core.models import BaseModel

# Rule codes are dotted ("svc.online_le_total"), the codes the engine knows its rules by.
RULE_CODE_VALIDATOR = RegexValidator(
    r"^[a-z0-9][a-z0-9_.-]*$",
    "Mã quy tắc chỉ gồm chữ thường không dấu, số, dấu chấm, gạch ngang và gạch dưới.",
)


class RuleScope(models.TextChoices):
    SERVICE_STAT = "service_stat", "Số liệu dịch vụ công"
    DOCUMENT = "document", "Văn bản"
    PROGRESS = "progress", "Tiến độ nhiệm vụ"
    INDICATOR = "indicator", "Chỉ tiêu"


class Severity(models.TextChoices):
    ERROR = "error", "Lỗi"
    WARNING = "warning", "Cảnh báo"


class Importance(models.TextChoices):
    HIGH = "high", "Cao"
    MEDIUM = "medium", "Trung bình"
    LOW = "low", "Thấp"


class MissingStrategy(models.TextChoices):
    SKIP_IF_ANY = "skip_if_any_missing", "Bỏ qua khi thiếu bất kỳ giá trị nào"
    SKIP_IF_ALL = "skip_if_all_missing", "Bỏ qua khi thiếu tất cả giá trị"
    NEVER_SKIP = "never_skip", "Không bỏ qua (giá trị thiếu tính là 0)"


class ValidationRule(BaseModel):
    """left operator right, e.g. `online_citizens + online_businesses <= total`.

    Built-in rules that are not expressions (total row = sum of rows, outliers, document dates)
    have `builtin=True` and a code the engine knows; administrators may switch them off.
    """

    code = models.CharField(
        "mã",
        max_length=64,
        unique=True,
        validators=[RULE_CODE_VALIDATOR],
        help_text="Chữ thường, số, dấu chấm, gạch ngang, gạch dưới; ví dụ svc.online_le_total.",
    )
    name = models.CharField("tên quy tắc", max_length=255)
    scope = models.CharField("áp dụng cho", max_length=16, choices=RuleScope.choices)
    left = models.CharField("vế trái", max_length=500, blank=True)
    operator = models.CharField("phép so sánh", max_length=8, blank=True)
    right = models.CharField("vế phải", max_length=500, blank=True)
    tolerance = models.DecimalField("sai số cho phép", max_digits=8, decimal_places=4, default=0)
    severity = models.CharField(
        "mức độ", max_length=8, choices=Severity.choices, default=Severity.ERROR
    )
    message = models.TextField("thông báo")
    importance = models.CharField(
        "tầm quan trọng", max_length=8, choices=Importance.choices, default=Importance.MEDIUM
    )
    missing = models.CharField(
        "khi thiếu giá trị",
        max_length=24,
        choices=MissingStrategy.choices,
        default=MissingStrategy.SKIP_IF_ANY,
    )
    params = models.JSONField("tham số", default=dict, blank=True)
    builtin = models.BooleanField("quy tắc có sẵn", default=False)
    active = models.BooleanField("đang áp dụng", default=True)

    class Meta:
        verbose_name = "quy tắc kiểm tra"
        verbose_name_plural = "quy tắc kiểm tra"
        ordering = ["scope", "code"]

    def __str__(self) -> str:
        return f"{self.code}: {self.name}"


class FindingStatus(models.TextChoices):
    """A warning's way: the unit explains it, the secretariat accepts or returns the
    explanation (who enters is not who approves, as in DHIS2); an error can only be fixed."""

    OPEN = "open", "Chưa xử lý"
    EXPLAINED = "explained", "Đơn vị đã giải trình, chờ Thường trực"
    RETURNED = "returned", "Thường trực trả lại giải trình"
    ACCEPTED = "accepted", "Thường trực chấp nhận"
    FIXED = "fixed", "Đã sửa"


class Finding(BaseModel):
    """A rule violation found in a record, an upload or an imported report."""

    rule_code = models.CharField("quy tắc", max_length=64, db_index=True)
    severity = models.CharField("mức độ", max_length=8, choices=Severity.choices)
    message = models.TextField("nội dung")
    scope = models.CharField("áp dụng cho", max_length=16, choices=RuleScope.choices)
    object_type = models.CharField(max_length=100, blank=True, verbose_name="loại đối tượng")
    object_id = models.CharField(max_length=64, blank=True, verbose_name="mã đối tượng")
    appendix = models.CharField("phụ lục", max_length=8, blank=True)
    row = models.CharField("dòng (STT)", max_length=32, blank=True)
    ref = models.CharField("tham chiếu", max_length=500, blank=True)
    column = models.CharField("cột", max_length=64, blank=True)
    period = models.ForeignKey(
        "tracking.ReportingPeriod",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="kỳ báo cáo",
    )
    unit = models.ForeignKey(
        "orgs.Unit",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="đơn vị",
    )
    source = models.CharField("nguồn", max_length=255, blank=True)
    status = models.CharField(
        "xử lý", max_length=16, choices=FindingStatus.choices, default=FindingStatus.OPEN
    )
    explanation = models.TextField("giải trình của đơn vị", blank=True)
    explained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người giải trình",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    explained_at = models.DateTimeField("giải trình lúc", null=True, blank=True)
    review_comment = models.TextField("ý kiến của Thường trực", blank=True)
    reason = models.TextField("lý do chấp nhận", blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người chấp nhận",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    accepted_at = models.DateTimeField("chấp nhận lúc", null=True, blank=True)

    class Meta:
        verbose_name = "phát hiện"
        verbose_name_plural = "phát hiện"
        ordering = ["-created_at", "appendix", "row"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"[{self.severity}] {self.message[:80]}"
