"""The pages' forms (`web/forms*.py`) under arbitrary input: binding any data never raises and what
a valid form gives is in range; any query on a list page and any POST to a form page answers
without an error page (the test client raises the view's exception, a 500 is a failure); and a
POST its form finds invalid writes nothing (every row of the tables it could touch, and the audit
log, as before). Each example runs in a savepoint rolled back after it."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models, transaction
from django.http import QueryDict
from django.test import Client
from hypothesis import example, given
from hypothesis import strategies as st

from dean06.accounts.roles import Role
from dean06.core.models import AuditEntry
from dean06.documents.models import DocumentRecord
from dean06.kpis.entry import COUNT_FIELDS
from dean06.kpis.models import IndicatorValue, PublicService, ServiceStat
from dean06.kpis.services import targets_ensure_default
from dean06.notifications.models import InboxItem
from dean06.orgs.models import Unit
from dean06.plans.models import Assignment, Plan, PlanUpload
from dean06.quality.models import Finding, ValidationRule
from dean06.quality.services import rules_ensure_builtin
from dean06.reports.models import GeneratedReport
from dean06.tracking.models import ProgressReport, ReportingPeriod
from dean06.tracking.services import ReportInput, progress_report_approve, progress_report_save
from dean06.web import forms as web_forms
from dean06.web import forms_kpis, forms_notifications, forms_plans, forms_quality, forms_reports
from tests.factories import IndicatorFactory
from tests.property.conftest import profile
from tests.property.strategies import CONTROL, sentences, vietnamese

# Run once (SQLite): what it checks does not depend on the database (see tests/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.once]

# --- what people (and scripts) post -------------------------------------------------------------

# Text a browser can send: no lone surrogates (they cannot be encoded).
typed_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60
) | st.sampled_from(["", " ", "\x00", "ấ" * 3000, CONTROL])
numbers = st.one_of(
    st.integers(-(10**30), 10**30).map(str),
    st.sampled_from(
        ["0", "1", "-1", "1.234", "1.234,5", "12,5", "1e3", "NaN", "Infinity", "-0", "9" * 40]
    ),
)
months = st.one_of(
    st.tuples(st.integers(0, 10000), st.integers(0, 13)).map(lambda t: f"{t[0]:04d}-{t[1]:02d}"),
    st.sampled_from(["2024-07", "Tháng 7/2024", "thang 7/2024", "0000-07", "9999-12", "2024-7"]),
)
days = st.one_of(
    st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)).map(
        lambda d: d.strftime("%d/%m/%Y") if d.year >= 1000 else d.isoformat()
    ),
    st.sampled_from(["31/02/2024", "2024-02-30", "00/00/0000", "2024-07-10"]),
)
scalars = st.one_of(typed_text, vietnamese, numbers, months, days)
values = st.one_of(scalars, st.lists(scalars, min_size=2, max_size=3))


def posts(fields: dict[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[dict[str, Any]]:
    """Dicts with any subset of `fields` (each from its strategy or any value) and stray keys."""
    optional = {name: st.one_of(strategy, values) for name, strategy in fields.items()}
    return st.fixed_dictionaries(
        {}, optional={**optional, "csrfmiddlewaretoken": typed_text, "x-lạ": values}
    )


def querydict(data: dict[str, Any]) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, value in data.items():
        query.setlist(key, value if isinstance(value, list) else [value])
    return query


@contextlib.contextmanager
def rolled_back() -> Iterator[None]:
    """One example: whatever it writes is undone after it."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def state(*tables: type[models.Model]) -> list[Any]:
    """Every row of the tables a form could change, and the size of the audit log."""
    rows: list[Any] = [AuditEntry.objects.count()]
    for table in tables:
        rows.append(sorted(repr(row) for row in table.objects.values_list()))
    return rows


def answer(client: Client, method: str, url: str, data: dict[str, Any]) -> int:
    """The status of the page; the view's own exceptions reach here through the test client."""
    response = client.post(url, data) if method == "post" else client.get(url, data)
    assert response.status_code < 500, (url, data, response.status_code)
    return response.status_code


def choices(*valid: str) -> st.SearchStrategy[str]:
    return st.sampled_from(valid) | typed_text


# --- the world the forms act on -------------------------------------------------------------------


