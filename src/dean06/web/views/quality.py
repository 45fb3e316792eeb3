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

from dean06.accounts.permissions import Action, can
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
    can_accept_finding,
    can_explain_finding,
    finding_accept,
    finding_explain,
    finding_return,
    rule_create,
    rule_update,
)
from dean06.tracking.models import ReportingPeriod
from dean06.tracking.periods import PeriodError, parse_month
from dean06.tracking.services import period_get_or_create
from dean06.web.redirects import next_url

OPERATORS = ("<=", "<", "==", "!=", ">=", ">", "approx")


def _is_admin(user: Any) -> bool:
    return can(user, Action.EDIT_RULES)


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
    # What waits for this user: the unit's warnings to explain, the secretariat's to review.
    waiting = "cho" if can(request.user, Action.ACCEPT_FINDING) else "open"
    status = request.GET.get("trang_thai", waiting)
    known = {*FindingStatus.values, "cho", ""}
    status = status if status in known else waiting
    findings = findings_visible_to(request.user, period=period)
    if status == "cho":
        findings = findings.filter(status=FindingStatus.EXPLAINED)
    elif status == "open":
        findings = findings.filter(status__in=[FindingStatus.OPEN, FindingStatus.RETURNED])
    elif status:
        findings = findings.filter(status=status)
    shown = list(findings[:500])
    return render(
        request,
        "quality/findings.html",
        {
            "findings": [
                (f, can_explain_finding(request.user, f), can_accept_finding(request.user, f))
                for f in shown
            ],
            "total": findings.count(),
            "period": period,
            "month_value": month,
            "status": status,
            "statuses": [
                ("cho", "Chờ Thường trực xem xét"),
                ("open", "Đơn vị cần xử lý (chưa xử lý, bị trả lại)"),
                *FindingStatus.choices,
            ],
            "can_run": can(request.user, Action.RUN_RULES),
        },
    )


@require_POST
def findings_run(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Action.RUN_RULES):
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


def _finding_action(request: HttpRequest, finding_id: int, act: Any, done: str) -> HttpResponse:
    """Explain, accept or return one finding the user sees, then go back where the form was."""
    finding = findings_visible_to(request.user).filter(pk=finding_id).first()
    if finding is None:
        raise Http404("Không tìm thấy phát hiện.")
    try:
        act(finding, request.POST.get("text", ""))
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from exc
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return HttpResponseRedirect(next_url(request, reverse("quality_findings")))


@require_POST
def finding_explain_view(request: HttpRequest, finding_id: int) -> HttpResponse:
    return _finding_action(
        request,
        finding_id,
        lambda f, text: finding_explain(finding=f, explanation=text, by=request.user),
        "Đã gửi giải trình; Thường trực Tổ công tác sẽ xem xét.",
    )


@require_POST
def finding_accept_view(request: HttpRequest, finding_id: int) -> HttpResponse:
    return _finding_action(
        request,
        finding_id,
        lambda f, text: finding_accept(finding=f, reason=text, by=request.user),
        "Đã chấp nhận cảnh báo.",
    )


@require_POST
def finding_return_view(request: HttpRequest, finding_id: int) -> HttpResponse:
    return _finding_action(
        request,
        finding_id,
        lambda f, text: finding_return(finding=f, comment=text, by=request.user),
        "Đã trả lại giải trình cho đơn vị.",
    )


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
