"""What importing a record would change: the values to write, and the values kept because the
new file has them empty (a worse rendition of the same report never erases what a better one
gave). Plain Python, no database."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

Kind = Literal["new", "changed", "kept", "unchanged"]

KINDS: tuple[Kind, ...] = ("new", "changed", "kept", "unchanged")
KIND_LABELS: dict[str, str] = {
    "new": "mới",
    "changed": "thay đổi",
    "kept": "giữ giá trị cũ: tệp mới để trống",
    "unchanged": "không đổi",
}


def is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


@dataclass
class Reconciled:
    """The values to write (`values`), the fields that change, and those kept as they were
    because the incoming value is empty (or, for text, only a part of what is stored)."""

    values: dict[str, Any]
    changed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)


def reconcile(
    current: Mapping[str, Any] | None,
    incoming: Mapping[str, Any],
    *,
    partial_text: Collection[str] = (),
) -> Reconciled:
    """`incoming` merged onto `current` (None: a new record, written as it comes).

    An empty incoming value never replaces a stored one: the stored one is kept and named in
    `kept`. For the fields of `partial_text`, incoming text found whole inside the stored text
    is a file that lost a part of it (an empty column, a cut cell): the stored text is kept too.
    """
    if current is None:
        return Reconciled(values=dict(incoming))
    out = Reconciled(values={})
    for name, new in incoming.items():
        old = current.get(name)
        if new == old:
            out.values[name] = old
        elif _loses_value(name, old, new, partial_text):
            out.values[name] = old
            out.kept.append(name)
        else:
            out.values[name] = new
            out.changed.append(name)
    return out


def _loses_value(name: str, old: Any, new: Any, partial_text: Collection[str]) -> bool:
    if is_empty(new):
        return not is_empty(old)
    return (
        name in partial_text
        and isinstance(new, str)
        and isinstance(old, str)
        and new.strip() in old
    )


@dataclass(frozen=True)
class Change:
    """One record of the report as the import finds it: new, changed, kept (some values of the
    new file empty, the stored ones kept) or unchanged; with the fields and their two values."""

    appendix: str
    ref: str
    kind: Kind
    fields: tuple[tuple[str, str, str], ...] = ()  # (label, stored value, value in the file)
    kept: tuple[tuple[str, str], ...] = ()  # (label, stored value kept)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]