@pytest.fixture
def world(cycle, make_user, settings, tmp_path) -> dict[str, Any]:
    """The 2024 plan with Sở TT&TT's officer (cycle), its leader, the secretariat, an
    administrator; built-in rules and targets; an indicator; a report sent and waiting for the
    leader; a warning waiting for the unit's explanation."""
    # Set once: each change of a setting inside an example would stack another layer of them.
    settings.DATA_DIR = tmp_path / "data"
    settings.MEDIA_ROOT = tmp_path / "media"
    rules_ensure_builtin()
    targets_ensure_default()
    unit = cycle["unit"]
    indicator = IndicatorFactory(kind="ratio")
    indicator.reporting_units.add(unit)
    leader = make_user(Role.UNIT_LEADER, unit=unit)
    report = progress_report_save(
        assignment=cycle["assignment"],
        period=cycle["period"],
        data=ReportInput(state="in_progress", progress="Đã rà soát 120 thủ tục"),
        by=cycle["officer"],
        submit=True,
    )
    # A second report, approved by the leader: waiting for the secretariat.
    other = (
        Assignment.objects.filter(unit=unit, role="lead")
        .exclude(pk=cycle["assignment"].pk)
        .order_by("pk")
        .first()
    )
    approved = progress_report_save(
        assignment=other,
        period=cycle["period"],
        data=ReportInput(state="in_progress", progress="Đã triển khai"),
        by=cycle["officer"],
        submit=True,
    )
    progress_report_approve(report=approved, by=leader, version=approved.version)
    finding = Finding.objects.create(
        rule_code="svc.outlier",
        severity="warning",
        message="Số liệu khác thường",
        scope="service_stat",
        unit=unit,
        period=cycle["period"],
    )
    clients = {}
    for name, user in (
        ("officer", cycle["officer"]),
        ("leader", leader),
        ("secretariat", cycle["secretariat"]),
        ("admin", make_user(Role.ADMIN)),
        ("provincial_leader", make_user(Role.PROVINCIAL_LEADER)),
    ):
        client = Client()
        client.force_login(user)
        clients[name] = client
    return {
        **cycle,
        "clients": clients,
        "indicator": indicator,
        "report": report,
        "approved": approved,
        "finding": finding,
        "codes": list(PublicService.objects.values_list("code", flat=True)),
    }


# --- the form classes on their own ---------------------------------------------------------------


def _in_range(form: forms.Form) -> None:
    """What a valid form gives respects its fields' bounds."""
    for name, field in form.fields.items():
        value = form.cleaned_data.get(name)
        if isinstance(field, forms.IntegerField) and value is not None:
            assert field.min_value is None or value >= field.min_value, name
            assert field.max_value is None or value <= field.max_value, name
        if isinstance(field, forms_kpis.MonthField | web_forms.MonthField) and value is not None:
            year, month = value
            assert 1 <= month <= 12 and 1900 <= year <= 9998, name


