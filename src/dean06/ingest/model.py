"""The dataclasses that the ingest library returns and takes (pure Python, no Django).

`ExtractedPlan` is what `extract()` returns for a plan; `UnitRegistry` is the registry of units and
collective phrases, given as plain data so that the library never touches the database.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import types
import typing
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any, Literal

DeadlineKind = Literal[
    "date",
    "month",
    "quarter",
    "half_year",
    "year",
    "relative",
    "recurring",
    "on_request",
    "external",
    "unknown",
]


class IngestError(Exception):
    """A file that cannot be read as a plan or report: unreadable, empty, encrypted, unsupported.

    `message` is Vietnamese for the user; `message_en` is the English gloss.
    """

    def __init__(self, message: str, message_en: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.message_en = message_en

    def __str__(self) -> str:
        return f"{self.message} ({self.message_en})" if self.message_en else self.message


class MissingToolError(IngestError):
    """An optional system tool (tesseract, LibreOffice, ...) is needed and not installed."""


@dataclass(frozen=True)
class Source:
    """Where a value came from in the input: page (1-based, when known) and line (1-based)."""

    page: int | None = None
    line: int | None = None


@dataclass
class UnitRef:
    """A mention of a unit in a plan, resolved (or not) against the registry.

    `unit_key` is the registry key of a single unit; `collective` the key of a unit group
    ("SO_BAN_NGANH"); both None means unresolved: a new unit proposed to the reviewer.
    """

    name: str
    raw: str
    unit_key: str | None = None
    collective: str | None = None
    confidence: float = 1.0

    @property
    def resolved(self) -> bool:
        return self.unit_key is not None or self.collective is not None


@dataclass
class Target:
    """A staged target such as "≥80% from quý II/2024": value, its unit ("%"), from which date."""

    value: float
    unit: str = "%"
    start: dt.date | None = None


@dataclass
class Quota:
    """A recurring quota such as "tối thiểu 02 tin, bài/01 tuần": count per period, by level."""

    count: int
    per: Literal["day", "week", "month", "quarter", "year"]
    what: str = ""
    level: str | None = None


@dataclass
class Deadline:
    raw: str
    kind: DeadlineKind = "unknown"
    due_date: dt.date | None = None
    start_date: dt.date | None = None
    recurring: bool = False
    quota: list[Quota] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    confidence: float = 1.0


@dataclass
class ExtractedSection:
    """A group of tasks: "A", "B", "B.2"; `declared_count` is the count the heading states."""

    code: str
    title: str
    declared_count: int | None = None
    found_count: int = 0
    parent: str | None = None
    source: Source = field(default_factory=Source)


@dataclass
class ExtractedTask:
    code: str
    section: str | None
    content: str
    lead_units: list[UnitRef] = field(default_factory=list)
    coordinating_units: list[UnitRef] = field(default_factory=list)
    deadline: Deadline = field(default_factory=lambda: Deadline(raw=""))
    source: Source = field(default_factory=Source)
    product: str = ""
    note: str = ""
    origin: Literal["table", "narrative", "unit_section"] = "table"
    confidence: float = 1.0


@dataclass
class PlanMeta:
    number: str | None = None
    date: dt.date | None = None
    issuer: str | None = None
    title: str | None = None
    year: int | None = None
    place: str | None = None
    reporting_rule: str | None = None
    reporting_day: int | None = None


@dataclass
class ExtractWarning:
    code: str
    message: str
    section: str | None = None
    task: str | None = None


@dataclass
class ExtractedPlan:
    plan: PlanMeta = field(default_factory=PlanMeta)
    sections: list[ExtractedSection] = field(default_factory=list)
    tasks: list[ExtractedTask] = field(default_factory=list)
    warnings: list[ExtractWarning] = field(default_factory=list)
    source_format: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of `dean06 extract --format json` (dates as YYYY-MM-DD)."""
        data: dict[str, Any] = jsonable(asdict(self))
        for task in data["tasks"]:
            # The published JSON names a target's start "from" (a Python keyword, hence `start`).
            task["deadline"]["targets"] = [
                {"value": t["value"], "unit": t["unit"], "from": t["start"]}
                for t in task["deadline"]["targets"]
            ]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ExtractedPlan:
        """The inverse of `to_dict` (the review stage keeps an extraction as JSON)."""
        meta = dict(data.get("plan") or {})
        meta["date"] = _date(meta.get("date"))
        known_meta = {k: v for k, v in meta.items() if k in PlanMeta.__dataclass_fields__}
        return cls(
            plan=PlanMeta(**known_meta),
            sections=[
                ExtractedSection(
                    code=s["code"],
                    title=s.get("title", ""),
                    declared_count=s.get("declared_count"),
                    found_count=s.get("found_count", 0),
                    parent=s.get("parent"),
                    source=_source(s.get("source")),
                )
                for s in data.get("sections", [])
            ],
            tasks=[_task(t) for t in data.get("tasks", [])],
            warnings=[
                ExtractWarning(
                    code=w["code"],
                    message=w.get("message", ""),
                    section=w.get("section"),
                    task=w.get("task"),
                )
                for w in data.get("warnings", [])
            ],
            source_format=data.get("source_format", ""),
        )


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value) if value else None


def _source(data: Any) -> Source:
    data = data or {}
    return Source(page=data.get("page"), line=data.get("line"))


def _unit_ref(data: dict[str, Any]) -> UnitRef:
    return UnitRef(
        name=data.get("name", ""),
        raw=data.get("raw", data.get("name", "")),
        unit_key=data.get("unit_key"),
        collective=data.get("collective"),
        confidence=float(data.get("confidence", 1.0)),
    )


