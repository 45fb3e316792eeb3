"""Plans (and other directing documents), their sections and tasks, and who does each task."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from dean06.core.models import BaseModel


class DirectiveKind(models.TextChoices):
    PLAN = "plan", "Kế hoạch"
    DIRECTIVE = "directive", "Chỉ thị"
    DECISION = "decision", "Quyết định"
    RESOLUTION = "resolution", "Nghị quyết"
    OFFICIAL_LETTER = "letter", "Công văn"
    NOTICE = "notice", "Thông báo"
    OTHER = "other", "Văn bản khác"


class Plan(BaseModel):
    """A plan such as `18/KH-UBND`, or any other document that assigns tasks (Chỉ thị 04/CT-TTg).

    Several plans and years live side by side; a task may continue a task of an earlier plan.
    """

    number = models.CharField("số, ký hiệu", max_length=100)
    kind = models.CharField(
        "loại văn bản", max_length=16, choices=DirectiveKind.choices, default=DirectiveKind.PLAN
    )
    date = models.DateField("ngày ban hành", null=True, blank=True)
    issuer = models.CharField("cơ quan ban hành", max_length=255, blank=True)
    place = models.CharField("địa danh", max_length=100, blank=True)
    year = models.PositiveSmallIntegerField("năm", null=True, blank=True)
    title = models.TextField("trích yếu", blank=True)
    reporting_rule = models.TextField("chế độ báo cáo", blank=True)
    reporting_day = models.PositiveSmallIntegerField("báo cáo trước ngày", null=True, blank=True)
    source_file = models.FileField("tệp gốc", upload_to="plans/%Y/", blank=True)
    source_name = models.CharField("tên tệp gốc", max_length=255, blank=True)
    source_sha256 = models.CharField("dấu vân tay tệp", max_length=64, blank=True, db_index=True)
    source_format = models.CharField("định dạng", max_length=32, blank=True)
    needs_review = models.BooleanField("cần rà soát", default=False)

    class Meta:
        verbose_name = "kế hoạch"
        verbose_name_plural = "kế hoạch"
        ordering = ["-year", "-date", "number"]
        constraints = [
            models.UniqueConstraint(fields=["number", "date"], name="plan_unique_number_date"),
            models.CheckConstraint(
                condition=Q(reporting_day__isnull=True)
                | Q(reporting_day__gte=1, reporting_day__lte=31),
                name="plan_reporting_day_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


class PlanSection(BaseModel):
    """A group of tasks ("A. NHÓM THAM MƯU ...", "B.2 Phục vụ giải quyết TTHC ...")."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="sections", verbose_name="kế hoạch"
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
        verbose_name="nhóm cha",
    )
    code = models.CharField("mã", max_length=50)
    title = models.TextField("tên nhóm")
    declared_count = models.PositiveIntegerField("số nhiệm vụ theo văn bản", null=True, blank=True)
    order = models.PositiveIntegerField("thứ tự", default=0)

    class Meta:
        verbose_name = "nhóm nhiệm vụ"
        verbose_name_plural = "nhóm nhiệm vụ"
        ordering = ["plan", "order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="section_unique_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"


class DeadlineKind(models.TextChoices):
    DATE = "date", "Ngày cụ thể"
    MONTH = "month", "Trong tháng"
    QUARTER = "quarter", "Trong quý"
    HALF_YEAR = "half_year", "6 tháng"
    YEAR = "year", "Trong năm"
    RELATIVE = "relative", "Tính từ ngày ban hành"
    RECURRING = "recurring", "Thường xuyên"
    ON_REQUEST = "on_request", "Khi có yêu cầu"
    EXTERNAL = "external", "Theo lộ trình riêng"
    UNKNOWN = "unknown", "Chưa xác định"


class Task(BaseModel):
    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="tasks", verbose_name="kế hoạch"
    )
    section = models.ForeignKey(
        PlanSection,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
        verbose_name="nhóm nhiệm vụ",
    )
    code = models.CharField("mã nhiệm vụ", max_length=50)
    content = models.TextField("nội dung")
    product = models.TextField("sản phẩm, kết quả cần đạt", blank=True)
    note = models.TextField("ghi chú", blank=True)
    order = models.PositiveIntegerField("thứ tự", default=0)
    # Deadline, as written and as understood.
    deadline_raw = models.TextField("thời hạn (nguyên văn)", blank=True)
    deadline_kind = models.CharField(
        "loại thời hạn", max_length=16, choices=DeadlineKind.choices, default=DeadlineKind.UNKNOWN
    )
    due_date = models.DateField("hạn hoàn thành", null=True, blank=True)
    start_date = models.DateField("bắt đầu", null=True, blank=True)
    is_recurring = models.BooleanField("thực hiện thường xuyên", default=False)
    recurrence = models.JSONField("định mức định kỳ", default=list, blank=True)
    targets = models.JSONField("chỉ tiêu theo giai đoạn", default=list, blank=True)
    # Where it came from, and what a reviewer must still look at.
    source_page = models.PositiveIntegerField(
        null=True, blank=True, verbose_name="trang trong văn bản"
    )
    source_line = models.PositiveIntegerField(
        null=True, blank=True, verbose_name="dòng trong văn bản"
    )
    origin = models.CharField("nguồn", max_length=16, default="table")
    needs_review = models.BooleanField("cần rà soát", default=False)
    notes_units = models.TextField("đơn vị ghi chú (không giao)", blank=True)
    continues = models.ForeignKey(
        "self",
        verbose_name="tiếp nối nhiệm vụ",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="continued_by",
    )

    class Meta:
        verbose_name = "nhiệm vụ"
        verbose_name_plural = "nhiệm vụ"
        ordering = ["plan", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="task_unique_code"),
            models.CheckConstraint(
                condition=Q(due_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(due_date__gte=models.F("start_date")),
                name="task_due_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.content[:80]}"


class AssignmentRole(models.TextChoices):
    LEAD = "lead", "Chủ trì"
    COORDINATING = "coordinating", "Phối hợp"


class Assignment(BaseModel):
    """A task given to one unit in one role; a collective phrase fans out into one per member."""

    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="assignments", verbose_name="nhiệm vụ"
    )
    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="assignments", verbose_name="đơn vị"
    )
    role = models.CharField("vai trò", max_length=16, choices=AssignmentRole.choices)
    via_group = models.ForeignKey(
        "orgs.UnitGroup",
        verbose_name="giao qua nhóm",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    phrase = models.CharField("cụm từ trong văn bản", max_length=500, blank=True)

    class Meta:
        verbose_name = "phân công"
        verbose_name_plural = "phân công"
        ordering = ["task", "role", "unit"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "unit", "role"], name="assignment_unique_task_unit_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task.code} · {self.unit} ({self.get_role_display()})"


class UploadStatus(models.TextChoices):
    QUEUED = "queued", "Đang chờ"
    RUNNING = "running", "Đang đọc"
    READY = "ready", "Chờ rà soát"
    FAILED = "failed", "Lỗi"
    SAVED = "saved", "Đã lưu"


class PlanUpload(BaseModel):
    """A plan file uploaded for import: read in the background, reviewed by a person, then saved.

    The extraction is kept as JSON (`ExtractedPlan.to_dict()`) so the review can be reopened.
    """

    file = models.FileField("tệp", upload_to="uploads/%Y/%m/")
    filename = models.CharField("tên tệp", max_length=255)
    sha256 = models.CharField(max_length=64, blank=True, verbose_name="dấu vân tay tệp")
    status = models.CharField(
        "trạng thái", max_length=16, choices=UploadStatus.choices, default=UploadStatus.QUEUED
    )
    progress_done = models.PositiveIntegerField(default=0, verbose_name="đã đọc")
    progress_total = models.PositiveIntegerField(default=0, verbose_name="tổng số bước")
    progress_message = models.CharField(max_length=255, blank=True, verbose_name="tiến trình")
    # Touched by the reading job at its start and at every progress step: a "running" upload
    # whose heartbeat has stopped was left behind by a server stopped mid-read.
    heartbeat_at = models.DateTimeField("tín hiệu hoạt động lúc", null=True, blank=True)
    extracted = models.JSONField("kết quả đọc", null=True, blank=True)
    error = models.TextField("lỗi", blank=True)
    plan = models.ForeignKey(
        Plan,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="uploads",
        verbose_name="kế hoạch",
    )
    created_by = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="người tải lên",
    )

    class Meta:
        verbose_name = "tệp kế hoạch tải lên"
        verbose_name_plural = "tệp kế hoạch tải lên"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename

    @property
    def percent(self) -> int:
        if not self.progress_total:
            return 0 if self.status in (UploadStatus.QUEUED, UploadStatus.RUNNING) else 100
        return min(100, round(100 * self.progress_done / self.progress_total))