FormCase = Callable[[QueryDict, dict[str, Any]], forms.Form]
FORMS: dict[str, tuple[FormCase, dict[str, st.SearchStrategy[Any]]]] = {
    "ProgressReportForm": (
        lambda d, w: web_forms.ProgressReportForm(d),
        {
            "state": choices("not_started", "in_progress", "done", ""),
            "percent_complete": numbers,
            "completed_on": days,
            "version": numbers,
        },
    ),
    "ReportActionForm": (
        lambda d, w: web_forms.ReportActionForm(d),
        {"action": choices("save", "submit", "correct", "evidence"), "version": numbers},
    ),
    "DecisionForm": (
        lambda d, w: web_forms.DecisionForm(d),
        {"comment": vietnamese, "version": numbers},
    ),
    "ReportGenerateForm": (
        lambda d, w: web_forms.ReportGenerateForm(d, formats=[("docx", "Word"), ("xlsx", "Excel")]),
        {"ky": months, "dinh_dang": choices("docx", "xlsx"), "ngay_ky": days},
    ),
    "UnitTasksFilterForm": (
        lambda d, w: web_forms.UnitTasksFilterForm(d, units=Unit.objects.all()),
        {"don_vi": numbers, "ky": months, "trang": numbers, "can_bao_cao": typed_text},
    ),
    "CompletenessFilterForm": (
        lambda d, w: web_forms.CompletenessFilterForm(d),
        {"ky": months, "so_ky": numbers},
    ),
    "PageForm": (lambda d, w: web_forms.PageForm(d), {"trang": numbers}),
    "MonthForm": (lambda d, w: forms_kpis.MonthForm(d), {"ky": months}),
    "LevelForm": (
        lambda d, w: forms_kpis.LevelForm(d),
        {"cap": choices("all", "province", "district", "commune")},
    ),
    "FiguresFilterForm": (
        lambda d, w: forms_kpis.FiguresFilterForm(d),
        {"ky": months, "don_vi": numbers, "nhap": numbers},
    ),
    "ChartForm": (lambda d, w: forms_kpis.ChartForm(d), {"ky": months, "tai": typed_text}),
    "FiguresGridForm": (
        lambda d, w: forms_kpis.FiguresGridForm(d, service_codes=w["codes"]),
        {f"c-DA06-01-{name}": numbers for name in COUNT_FIELDS[:3]}
        | {"v-DA06-01": numbers, "accept-svc.outlier:DA06-01:total_received": vietnamese},
    ),
    "IndicatorValueForm": (
        lambda d, w: forms_kpis.IndicatorValueForm(d, kind="ratio"),
        {"numerator": numbers, "denominator": numbers, "flag": choices("", "yes", "no")},
    ),
    "PlanImportForm": (lambda d, w: forms_plans.PlanImportForm(d), {"text": vietnamese}),
    "PlanReviewForm": (
        lambda d, w: forms_plans.PlanReviewForm(d, count=3),
        {
            "plan-number": typed_text,
            "plan-date": days,
            "task-0-code": typed_text,
            "task-0-lead": st.lists(vietnamese, max_size=3),
            "task-1-code": typed_text,
            "task-1-skip": typed_text,
            "new-unit": st.lists(vietnamese, max_size=2),
        },
    ),
    "DeadlinePreviewForm": (
        lambda d, w: forms_plans.DeadlinePreviewForm(d),
        {"q": vietnamese, "ngay": days},
    ),
    "FindingsFilterForm": (
        lambda d, w: forms_quality.FindingsFilterForm(d, statuses=[("open", "Chưa xử lý")]),
        {"ky": months, "trang_thai": choices("", "open", "cho")},
    ),
    "RunRulesForm": (lambda d, w: forms_quality.RunRulesForm(d), {"ky": months}),
    "FindingDecisionForm": (
        lambda d, w: forms_quality.FindingDecisionForm(d),
        {"text": vietnamese},
    ),
    "RuleForm": (
        lambda d, w: forms_quality.RuleForm(d),
        {
            "code": choices("p.rule", "svc.staff_sum"),
            "scope": choices("service_stat", "document", "progress", "indicator"),
            "name": vietnamese,
            "left": choices("online_citizens + online_businesses", "total", "1e999"),
            "operator": choices("<=", "==", "approx"),
            "right": choices("total", "share(on_time, total)"),
            "tolerance": numbers,
            "message": vietnamese,
        },
    ),
    "ReportImportForm": (lambda d, w: forms_reports.ReportImportForm(d), {"ky": months}),
    "UploadParamForm": (lambda d, w: forms_reports.UploadParamForm(d), {"phien": typed_text}),
    "ReportImportConfirmForm": (
        lambda d, w: forms_reports.ReportImportConfirmForm(d),
        {"token": typed_text, "huy": typed_text},
    ),
    "MarkReadForm": (lambda d, w: forms_notifications.MarkReadForm(d), {"muc": numbers}),
    "LogFilterForm": (
        lambda d, w: forms_notifications.LogFilterForm(d),
        {"ky": numbers, "don_vi": numbers, "loai": typed_text, "trang": numbers},
    ),
}


