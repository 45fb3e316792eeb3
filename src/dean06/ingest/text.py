"""Vietnamese text normalisation for the ingest library: NFC and tone placement, HTML clean-up,
folded matching keys, OCR repairs and abbreviation expansion.
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

__all__ = [
    "ABBREVIATIONS",
    "OCR_WORDS",
    "ROMAN_NUMERALS",
    "clean",
    "expand_abbreviations",
    "fix_ocr",
    "fold",
    "nfc",
    "unaccent",
]

# Section numbers of administrative documents (Phụ lục I–V, "II. NHIỆM VỤ", group rows).
ROMAN_NUMERALS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")

# --- NFC and tone placement ---------------------------------------------------------------------

# The five Vietnamese tone marks as combining characters (grave, acute, hook, tilde, dot below).
_TONE_MARKS = "\u0300\u0301\u0309\u0303\u0323"

# Old placement puts the tone on the second vowel of an open "oa", "oe", "uy" syllable (hoà, khoẻ,
# thuỷ); we move it to the first one (hòa, khỏe, thủy) so both spellings compare equal. Only at the
# end of a syllable: in "hoàng", "toán", "huỳnh" the tone is on that vowel in both styles. "qu" is a
# consonant, so "quý" must stay as it is.
_OLD_TONE = re.compile(
    rf"(?<![qQ])([oO])([aAeE])([{_TONE_MARKS}])(?![^\W\d_]|[\u0300-\u036f])"
    rf"|(?<![qQ])([uU])([yY])([{_TONE_MARKS}])(?![^\W\d_]|[\u0300-\u036f])"
)


def _move_tone(match: re.Match[str]) -> str:
    if match.group(1) is not None:
        return match.group(1) + match.group(3) + match.group(2)
    return match.group(4) + match.group(6) + match.group(5)


def nfc(s: str) -> str:
    """Unicode NFC with the tone of open "oa/oe/uy" syllables on the first vowel (hoà → hòa)."""
    decomposed = unicodedata.normalize("NFD", s)
    return unicodedata.normalize("NFC", _OLD_TONE.sub(_move_tone, decomposed))


# --- HTML and markdown clean-up -----------------------------------------------------------------

# Footnote markers (<sup>1</sup>) would glue a digit onto the word before them.
_SUP = re.compile(r"<sup\b[^>]*>.*?</sup>", re.IGNORECASE | re.DOTALL)
_LI = re.compile(r"<li\b[^>]*>", re.IGNORECASE)
_BLOCK = re.compile(r"<\s*(?:br|/p|p|/li|/?ul|/?ol|/?div|/?tr|/h\d|h\d)\b[^>]*>", re.IGNORECASE)
# Only things that look like tags: "tỷ lệ < 50% và > 30%" is text.
_TAG = re.compile(r"</?[A-Za-z][^<>]*>|<!--.*?-->", re.DOTALL)
_BULLET_START = re.compile(r"^[-–•*+]\s*")


# A capital letter alone glued to a lower-case word before it: a space OCR lost before a name's
# last letter ("Phòng Nghiệp vụY"); no Vietnamese word ends in a capital.
_GLUED_INITIAL = re.compile(r"\b(\w*[a-zà-ỹđ])([A-ZĐ])\b")


def glued_initial_apart(text: str) -> str:
    """A name's last letter that OCR glued to the word before set apart ("vụY" → "vụ Y")."""
    return _GLUED_INITIAL.sub(r"\1 \2", text)


def clean(s: str) -> str:
    """NFC text without HTML tags, entities or markdown bold; list items become "- " lines.

    Runs of spaces collapse to one; line breaks that the markup implies (<p>, <br>, <li>) are kept
    as single newlines, empty lines dropped.
    """
    text = nfc(s)
    text = _SUP.sub("", text)
    # A marker that no text can contain, so that "<li>- item" and "<li>item" both end as "- item".
    text = _LI.sub("\n\x00", text)
    text = _BLOCK.sub("\n", text)
    text = _TAG.sub("", text)
    text = html.unescape(text)
    text = text.replace("**", "").replace("\\*", "*")
    lines: list[str] = []
    for line in text.splitlines():
        bullet = "\x00" in line
        line = " ".join(line.replace("\x00", " ").split())
        if bullet and line:
            line = "- " + _BULLET_START.sub("", line)
        if line:
            lines.append(line)
    return nfc("\n".join(lines))


# --- folding ------------------------------------------------------------------------------------

