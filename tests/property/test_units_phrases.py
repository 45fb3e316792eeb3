"""Unit phrases and Vietnamese normalisation: a registry unit is found by any of its names however
the document spells it (diacritics lost, decomposed, in capitals, spaced out), a "who" cell gives
its units in order, and normalising twice is normalising once."""

from __future__ import annotations

import re

from hypothesis import example, given
from hypothesis import strategies as st

from dean06.ingest.text import clean, expand_abbreviations, fix_ocr, fold, nfc
from dean06.ingest.units import UnitResolver, match_key
from tests.property.conftest import profile
from tests.property.strategies import (
    REGISTRY,
    any_text,
    decompose,
    lose_diacritics,
    sentences,
    unit_names,
)

RESOLVER = UnitResolver(REGISTRY)
ENTITY = re.compile(r"&[#\w]")
GROUP_NAMES = sorted({(g.key, name) for g in REGISTRY.groups for name in (g.name, *g.aliases)})
# Spellings a document gives a name. Not lower case: abbreviations are case-sensitive on purpose
# ("CAT" is Công an tỉnh, "cat" is not).
SPELLINGS = {
    "as written": str,
    "diacritics lost": lose_diacritics,
    "decomposed": decompose,
    "capitals": str.upper,
}
spellings = st.sampled_from(sorted(SPELLINGS))
spaces = st.sampled_from([" ", "  ", "\t", " \u00a0", "\n"])


@st.composite
def spelled(draw: st.DrawFn, names: st.SearchStrategy[tuple[str, str]]) -> tuple[str, str]:
    key, name = draw(names)
    text = SPELLINGS[draw(spellings)](name)
    space = draw(spaces)
    return key, draw(spaces).strip(" ") + text.replace(" ", space) + draw(spaces)


@profile()
@given(spelled(unit_names))
@example(("SGDDT", "So GD&DT"))  # Đ printed as D by OCR without Vietnamese data
@example(("SKHDT", "So KH&DT"))
def test_a_unit_is_found_by_any_of_its_names_however_spelled(mention: tuple[str, str]) -> None:
    key, text = mention
    ref = RESOLVER.resolve(text)
    assert ref.unit_key == key, (text, ref)
    assert ref.raw == text


@profile()
@given(spelled(st.sampled_from(GROUP_NAMES)))
@example(("SO_BAN_NGANH", "CÁC CƠ QUAN CHUYÊN MÔN THUỘC UBND TỈNH"))  # "QUAN" is no "quận"
def test_a_collective_is_found_by_any_of_its_names_however_spelled(
    mention: tuple[str, str],
) -> None:
    key, text = mention
    ref = RESOLVER.resolve(text)
    assert ref.collective == key, (text, ref)
    assert ref.unit_key is None


@st.composite
def who_cells(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A "who" cell naming a few distinct units, and their keys in order."""
    picked = draw(
        st.lists(unit_names, min_size=1, max_size=4, unique_by=lambda kn: kn[0]),
    )
    separator = draw(st.sampled_from([", ", "; ", "\n", " và "]))
    if separator == " và ":
        # After "và" a bare place name ("và Lạng Giang") continues the name before it: joined by
        # "và", units are named in full.
        picked = [(key, REGISTRY.unit(key).name) for key, _ in picked]  # type: ignore[union-attr]
    spelling = SPELLINGS[draw(st.sampled_from(["as written", "diacritics lost", "decomposed"]))]
    return spelling(separator.join(name for _, name in picked)), [key for key, _ in picked]


@profile()
@given(who_cells())
def test_a_who_cell_gives_its_units_in_order(cell: tuple[str, list[str]]) -> None:
    text, keys = cell
    assert [ref.unit_key for ref in RESOLVER.parse_units(text)] == keys, text


@profile()
@given(who_cells(), who_cells(), st.sampled_from([", ", "; ", " "]))
def test_chu_tri_phoi_hop_separates_lead_from_coordinating_units(
    lead: tuple[str, list[str]], coordinating: tuple[str, list[str]], joint: str
) -> None:
    text = f"{lead[0]} chủ trì{joint}phối hợp với {coordinating[0]}"
    leads, coordinators = RESOLVER.parse_responsibility(text)
    assert [r.unit_key for r in leads] == lead[1], text
    assert [r.unit_key for r in coordinators] == coordinating[1], text


@profile()
@given(any_text)
@example("Sở Tư pháp (chủ trì)\x00; \u200bCông an tỉnh")
def test_resolving_any_cell_never_loses_what_was_written(text: str) -> None:
    lead, coordinating = RESOLVER.parse_responsibility(text)
    for ref in (*lead, *coordinating):
        assert 0.0 <= ref.confidence <= 1.0
        assert ref.resolved == (ref.confidence * 100 >= RESOLVER.threshold)
        assert ref.name.strip()


# --- normalisation ---------------------------------------------------------------------------


@profile()
@given(any_text)
@example("hoà khoẻ thuỷ")
@example("<li>- <b>Sở</b></li>")
@example("quy 1 quy 1")
def test_normalising_twice_is_normalising_once(text: str) -> None:
    # Decoding HTML entities undoes one level of escaping: "&amp;lt;" is "&lt;" once cleaned and
    # "<" twice, as in any HTML reader. Text with entities is left out for what decodes them.
    has_entity = ENTITY.search(text) is not None
    for normalise in (nfc, clean, fold, fix_ocr, expand_abbreviations, match_key):
        if has_entity and normalise in (clean, match_key):
            continue
        once = normalise(text)
        assert normalise(once) == once, normalise.__name__


@profile()
@given(st.one_of(sentences, sentences.map(str.upper), sentences.map(decompose)))
def test_the_matching_key_ignores_diacritics_case_and_spacing(text: str) -> None:
    key = fold(text)
    assert fold(lose_diacritics(text)) == key
    assert fold(decompose(text)) == key
    assert fold(text.upper()) == fold(text.lower()) == key
    assert fold("  " + text.replace(" ", "\t ") + "\n") == key
