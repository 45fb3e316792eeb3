"""Vietnamese time phrases of plans ("Quý I năm 2024", "Thực hiện thường xuyên", "100 ngày kể từ
ngày ban hành Kế hoạch", staged targets, quotas) turned into `Deadline` values."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from dean06.ingest.model import Deadline, DeadlineKind, Quota, Target
from dean06.ingest.text import clean, nfc, rejoin_symbols, unaccent

__all__ = ["parse_date", "parse_deadline"]

PeriodKind = Literal["date", "month", "quarter", "half_year", "year"]
QuotaPer = Literal["day", "week", "month", "quarter", "year"]
_PER: dict[str, QuotaPer] = {
    "ngay": "day",
    "tuan": "week",
    "thang": "month",
    "quy": "quarter",
    "nam": "year",
}

# Quarter numerals as written and as OCR prints them (I → 1 or l, II → 11, III → 111).
_QUARTER_NUMBERS = {
    "i": 1,
    "1": 1,
    "l": 1,
    "ii": 2,
    "2": 2,
    "11": 2,
    "ll": 2,
    "iii": 3,
    "3": 3,
    "111": 3,
    "lll": 3,
    "iv": 4,
    "4": 4,
    "1v": 4,
    "lv": 4,
}
_QN = "|".join(sorted(_QUARTER_NUMBERS, key=len, reverse=True))
_YEAR_TAIL = r"(?:\s*(?:/|-|\.|,)?\s*(?:nam\s+)?(\d{4}))?"

# All patterns run on the unaccented lowercase text, whose positions are those of the cleaned one.
_DATE_DMY = re.compile(r"(?<!\d)(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})(?!\d)")
_DATE_WORDS = re.compile(r"ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})(?!\d)")
_DATE_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
# A day and month without a year ("30/6", "ngày 15 tháng 10"): dated with the phrase's year (the
# column header's, the plan's). Taken only as the whole cell or after a word that introduces a
# date, so that "2/3 số xã" or "24/7" in running text is no date.
_DATE_DM = re.compile(r"(?<![\d/.-])(\d{1,2})\s*/\s*(\d{1,2})(?![\d/.-])")
_DATE_DM_WORDS = re.compile(r"ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})(?!\s*(?:/|nam))")
_DATE_DM_LEAD = re.compile(r"(?:ngay|truoc|den|han|het|cham nhat)\s*$")
_HALF = re.compile(r"(?<!\w)0?6\s+thang\s+(dau|cuoi)\s+nam(?:\s+(\d{4}))?(?!\d)")
# "tháng 1-4/2026", "từ tháng 3 đến tháng 5/2026": due the end of the last month.
_MONTH_RANGE = re.compile(
    r"(?<!\w)thang\s+(\d{1,2})\s*(?:-|–|den)\s*(?:thang\s+)?(\d{1,2})\s*(?:/|-|\.|\s+nam\s+)\s*(\d{4})"
)
_MONTH = re.compile(
    r"(?<!\w)thang\s+(\d{1,2})(?!\d)(?:\s*(?:/|-|\.)\s*(\d{4})|\s*,?\s+nam\s+(\d{4}))?"
)
_QUARTER = re.compile(rf"(?<!\w)quy\s+({_QN})(?![\w]){_YEAR_TAIL}(?!\d)")
# Short forms of tables and spreadsheets: "6/2025", "06-2025", "T6/2025" (tháng), "Q3/2026" (quý),
# never part of a date ("30/6/2025") or of a document symbol ("01/2024/TT-BCA").
_MONTH_SHORT = re.compile(
    r"(?<![\w/.-])t?\s*(\d{1,2})\s*[/.-]\s*((?:19|20)\d\d)(?![\d/]|\.\d|-\d{1,2}\b)"
)
_QUARTER_SHORT = re.compile(
    r"(?<![\w/.-])q\.?\s*([1-4]|iv|i{1,3})\s*[/.-]\s*((?:19|20)\d\d)(?![\d/])"
)
# A bare year or range of years ("2025", "2026 - 2030"): due the end of the last one.
_BARE_YEAR = re.compile(
    r"(?<![\w/.-])((?:19|20)\d\d)((?:\s*(?:-|–|,|va|den)\s*(?:19|20)\d\d)*)(?![\w/]|\.\d|-\d)"
)
_YEAR = re.compile(r"(?<!\w)nam\s+(\d{4})((?:\s*(?:,|va|-)\s*\d{4})*)(?!\d)")
_YEAR_END = re.compile(r"(?<!\w)(?:cuoi|het)\s+nam(?:\s+(\d{4}))?(?!\d)")
_ANY_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")

_TARGET = re.compile(
    r"(?<!\w)dat\s+(?:tu\s+|toi thieu\s+|tren\s+|it nhat\s+)?(\d+(?:[.,]\d+)?)\s*(%)"
    r"\s*(?:tro len\s*)?(?:,\s*)?(?:tu|ke tu|bat dau tu)\s+"
)
_QUOTA = re.compile(
    r"(\d{1,3})\s+([^/\d;()]{0,40}?)\s*/\s*(?:0?1\s+)?(ngay|tuan|thang|quy|nam)(?!\w)"
)
_QUOTA_VERB = re.compile(r"(?<!\w)(?:duy tri|toi thieu|it nhat|dang tai|dang)(?!\w)")
_RELATIVE = re.compile(
    r"(?<!\w)(\d{1,4})\s+(ngay|tuan|thang)\s+(?:lam viec\s+)?(?:ke\s+)?(?:tu|sau)"
    r"(?:\s+(?:ngay|khi))?"
)
# Between the words of a recurring phrase OCR may leave a stray mark ("thường. xuyên",
# "thường, xuyên", "hiện-thường xuyên"): a gap is spaces and such marks.
_GAP = r"[\s.,;:\-]+"
_RECURRING = re.compile(
    (
        r"(?<!\w)(?:thuong xuyen|hang (?:ngay|tuan|thang|quy|nam)|dinh ky|lien tuc|"
        r"moi (?:tuan|thang|quy|nam)|(?:tuan|thang|quy|nam) (?:truoc |sau )?lien ke)(?!\w)"
    ).replace(" ", _GAP)
)
_ON_REQUEST = re.compile(
    r"(?<!\w)(?:khi co (?:yeu cau|chi dao|de nghi|van ban|huong dan)|theo yeu cau|dot xuat|"
    r"khi (?:phat sinh|can thiet))(?!\w)"
)
_EXTERNAL = re.compile(
    r"(?<!\w)(?:theo lo trinh|theo ke hoach rieng|theo (?:ke hoach|huong dan|quy dinh|tien do|"
    r"chi dao) (?:cua|rieng|chung)|theo ke hoach)(?!\w)"
)
# The date of a document a phrase cites ("Quyết định số 1441/QĐ-UBND ngày 25/9/2025") is no
# deadline.
_CITED_DATE = re.compile(
    r"(?<![\w/])\d+/[\w./-]*[a-z][\w./-]*"
    r"(?:\s*,?\s*ngay\s+(?:\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{4}"
    r"|\d{1,2}\s+thang\s+\d{1,2}\s+nam\s+\d{4}))?"
)
# "Theo Điều 17 Nghị định ...", "Theo các mốc thời gian tại Quyết định ...": someone else's dates.
_CITED_SCHEDULE = re.compile(
    r"^\W*theo\s+(?:[a-z0-9 ,]{0,40}?\s)?(?:quyet dinh|nghi dinh|thong tu|nghi quyet|chi thi|"
    r"van ban|phuong an|cong van|luat|dieu\s+\d+)(?!\w)"
)
_BEFORE = re.compile(r"(?:truoc|cham nhat)\s*(?:ngay\s*)?$")
_FROM = re.compile(r"(?:tu|ke tu|bat dau tu|bat dau)\s*(?:ngay\s*)?$")
_PAREN = re.compile(r"\([^()]*\)")
# Words that belong to a deadline phrase; anything else left over makes it less certain.
_FILLER = frozenset(
    re.findall(
        r"\w+",
        "trong hoan thanh xong truoc ngay va thuc hien tu den het nam thang quy cac tiep theo "
        "thoi gian han la tien do dat tro len duy tri thuong xuyen dam bao chua muon nhat cham "
        "cuoi dau ke ban hanh hoach dinh ky hang moi lan tin bai toi thieu lo trinh rieng "
        "khi co yeu cau chi dao cua bo cong an chinh phu i ii iii iv",
    )
)


@dataclass
class _Period:
    kind: PeriodKind
    start: dt.date
    end: dt.date
    pos: int
    stop: int
    # A range ("tháng 1-4/2026"): its "từ" opens the range, the end is still due.
    span: bool = False


def _last_day(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _one_separator(match: re.Match[str]) -> bool:
    """ "30/6/2026" is a date; "1-4/2026" (months 1 to 4 of 2026) is not."""
    return len(set(re.findall(r"[/.-]", match.group(0)))) == 1


def parse_date(text: str) -> dt.date | None:
    """The first date in `text`: dd/mm/yyyy, dd-mm-yyyy, dd.mm.yyyy, "ngày 23 tháng 01 năm 2024",
    or ISO yyyy-mm-dd; None when there is no valid one."""
    key = unaccent(nfc(text))
    found: list[tuple[int, dt.date]] = []
    for m in _DATE_WORDS.finditer(key):
        d = _safe_date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        if d:
            found.append((m.start(), d))
    for m in _DATE_ISO.finditer(key):
        d = _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if d:
            found.append((m.start(), d))
    for m in _DATE_DMY.finditer(key):
        if not _one_separator(m):
            continue
        d = _safe_date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        if d:
            found.append((m.start(), d))
    return min(found, key=lambda pd: pd[0])[1] if found else None


def _add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class _Scanner:
    """Finds periods in an unaccented phrase, masking what it has read so nothing counts twice."""

    def __init__(self, key: str, default_year: int | None) -> None:
        self.key = key
        self.mask = [False] * len(key)
        self.default_year = default_year
        # Kinds of the periods that had no year and no default: the phrase is understood but
        # its date cannot be computed.
        self.missing_year: list[PeriodKind] = []

    @property
    def _finders(self) -> tuple[Callable[[int], list[_Period]], ...]:
        # Most specific first: what a finder takes is masked for those after it.
        return (
            self._dates,
            self._halves,
            self._months,
            self._quarters,
            self._years,
            self._short_forms,
            self._bare_years,
        )

    def free(self, start: int, end: int) -> bool:
        return not any(self.mask[start:end])

    def take(self, start: int, end: int) -> None:
        for i in range(start, end):
            self.mask[i] = True

    def _year(self, text: str | None, kind: PeriodKind) -> int | None:
        if text:
            return int(text)
        if self.default_year is None:
            self.missing_year.append(kind)
        return self.default_year

    def period_at(self, pos: int) -> _Period | None:
        """A period starting exactly at `pos` (after "từ" in a staged target)."""
        for finder in self._finders:
            for period in finder(pos):
                if period.pos == pos:
                    return period
        return None

    def all_periods(self) -> list[_Period]:
        found: list[_Period] = []
        for finder in self._finders:
            if finder == self._bare_years and found:
                # A year alone is the phrase's period only when it names no other: in
                # "Trong tháng 6 nam 2024" (OCR) the year is the month's.
                break
            for period in finder(0):
                if self.free(period.pos, period.stop):
                    self.take(period.pos, period.stop)
                    found.append(period)
        return sorted(found, key=lambda p: p.pos)

    def _dates(self, pos: int) -> list[_Period]:
        out: list[_Period] = []
        for rx, order in ((_DATE_WORDS, (3, 2, 1)), (_DATE_ISO, (1, 2, 3)), (_DATE_DMY, (3, 2, 1))):
            for m in rx.finditer(self.key, pos):
                if rx is _DATE_DMY and not _one_separator(m):
                    continue
                y, mo, d = (int(m.group(i)) for i in order)
                day = _safe_date(y, mo, d)
                if day:
                    out.append(_Period("date", day, day, m.start(), m.end()))
        day_months = [*_DATE_DM_WORDS.finditer(self.key, pos)]
        for m in _DATE_DM.finditer(self.key, pos):
            whole = not self.key[: m.start()].strip() and not self.key[m.end() :].strip()
            if whole or _DATE_DM_LEAD.search(self.key[max(0, m.start() - 12) : m.start()]):
                day_months.append(m)
        for m in day_months:
            d, mo = int(m.group(1)), int(m.group(2))
            year = self._year(None, "date")
            day = _safe_date(year, mo, d) if year is not None else None
            if day:
                out.append(_Period("date", day, day, m.start(), m.end()))
        return out

    def _halves(self, pos: int) -> list[_Period]:
        out: list[_Period] = []
        for m in _HALF.finditer(self.key, pos):
            year = self._year(m.group(2), "half_year")
            if year is None:
                continue
            if m.group(1) == "dau":
                out.append(
                    _Period("half_year", dt.date(year, 1, 1), dt.date(year, 6, 30), *m.span())
                )
            else:
                out.append(
                    _Period("half_year", dt.date(year, 7, 1), dt.date(year, 12, 31), *m.span())
                )
        return out

    def _months(self, pos: int) -> list[_Period]:
        out: list[_Period] = []
        for m in _MONTH_RANGE.finditer(self.key, pos):
            first, last, in_year = int(m.group(1)), int(m.group(2)), int(m.group(3))
            if 1 <= first <= last <= 12:
                start, end = dt.date(in_year, first, 1), _last_day(in_year, last)
                out.append(_Period("month", start, end, *m.span(), span=True))
        for m in _MONTH.finditer(self.key, pos):
            month = int(m.group(1))
            if not 1 <= month <= 12:
                continue
            year = self._year(m.group(2) or m.group(3), "month")
            if year is None:
                continue
            out.append(_Period("month", dt.date(year, month, 1), _last_day(year, month), *m.span()))
        return out

    def _short_forms(self, pos: int) -> list[_Period]:
        """ "6/2025" as a month, "Q3/2026" as a quarter."""
        out: list[_Period] = []
        for m in _MONTH_SHORT.finditer(self.key, pos):
            month, year = int(m.group(1)), int(m.group(2))
            if 1 <= month <= 12:
                first = dt.date(year, month, 1)
                out.append(_Period("month", first, _last_day(year, month), *m.span()))
        for m in _QUARTER_SHORT.finditer(self.key, pos):
            quarter, year = _QUARTER_NUMBERS[m.group(1)], int(m.group(2))
            first = dt.date(year, 3 * quarter - 2, 1)
            out.append(_Period("quarter", first, _last_day(year, 3 * quarter), *m.span()))
        return out

    def _bare_years(self, pos: int) -> list[_Period]:
        out: list[_Period] = []
        for m in _BARE_YEAR.finditer(self.key, pos):
            years = [int(m.group(1)), *(int(y) for y in re.findall(r"\d{4}", m.group(2)))]
            out.append(
                _Period("year", dt.date(min(years), 1, 1), dt.date(max(years), 12, 31), *m.span())
            )
        return out

    def _quarters(self, pos: int) -> list[_Period]:
        out: list[_Period] = []
        for m in _QUARTER.finditer(self.key, pos):
            quarter = _QUARTER_NUMBERS[m.group(1)]
            year = self._year(m.group(2), "quarter")
            if year is None:
                continue
            first = dt.date(year, 3 * quarter - 2, 1)
            out.append(_Period("quarter", first, _last_day(year, 3 * quarter), *m.span()))
        return out

    def _years(self, pos: int) -> list[_Period]:
        out: list[_Period] = []
        for m in _YEAR.finditer(self.key, pos):
            years = [int(m.group(1)), *(int(y) for y in re.findall(r"\d{4}", m.group(2)))]
            out.append(
                _Period("year", dt.date(min(years), 1, 1), dt.date(max(years), 12, 31), *m.span())
            )
        for m in _YEAR_END.finditer(self.key, pos):
            year = self._year(m.group(1), "year")
            if year is not None:
                out.append(_Period("year", dt.date(year, 1, 1), dt.date(year, 12, 31), *m.span()))
        return out


def _quota_level(cleaned: str, key: str, number_pos: int) -> str | None:
    """The subject of a quota clause ("cấp xã, thôn"): what stands before its verb or count."""
    clause_start = max(key.rfind(";", 0, number_pos), key.rfind("(", 0, number_pos)) + 1
    clause = key[clause_start:number_pos]
    verb = _QUOTA_VERB.search(clause)
    end = clause_start + (verb.start() if verb else len(clause))
    level = cleaned[clause_start:end].strip(" ,;:-")
    if not level or re.fullmatch(r"(?i)(?:thực hiện thường xuyên|thuc hien thuong xuyen)", level):
        return None
    return level


def _leftover_words(key: str, mask: list[bool]) -> int:
    text = "".join(" " if masked else c for c, masked in zip(key, mask, strict=True))
    text = _PAREN.sub(" ", text)
    words = re.findall(r"[a-z]+", text)
    return sum(1 for w in words if w not in _FILLER)


def parse_deadline(
    raw: str, *, plan_date: dt.date | None = None, year: int | None = None
) -> Deadline:
    """Read a "time" cell or phrase. Never raises; unknown phrases give kind "unknown",
    confidence 0, the raw text kept.

    Rules (GLOSSARY.md, "Time"): a month is due its last day, a quarter the last day of the
    quarter, "6 tháng đầu/cuối năm" 30/6 / 31/12, a year 31/12, a written date that date.
    "trước <month|quarter|year>" is due the day before that period starts; "trước ngày D" is due
    D, as written. "Từ <period>" is a start (recurring when nothing is due). A phrase naming
    several due periods ("Đạt 100% trong quý I; thời gian hoàn thành là trong năm 2024") is due
    the latest, confidence 0.8. Words that are no part of a deadline lower the confidence: a
    sentence that names a year but is no deadline ("Duy trì điểm đánh giá ... năm 2024") reads
    as that year with confidence 0.6, for the reviewer. A phrase without a year takes the first
    year written in it, else `year`, else the plan's; with none of them the kind is kept, no due
    date, confidence 0.4. Staged targets give `targets`, due the end of the last period.
    """
    # A cell printed in a narrow column cuts the symbol of a document it cites ("số
    # 52/2015/NĐ- CP ngày 28/5/2015"): that date is the document's, no deadline.
    cleaned = rejoin_symbols(" ".join(clean(raw).split()))
    key = unaccent(cleaned)
    if not key.strip():
        return Deadline(raw=raw, kind="unknown", confidence=0.0)

    year_match = _ANY_YEAR.search(key)
    default_year = (
        int(year_match.group(1))
        if year_match
        else year
        if year is not None
        else plan_date.year
        if plan_date
        else None
    )
    scan = _Scanner(key, default_year)
    for m in _CITED_DATE.finditer(key):
        scan.take(*m.span())

    # 1. Staged targets: "Đạt từ 80% trở lên từ quý II/2024 và đạt 100% từ quý IV năm 2024".
    targets: list[Target] = []
    target_periods: list[_Period] = []
    for m in _TARGET.finditer(key):
        period = scan.period_at(m.end())
        if period is None:
            continue
        scan.take(m.start(), period.stop)
        targets.append(Target(float(m.group(1).replace(",", ".")), m.group(2), period.start))
        target_periods.append(period)

    # 2. Quotas: "duy trì 01 tin, bài/01 tháng; cấp xã ... tối thiểu 02 tin, bài, lần/01 tuần".
    quotas: list[Quota] = []
    for m in _QUOTA.finditer(key):
        if not scan.free(m.start(), m.end()):
            continue
        what = cleaned[m.start(2) : m.end(2)].strip(" ,")
        quotas.append(
            Quota(
                count=int(m.group(1)),
                per=_PER[m.group(3)],
                what=what,
                level=_quota_level(cleaned, key, m.start()),
            )
        )
        scan.take(m.start(), m.end())

    # 3. Periods: each is a due period, or a start when "từ" stands before it.
    periods = scan.all_periods()
    recurring = bool(_RECURRING.search(key)) or bool(quotas)
    dues: list[tuple[PeriodKind, dt.date]] = []
    starts: list[dt.date] = []
    for p in periods:
        before = key[max(0, p.pos - 16) : p.pos]
        if p.span:
            starts.append(p.start)
            dues.append((p.kind, p.end))
        elif _FROM.search(before):
            starts.append(p.start)
        elif _BEFORE.search(before) and p.kind != "date":
            dues.append((p.kind, p.start - dt.timedelta(days=1)))
        else:
            dues.append((p.kind, p.end))

    confidence = 1.0
    leftover = _leftover_words(key, scan.mask)
    if leftover > 6:
        confidence = 0.6
    elif leftover > 2:
        confidence = 0.85
    if scan.missing_year:
        confidence = min(confidence, 0.5)

    if targets:
        last = max(target_periods, key=lambda p: p.end)
        return Deadline(
            raw=raw,
            kind=last.kind,
            due_date=last.end,
            start_date=min(t.start for t in targets if t.start) if targets else None,
            recurring=recurring,
            quota=quotas,
            targets=targets,
            confidence=confidence,
        )
    if dues:
        kind, due = max(dues, key=lambda kd: kd[1])
        if len({d for _, d in dues}) > 1:
            confidence = min(confidence, 0.8)
        return Deadline(
            raw=raw,
            kind=kind,
            due_date=due,
            start_date=min(starts) if starts else None,
            recurring=recurring,
            quota=quotas,
            confidence=confidence,
        )
    if scan.missing_year:
        # "Tháng 3" with no year anywhere: the kind is known, the date is for the reviewer.
        return Deadline(raw=raw, kind=scan.missing_year[0], recurring=recurring, confidence=0.4)
    if starts:
        return Deadline(
            raw=raw,
            kind="recurring",
            start_date=min(starts),
            recurring=True,
            quota=quotas,
            confidence=confidence,
        )
    if recurring:
        return Deadline(raw=raw, kind="recurring", recurring=True, quota=quotas)

    relative = _RELATIVE.search(key)
    if relative is not None:
        amount, unit = int(relative.group(1)), relative.group(2)
        due_date: dt.date | None = None
        if plan_date is not None:
            if unit == "ngay":
                due_date = plan_date + dt.timedelta(days=amount)
            elif unit == "tuan":
                due_date = plan_date + dt.timedelta(weeks=amount)
            else:
                due_date = _add_months(plan_date, amount)
        return Deadline(
            raw=raw, kind="relative", due_date=due_date, confidence=1.0 if due_date else 0.7
        )
    kinds: list[tuple[re.Pattern[str], DeadlineKind]] = [
        (_ON_REQUEST, "on_request"),
        (_EXTERNAL, "external"),
        (_CITED_SCHEDULE, "external"),
    ]
    for rx, found_kind in kinds:
        if rx.search(key):
            return Deadline(raw=raw, kind=found_kind)
    return Deadline(raw=raw, kind="unknown", confidence=0.0)