_NON_WORD = re.compile(r"[\W_]+")


# A document symbol cut by a line wrap after its slash or a hyphen ("18/KH- UBND", "3240/ UBND",
# "52/2015/NĐ- CP").
_CUT_SYMBOL = re.compile(r"(?<![\w/])(\d+/(?:\d{4}/)?(?:[A-ZĐ0-9&.]+-)*)\s+(?=[A-ZĐ][\w&.-]*)")


def rejoin_symbols(text: str) -> str:
    """Document symbols broken by a line wrap put back together ("18/KH- UBND" → "18/KH-UBND")."""
    return _CUT_SYMBOL.sub(r"\1", text)


@lru_cache(maxsize=4096)
def _base_char(c: str) -> str:
    if c in "đĐ":
        return "d"
    lower = c.lower()[:1] or c
    return unicodedata.normalize("NFD", lower)[:1]


def unaccent(s: str) -> str:
    """Lowercase, diacritics removed (đ → d), ONE character for each character of `s`.

    Positions in the result are positions in `s`, so a regex run on the unaccented text can slice
    the original. Give it NFC text (Vietnamese letters are then single code points).
    """
    return "".join(_base_char(c) for c in s)


def fold(s: str) -> str:
    """Matching key: NFC, lowercase, no diacritics, punctuation as single spaces."""
    return " ".join(_NON_WORD.sub(" ", unaccent(nfc(s))).split())


# --- OCR repairs --------------------------------------------------------------------------------

# Whole words that tesseract produces from Vietnamese when run without Vietnamese data. None of
# them is a Vietnamese word, so replacing them cannot damage correct text. Keys are lowercase;
# the case of the first letter is kept.
OCR_WORDS: dict[str, str] = {
    "s¢": "sở",
    "thdng": "thông",
    "cdng": "công",
    "ndi": "nội",
    "truyén": "truyền",
    "xuyén": "xuyên",
    "nguyén": "nguyên",
    "thuong": "thường",
}

# "thuong" is a correct (unaccented) spelling of several words; only repair it before "xuyén/xuyên".
_CONTEXT_ONLY = {"thuong": re.compile(r"\s+xuy[eéê]n", re.IGNORECASE)}

_OCR_WORD = re.compile(r"(?<![\w¢])(?:[^\W\d_]*¢[^\W\d_]*|[^\W_]+)")

# Đề án printed as Pé an / Bé an / Dé an (only before a number: "bé" is a word).
_DE_AN = re.compile(r"(?<!\w)[PBD][éèe]\s+[aá]n(?=\s+\d)")
_DE_AN_ALWAYS = re.compile(r"(?<!\w)P[éè]\s+[aá]n(?!\w)")

# Quarter numerals: OCR prints I as 1 or l, II as 11, III as 111. Only in the unaccented "quy"
# (the OCR signature) before a year or the end of a phrase; "quý 1 năm 2025" written by people
# is left alone, and "quy định" never matches.
_OCR_QUARTER = re.compile(
    r"(?<!\w)([Qq])uy\s+(111|lll|11|ll|1v|lv|iv|IV|1|l)(?=\s*(?:/|-|\s+n[aă]m\b|$|[.,;)]))"
)
_QUARTER_ROMAN = {
    "111": "III",
    "lll": "III",
    "11": "II",
    "ll": "II",
    "1v": "IV",
    "lv": "IV",
    "iv": "IV",
    "IV": "IV",
    "1": "I",
    "l": "I",
}


