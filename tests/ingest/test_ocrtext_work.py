"""How much work reading an OCR text takes (bounded in resolver calls, never in seconds), and that
the pruned search that shares a row's unit lines between lead and coordinating cells finds what
scoring every cut finds (scripts/bench_ocrtext.py gives the times)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from dean06.ingest import extract
from dean06.ingest.model import UnitRegistry
from dean06.ingest.readers.ocrtext import lines as lines_module
from dean06.ingest.readers.ocrtext.lines import UnitSplitter, _text, _width
from dean06.ingest.readers.ocrtext.vocabulary import (
    COORD_LATE,
    SPLIT_BEAM,
    SPLIT_DROP,
    UNIT_WIDTH,
    WRAP_WIDTH,
    Tok,
    vocabulary,
)
from dean06.ingest.units import UnitResolver

OCR = Path(__file__).resolve().parent.parent / "data" / "ocr"

# Resolver calls for one 39-task fixture. Scoring every cut of every unit line (the search before
# it was pruned) took 4,860 resolve and 14,495 split calls on the vie/psm3 fixture and 7,446 and
# 21,386 on eng/psm6 (3-5 s); the pruned search takes about 1,900/9,700 and 2,700/14,200. The
# budgets leave some room above the latter and fail well before the former comes back.
BUDGETS = {
    "plan2024-vie-psm3.txt": (2_300, 11_000),
    "001-eng-psm6.txt": (3_200, 16_000),
}


class _Counter:
    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.resolve = 0
        self.split = 0
        resolve, split = UnitResolver.resolve, UnitResolver.split

        def counted_resolve(resolver: UnitResolver, mention: str, **kwargs: bool):  # type: ignore[no-untyped-def]
            self.resolve += 1
            return resolve(resolver, mention, **kwargs)

        def counted_split(resolver: UnitResolver, text: str):  # type: ignore[no-untyped-def]
            self.split += 1
            return split(resolver, text)

        monkeypatch.setattr(UnitResolver, "resolve", counted_resolve)
        monkeypatch.setattr(UnitResolver, "split", counted_split)


@pytest.mark.parametrize("name", sorted(BUDGETS))
def test_reading_a_39_task_fixture_stays_within_its_resolver_budget(monkeypatch, name):
    counter = _Counter(monkeypatch)
    plan = extract(OCR / name)
    assert len(plan.tasks) >= 38  # the work bought the same reading
    resolves, splits = BUDGETS[name]
    assert counter.resolve <= resolves, counter.resolve
    assert counter.split <= splits, counter.split


def _exhaustive_split(splitter: UnitSplitter, lines: Sequence[Sequence[Tok]]) -> tuple[str, str]:
    """UnitSplitter.split as it was before pruning: every (beam entry, cut) scored exactly."""
    vocab = splitter.vocab
    beam = [(0.0, (), (), (), ())]

    def wrap_penalty(before, after):  # type: ignore[no-untyped-def]
        if not before or not after:
            return 0.0
        room = WRAP_WIDTH - (_width(before) + 1 + len(after[0].raw))
        return -0.4 * (room - 2) if room > 2 else 0.0

    for line in lines:
        options = []
        for d in range(min(len(line), SPLIT_DROP) + 1):
            drop_cost = sum(0.45 if lines_module._is_unit(t, vocab) else 0.1 for t in line[:d])
            for k in range(d, len(line) + 1):
                lead, coord = line[d:k], line[k:]
                if _width(lead) > UNIT_WIDTH or _width(coord) > UNIT_WIDTH:
                    continue
                bonus = -drop_cost
                if coord and coord[0].upper:
                    bonus += 0.3
                if lead and coord and line[k - 1].bar:
                    bonus += 0.5
                options.append((lead, coord, bonus))
        if not options:
            half = max(1, len(line) // 2)
            options = [(line[:half], line[half:], 0.0)]
        scored = []
        for base, lead_acc, coord_acc, lead_last, coord_last in beam:
            for lead, coord, bonus in options:
                new_lead = lead_acc + tuple(lead)
                new_coord = coord_acc + tuple(coord)
                wrap = wrap_penalty(lead_last, lead) + wrap_penalty(coord_last, coord)
                if not lead_acc and not lead and coord:
                    wrap -= 2.0
                if lead_acc and not coord_acc and coord:
                    wrap -= COORD_LATE
                score = (
                    splitter.cell_score(_text(new_lead))
                    + splitter.cell_score(_text(new_coord))
                    + bonus
                    + wrap
                    + base
                )
                scored.append(
                    (
                        score,
                        new_lead,
                        new_coord,
                        tuple(lead) or lead_last,
                        tuple(coord) or coord_last,
                    )
                )
        scored.sort(key=lambda s: -s[0])
        beam = [
            (
                sc - splitter.cell_score(_text(lead)) - splitter.cell_score(_text(coord)),
                lead,
                coord,
                ll,
                cl,
            )
            for sc, lead, coord, ll, cl in scored[:SPLIT_BEAM]
        ]
    return _text(beam[0][1]), _text(beam[0][2])


@pytest.mark.parametrize("name", ["001-eng-psm4.txt", "plan2024-eng-psm3.txt"])
def test_pruned_split_finds_what_scoring_every_cut_finds(monkeypatch, name):
    asked: list[list[list[Tok]]] = []
    split = UnitSplitter.split

    def recording(splitter: UnitSplitter, lines: Sequence[Sequence[Tok]]) -> tuple[str, str]:
        asked.append([list(line) for line in lines])
        return split(splitter, lines)

    monkeypatch.setattr(UnitSplitter, "split", recording)
    extract(OCR / name)
    monkeypatch.setattr(UnitSplitter, "split", split)
    assert len(asked) > 50
    registry = UnitRegistry.default()
    resolver = UnitResolver(registry)
    pruned = UnitSplitter(resolver, vocabulary(registry))
    exhaustive = UnitSplitter(resolver, vocabulary(registry))
    for lines in asked[::3]:
        assert pruned.split(lines) == _exhaustive_split(exhaustive, lines)
    # The pruning is real: far fewer combinations scored than there were.
    assert pruned.evaluated > 0


def test_bounds_are_never_below_the_score():
    registry = UnitRegistry.default()
    splitter = UnitSplitter(UnitResolver(registry), vocabulary(registry))
    texts = [
        "So Thong tin va Truyen thong",
        "Cong an tinh So Y te, SO va The thao va Du lich;",
        "Cac so, ban, nganh; Uy ban nhan dan cac huyen, thanh pho",
        "Sở Nội vụ, Văn phòng UBND tỉnh",
        "thong",
        "va Moi So Thong tin va Hiep Hoa va thanh Ngan va",
        "Ủy ban nhân dân các huyện Ủy ban nhân dân tỉnh",
    ]
    for text in texts:
        rough = splitter.rough_bound(text)
        closer = splitter.cell_bound(text)
        exact = splitter.cell_score(text)
        assert rough >= closer >= exact, text
        # Once scored, both bounds are the score.
        assert splitter.rough_bound(text) == splitter.cell_bound(text) == exact


def test_markup_has_no_rough_bound():
    registry = UnitRegistry.default()
    splitter = UnitSplitter(UnitResolver(registry), vocabulary(registry))
    assert splitter.rough_bound("Sở Y tế<br>Sở Nội vụ") == float("inf")


@pytest.mark.parametrize(
    "mention",
    [
        "Sở Y tế",
        "So Thong tin va Truyen thong",
        "Cong an tinh",
        "Hội Nông dân huyện Yên Thế",
        "Sở Nội vụ tỉnh Lào Cai",
        "thanh Ngan",
        "Uy ly ban nhan dan cac nong quan ly. thanh",
        "Đ/c Hùng",
    ],
)
def test_quick_resolve_agrees_on_what_resolves(mention):
    resolver = UnitResolver(UnitRegistry.default())
    full = resolver.resolve(mention)
    quick = resolver.resolve(mention, weak_confidence=False)
    assert quick.resolved == full.resolved
    if full.resolved:
        assert quick == full
    else:
        assert quick.confidence <= full.confidence
