"""The pages' URL map, one block per domain module."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

from dean06.web.views import home, ops, plans

urlpatterns = [
    path("", home.home, name="home"),
    path(
        "dang-nhap/",
        auth_views.LoginView.as_view(template_name="registration/login.html"),
        name="login",
    ),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("healthz", ops.healthz, name="healthz"),
    path("favicon.ico", home.favicon, name="favicon"),
    # plans
    path("ke-hoach/", plans.plan_list, name="plan_list"),
    path("ke-hoach/<int:pk>/", plans.plan_detail, name="plan_detail"),
    path("ke-hoach/nhap/", plans.import_start, name="plan_import"),
    path("ke-hoach/nhap/<int:pk>/", plans.import_review, name="plan_import_review"),
    path("ke-hoach/nhap/<int:pk>/trang-thai/", plans.import_status, name="plan_import_status"),
    path("ke-hoach/nhap/<int:pk>/doc-lai/", plans.import_retry, name="plan_import_retry"),
    path("ke-hoach/thoi-han/", plans.deadline_preview, name="deadline_preview"),
]

# kpis and quality
from dean06.web.views import kpis, quality  # noqa: E402

urlpatterns += [
    path("so-lieu/", kpis.figures_index, name="kpis_index"),
    path(
        "so-lieu/<int:year>/<int:month>/don-vi/<int:unit_id>/",
        kpis.figures_grid,
        name="kpis_grid",
    ),
    path(
        "so-lieu/<int:year>/<int:month>/don-vi/<int:unit_id>/mau.xlsx",
        kpis.figures_template,
        name="kpis_template",
    ),
    path(
        "so-lieu/<int:year>/<int:month>/don-vi/<int:unit_id>/tai-len/",
        kpis.figures_upload,
        name="kpis_upload",
    ),
    path(
        "so-lieu/bieu-do/dich-vu/<int:service_id>.png",
        kpis.chart_service,
        name="kpis_chart_service",
    ),
    path("so-lieu/bieu-do/<int:year>/<int:month>.png", kpis.chart_period, name="kpis_chart_period"),
    path("chi-tieu/", kpis.indicators_index, name="kpis_indicators"),
    path(
        "chi-tieu/<int:indicator_id>/<int:year>/<int:month>/don-vi/<int:unit_id>/",
        kpis.indicator_entry,
        name="kpis_indicator_entry",
    ),
    path("kiem-tra/", quality.findings_list, name="quality_findings"),
    path("kiem-tra/chay/", quality.findings_run, name="quality_run"),
    path(
        "kiem-tra/phat-hien/<int:finding_id>/giai-trinh/",
        quality.finding_explain_view,
        name="quality_finding_explain",
    ),
    path(
        "kiem-tra/phat-hien/<int:finding_id>/chap-nhan/",
        quality.finding_accept_view,
        name="quality_finding_accept",
    ),
    path(
        "kiem-tra/phat-hien/<int:finding_id>/tra-lai/",
        quality.finding_return_view,
        name="quality_finding_return",
    ),
    path("kiem-tra/quy-tac/", quality.rules_list, name="quality_rules"),
    path("kiem-tra/quy-tac/moi/", quality.rule_edit, name="quality_rule_new"),
    path("kiem-tra/quy-tac/<int:rule_id>/", quality.rule_edit, name="quality_rule_edit"),
]

# the monthly cycle
from dean06.web.views import tracking  # noqa: E402

urlpatterns += [
    path("bao-cao/", tracking.unit_tasks, name="unit_tasks"),
    path("bao-cao/cho-xu-ly/", tracking.reports_waiting, name="reports_waiting"),
    path("bao-cao/tinh-hinh/", tracking.completeness_grid, name="completeness"),
    path(
        "bao-cao/tinh-hinh/<int:unit_id>/<int:year>/<int:month>/",
        tracking.completeness_cell,
        name="completeness_cell",
    ),
    path(
        "bao-cao/<int:assignment_id>/<int:year>/<int:month>/",
        tracking.report_form,
        name="report_form",
    ),
    path("bao-cao/phieu/<int:report_id>/duyet/", tracking.report_approve, name="report_approve"),
    path("bao-cao/phieu/<int:report_id>/tiep-nhan/", tracking.report_accept, name="report_accept"),
    path("bao-cao/phieu/<int:report_id>/tra-lai/", tracking.report_return, name="report_return"),
    path(
        "bao-cao/minh-chung/<int:evidence_id>/",
        tracking.evidence_download,
        name="evidence_download",
    ),
    path("nhiem-vu/<int:task_id>/", tracking.task_detail, name="task_detail"),
]

# notifications
from dean06.web.views import notifications  # noqa: E402

urlpatterns += [
    path("thong-bao/", notifications.inbox, name="notifications_inbox"),
    path("thong-bao/da-doc/", notifications.mark_read, name="notifications_mark_read"),
    path("thong-bao/nhat-ky/", notifications.log, name="notifications_log"),
]

# monthly report import
from dean06.web.views import report_import  # noqa: E402

urlpatterns += [
    path("bao-cao-thang/nhap/", report_import.report_import_start, name="report_import_start"),
    path(
        "bao-cao-thang/nhap/xac-nhan/",
        report_import.report_import_confirm,
        name="report_import_confirm",
    ),
    path(
        "bao-cao-thang/nhap/<slug:token>/",
        report_import.report_import_page,
        name="report_import_page",
    ),
]

# the consolidated monthly report
from dean06.web.views import reports  # noqa: E402

urlpatterns += [
    path("bao-cao-tong-hop/", reports.report_list, name="report_list"),
    path("bao-cao-tong-hop/lap/", reports.report_generate_view, name="report_generate"),
    path("bao-cao-tong-hop/<int:report_id>/", reports.report_detail, name="report_detail"),
    path(
        "bao-cao-tong-hop/<int:report_id>/tai-ve/", reports.report_download, name="report_download"
    ),
    path("bao-cao-tong-hop/<int:report_id>/lap-lai/", reports.report_remake, name="report_remake"),
]

# the leaders' dashboard, task and unit pages, the documents register, data health
from dean06.web.views import dashboard, documents, health, tasks, units  # noqa: E402

urlpatterns += [
    path("bang-dieu-khien/", dashboard.dashboard, name="dashboard"),
    path("nhiem-vu/", tasks.task_list, name="task_list"),
    path("don-vi/", units.unit_list, name="unit_list"),
    path("don-vi/<int:unit_id>/", units.unit_detail, name="unit_detail"),
    path("van-ban/", documents.document_list, name="document_list"),
    path("van-ban/moi/", documents.document_new, name="document_new"),
    path("van-ban/<int:document_id>/", documents.document_edit, name="document_edit"),
    path("suc-khoe-du-lieu/", health.data_health, name="data_health"),
]

# the notice of personal data
from dean06.web.views import privacy  # noqa: E402

urlpatterns += [path("du-lieu-ca-nhan/", privacy.personal_data, name="personal_data")]

# the language switch (Tiếng Việt / English), open before signing in too
from django.contrib.auth.decorators import login_not_required  # noqa: E402
from django.views.i18n import set_language  # noqa: E402

urlpatterns += [path("ngon-ngu/", login_not_required(set_language), name="set_language")]