@st.composite
def form_cases(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    name = draw(st.sampled_from(sorted(FORMS)))
    return name, draw(posts(FORMS[name][1]))


@profile()
@given(form_cases())
@example(("MarkReadForm", {"muc": "9" * 30}))
@example(("RuleForm", {"tolerance": "NaN", "left": "total", "right": "1", "operator": "<="}))
def test_any_data_binds_to_a_form_without_error(world, case: tuple[str, dict[str, Any]]) -> None:
    name, data = case
    build, _fields = FORMS[name]
    with rolled_back():
        form = build(querydict(data), world)
        if form.is_valid():
            _in_range(form)
        else:
            assert all(str(e) for errors in form.errors.values() for e in errors)
        str(form)  # renders, errors beside their fields
        # What the views ask of a bound form, valid or not.
        for method in ("month", "status", "page", "number", "chosen", "read_version", "level"):
            if hasattr(form, method):
                getattr(form, method)(*(["open"] if method == "status" else []))
        if hasattr(form, "value"):
            for field in list(form.fields):
                form.value(field)
        if isinstance(form, forms_plans.PlanReviewForm) and form.is_valid():
            form.edits(), form.plan_values(), form.posted(0)
        if isinstance(form, forms_kpis.FiguresGridForm) and form.is_valid():
            form.raw(), form.versions(), form.accepted()


# --- list pages under any query ----------------------------------------------------------------

LIST_PAGES = {
    "/": {},
    "/so-lieu/": {"ky": months, "don_vi": numbers, "nhap": numbers},
    "/chi-tieu/": {"ky": months},
    "/kiem-tra/": {"ky": months, "trang_thai": choices("", "open", "cho", "accepted")},
    "/bao-cao/": {
        "don_vi": numbers,
        "ky": months,
        "vai_tro": choices("lead", "coordinating"),
        "trang_thai": typed_text,
        "q": vietnamese,
        "trang": numbers,
    },
    "/bao-cao/cho-xu-ly/": {"trang": numbers},
    "/bao-cao/tinh-hinh/": {"ky": months, "so_ky": numbers, "q": vietnamese},
    "/thong-bao/": {"trang": numbers},
    "/thong-bao/nhat-ky/": {"ky": numbers, "don_vi": numbers, "loai": typed_text},
    "/ke-hoach/thoi-han/": {"q": vietnamese, "ngay": days},
    "/bao-cao-tong-hop/": {"trang": numbers},
    "/bao-cao-thang/nhap/": {"phien": typed_text},
    "/nhiem-vu/": {"q": vietnamese, "don_vi": numbers, "trang": numbers, "nam": numbers},
    "/don-vi/": {"q": vietnamese, "trang": numbers},
    "/van-ban/": {"q": vietnamese, "ky": numbers, "nam": numbers, "don_vi": numbers},
    "/bang-dieu-khien/": {"nam": numbers, "don_vi": numbers, "nhom": typed_text},
    "/so-lieu/bieu-do/2024/7.png": {"ky": months, "tai": typed_text},
}


@st.composite
def page_queries(draw: st.DrawFn) -> tuple[str, str, dict[str, Any]]:
    role = draw(st.sampled_from(["officer", "secretariat", "provincial_leader"]))
    page = draw(st.sampled_from(sorted(LIST_PAGES)))
    return role, page, draw(posts(LIST_PAGES[page]))


@profile(suite_examples=20)
@given(page_queries())
@example(("secretariat", "/bao-cao/", {"don_vi": "9" * 30, "trang": "9" * 30}))
def test_any_query_on_a_list_page_answers_without_an_error_page(
    world, query: tuple[str, str, dict[str, Any]]
) -> None:
    role, page, data = query
    with rolled_back():
        answer(world["clients"][role], "get", page, data)


# --- posts: invalid input writes nothing -------------------------------------------------------


def _post_and_check(
    world: dict[str, Any],
    role: str,
    url: str,
    data: dict[str, Any],
    valid: bool,
    tables: tuple[type[models.Model], ...],
    *,
    refused_unless_redirected: bool = False,
) -> int:
    """Post; nothing written when the form is invalid (or, for a form whose every error is the
    service's to find, when the page does not move on)."""
    with rolled_back():
        before = state(*tables)
        status = answer(world["clients"][role], "post", url, data)
        if not valid or (refused_unless_redirected and status != 302):
            assert state(*tables) == before, (url, data, status)
    return status


@profile(suite_examples=15)
@given(posts(FORMS["RuleForm"][1]), st.booleans())
@example({"code": "p.a", "scope": "service_stat", "name": "A", "left": "total", "operator": "<=",
          "right": "1", "tolerance": "NaN", "message": "m"}, False)  # fmt: skip
@example({"code": "p.a", "scope": "service_stat", "name": "A", "left": "total", "operator": "<=",
          "right": "1", "tolerance": "1e30", "message": "m"}, False)  # fmt: skip
def test_a_rule_posted_in_any_shape_is_saved_or_refused_beside_its_field(
    world, data: dict[str, Any], edit: bool
) -> None:
    rule = ValidationRule.objects.filter(left__gt="").first() if edit else None
    url = f"/kiem-tra/quy-tac/{rule.pk}/" if rule else "/kiem-tra/quy-tac/moi/"
    valid = forms_quality.RuleForm(querydict(data), rule=rule).is_valid()
    _post_and_check(world, "admin", url, data, valid, (ValidationRule,))


@st.composite
def grid_posts(draw: st.DrawFn, codes: list[str]) -> dict[str, Any]:
    data: dict[str, Any] = {"cap": draw(choices("all", "province", "district"))}
    for code in draw(st.lists(st.sampled_from(codes), max_size=3, unique=True)):
        for name in draw(st.lists(st.sampled_from(COUNT_FIELDS), max_size=4, unique=True)):
            data[f"c-{code}-{name}"] = draw(st.one_of(numbers, scalars))
        if draw(st.booleans()):
            data[f"v-{code}"] = draw(numbers)
        if draw(st.booleans()):
            data[f"accept-svc.outlier:{code}:total_received"] = draw(scalars)
    return data


@profile(suite_examples=15)
@given(st.data())
def test_figures_posted_in_any_shape_are_saved_or_refused_cell_by_cell(world, data) -> None:
    post = data.draw(grid_posts(world["codes"]), label="post")
    url = f"/so-lieu/2024/7/don-vi/{world['unit'].pk}/"
    form = forms_kpis.FiguresGridForm(querydict(post), service_codes=world["codes"])
    _post_and_check(world, "officer", url, post, form.is_valid(), (ServiceStat,))


@profile(suite_examples=15)
@given(posts(FORMS["IndicatorValueForm"][1] | {"value": numbers, "cause": vietnamese}))
def test_an_indicator_value_posted_in_any_shape_is_saved_or_refused(world, post) -> None:
    indicator, unit = world["indicator"], world["unit"]
    url = f"/chi-tieu/{indicator.pk}/2024/7/don-vi/{unit.pk}/"
    valid = forms_kpis.IndicatorValueForm(querydict(post), kind="ratio").is_valid()
    _post_and_check(world, "officer", url, post, valid, (IndicatorValue,))


@profile(suite_examples=15)
@given(
    posts(
        FORMS["ProgressReportForm"][1]
        | FORMS["ReportActionForm"][1]
        | {"progress": vietnamese, "late_reason": vietnamese, "result_document": typed_text}
    ),
    st.sampled_from(["form", "duyet", "tra-lai", "tiep-nhan"]),
)
@example({"action": "correct", "version": "9" * 30}, "form")
@example({"version": "9" * 30, "comment": "x"}, "duyet")
@example({"comment": "Đủ\x00"}, "tiep-nhan")  # once accepted with the comment dropped
def test_a_progress_report_posted_in_any_shape_is_saved_or_refused(world, post, step) -> None:
    if step == "form":
        url = f"/bao-cao/{world['assignment'].pk}/2024/7/"
        role = "officer"
        valid = web_forms.ProgressReportForm(querydict(post)).is_valid()
    else:
        report = world["report"] if step == "duyet" else world["approved"]
        url = f"/bao-cao/phieu/{report.pk}/{step}/"
        role = "leader" if step == "duyet" else "secretariat"
        # A version that is not a number counts as none (the service then checks that nothing
        # newer was stored); the comment must be read as typed.
        valid = "comment" not in web_forms.DecisionForm(querydict(post)).errors
    _post_and_check(world, role, url, post, valid, (ProgressReport,))


@profile(suite_examples=15)
@given(
    st.sampled_from(["giai-trinh", "chap-nhan", "tra-lai", "chay", "da-doc"]),
    posts({"text": vietnamese, "ky": months, "muc": numbers, "next": typed_text}),
)
@example("da-doc", {"muc": "9" * 30})
def test_finding_decisions_runs_and_notices_posted_in_any_shape_answer(world, act, post) -> None:
    finding = world["finding"]
    if act == "chay":
        url, role = "/kiem-tra/chay/", "secretariat"
        valid = forms_quality.RunRulesForm(querydict(post)).is_valid()
    elif act == "da-doc":
        url, role = "/thong-bao/da-doc/", "officer"
        valid = forms_notifications.MarkReadForm(querydict(post)).is_valid()
    else:
        url = f"/kiem-tra/phat-hien/{finding.pk}/{act}/"
        role = "officer" if act == "giai-trinh" else "secretariat"
        valid = forms_quality.FindingDecisionForm(querydict(post)).is_valid()
    _post_and_check(world, role, url, post, valid, (Finding, InboxItem, ReportingPeriod))


PLAN_TEXT = "\n".join(
    [
        "ỦY BAN NHÂN DÂN TỈNH BẮC GIANG",
        "Số: 18/KH-UBND",
        "Bắc Giang, ngày 23 tháng 01 năm 2024",
        "STT\tNội dung, nhiệm vụ cụ thể\tĐơn vị chủ trì\tĐơn vị phối hợp\tThời gian hoàn thành",
        "1\tRà soát dữ liệu dân cư.\tSở Tư pháp\tCông an tỉnh\tQuý II năm 2024",
        "2\tTuyên truyền Đề án 06.\tSở Y tế\t\tTháng 3/2024",
    ]
)


@pytest.fixture
def upload(world) -> PlanUpload:
    """A plan pasted as text and read (jobs run inline), waiting for its review."""
    world["clients"]["secretariat"].post("/ke-hoach/nhap/", {"text": PLAN_TEXT})
    return PlanUpload.objects.get()


@profile(suite_examples=15)
@given(
    posts(FORMS["PlanReviewForm"][1] | {"task-0-deadline": vietnamese, "plan-title": vietnamese}),
    st.booleans(),
)
@example({"task-0-code": "A.1", "task-0-lead": ["Sở Tư pháp"], "plan-date": "31/02/2024"}, False)
def test_a_plan_import_posted_in_any_shape_is_read_reviewed_or_refused(
    world, upload, post, start
) -> None:
    if start:
        url = "/ke-hoach/nhap/"
        data = {"text": post.get("plan-title", "")}
        valid = forms_plans.PlanImportForm(querydict(data)).is_valid()
        post = data
    else:
        url = f"/ke-hoach/nhap/{upload.pk}/"
        # The review form takes what is typed: what is wrong is the service's to say, beside
        # the cell; a review that does not move on to the plan saved nothing.
        valid = forms_plans.PlanReviewForm(querydict(post), count=2).is_valid()
    _post_and_check(
        world, "secretariat", url, post, valid, (Plan, PlanUpload), refused_unless_redirected=True
    )


@profile(suite_examples=15)
@given(
    st.sampled_from(["start", "confirm", "generate"]),
    posts(
        {
            "ky": months,
            "token": typed_text,
            "huy": typed_text,
            "dinh_dang": choices("xlsx", "docx"),
            "ngay_ky": days,
            "nguoi_ky": vietnamese,
        }
    ),
    st.one_of(st.none(), st.binary(max_size=200), sentences.map(str.encode)),
)
@example("generate", {"ky": "0000-07", "dinh_dang": "xlsx"}, None)
def test_report_imports_and_generation_posted_in_any_shape_answer(world, step, post, file) -> None:
    data = dict(post)
    if step == "start":
        url = "/bao-cao-thang/nhap/"
        if file is not None:
            data["file"] = SimpleUploadedFile("bao-cao.txt", file)
        valid = forms_reports.ReportImportForm(
            querydict(post), {"file": data["file"]} if "file" in data else None
        ).is_valid()
    elif step == "confirm":
        url = "/bao-cao-thang/nhap/xac-nhan/"
        valid = False  # no upload was made: any token is refused
    else:
        url = "/bao-cao-tong-hop/lap/"
        valid = web_forms.ReportGenerateForm(
            querydict(post), formats=[("xlsx", "Excel"), ("docx", "Word")]
        ).is_valid()
    _post_and_check(
        world, "secretariat", url, data, valid, (GeneratedReport, ServiceStat, DocumentRecord)
    )


@profile(suite_examples=15)
@given(
    posts(
        {
            "number": typed_text,
            "doc_type": choices("KH", "QĐ", "CV", "KHAC"),
            "date": days,
            "summary": vietnamese,
            "group": choices("province", "working_group", "unit", "other"),
            "issuer_unit": numbers,
            "period": numbers,
            "plan": numbers,
            "tasks": st.lists(numbers, max_size=3),
            "chon_ke_hoach": typed_text,
        }
    )
)
@example({"number": "1/KH", "doc_type": "KH", "summary": "x", "group": "unit", "plan": "9" * 30})
@example({"number": "1/KH", "doc_type": "KH", "summary": "x", "group": "unit", "plan": "²"})
def test_a_document_posted_in_any_shape_is_saved_or_refused(world, post) -> None:
    from dean06.web.views.documents import DocumentForm

    query = querydict(post)
    form = DocumentForm(query, user=world["secretariat"], document=None, plan_id=query.get("plan"))
    valid = form.is_valid() and "chon_ke_hoach" not in post
    _post_and_check(world, "secretariat", "/van-ban/moi/", post, valid, (DocumentRecord,))