def _keep_case(original: str, replacement: str) -> str:
    if original[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement


def fix_ocr(s: str) -> str:
    """Repair the usual confusions of Vietnamese OCR'd without Vietnamese data (S¢ → Sở, ...)."""
    text = nfc(s)
    if not text:
        return text

    def word(match: re.Match[str]) -> str:
        token = match.group(0)
        repl = OCR_WORDS.get(token.lower())
        if repl is None:
            return token
        guard = _CONTEXT_ONLY.get(token.lower())
        if guard is not None and not guard.match(text, match.end()):
            return token
        return _keep_case(token, repl)

    text = _OCR_WORD.sub(word, text)
    text = text.replace("¢", "ở")
    text = _DE_AN.sub("Đề án", text)
    text = _DE_AN_ALWAYS.sub("Đề án", text)
    text = _OCR_QUARTER.sub(
        lambda m: ("Q" if m.group(1) == "Q" else "q") + "uý " + _QUARTER_ROMAN[m.group(2)], text
    )
    return nfc(text)


# --- abbreviations ------------------------------------------------------------------------------

# Case-sensitive: "CAT" is Công an tỉnh, "cat" is not. Longer keys are tried first.
ABBREVIATIONS: dict[str, str] = {
    "CSDLQG về DC": "Cơ sở dữ liệu quốc gia về dân cư",
    "CSDLQG về dân cư": "Cơ sở dữ liệu quốc gia về dân cư",
    "CSDLQG": "Cơ sở dữ liệu quốc gia",
    "CSDL": "cơ sở dữ liệu",
    "UBND": "Ủy ban nhân dân",
    "HĐND": "Hội đồng nhân dân",
    "UBMTTQ": "Ủy ban Mặt trận Tổ quốc",
    "STTTT": "Sở Thông tin và Truyền thông",
    "TT&TT": "Thông tin và Truyền thông",
    "TTTT": "Thông tin và Truyền thông",
    "CAT": "Công an tỉnh",
    "BCA": "Bộ Công an",
    "LĐTBXH": "Lao động - Thương binh và Xã hội",
    "LĐ-TB&XH": "Lao động - Thương binh và Xã hội",
    "LĐTB&XH": "Lao động - Thương binh và Xã hội",
    "BHXH": "Bảo hiểm xã hội",
    "BHYT": "Bảo hiểm y tế",
    "TTHC": "thủ tục hành chính",
    "DVC": "dịch vụ công",
    "DVCTT": "dịch vụ công trực tuyến",
    "CCCD": "Căn cước công dân",
    "ĐDĐT": "định danh điện tử",
    "DLDC": "dữ liệu dân cư",
    "KH&ĐT": "Kế hoạch và Đầu tư",
    "KHĐT": "Kế hoạch và Đầu tư",
    "TN&MT": "Tài nguyên và Môi trường",
    "TNMT": "Tài nguyên và Môi trường",
    "GD&ĐT": "Giáo dục và Đào tạo",
    "GDĐT": "Giáo dục và Đào tạo",
    "KH&CN": "Khoa học và Công nghệ",
    "KHCN": "Khoa học và Công nghệ",
    "NN&PTNT": "Nông nghiệp và Phát triển nông thôn",
    "NNPTNT": "Nông nghiệp và Phát triển nông thôn",
    "PTNT": "Phát triển nông thôn",
    "VHTTDL": "Văn hóa, Thể thao và Du lịch",
    "VH-TT&DL": "Văn hóa, Thể thao và Du lịch",
    "GTVT": "Giao thông vận tải",
    "PT&TH": "Phát thanh và Truyền hình",
    "PTTH": "Phát thanh và Truyền hình",
    "KCN": "khu công nghiệp",
    "CNTT": "công nghệ thông tin",
    "DTTS": "dân tộc thiểu số",
    "VP": "Văn phòng",
    "VPUBND": "Văn phòng Ủy ban nhân dân",
    "TAND": "Tòa án nhân dân",
    "VKSND": "Viện kiểm sát nhân dân",
    "NHNN": "Ngân hàng Nhà nước",
    "PCT": "Phó Chủ tịch",
}


def _without_marks(s: str) -> str:
    """The text as OCR without Vietnamese data prints it: Đ as D, no tone or vowel marks."""
    decomposed = unicodedata.normalize("NFD", s.replace("Đ", "D").replace("đ", "d"))
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c))
    )


@lru_cache(maxsize=1)
def _abbreviation_forms() -> dict[str, str]:
    """Every abbreviation as written and as printed without its marks ("KH&ĐT", "KH&DT")."""
    forms = dict(ABBREVIATIONS)
    for key, long in ABBREVIATIONS.items():
        forms.setdefault(_without_marks(key), long)
    return forms


@lru_cache(maxsize=1)
def _abbreviation_pattern() -> re.Pattern[str]:
    keys = sorted(_abbreviation_forms(), key=len, reverse=True)
    return re.compile(r"(?<![\w&])(" + "|".join(re.escape(k) for k in keys) + r")(?![\w&])")


def expand_abbreviations(s: str) -> str:
    """Replace the abbreviations of ABBREVIATIONS (whole words, case-sensitive) by long forms,
    also when OCR without Vietnamese data lost their marks ("Sở KH&DT")."""
    forms = _abbreviation_forms()
    return _abbreviation_pattern().sub(lambda m: forms[m.group(1)], nfc(s))