def deadline_from_dict(data: dict[str, Any]) -> Deadline:
    return Deadline(
        raw=data.get("raw", ""),
        kind=data.get("kind", "unknown"),
        due_date=_date(data.get("due_date")),
        start_date=_date(data.get("start_date")),
        recurring=bool(data.get("recurring")),
        quota=[
            Quota(count=q["count"], per=q["per"], what=q.get("what", ""), level=q.get("level"))
            for q in data.get("quota") or []
        ],
        targets=[
            Target(
                value=t["value"],
                unit=t.get("unit", "%"),
                start=_date(t.get("from", t.get("start"))),
            )
            for t in data.get("targets") or []
        ],
        confidence=float(data.get("confidence", 1.0)),
    )


def _task(data: dict[str, Any]) -> ExtractedTask:
    return ExtractedTask(
        code=data["code"],
        section=data.get("section"),
        content=data.get("content", ""),
        lead_units=[_unit_ref(u) for u in data.get("lead_units", [])],
        coordinating_units=[_unit_ref(u) for u in data.get("coordinating_units", [])],
        deadline=deadline_from_dict(data.get("deadline") or {}),
        source=_source(data.get("source")),
        product=data.get("product", ""),
        note=data.get("note", ""),
        origin=data.get("origin", "table"),
        confidence=float(data.get("confidence", 1.0)),
    )


def jsonable(value: Any) -> Any:
    """Dataclass dicts made JSON-ready: dates as YYYY-MM-DD, decimals as text, tuples as lists."""
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def from_jsonable(hint: Any, value: Any) -> Any:
    """The inverse of `jsonable`, led by the type `hint` (a dataclass, its fields' types):
    dates, decimals, tuples and nested dataclasses come back as they were."""
    if value is None:
        return None
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        # Only `X | None` needs X built back; unions of plain values (int | float) are as read.
        return from_jsonable(options[0], value) if len(options) == 1 else value
    if origin in (list, tuple):
        args = typing.get_args(hint)
        items = [from_jsonable(args[0] if args else Any, v) for v in value]
        return tuple(items) if origin is tuple else items
    if hint is dt.date:
        return dt.date.fromisoformat(value)
    if hint is Decimal:
        return Decimal(value)
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        hints = typing.get_type_hints(hint)
        return hint(
            **{
                f.name: from_jsonable(hints[f.name], value[f.name])
                for f in dataclasses.fields(hint)
                if f.name in value
            }
        )
    return value


# --- the registry, as plain data ------------------------------------------------------------


@dataclass(frozen=True)
class RegistryUnit:
    key: str
    name: str
    kind: str = ""
    level: str = ""
    parent_key: str | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class RegistryGroup:
    key: str
    name: str
    fans_out: bool = True
    member_kinds: tuple[str, ...] = ()
    member_level: str | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class UnitRegistry:
    units: tuple[RegistryUnit, ...] = ()
    groups: tuple[RegistryGroup, ...] = ()

    def unit(self, key: str) -> RegistryUnit | None:
        return next((u for u in self.units if u.key == key), None)

    def group(self, key: str) -> RegistryGroup | None:
        return next((g for g in self.groups if g.key == key), None)

    def members(self, group_key: str) -> list[RegistryUnit]:
        """The units a collective fans out to (empty when it does not fan out)."""
        group = self.group(group_key)
        if group is None or not group.fans_out:
            return []
        return [
            u
            for u in self.units
            if (not group.member_kinds or u.kind in group.member_kinds)
            and (group.member_level is None or u.level == group.member_level)
        ]

    @classmethod
    def from_csv(cls, units_csv: Path | str, groups_csv: Path | str) -> UnitRegistry:
        return cls(
            units=tuple(read_units_csv(units_csv)), groups=tuple(read_groups_csv(groups_csv))
        )

    @classmethod
    def default(cls) -> UnitRegistry:
        """The registry shipped with the package (Bắc Giang 2024 reference data)."""
        ref = resources.files("dean06") / "data" / "reference"
        return cls.from_csv(
            Path(str(ref / "units-bac-giang-2024.csv")), Path(str(ref / "unit-groups.csv"))
        )


def _split_aliases(text: str) -> tuple[str, ...]:
    return tuple(a.strip() for a in (text or "").split(";") if a.strip())


def read_units_csv(path: Path | str) -> list[RegistryUnit]:
    with open(path, encoding="utf-8", newline="") as fh:
        return [
            RegistryUnit(
                key=row["key"].strip(),
                name=row["name"].strip(),
                kind=row.get("kind", "").strip(),
                level=row.get("level", "").strip(),
                parent_key=(row.get("parent_key") or "").strip() or None,
                aliases=_split_aliases(row.get("aliases", "")),
            )
            for row in csv.DictReader(fh)
            if row.get("key")
        ]


def read_groups_csv(path: Path | str) -> list[RegistryGroup]:
    with open(path, encoding="utf-8", newline="") as fh:
        return [
            RegistryGroup(
                key=row["key"].strip(),
                name=row["name"].strip(),
                fans_out=row.get("fans_out", "").strip().lower() == "yes",
                member_kinds=_split_aliases(row.get("member_kinds", "")),
                member_level=(row.get("member_level") or "").strip() or None,
                aliases=_split_aliases(row.get("aliases", "")),
            )
            for row in csv.DictReader(fh)
            if row.get("key")
        ]
