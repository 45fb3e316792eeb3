"""Checking a monthly report read by `dean06.ingest.report`: run the data-quality rules over its
appendices and say, row by row, what does not add up (the JSON of `dean06 check-report`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass

from dean06.ingest.report import (
    SERVICE_COUNT_FIELDS,
    SERVICE_FIELD_LABELS,
    ExtractedReport,
    ReportDocument,
    ReportService,
    last_day_of_month,
)
from dean06.ingest.text import fold
from dean06.quality.builtin import (
    BUILTIN_RULES,
    check_document_date_complete,
    check_document_date_plausible,
    check_document_type,
    check_non_negative_integers,
    check_outliers,
    check_total_row,
)
from dean06.quality.engine import Finding, RuleDef, evaluate

# Columns summed by the total row and watched for outliers (shares are not additive).
TOTAL_ROW_FIELDS = SERVICE_COUNT_FIELDS
OUTLIER_FIELDS: tuple[str, ...] = ("online_citizens", "online_businesses", "total")

Figures = Mapping[str, float | int | None]
Previous = ExtractedReport | Mapping[str, Figures]


@dataclass
class ReportFinding:
    """A finding located in the report: appendix, row (STT as printed; None for the total row)."""

    appendix: str
    row: str | None
    ref: str
    rule: str
    severity: str
    message: str
    # STT restart in every group: the document group ("I"..) or task group ("done"..) of the row.
    group: str | None = None
    column: str | None = None
    left: float | None = None
    right: float | None = None
    line: int | None = None
    importance: str = "medium"

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class _Context:
    report: ExtractedReport
    previous: dict[str, Figures]
    earliest: dt.date | None
    latest: dt.date | None


def check_report(
    report: ExtractedReport,
    rules: Sequence[RuleDef] | None = None,
    previous: Previous | None = None,
    *,
    plan_year: int | None = None,
    report_date: dt.date | None = None,
) -> list[ReportFinding]:
    """Run the rules (the built-in ones by default) over the report; findings in report order.

    `previous`: the previous period's report, or figures by service (keyed by STT or by name),
    for the outlier rule. Document dates are plausible from 1 January of the year before the plan
    year to the report date; both default to what the appendices print (the period's year; the
    report's date, else the last day of its month, else of the month after the period).
    Total row: one finding per column whose total differs from the sum of the rows.
    """
    year = plan_year or report.meta.period_year or report.meta.report_year
    ctx = _Context(
        report=report,
        previous=_previous_figures(previous),
        earliest=dt.date(year - 1, 1, 1) if year else None,
        latest=report_date or _latest_date(report),
    )
    findings: list[tuple[tuple[int, int, int], ReportFinding]] = []
    for order, rule in enumerate(BUILTIN_RULES if rules is None else rules):
        if not rule.active:
            continue
        if rule.kind == "expression":
            found = _run_expression(rule, ctx)
        else:
            runner = _SPECIAL.get(rule.code)
            # A stored special rule this version does not know is ignored, not fatal.
            found = runner(rule, ctx) if runner else []
        for f in found:
            appendix_order = {"I": 0, "II": 1, "III": 2}.get(f.appendix, 3)
            findings.append(((appendix_order, f.line or 0, order), f))
    findings.sort(key=lambda pair: pair[0])
    return [f for _, f in findings]


def check_report_dict(
    report: ExtractedReport,
    rules: Sequence[RuleDef] | None = None,
    previous: Previous | None = None,
) -> dict[str, object]:
    """The JSON of `dean06 check-report FILE --format json`."""
    data = report.to_dict()
    findings = check_report(report, rules, previous)
    return {
        "counts": {
            "documents": len(report.documents),
            "tasks": len(report.tasks),
            "services": len(report.services),
            "findings": len(findings),
            "errors": sum(1 for f in findings if f.severity == "error"),
            "warnings": sum(1 for f in findings if f.severity == "warning"),
        },
        "meta": data["meta"],
        "documents": data["documents"],
        "tasks": data["tasks"],
        "services": data["services"],
        "total_row": data["total_row"],
        "findings": [f.to_dict() for f in findings],
        "warnings": data["warnings"],
    }


# --- running rules over the report --------------------------------------------------------------


def _latest_date(report: ExtractedReport) -> dt.date | None:
    meta = report.meta
    if meta.report_date:
        return meta.report_date
    if meta.report_year and meta.report_month:
        return last_day_of_month(meta.report_year, meta.report_month)
    if meta.period_year and meta.period_month:
        # Reports are sent in the month after their period.
        year, month = divmod(meta.period_year * 12 + meta.period_month, 12)
        return last_day_of_month(year, month + 1)
    return None


def _service_rows(report: ExtractedReport) -> list[ReportService]:
    return [*report.services, *([report.total_row] if report.total_row else [])]


def _located(
    appendix: str,
    row: str | None,
    ref: str,
    line: int | None,
    f: Finding,
    group: str | None = None,
) -> ReportFinding:
    return ReportFinding(
        appendix=appendix,
        row=row,
        ref=ref,
        rule=f.rule,
        severity=f.severity,
        message=f.message,
        group=group,
        column=f.column,
        left=f.left,
        right=f.right,
        line=line,
        importance=f.importance,
    )


def _service_finding(service: ReportService, f: Finding) -> ReportFinding:
    return _located("III", service.stt, service.name, service.source.line, f)


def _document_finding(document: ReportDocument, f: Finding) -> ReportFinding:
    return _located("I", document.stt, document.number, document.source.line, f, document.group)


def _run_expression(rule: RuleDef, ctx: _Context) -> list[ReportFinding]:
    out: list[ReportFinding] = []
    if rule.scope == "service":
        for s in _service_rows(ctx.report):
            context = {"name": s.name, "stt": s.stt or ""}
            f = evaluate(rule, s.figures(), ref=s.name, context=context)
            if f:
                out.append(_service_finding(s, f))
    elif rule.scope == "document":
        for d in ctx.report.documents:
            record = _document_record(d, ctx)
            f = evaluate(rule, record, ref=d.number, context={"number": d.number})
            if f:
                out.append(_document_finding(d, f))
    elif rule.scope == "task":
        for t in ctx.report.tasks:
            # Tasks carry no figures yet: only rules on missing-tolerant constants apply.
            f = evaluate(rule, {}, ref=t.stt, context={"content": t.content})
            if f:
                out.append(_located("II", t.stt, t.content[:80], t.source.line, f, t.group))
    return out


def _document_record(d: ReportDocument, ctx: _Context) -> dict[str, float | None]:
    """The numeric fields a document rule may use: its date as year, month, day, ordinal."""
    if d.date is None:
        return dict.fromkeys(("year", "month", "day", "date_ordinal"), None)
    return {
        "year": float(d.date.year),
        "month": float(d.date.month),
        "day": float(d.date.day),
        "date_ordinal": float(d.date.toordinal()),
    }


def _run_non_negative(rule: RuleDef, ctx: _Context) -> list[ReportFinding]:
    out: list[ReportFinding] = []
    for s in _service_rows(ctx.report):
        found = check_non_negative_integers(
            rule,
            s.figures(),
            raw=s.raw,
            fields=SERVICE_COUNT_FIELDS,
            labels=SERVICE_FIELD_LABELS,
            ref=s.name,
        )
        out.extend(_service_finding(s, f) for f in found)
    return out


def _run_total_row(rule: RuleDef, ctx: _Context) -> list[ReportFinding]:
    total = ctx.report.total_row
    if total is None or not ctx.report.services:
        return []
    found = check_total_row(
        rule,
        [s.figures() for s in ctx.report.services],
        total.figures(),
        fields=TOTAL_ROW_FIELDS,
        labels=SERVICE_FIELD_LABELS,
        ref=total.name,
    )
    return [_service_finding(total, f) for f in found]


def _run_outlier(rule: RuleDef, ctx: _Context) -> list[ReportFinding]:
    if not ctx.previous:
        return []
    out: list[ReportFinding] = []
    for s in _service_rows(ctx.report):
        before = ctx.previous.get(_name_key(s.name)) or (
            ctx.previous.get(f"#{s.stt}") if s.stt else None
        )
        if before is None:
            continue
        found = check_outliers(
            rule,
            s.figures(),
            before,
            fields=OUTLIER_FIELDS,
            labels=SERVICE_FIELD_LABELS,
            ref=s.name,
        )
        out.extend(_service_finding(s, f) for f in found)
    return out


def _run_date_complete(rule: RuleDef, ctx: _Context) -> list[ReportFinding]:
    out: list[ReportFinding] = []
    for d in ctx.report.documents:
        found = check_document_date_complete(
            rule, date_raw=d.date_raw, date=d.date, number=d.number, ref=d.number
        )
        out.extend(_document_finding(d, f) for f in found)
    return out


def _run_date_plausible(rule: RuleDef, ctx: _Context) -> list[ReportFinding]:
    out: list[ReportFinding] = []
    for d in ctx.report.documents:
        found = check_document_date_plausible(
            rule,
            date=d.date,
            earliest=ctx.earliest,
            latest=ctx.latest,
            number=d.number,
            ref=d.number,
        )
        out.extend(_document_finding(d, f) for f in found)
    return out


def _run_type_symbol(rule: RuleDef, ctx: _Context) -> list[ReportFinding]:
    out: list[ReportFinding] = []
    for d in ctx.report.documents:
        found = check_document_type(rule, number=d.number, doc_type=d.type, ref=d.number)
        out.extend(_document_finding(d, f) for f in found)
    return out


_SPECIAL: dict[str, Callable[[RuleDef, _Context], list[ReportFinding]]] = {
    "svc.non_negative_int": _run_non_negative,
    "svc.total_row_sum": _run_total_row,
    "svc.outlier": _run_outlier,
    "doc.date_complete": _run_date_complete,
    "doc.date_plausible": _run_date_plausible,
    "doc.type_matches_symbol": _run_type_symbol,
}


def _name_key(name: str) -> str:
    return fold(name).replace(" ", "")


def _previous_figures(previous: Previous | None) -> dict[str, Figures]:
    """Previous figures keyed by folded service name and by "#<STT>"."""
    if previous is None:
        return {}
    out: dict[str, Figures] = {}
    if isinstance(previous, ExtractedReport):
        for s in [*previous.services, *([previous.total_row] if previous.total_row else [])]:
            out[_name_key(s.name)] = s.figures()
            if s.stt:
                out[f"#{s.stt}"] = s.figures()
        return out
    for key, figures in previous.items():
        key = str(key).strip()
        out[f"#{key}" if key.isdigit() else _name_key(key)] = figures
    return out
