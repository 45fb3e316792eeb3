"""Pages for data quality: findings of a period (run the rules on demand, accept a warning with a
reason) and, for administrators, the rules themselves."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dean06.accounts.permissions import Action, can
from dean06.core.exceptions import ApplicationError, PermissionDeniedError
from dean06.kpis.services import rules_run_for_period
from dean06.quality.models import FindingStatus, ValidationRule
from dean06.quality.selectors import findings_visible_to, rules_all
from dean06.quality.services import (
    can_accept_finding,
    can_explain_finding,
    finding_accept,
    finding_explain,
    finding_return,
    rule_create,
    rule_update,
)
from dean06.tracking.models import ReportingPeriod
from dean06.tracking.services import period_get_or_create
from dean06.web.forms_quality import (
    OPEN,
    WAITING,
    FindingDecisionForm,
    FindingsFilterForm,
    RuleForm,
    RunRulesForm,
)
from dean06.web.redirects import next_url


def _is_admin(user: Any) -> bool:
    return can(user, Action.EDIT_RULES)


def _statuses() -> list[tuple[str, str]]:
    return [
        (WAITING, "Chờ Thường trực xem xét"),
        (OPEN, "Đơn vị cần xử lý (chưa xử lý, bị trả lại)"),
        *FindingStatus.choices,
    ]


def _findings_page(
    request: HttpRequest,
    *,
    run_form: RunRulesForm | None = None,
    query: QueryDict | None = None,
    failed: tuple[int, FindingDecisionForm] | None = None,
    status_code: int = 200,
) -> HttpResponse:
    form = FindingsFilterForm(request.GET if query is None else query, statuses=_statuses())
    picked = form.month()
    period = None
    if picked is not None:
        year, number = picked
        period = ReportingPeriod.objects.filter(kind="month", year=year, number=number).first()
    # What waits for this user: the unit's warnings to explain, the secretariat's to review.
    status = form.status(WAITING if can(request.user, Action.ACCEPT_FINDING) else OPEN)
    findings = findings_visible_to(request.user, period=period)
    if status == WAITING:
        findings = findings.filter(status=FindingStatus.EXPLAINED)
    elif status == OPEN:
        findings = findings.filter(status__in=[FindingStatus.OPEN, FindingStatus.RETURNED])
    elif status:
        findings = findings.filter(status=status)
    shown = list(findings[:500])
    if failed and all(f.pk != failed[0] for f in shown):
        # The finding is not on this filtered list: its refusal is said at the top instead.
        messages.error(request, " ".join(str(e) for e in failed[1].errors.get("text", [])))
    month_value = f"{picked[0]}-{picked[1]:02d}" if picked else ""
    if run_form is None:
        run_form = RunRulesForm(initial={"ky": month_value})
    return render(
        request,
        "quality/findings.html",
        {
            "form": form,
            "run_form": run_form,
            "failed_id": failed[0] if failed else None,
            "failed_form": failed[1] if failed else None,
            "failed_explain": bool(
                failed
                and request.resolver_match
                and request.resolver_match.url_name == "quality_finding_explain"
            ),
            "findings": [
                (f, can_explain_finding(request.user, f), can_accept_finding(request.user, f))
                for f in shown
            ],
            "total": findings.count(),
            "period": period,
            "month_value": month_value,
            "status": status,
            "statuses": _statuses(),
            "can_run": can(request.user, Action.RUN_RULES),
        },
        status=status_code,
    )


@require_GET
def findings_list(request: HttpRequest) -> HttpResponse:
    return _findings_page(request)


@require_POST
def findings_run(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Action.RUN_RULES):
        raise PermissionDenied("Chỉ Thường trực Tổ công tác được chạy kiểm tra cả kỳ.")
    form = RunRulesForm(request.POST)
    if not form.is_valid():
        return _findings_page(request, run_form=form, status_code=400)
    year, number = form.cleaned_data["ky"]
    period = period_get_or_create("month", year, number, by=request.user)
    try:
        result = rules_run_for_period(period, request.user)
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from exc
    messages.success(request, f"{period.label}: {result}")
    month = f"{year}-{number:02d}"
    return HttpResponseRedirect(f"{reverse('quality_findings')}?ky={month}&trang_thai=")


def _finding_action(request: HttpRequest, finding_id: int, act: Any, done: str) -> HttpResponse:
    """Explain, accept or return one finding the user sees, then go back where the form was. A
    refusal is shown beside that finding's text, what was typed kept."""
    finding = findings_visible_to(request.user).filter(pk=finding_id).first()
    if finding is None:
        raise Http404("Không tìm thấy phát hiện.")
    form = FindingDecisionForm(request.POST)
    if form.is_valid():
        try:
            act(finding, form.cleaned_data["text"])
        except PermissionDeniedError as exc:
            raise PermissionDenied(exc.message) from exc
        except ApplicationError as exc:
            form.add_error("text", exc.message)
        else:
            messages.success(request, done)
            return HttpResponseRedirect(next_url(request, reverse("quality_findings")))
    # The list the form was on, again, with the refusal beside this finding's text.
    back = urlsplit(next_url(request, reverse("quality_findings")))
    return _findings_page(
        request, query=QueryDict(back.query), failed=(finding.pk, form), status_code=400
    )


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


@require_http_methods(["GET", "POST"])
def rule_edit(request: HttpRequest, rule_id: int | None = None) -> HttpResponse:
    if not _is_admin(request.user):
        raise PermissionDenied("Chỉ quản trị hệ thống được sửa quy tắc kiểm tra.")
    rule = get_object_or_404(ValidationRule, pk=rule_id) if rule_id else None
    if request.method == "POST":
        form = RuleForm(request.POST, rule=rule)
        if form.is_valid():
            try:
                if rule is None:
                    rule_create(data=form.to_data(), by=request.user)
                else:
                    rule_update(rule=rule, data=form.to_data(), by=request.user)
            except PermissionDeniedError as exc:
                raise PermissionDenied(exc.message) from exc
            except ApplicationError as exc:
                field = str(exc.extra.get("field", ""))
                if field == "expression":
                    field = "left"
                if field not in form.fields and "Đã có quy tắc mã" in exc.message:
                    field = "code"
                form.add_error(field if field in form.fields else None, exc.message)
            else:
                messages.success(request, "Đã lưu quy tắc.")
                return HttpResponseRedirect(reverse("quality_rules"))
    else:
        form = RuleForm(rule=rule)
    return render(
        request,
        "quality/rule_form.html",
        {
            "rule": rule,
            "form": form,
            "error": "Chưa lưu: hãy sửa các ô được đánh dấu." if form.errors else "",
            "names": form.names(),
            "special": form.special,
        },
        status=422 if form.errors else 200,
    )
