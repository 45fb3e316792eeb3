"""Pages for data quality: findings of a period (run the rules on demand, accept a warning with a
reason) and, for administrators, the rules themselves."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dean06.core.exceptions import ApplicationError, PermissionDeniedError
from dean06.kpis.services import rules_run_for_period
from dean06.quality.models import (
    FindingStatus,
    Importance,
    MissingStrategy,
    RuleScope,
    Severity,
    ValidationRule,
)
from dean06.quality.selectors import findings_visible_to, rules_all
from dean06.quality.services import (
    SERVICE_RULE_NAMES,
    allowed_names,
    finding_accept,
    rule_create,
    rule_update,
)
from dean06.tracking.models import ReportingPeriod
from dean06.tracking.periods import PeriodError, parse_month
from dean06.tracking.services import period_get_or_create
from dean06.web.redirects import next_url

OPERATORS = ("<=", "<", "==", "!=", ">=", ">", "approx")


def _is_admin(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False) or getattr(user, "role", None) == "admin")


@require_GET
def findings_list(request: HttpRequest) -> HttpResponse:
    period = None
    month = request.GET.get("ky", "")
    if month:
        try:
            year, number = parse_month(month)
        except PeriodError as exc:
            messages.error(request, str(exc))
        else:
            period = ReportingPeriod.objects.filter(kind="month", year=year, number=number).first()
    status = request.GET.get("trang_thai", FindingStatus.OPEN)
    status = status if status in FindingStatus.values or status == "" else FindingStatus.OPEN
    findings = findings_visible_to(request.user, period=period, status=status or None)
    return render(
        request,
        "quality/findings.html",
        {
            "findings": findings[:500],
            "total": findings.count(),
            "period": period,
            "month_value": month,
            "status": status,
            "statuses": FindingStatus.choices,
            "can_run": getattr(request.user, "manages_province", False),
        },
    )


@require_POST
def findings_run(request: HttpRequest) -> HttpResponse:
    if not getattr(request.user, "manages_province", False):
        raise PermissionDenied("Chỉ Thường trực Tổ công tác được chạy kiểm tra cả kỳ.")
    month = request.POST.get("ky", "")
    try:
        year, number = parse_month(month)
    except PeriodError as exc:
        messages.error(request, str(exc))
        return HttpResponseRedirect(reverse("quality_findings"))
    period = period_get_or_create("month", year, number, by=request.user)
    try:
        result = rules_run_for_period(period, request.user)
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from exc
    messages.success(request, f"{period.label}: {result}")
    return HttpResponseRedirect(f"{reverse('quality_findings')}?ky={month}&trang_thai=")


@require_POST
def finding_accept_view(request: HttpRequest, finding_id: int) -> HttpResponse:
    finding = findings_visible_to(request.user).filter(pk=finding_id).first()
    if finding is None:
        raise Http404("Không tìm thấy phát hiện.")
    try:
        finding_accept(finding=finding, reason=request.POST.get("reason", ""), by=request.user)
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from exc
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Đã chấp nhận cảnh báo.")
    return HttpResponseRedirect(next_url(request, reverse("quality_findings")))


@require_GET
def rules_list(request: HttpRequest) -> HttpResponse:
    if not _is_admin(request.user):
        raise PermissionDenied("Chỉ quản trị hệ thống được sửa quy tắc kiểm tra.")
    return render(request, "quality/rules.html", {"rules": rules_all()})


def _rule_data(post: Any, *, creating: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": post.get("name", "").strip(),
        "left": post.get("left", "").strip(),
        "operator": post.get("operator", "").strip(),
        "right": post.get("right", "").strip(),
        "severity": post.get("severity", Severity.ERROR),
        "importance": post.get("importance", Importance.MEDIUM),
        "missing": post.get("missing", MissingStrategy.SKIP_IF_ANY),
        "message": post.get("message", "").strip(),
        "active": post.get("active") == "on",
    }
    try:
        data["tolerance"] = Decimal(post.get("tolerance", "0").replace(",", ".") or "0")
    except InvalidOperation as exc:
        raise ApplicationError("Sai số cho phép phải là một số.") from exc
    if post.get("factor"):
        try:
            data["params"] = {"factor": float(post["factor"].replace(",", "."))}
        except ValueError as exc:
            raise ApplicationError("Hệ số phải là một số.") from exc
    if creating:
        data["code"] = post.get("code", "").strip()
        data["scope"] = post.get("scope", RuleScope.SERVICE_STAT)
    return data


@require_http_methods(["GET", "POST"])
def rule_edit(request: HttpRequest, rule_id: int | None = None) -> HttpResponse:
    if not _is_admin(request.user):
        raise PermissionDenied("Chỉ quản trị hệ thống được sửa quy tắc kiểm tra.")
    rule = get_object_or_404(ValidationRule, pk=rule_id) if rule_id else None
    error = ""
    if request.method == "POST":
        try:
            data = _rule_data(request.POST, creating=rule is None)
            if rule is None:
                rule_create(data=data, by=request.user)
            else:
                rule_update(rule=rule, data=data, by=request.user)
        except PermissionDeniedError as exc:
            raise PermissionDenied(exc.message) from exc
        except ApplicationError as exc:
            error = exc.message
        else:
            messages.success(request, "Đã lưu quy tắc.")
            return HttpResponseRedirect(reverse("quality_rules"))
    scope = rule.scope if rule else request.POST.get("scope", RuleScope.SERVICE_STAT)
    return render(
        request,
        "quality/rule_form.html",
        {
            "rule": rule,
            "form": request.POST if request.method == "POST" else None,
            "error": error,
            "scopes": RuleScope.choices,
            "severities": Severity.choices,
            "importances": Importance.choices,
            "missings": MissingStrategy.choices,
            "operators": OPERATORS,
            "names": allowed_names(scope) or SERVICE_RULE_NAMES,
            "special": bool(rule and rule.builtin and not rule.left and not rule.right),
        },
        status=422 if error else 200,
    )
