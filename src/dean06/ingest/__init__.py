"""Pure-Python extraction of plans from documents: `extract(file) -> ExtractedPlan` (no Django).

Pipeline: detect the format by content → reader → Document → metadata → assignment table(s) →
narrative tasks → validation warnings.
"""

from __future__ import annotations

from pathlib import Path

from dean06.ingest.limits import check_file_size
from dean06.ingest.model import (
    Deadline,
    ExtractedPlan,
    ExtractedSection,
    ExtractedTask,
    ExtractWarning,
    IngestError,
    MissingToolError,
    PlanMeta,
    Quota,
    RegistryGroup,
    RegistryUnit,
    Source,
    Target,
    UnitRef,
    UnitRegistry,
)
from dean06.ingest.readers.base import Document, Progress

__all__ = [
    "Deadline",
    "ExtractWarning",
    "ExtractedPlan",
    "ExtractedSection",
    "ExtractedTask",
    "IngestError",
    "MissingToolError",
    "PlanMeta",
    "Quota",
    "RegistryGroup",
    "RegistryUnit",
    "Source",
    "Target",
    "UnitRef",
    "UnitRegistry",
    "extract",
    "extract_document",
]


def _load(source: str | Path | bytes) -> bytes:
    if isinstance(source, bytes | bytearray | memoryview):
        return bytes(source)
    path = Path(source)
    try:
        # A file over every limit is refused before it is read into memory.
        check_file_size(path.stat().st_size)
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise IngestError(f"Không tìm thấy tệp {path.name}.", f"file not found: {path}") from exc
    except IsADirectoryError as exc:
        raise IngestError(f"{path.name} là thư mục, không phải tệp.", "not a file") from exc
    except OSError as exc:
        raise IngestError(f"Không mở được tệp {path.name}.", f"cannot open {path}: {exc}") from exc


def extract(
    source: str | Path | bytes,
    registry: UnitRegistry | None = None,
    *,
    filename: str | None = None,
    progress: Progress | None = None,
) -> ExtractedPlan:
    """The plan in `source` (a path or the file's bytes), units resolved against `registry`
    (the shipped Bắc Giang registry by default).

    Raises IngestError for unreadable, empty, encrypted or unsupported input.
    """
    from dean06.ingest.detect import read_document

    if filename is None and isinstance(source, str | Path):
        filename = Path(source).name
    data = _load(source)
    registry = registry if registry is not None else UnitRegistry.default()
    document = read_document(data, filename=filename, progress=progress, registry=registry)
    return extract_document(document, registry)


def extract_document(document: Document, registry: UnitRegistry | None = None) -> ExtractedPlan:
    """The plan in a Document that a reader already produced."""
    from dean06.ingest.layout.metadata import extract_metadata
    from dean06.ingest.layout.narrative import layout_narrative
    from dean06.ingest.layout.tables import layout_tables, preamble_texts
    from dean06.ingest.readers.base import Paragraph
    from dean06.ingest.units import UnitResolver
    from dean06.ingest.validate import validate

    if not document.blocks:
        raise IngestError("Văn bản không có nội dung.", "the document has no content")
    registry = registry if registry is not None else UnitRegistry.default()
    resolver = UnitResolver(registry)
    # A spreadsheet has no paragraphs: its title lines are rows above the table header.
    titles = [Paragraph(text=t) for table in document.tables[:1] for t in preamble_texts(table)]
    meta = extract_metadata([*titles, *document.paragraphs])
    tables = layout_tables(document.tables, resolver, plan_date=meta.date, year=meta.year)
    narrative = layout_narrative(document.paragraphs, resolver, plan_date=meta.date, year=meta.year)
    plan = ExtractedPlan(
        plan=meta,
        sections=narrative.sections + tables.sections,
        tasks=narrative.tasks + tables.tasks,
        source_format=document.format,
    )
    plan.warnings = validate(
        plan, unplaced=[*narrative.unplaced, *tables.unplaced], reader_notes=document.warnings
    )
    return plan
