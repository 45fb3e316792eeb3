"""Vietnamese text normalisation: tone marks, HTML clean-up, folding, OCR repairs, abbreviations."""

from __future__ import annotations

import unicodedata
from importlib import resources

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dean06.ingest.text import (
    ABBREVIATIONS,
    clean,
    expand_abbreviations,
    fix_ocr,
    fold,
    nfc,
    unaccent,
)


def _seed(name: str) -> str:
    return (resources.files("dean06") / "data" / "seeds" / name).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("hoà", "hòa"),
        ("hoá", "hóa"),
        ("Thanh Hoá", "Thanh Hóa"),
        ("văn hoá", "văn hóa"),
        ("hoả", "hỏa"),
        ("hoã", "hõa"),
        ("hoạ", "họa"),
        ("khoẻ", "khỏe"),
        ("thuỷ", "thủy"),
        ("uỷ ban", "ủy ban"),
        ("Uỷ ban nhân dân", "Ủy ban nhân dân"),
        ("tuỳ", "tùy"),
        ("luỹ", "lũy"),
        ("huỵch", "huỵch"),
        ("HOÀ", "HÒA"),
        ("THUỶ", "THỦY"),
    ],
)
def test_nfc_moves_tone_of_open_oa_oe_uy_to_first_vowel(old: str, new: str) -> None:
    assert nfc(old) == new


@pytest.mark.parametrize(
    "word", ["hòa", "quý", "quỷ", "hoàng", "toán", "huỳnh", "khuya", "chuyền", "ngoài", "thuế"]
)
def test_nfc_keeps_words_whose_tone_is_already_in_place(word: str) -> None:
    assert nfc(word) == word


def test_nfc_composes_decomposed_input() -> None:
    decomposed = unicodedata.normalize("NFD", "Sở Thông tin và Truyền thông")
    assert nfc(decomposed) == "Sở Thông tin và Truyền thông"
    assert len(nfc(decomposed)) == len("Sở Thông tin và Truyền thông")


def test_clean_strips_tags_entities_and_bold_and_keeps_list_items_as_dashes() -> None:
    raw = (
        '<p>Đẩy nhanh <b>số hóa</b>&nbsp;hồ sơ:</p> <ul style="list-style-type: none"> '
        "<li>- Giai đoạn 1: thí điểm.</li> <li>Giai đoạn 2: toàn bộ.</li> </ul> **Ghi chú**<br>hết"
    )
    assert clean(raw) == (
        "Đẩy nhanh số hóa hồ sơ:\n- Giai đoạn 1: thí điểm.\n- Giai đoạn 2: toàn bộ.\nGhi chú\nhết"
    )


def test_clean_collapses_whitespace_and_drops_footnote_markers() -> None:
    assert clean("  Đề án   06/CP<sup>1</sup>.\t <i>xem</i>  ") == "Đề án 06/CP. xem"


def test_clean_keeps_comparison_signs_that_are_not_tags() -> None:
    assert clean("tỷ lệ < 50% và > 30%<br/>") == "tỷ lệ < 50% và > 30%"


def test_clean_normalises_tone_placement() -> None:
    assert clean("<b>Uỷ ban nhân dân</b>") == "Ủy ban nhân dân"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Sở Lao động, Thương binh và Xã hội", "so lao dong thuong binh va xa hoi"),
        ("Sở Lao động - Thương binh và Xã hội", "so lao dong thuong binh va xa hoi"),
        ("Đề án 06/CP", "de an 06 cp"),
        ("  ĐỒNG   Ý; (xem) ", "dong y xem"),
        ("Uỷ ban", "uy ban"),
        ("S¢ Thdng tin", "s thdng tin"),
    ],
)
def test_fold_gives_lowercase_unaccented_words(text: str, key: str) -> None:
    assert fold(text) == key


def test_fold_matches_ocr_text_without_diacritics() -> None:
    assert fold("Cong an tinh") == fold("Công an tỉnh")
    assert fold("So Thong tin va Truyen thong") == fold("Sở Thông tin và Truyền thông")


@given(st.text())
def test_unaccent_keeps_one_character_per_character(text: str) -> None:
    normal = nfc(text)
    assert len(unaccent(normal)) == len(normal)


@pytest.mark.parametrize(
    ("ocr", "fixed"),
    [
        ("S¢ Thdng tin va Truyén thdng", "Sở Thông tin va Truyền thông"),
        ("Pé an 06", "Đề án 06"),
        ("Bé an 06/CP", "Đề án 06/CP"),
        ("Thdng", "Thông"),
        ("Truyén", "Truyền"),
        ("Thuong xuyén", "Thường xuyên"),
        ("quy 1/2023", "quý I/2023"),
        ("Quy 11/2023", "Quý II/2023"),
        ("quy 111/2023", "quý III/2023"),
        ("trong quy 1v/2023", "trong quý IV/2023"),
        ("quy 11 nam 2023", "quý II nam 2023"),
    ],
)
def test_fix_ocr_repairs_known_confusions(ocr: str, fixed: str) -> None:
    assert fix_ocr(ocr) == fixed


@pytest.mark.parametrize(
    "text",
    [
        "quy định của pháp luật",
        "Quy chế làm việc",
        "thuong mai",
        "em bé an toàn",
        "trong quý 1 năm 2025",
        "quý II/2024",
        "Sở Thông tin và Truyền thông",
    ],
)
def test_fix_ocr_leaves_correct_text_alone(text: str) -> None:
    assert fix_ocr(text) == text


def test_fix_ocr_leaves_every_line_of_a_clean_seed_unchanged() -> None:
    lines = [line for line in _seed("000_29642a5544120c4a.txt").splitlines() if line.strip()]
    assert len(lines) > 100
    changed = [line for line in lines if fix_ocr(line) != nfc(line)]
    assert changed == []


@pytest.mark.parametrize(
    ("short", "long"),
    [
        ("UBND tỉnh", "Ủy ban nhân dân tỉnh"),
        ("STTTT", "Sở Thông tin và Truyền thông"),
        ("CAT phối hợp", "Công an tỉnh phối hợp"),
        ("Sở LĐTBXH", "Sở Lao động - Thương binh và Xã hội"),
        ("BHXH tỉnh", "Bảo hiểm xã hội tỉnh"),
        ("giải quyết TTHC", "giải quyết thủ tục hành chính"),
        ("53 DVC thiết yếu", "53 dịch vụ công thiết yếu"),
        ("kết nối CSDLQG về DC", "kết nối Cơ sở dữ liệu quốc gia về dân cư"),
        ("Sở KH&ĐT", "Sở Kế hoạch và Đầu tư"),
        ("Văn phòng UBND tỉnh", "Văn phòng Ủy ban nhân dân tỉnh"),
    ],
)
def test_expand_abbreviations_expands_whole_words(short: str, long: str) -> None:
    assert expand_abbreviations(short) == long


@pytest.mark.parametrize("text", ["CATS", "cat", "UBNDX", "xDVC", "Cat Bà"])
def test_expand_abbreviations_ignores_partial_words_and_other_case(text: str) -> None:
    assert expand_abbreviations(text) == text


def test_abbreviation_table_has_the_required_entries() -> None:
    for key in ("UBND", "STTTT", "CAT", "LĐTBXH", "BHXH", "TTHC", "DVC", "CSDLQG về DC"):
        assert key in ABBREVIATIONS


@given(st.text())
def test_text_functions_never_raise(text: str) -> None:
    for fn in (nfc, clean, fold, fix_ocr, expand_abbreviations):
        assert isinstance(fn(text), str)
