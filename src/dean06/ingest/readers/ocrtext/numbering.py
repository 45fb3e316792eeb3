"""Which numbers at the start of an OCR'd table's lines are its rows' numbers.

A row's number is the anchor the reader cuts rows at, but a worn scan gives numbers that are not
rows' (a speck read as "3", a number that begins a line of the task's text) and loses or garbles
some that are ("1" read as "K)"). Read one line at a time, a number is taken when it may follow the
one before, and one wrong number throws every row after it off: the rows after a speck's "3" were
all refused until the next group. Here the numbers of the whole table are chosen at once: the run
of numbers, each allowed after the one before it (`transition_cost`), that covers most lines, within
each group (a group's title "A. NHÓM ..." starts the numbering again). A number off that run is
not a row's.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from dean06.ingest.readers.ocrtext.vocabulary import (
    CODE_DIGITS,
    DAYS_CELL,
    DAYS_CELL_COST,
    DECLARED,
    GROUP,
    NUMBER_DOT_LOST_COST,
    NUMBER_MAX_SKIP,
    NUMBER_RESTART_COST,
    NUMBER_SKIP_COST,
    ROW_NUMBER_BONUS,
    RULE_BEFORE_NUMBER,
    STT,
)
from dean06.ingest.text import fold

_NUMBER = re.compile(r"\d{1,2}(?:\.\d{1,2}){0,2}")
# The end of a number its narrow column wrapped: digits alone before the line's text.
_NUMBER_END = re.compile(r"^(\d{1,2})(?:\s+|\s*\|\s*)\S")


def number_value(raw: str) -> str:
    """A row number as printed, made plain ("2,3" → "2.3", "l.2" → "1.2", "4." → "4")."""
    text = raw.replace(",", ".").replace(" ", "")
    text = text.translate(CODE_DIGITS)
    return text.rstrip(".")


@functools.lru_cache(maxsize=65536)
def transition_cost(last: str | None, value: str, dotted_seen: bool) -> float | None:
    """What it costs that row number `value` follows `last` (None: a group's first row): 0 for
    the next number, more for each number skipped; None when it cannot follow."""
    parts = [int(p) for p in value.split(".")]
    if last is None:
        # A group's first row is "1" or "1.1", or a few rows on (their numbers lost); any other
        # number begins the text midway through a table (the pages before it not given).
        lost = sum(parts) - len(parts)
        return min(NUMBER_SKIP_COST * lost, NUMBER_RESTART_COST)
    before = [int(p) for p in last.split(".")]
    if len(parts) == len(before) and parts[:-1] == before[:-1]:
        skip = parts[-1] - before[-1]
        if 1 <= skip <= NUMBER_MAX_SKIP:
            return NUMBER_SKIP_COST * (skip - 1)
        if len(parts) >= 2 and parts[-1] == 1 and skip < 0:
            return NUMBER_RESTART_COST
        return None
    if len(parts) == len(before) + 1 and parts[:-1] == before and parts[-1] <= 3:
        # A subgroup's first rows ("2" → "2.1"), or a row's sub-items ("2.3" → "2.3.1").
        return NUMBER_SKIP_COST * (parts[-1] - 1)
    if len(before) >= 2:
        step = parts[0] - before[0]
        if len(parts) == 1 and 1 <= step <= 2:
            return NUMBER_SKIP_COST * (step - 1)  # the next subgroup's heading
        if len(parts) == 2 and 1 <= step <= 2 and parts[1] <= 3:
            # The next subgroup's rows, its heading lost.
            return NUMBER_SKIP_COST * (step - 1 + parts[1] - 1)
        return None
    if len(parts) == 2 and parts == [1, 1] and not dotted_seen:
        return 0.0  # plain numbers, then "1.1": the next group, its title lost
    return None


def group_title(line: str) -> re.Match[str] | None:
    """A group's title row ("A. NHÓM THAM MƯU ...", "B. Nhóm ... (32 nhiệm vụ)"): its letter
    (group 1) and title (group 2)."""
    group = GROUP.match(line)
    if group is None:
        return None
    if group.group(2).upper() == group.group(2) or DECLARED.search(line):
        return group
    return None


@dataclass(frozen=True)
class _Candidate:
    line: int  # index in the lines given
    value: str
    weight: float
    joins: int | None = None  # index of the line whose first digits end this number


def _line_number(line: str) -> str | None:
    stripped = RULE_BEFORE_NUMBER.sub("", line.strip())
    match = STT.match(stripped)
    if not match:
        return None
    value = number_value(match.group(1))
    if not _NUMBER.fullmatch(value) or any(int(part) == 0 for part in value.split(".")):
        return None  # (rows are numbered from 1: "5.0" is "So" read as digits)
    rest = stripped[match.end() :].strip(" .|")
    if not any(c.isdigit() for c in match.group(1)) and rest and rest.upper() == rest:
        return None  # a section's Roman numeral before its title ("II NHIỆM VỤ TRIỂN KHAI")
    return value


def _candidates(
    lines: Sequence[str], k: int, following: int | None, preceding: int | None, days: bool
) -> list[_Candidate]:
    """The readings of line k's number: as printed, "23" as "2.3" (OCR dropped the dot), and
    joined with the digits that start the next line (a narrow column wrapped "2.14" as "2.1"
    over "4"). Where the time column counts days (`days`), every row ends in a figure alone (its
    days): a number alone that does not follow one is likelier a row's days, after its units,
    than a row's number."""
    value = _line_number(lines[k])
    if value is None:
        return []
    stripped = RULE_BEFORE_NUMBER.sub("", lines[k].strip())
    match = STT.match(stripped)
    rest = stripped[match.end() :].lstrip(" .") if match else ""
    row_like = not rest or rest[0] == "|" or rest[:1].isupper()
    weight = 1.0 + (ROW_NUMBER_BONUS if row_like else 0.0)
    if days and not rest:
        # (The row above's days cell: "30", "45 ngày".)
        after_figure = preceding is not None and DAYS_CELL.match(fold(lines[preceding].strip()))
        weight -= 0.0 if after_figure else DAYS_CELL_COST
    found = [_Candidate(k, value, weight)]
    if "." not in value and len(value) == 2 and "0" not in value:
        found.append(_Candidate(k, f"{value[0]}.{value[1]}", weight - NUMBER_DOT_LOST_COST))
    if following is not None:
        end = _NUMBER_END.match(lines[following].strip())
        if end:
            # (Two lines' evidence: the number's start and its end agree.)
            found.append(_Candidate(k, value + end.group(1), weight + 1.0, joins=following))
    return found


# Pages whose first line is a number alone, numbered one after another: the pages' numbers.
_FOLIO = re.compile(r"^\f\s*-?\s*(\d{1,3})\s*-?\s*$")
_FOLIOS_MIN = 3


def page_numbers(lines: Sequence[str]) -> set[int]:
    """The lines that are page numbers: a number alone at the top of a page (after the form
    feed), on at least three pages, each the one before plus one — a document's folio, printed
    at the head of every page after the first, not a row's number."""
    runs: list[list[tuple[int, int]]] = []
    for k, line in enumerate(lines):
        if (m := _FOLIO.match(line)) is None:
            continue
        value = int(m.group(1))
        if runs and value == runs[-1][-1][1] + 1:
            runs[-1].append((k, value))
        else:
            runs.append([(k, value)])
    return {k for run in runs if len(run) >= _FOLIOS_MIN for k, _ in run}


def number_path(lines: Sequence[str], *, days: bool = False) -> tuple[dict[int, str], set[int]]:
    """The rows' numbers of a table's lines: {index of a line: its row's number}, and the
    indexes of the lines whose first digits end the number of the line above; `days`: the
    table's time column counts days (its cells are figures alone too)."""
    numbers: dict[int, str] = {}
    joins: set[int] = set()
    group: list[_Candidate] = []
    folios = page_numbers(lines)
    preceding: int | None = None
    for k, line in enumerate(lines):
        if group_title(line.strip()):
            _choose(group, numbers, joins)
            group = []
            preceding = None
            continue
        if not line.strip() or k in folios:
            continue
        following = next((j for j in range(k + 1, len(lines)) if lines[j].strip()), None)
        group.extend(_candidates(lines, k, following, preceding, days))
        preceding = k
    _choose(group, numbers, joins)
    return numbers, joins


def _choose(candidates: Sequence[_Candidate], numbers: dict[int, str], joins: set[int]) -> None:
    """The heaviest run of candidates on increasing lines, each allowed after the one before."""
    if not candidates:
        return
    # best[i]: (score, previous index) of the best run ending at candidate i; dotted[i]: whether
    # that run has seen a dotted number (next_numbers allows "1.1" after a plain one only then).
    best: list[tuple[float, int | None]] = []
    dotted: list[bool] = []
    for i, c in enumerate(candidates):
        first = transition_cost(None, c.value, False)
        score: tuple[float, int | None] = (
            (c.weight - first, None) if first is not None else (-1e9, None)
        )
        for p in range(i):
            before = candidates[p]
            if before.line >= c.line or (before.joins is not None and before.joins >= c.line):
                continue
            if best[p][0] + c.weight <= score[0]:
                continue
            cost = transition_cost(before.value, c.value, dotted[p])
            if cost is not None and best[p][0] + c.weight - cost > score[0]:
                score = (best[p][0] + c.weight - cost, p)
        best.append(score)
        dotted.append("." in c.value or (score[1] is not None and dotted[score[1]]))
    end = max(range(len(candidates)), key=lambda i: best[i][0])
    if best[end][0] < 0:
        return
    if best[end][1] is None and transition_cost(None, candidates[end].value, False):
        # One number alone that no table starts with ("30"): a cell's figure (days, a count),
        # not a row's; a run of rows whose first numbers OCR lost is more than one.
        return
    at: int | None = end
    while at is not None:
        c = candidates[at]
        numbers[c.line] = c.value
        if c.joins is not None:
            joins.add(c.joins)
        at = best[at][1]


def numbered_in_groups(lines: Sequence[str], numbers: dict[int, str]) -> bool:
    """Whether a table's rows stand in groups: a group's title among its lines, a dotted row
    number, or the numbering starting again. A table numbered 1, 2, 3 … straight through has
    none (a short letter's appendix)."""
    if any(group_title(line.strip()) for line in lines):
        return True
    values = [numbers[k] for k in sorted(numbers)]
    if any("." in value for value in values):
        return True
    plain = [int(value) for value in values]
    return any(b <= a for a, b in itertools.pairwise(plain))
