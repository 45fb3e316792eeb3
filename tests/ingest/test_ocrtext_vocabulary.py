"""The OCR-text reader's words: garbled words repaired by character confusions into words of the
unit registry and the deadline vocabulary, never by a list of one document's misspellings."""

from __future__ import annotations

from dean06.ingest.model import RegistryUnit, UnitRegistry
from dean06.ingest.readers.ocrtext import tokenize, vocabulary
from dean06.ingest.readers.ocrtext.vocabulary import CONFUSIONS, normal


def keys(text: str, registry: UnitRegistry | None = None) -> list[tuple[str, ...]]:
    vocab = vocabulary(registry or UnitRegistry.default())
    return [t.keys for t in tokenize(text, vocab)]


def test_vietnamese_letters_read_as_ascii_look_alikes_are_repaired():
    # ơ/ô read as ¢, d, é, 6; ủ/ư read as ti, w; ợ read as g.
    assert keys("S¢ Thdng tin va Truyén théng") == [
        ("so",),
        ("thong",),
        ("tin",),
        ("va",),
        ("truyen",),
        ("thong",),
    ]
    assert keys("ctia phwong hgp tw") == [("cua",), ("phuong",), ("hop",), ("tu",)]


def test_two_words_glued_by_ocr_are_split():
    assert keys("don vicd") == [("don",), ("vi", "co")]


def test_a_word_far_from_every_known_word_is_left_as_it_is():
    # A real Vietnamese syllable outside the vocabulary, and noise.
    assert keys("banh xyzq") == [("banh",), ("xyzq",)]


def test_unit_words_come_from_the_registry_given():
    # A unit no shipped document names: its words are known once the registry has it.
    registry = UnitRegistry(units=(RegistryUnit(key="BDT", name="Ban Dân tộc và Tôn giáo"),))
    vocab = vocabulary(registry)
    assert {"ton", "giao"} <= vocab.unit_words
    assert normal("ten", vocab) == ("ton",)  # "Tôn" read "Tén": ô through a confusion
    assert normal("ten", vocabulary(UnitRegistry.default())) == ("ten",)


def test_confusions_are_characters_not_words():
    # The confusion table holds glyphs (at most two characters), never a whole garbled word.
    assert all(len(seen) <= 2 and len(meant) <= 2 for seen, meant in CONFUSIONS)


def test_a_declared_count_is_read_through_the_brackets_a_worn_scan_gives():
    from dean06.ingest.readers.ocrtext.vocabulary import DECLARED

    for title, count in [
        ("Về pháp lý (02 nhiệm vụ)", "02"),
        ("Đảm bảo an ninh an toàn (03: nhiệm vụ}", "03"),
        ("Phat trien cong dan so (O6 nhiem vu]", "O6"),
    ]:
        found = DECLARED.search(title)
        assert found is not None and found.group(1) == count, title
    assert DECLARED.search("Trong năm 2024 (vụ mùa)") is None


def test_specks_and_rule_fragments_are_no_words_but_a_dash_is():
    # A worn scan's specks and rules print as "‡", "¡", ":" or "~" between words; they were words
    # of the task's text ("‡ Tiếp tục ...") and pieces of the cells' cuts.
    vocab = vocabulary(UnitRegistry.default())
    line = "2.1 ‡ Tiếp tục ¡ đổi mới ~ : cơ chế - một cửa | Sở Nội vụ"
    words = [t.raw for t in tokenize(line, vocab)]
    assert words == [
        "2.1",
        "Tiếp",
        "tục",
        "đổi",
        "mới",
        "cơ",
        "chế",
        "-",
        "một",
        "cửa",
        "Sở",
        "Nội",
        "vụ",
    ]
    assert [t.bar for t in tokenize(line, vocab)][9]  # the rule after "cửa" is kept


def test_a_body_registries_leave_out_starts_a_unit_cell():
    # A department's divisions, centres and hospitals are in no provincial registry.
    vocab = vocabulary(UnitRegistry.default())
    assert {"phong", "trung", "benh"} <= vocab.unit_starts
    assert {"phong", "benh", "vien", "trung", "tam"} <= vocab.unit_words


def test_an_unlisted_body_reads_as_a_unit_cell_and_its_fragment_does_not():
    from dean06.ingest.readers.ocrtext.lines import UnitSplitter
    from dean06.ingest.units import default_resolver

    splitter = UnitSplitter(default_resolver(), vocabulary(UnitRegistry.default()))
    whole = splitter.cell_score("Trung tâm Kiểm soát bệnh tật")
    assert whole > 0
    assert whole > splitter.cell_score("Kiểm soát bệnh tật")
    assert splitter.cell_score("Phòng Nghiệp vụ Y, Thanh tra Sở") > splitter.cell_score(
        "Phòng Nghiệp Thanh tra Sở"
    )
    # A registry unit still reads best.
    assert splitter.cell_score("Sở Y tế") > whole
