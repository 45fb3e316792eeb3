"""Everything the OCR-text reader knows about words, in one place: the words of unit names (from
the unit registry), of time phrases and of table headers; the character confusions of tesseract
reading Vietnamese without Vietnamese data; column widths, weights and thresholds.

Nothing here comes from one document: unit words are the registry's, time words are those of
the deadline vocabulary, and a garbled word is repaired only through character-level confusions
(ô/ơ read as 6, d, e; ư/ủ read as w, v, tr, ti; rn/m; l/I/1) into a known word.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise

from rapidfuzz import fuzz, process

from dean06.ingest.model import UnitRegistry
from dean06.ingest.text import fold

HEADER = (
    "STT",
    "Nội dung, nhiệm vụ cụ thể",
    "Đơn vị chủ trì",
    "Đơn vị phối hợp",
    "Thời gian hoàn thành",
)

# Column widths in characters of OCR text (a unit or time column of a landscape A4 table holds
# ~20-25 characters a line, the content column ~60). Fragments longer than these are cut.
UNIT_WIDTH = 25
# The unit cells' line width measured in a text (columns.unit_cell_width) that UNIT_WIDTH and
# WRAP_WIDTH were set for, and how many cells must say it.
UNIT_LINE_WIDTH = 23
UNIT_BLOCKS_MIN = 5
# The share of a block's words that are unit words for the block to read as a unit cell.
UNIT_CELL_SHARE = 0.6
# Row numbers that follow on, enough to say where a table with no header read starts.
MIN_NUMBERED_ROWS = 3
# The rows' numbers chosen over a table (numbering.py). What a number that does not follow the
# one before costs, per row it skips (OCR lost those rows' numbers, or a subgroup's heading): less
# than a row is worth, so the run goes on through a few lost numbers, and more than nothing, so it
# takes the numbers that follow one another. Scores are the same for 0.1-0.3 and 0.5-1.0.
NUMBER_SKIP_COST = 0.2
NUMBER_MAX_SKIP = 9
# Back to the first row of the subgroup ("2.1" after "2.13"): a lost group title.
NUMBER_RESTART_COST = 1.0
# A number whose line goes on as a row's first line does (a capital, a rule, or nothing: psm 3
# prints a number alone) is likelier a row's than one whose line goes on in lower case.
ROW_NUMBER_BONUS = 0.25
# In a table whose time column counts days, a number alone not after a figure alone (the row
# above's days) is likelier a row's days: less likely a row's number, as much as a line going
# on in lower case makes one (ROW_NUMBER_BONUS).
DAYS_CELL_COST = 0.25
# A number read with a dot OCR dropped ("11" as "1.1"): a misreading, less likely than the number
# as printed — taken where the printed one cannot follow ("2.1" after "2" printed "21").
NUMBER_DOT_LOST_COST = 0.3
WRAP_WIDTH = 24  # a unit cell line shorter than this, with room for the next word, did not wrap
CONTENT_WIDTH = 70

# Letters that only Vietnamese text has (not in Latin-1): OCR without Vietnamese data never
# produces them, so their near absence is the signature of this form.
# A text with more than this share of Vietnamese-only letters kept its accents (tesseract ran
# with Vietnamese data); without it, a stray "ơ" or "ư" is rare.
ACCENTED_SHARE = 0.005
VIETNAMESE_ONLY = set(
    "ăâđêôơưĂÂĐÊÔƠƯạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ"
    "ẠẢẤẦẨẪẬẮẰẲẴẶẸẺẼẾỀỂỄỆỈỊỌỎỐỒỔỖỘỚỜỞỠỢỤỦỨỪỬỮỰỲỴỶỸĩũĨŨ"
)
DOMAIN_WORDS = ("ubnd", "nhiem vu", "don vi", "thuc hien", "cong an", "tinh", "ke hoach")

STT = re.compile(
    r"^[(\[|]?\s*([0-9lILS][0-9lIOo]?(?:\s?[.,]\s?[0-9lIOo]{1,2}){0,2})[.,]?(?=\s|\||$)"
)
# A table's left rule, or a speck, printed before a row's number ("J4 Ưu tiên", "-5 Phối hợp",
# "_| 3 Có cơ chế"): not part of the number or the text.
RULE_BEFORE_NUMBER = re.compile(
    r"^(?:[|\[\](){}_\-‹›¡!'`‘’.,:;~]+|J)\s*(?=\d{1,2}(?:[.,]\d{1,2}){0,2}[.,]?(?:\s|\||$))"
)
GROUP = re.compile(r"^([A-ZĐ])\s*[.,]\s+(\S.*)$")
# "(06 nhiệm vụ)": the count a group heading declares (any letters OCR made of "nhiệm vụ").
# "(02 nhiệm vụ)", and as OCR prints it from a worn scan: "(03: nhiệm vụ}", "(O6 nhiem vu]".
DECLARED = re.compile(
    r"[(\[{]\s*([0-9O]{1,2})[\s:;.,]*(?:[a-zà-ỹ]{3,6}\s*)?v[^\s)\]}]{0,2}\s*[)\]}]", re.I
)
BULLET = re.compile(r"^(?:[e¢•*·-]|e¢|ee|s®|®|e®)\s+(?=\S)")
TRAILING = re.compile(r"[.,;:|'‘’\"“”!_]+$")
# The marks a word may end with (TRAILING without the rule).
PUNCTUATION = ".,;:'‘’\"“”!_"
NUMERIC = re.compile(r"^\d{1,4}(?:[/.-]\d{1,4}){0,2}%?$")

# --- OCR confusions (character level) --------------------------------------------------------

# Glyphs the English model prints for a Vietnamese vowel with its marks, and ASCII look-alikes:
# (what OCR printed, what it may stand for). Applied inside a word, at most CONFUSION_DEPTH of
# them at once, and kept only when the result is a known word.
CONFUSIONS: tuple[tuple[str, str], ...] = (
    # ô ơ ộ ố ở ợ read as 6, d, e (é), 0, a, g
    ("6", "o"),
    ("d", "o"),
    ("e", "o"),
    ("0", "o"),
    ("a", "o"),
    ("g", "o"),  # ợ
    # ư ủ ứ ừ read as w, v, tr, ti, t, i, l, y
    ("w", "u"),
    ("v", "u"),
    ("tr", "u"),
    ("ti", "u"),
    ("tt", "u"),
    ("t", "u"),
    ("i", "u"),
    ("l", "u"),
    ("y", "u"),
    # ASCII look-alikes
    ("rn", "m"),
    ("m", "rn"),
    ("l", "i"),
    ("i", "l"),
    ("1", "l"),
    ("1", "i"),
    ("cl", "d"),
    ("ii", "u"),
)
# Two confusions at once only in short words (the function words OCR garbles most: của, sở, có).
CONFUSION_DEPTH = 1
CONFUSION_DEPTH_SHORT = 2
SHORT_WORD = 5
# rapidfuzz ratio from which a longer garbled word (4+ letters) is read as a known word.
FUZZY_CUTOFF = 80
FUZZY_MIN_LENGTH = 4

# Digits and letters confused in codes (row numbers): l I L → 1, O o → 0, S → 5.
CODE_DIGITS = str.maketrans("lILOoS", "111005")

# A folded Vietnamese syllable: onset, one to three vowels, coda. A word of this shape that OCR
# printed is left as it is when no confusion makes it a known word.
SYLLABLE = re.compile(
    r"^(?:ngh|ng|nh|ch|gh|gi|kh|ph|th|tr|qu|[bcdghklmnprstvx])?"
    r"[aeiouy]{1,3}(?:ng|nh|ch|[cmnpt])?$"
)

# --- word lists ------------------------------------------------------------------------------

# The words of time phrases (ingest/deadlines.py and GLOSSARY.md "Time"), folded.
DEADLINE_WORDS = frozenset(
    [
        "thuc",
        "hien",
        "thuong",
        "xuyen",
        "trong",
        "nam",
        "thang",
        "quy",
        "va",
        "cac",
        "tiep",
        "theo",
        "hoan",
        "thanh",
        "duy",
        "tri",
        "lo",
        "trinh",
        "trien",
        "khai",
        "cua",
        "chinh",
        "phu",
        "bo",
        "cong",
        "an",
        "khi",
        "co",
        "yeu",
        "cau",
        "chi",
        "dao",
        "ke",
        "hoach",
        "rieng",
        "dinh",
        "ky",
        "hang",
        "truoc",
        "ngay",
        "den",
        "het",
        "dau",
        "cuoi",
        "lien",
        "tuc",
        "tu",
        "i",
        "ii",
        "iii",
        "iv",
        "tuan",
        "lan",
        "xong",
        "giai",
        "doan",
        "nay",
        "tro",
        "len",
        "dat",
    ]
)
STRONG_DEADLINE = frozenset(
    [
        "thuong",
        "xuyen",
        "nam",
        "thang",
        "quy",
        "theo",
        "khi",
        "hang",
        "dinh",
        "ky",
        "truoc",
        "trong",
        "lien",
        "tuc",
        "hoan",
    ]
)
# Words unit cells hold besides the registry's names (collective phrases, "phối hợp với", ...).
EXTRA_UNIT_WORDS = (
    "va co lien quan chu tri chi dao phoi hop voi tren dia ban tinh cac cap don vi csdl chuyen "
    "nganh mot cua bo phan doanh nghiep vien thong ubnd hdnd"
)
HEADER_WORDS = frozenset(
    [
        "stt",
        "tt",
        "noi",
        "dung",
        "nhiem",
        "vu",
        "cu",
        "the",
        "don",
        "vi",
        "chu",
        "tri",
        "phoi",
        "hop",
        "thoi",
        "gian",
        "hoan",
        "thanh",
        # "TT | Công việc | Đơn vị thực hiện | Đơn vị phối hợp | Thời gian": the other usual wording
        "cong",
        "viec",
        "thuc",
        "hien",
    ]
)
# The header cells of an assignment table, folded: psm 3 prints each on a line of its own, and a
# fragment this close to one of them (rapidfuzz ratio) is a header cell, not a unit or a task.
HEADER_CELLS = (
    "stt",
    "tt",
    "noi dung nhiem vu cu the",
    "noi dung nhiem vu",
    "nhiem vu",
    "don vi chu tri",
    "don vi phoi hop",
    "co quan chu tri",
    "co quan phoi hop",
    "thoi gian hoan thanh",
    "thoi gian thuc hien",
    "thoi han",
    "ket qua thuc hien",
    "ghi chu",
)
HEADER_CELL_RATIO = 85
# Characters: a header cell alone on its line (psm 3), not a sentence.
HEADER_CELL_WIDTH = 30
# The lines a header printed cell by cell spans (its cells, their wrapped words, blank lines).
HEADER_CELLS_SPAN = 16
# A header cell named by a column's phrase among other words has no more words than this.
HEADER_CELL_NAMED_WORDS = 4
# Of running text's width: a line this long was wrapped, and the next one goes on (narrative.py).
FULL_LINE = 0.8


@lru_cache(maxsize=1)
def column_words() -> frozenset[str]:
    """Every word of a column name the table layouts know (`layout.tables.ROLE_PATTERNS`), and
    of this reader's header words: what a header line of any layout is made of."""
    from dean06.ingest.layout.tables import ROLE_PATTERNS

    named = {w for _, patterns in ROLE_PATTERNS for p in patterns for w in p.split()}
    return frozenset(named | HEADER_WORDS)


# Words as common in running text as in unit names or time phrases: weak evidence either way.
COMMON = frozenset(
    [
        "va",
        "cac",
        "co",
        "so",
        "ban",
        "tinh",
        "cua",
        "theo",
        "trong",
        "den",
        "tu",
        "dau",
        "lan",
        "nay",
        "dat",
        "quy",
        "cap",
    ]
)
# A time phrase cut at one of these words goes on in the next line ("Khi có yêu cầu của | Bộ ...").
DEADLINE_OPEN_ENDS = frozenset(["cua", "va", "trong", "theo", "den", "khi", "tu", "truoc", "cac"])

# Words of the title lines metadata is recognised by, given back their marks in paragraphs.
PARAGRAPH_WORDS = {
    "so:": "Số:",
    "ngay": "ngày",
    "thang": "tháng",
    "nam": "năm",
    "kem": "Kèm",
    "ke": "Kế",
    "hoach": "hoạch",
    "cua": "của",
    "hang": "hằng",
    "truoc": "trước",
}

# Phrases the layout of running text is read by (layout/narrative.py: field labels, task labels,
# in-line deadlines): given back their marks when OCR lost them, so that layout can read them.
LABEL_PHRASES = (
    "Đơn vị chủ trì",
    "Cơ quan chủ trì",
    "Chủ trì",
    "Đơn vị phối hợp",
    "Cơ quan phối hợp",
    "Phối hợp",
    "Đơn vị thực hiện",
    "Cơ quan thực hiện",
    "Thời gian thực hiện",
    "Thời gian hoàn thành",
    "Thời hạn hoàn thành",
    "Thời hạn",
    "Tiến độ thực hiện",
    "Tiến độ",
    "Sản phẩm",
    "Kết quả cần đạt",
    "Nhiệm vụ",
    "hoàn thành trong",
    "hoàn thành trước",
    "thời gian",
    "phối hợp với",
    "thường xuyên",
)

# --- weights of the line cutter (lines.py) -----------------------------------------------------

UNIT_WORD = 1.0  # a unit word in the unit cut
UNIT_COMMON_WORD = 0.3  # a common word there
NOT_UNIT_WORD = -1.6
DEADLINE_WORD = 1.2  # a strong time word in the deadline cut
DEADLINE_WEAK_WORD = 0.2
NOT_DEADLINE_WORD = -0.5
UNIT_WORD_AS_DEADLINE = -1.2
NEG = -1e9
# The joint search over a row's cuts: options per line, beam, rows rescored, and how far below
# the best cut by words alone a rescored row may be.
ROW_OPTIONS = 3
ROW_BEAM = 6
ROW_FINALS = 6
ROW_MARGIN = 4.0
# Lines a table row may have (a cell of 40 lines fills a page); a longer one is not a row.
ROW_MAX_LINES = 60
UNIT_CELL_WEIGHT = 1.0
# A unit cell's mention that no registry entry matches but reads as a body's name ("Phòng
# Nghiệp vụ Y"): below a listed unit (1.0), above a fragment (-1.0).
UNLISTED_BODY_MENTION = 0.5
# Sharing a row's unit words between lead and coordinating: how many first words of a line may
# be given back to the task text, and how many readings are kept line to line.
SPLIT_DROP = 6
SPLIT_BEAM = 12
# A coordinating cell that starts below the lead's first line (cells are top-aligned).
COORD_LATE = 2.5
# A unit cell's words parted by a line break that the document's lines hold side by side
# elsewhere (more than PAIRS_SEEN times) read on; two such words on one line are not parted.
PAIR_WEIGHT = 1.0
PAIRS_SEEN = 0
# A line of the task's text that goes on below broke where the next word would not fit: what
# each character of room left beyond CONTENT_ROOM_SLACK (proportional type) costs.
CONTENT_ROOM_COST = 0.3
CONTENT_ROOM_SLACK = 4


@dataclass
class Tok:
    """An OCR word: its text, its folded keys (a word OCR glued may be two), its shape."""

    raw: str
    keys: tuple[str, ...]
    upper: bool
    period: bool
    bar: bool = False  # a "|" (a ruling line) follows this token
    # "liên" without "tục" after it is "liên quan" (a unit phrase), never part of a time phrase.
    no_deadline: bool = False
    _display: str | None = field(default=None, compare=False, repr=False)

    def printed(self) -> str | None:
        """The word as printed, its accents kept ("Phòng"), where OCR read its letters right
        (the printed word folds to its keys); None where its keys put it right."""
        core = self.raw.replace("|", "").rstrip(PUNCTUATION)
        return core if core.isalnum() and fold(core) == " ".join(self.keys) else None

    def display(self) -> str:
        """The normalised words with the word's case and trailing punctuation (cached: the
        keys are final once a line is tokenized)."""
        if self._display is None:
            trail = TRAILING.search(self.raw.replace("|", ""))
            punct = trail.group(0).strip("|'‘’\"“”!_") if trail else ""
            words = " ".join(self.keys)
            if self.raw.isupper() and len(self.raw) > 1:
                words = words.upper()
            elif self.upper:
                words = words[:1].upper() + words[1:]
            self._display = words + punct
        return self._display


@dataclass(frozen=True, eq=False)  # hashed by identity: one per registry (lru_cache)
class Vocabulary:
    """The words the reader knows, folded."""

    unit_words: frozenset[str]
    unit_starts: frozenset[str]
    words: tuple[str, ...]
    word_set: frozenset[str]


@lru_cache(maxsize=4)
def vocabulary(registry: UnitRegistry) -> Vocabulary:
    """Folded words of the registry's names and aliases, and the words deadlines are made of."""
    from dean06.ingest.units import BODY_HEADS, EXTRA_GROUP_ALIASES, GENERIC_PHRASES, match_key

    labels: list[str] = []
    for unit in registry.units:
        labels += [unit.name, *unit.aliases]
    for group in registry.groups:
        labels += [group.name, *group.aliases, *EXTRA_GROUP_ALIASES.get(group.key, ())]
    labels += list(GENERIC_PHRASES)
    unit_words: set[str] = set(EXTRA_UNIT_WORDS.split())
    starts: set[str] = {"cac"}
    # The kinds of body (a division, a centre, a hospital) that start names no registry lists.
    for head in BODY_HEADS:
        unit_words.update(head)
        starts.add(head[0])
    for label in labels:
        label_words = match_key(label).split()
        unit_words.update(label_words)
        if label_words:
            starts.add(label_words[0])
    unit_words.discard("")
    words = unit_words | DEADLINE_WORDS | HEADER_WORDS
    return Vocabulary(
        frozenset(unit_words), frozenset(starts), tuple(sorted(words)), frozenset(words)
    )


def with_unit_words(vocab: Vocabulary, words: frozenset[str]) -> Vocabulary:
    """`vocab` with more unit words (one document's own bodies); its words are repaired as
    before."""
    if not words:
        return vocab
    return dataclasses.replace(vocab, unit_words=vocab.unit_words | words)


def base_key(raw: str) -> str:
    """The folded letters and digits of an OCR word (¢ @ © are ơ/ô; 6 inside a word is ô/ơ)."""
    from dean06.ingest.text import unaccent

    text = raw.replace("¢", "o").replace("@", "o").replace("©", "o")
    key = re.sub(r"[^a-z0-9%/]", "", unaccent(text))
    return re.sub(r"(?<=[a-z])6|6(?=[a-z])", "o", key)


def _variants(key: str, depth: int) -> list[set[str]]:
    """Words `key` becomes under 1..depth confusions, by number of confusions."""
    levels: list[set[str]] = []
    frontier = {key}
    for _ in range(depth):
        found: set[str] = set()
        for word in frontier:
            for seen, meant in CONFUSIONS:
                start = word.find(seen)
                while start >= 0:
                    found.add(word[:start] + meant + word[start + len(seen) :])
                    start = word.find(seen, start + 1)
        found.discard(key)
        levels.append(found)
        frontier = found
    return levels


def _known(key: str, words: frozenset[str]) -> str | None:
    """`key` itself or, through the fewest confusions, a known word (ties: alphabetical)."""
    if key in words:
        return key
    depth = CONFUSION_DEPTH_SHORT if len(key) <= SHORT_WORD else CONFUSION_DEPTH
    for level in _variants(key, depth):
        hits = sorted(level & words)
        if hits:
            return hits[0]
    return None


@lru_cache(maxsize=32768)
def normal(key: str, vocab: Vocabulary) -> tuple[str, ...]:
    """The known word(s) an OCR word's folded key stands for, or the key itself."""
    if not key:
        return ()
    if NUMERIC.match(key):
        return (key,)
    words = vocab.word_set
    known = _known(key, words)
    if known is not None:
        return (known,)
    if SYLLABLE.match(key):
        return (key,)  # a Vietnamese word outside the vocabulary, read right
    if len(key) >= 4:
        # Two words OCR glued together ("vicd": "vị có").
        for cut in range(2, len(key) - 1):
            head, tail = key[:cut], _known(key[cut:], words)
            if head in words and tail is not None:
                return (head, tail)
    if len(key) >= FUZZY_MIN_LENGTH:
        hit = process.extractOne(key, vocab.words, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
        if hit is not None:
            return (str(hit[0]),)
    return (key,)


def _capital_t(core: str, key: str, vocab: Vocabulary) -> str:
    """A capital T that OCR read as I ("Phòng Iổ chức" for "Tổ chức"; a serif T's bar is a
    speck's width at 200 dpi): a capitalised word whose key no word is, and is one with a t."""
    if core[:1] == "I" and core[1:2].islower() and key not in vocab.word_set:
        changed = "t" + key[1:]
        if changed in vocab.word_set:
            return changed
    return key


def _printed_right(core: str, key: str) -> bool:
    """A word OCR'd with Vietnamese data and read right: a letter only that data prints (đ, or
    a breve or horn: ă, ơ, ư) in a word of a syllable's shape ("Đăng", not put right to the
    known "dong"). Misreads of such data drop or change a mark ("Iổ" for "Tổ"), not add one."""
    marked = unicodedata.normalize("NFD", core)
    return (
        ("đ" in core.lower() or "\u0306" in marked or "\u031b" in marked)
        and core.isalpha()
        and bool(SYLLABLE.match(key))
    )


# Dashes that join the words of a unit's name ("Phòng Kế hoạch - Tài chính").
NAME_DASHES = ("-", "–")

# Tokens without a letter or digit that are words of a cell's text: a bullet, a dash, a sign.
PUNCTUATION_WORDS = frozenset({"-", "–", "—", "+", "•", "*", "&", "/", "%", "=", ">", "<"})


def tokenize(line: str, vocab: Vocabulary) -> list[Tok]:
    """The words of an OCR line with their normalised folded keys; "|" marks column rules."""
    out: list[Tok] = []
    for piece in line.split():
        if set(piece) <= set("|‘'_"):
            if out and "|" in piece:
                out[-1].bar = True
            continue
        bar = piece.endswith("|") or piece.endswith("|'")
        core = piece.strip("|‘'_")
        if not core:
            continue
        if not any(c.isalnum() for c in core) and core not in PUNCTUATION_WORDS:
            # A speck, or a rule's fragment ("‡", "¡", ":", "—+—.~—"): no word of any cell.
            if out and "|" in piece:
                out[-1].bar = True
            continue
        key = _capital_t(core, base_key(core.rstrip(".,;:")), vocab)
        keys = (key,) if _printed_right(core, key) else normal(key, vocab)
        out.append(
            Tok(
                raw=core,
                keys=keys,
                upper=core[:1].isupper(),
                period=core.endswith(".") and not NUMERIC.match(core.rstrip(".")),
                bar=bar,
            )
        )
    for a, b in pairwise(out):
        # "thong xuyen" is "thường xuyên" read without its marks; "quy định" is no quarter.
        if b.keys[:1] == ("xuyen",) and re.fullmatch(r"th[a-z]{0,3}ng", "".join(a.keys)):
            a.keys = ("thuong",)
        if a.keys == ("lien",) and b.keys[:1] != ("tuc",):
            a.no_deadline = True
        if a.keys == ("quy",) and b.keys[:1] == ("dinh",):
            a.keys = ("quy_",)
    # "Công an" is in a time phrase only as "(chỉ đạo của) Bộ Công an"; elsewhere it is a unit.
    # (At the line's start the word before is unknown: left as it is.)
    for k in range(1, len(out) - 1):
        if out[k].keys == ("cong",) and out[k + 1].keys == ("an",) and out[k - 1].keys != ("bo",):
            out[k].no_deadline = out[k + 1].no_deadline = True
    return out


# --- cell blocks (blocks.py) -------------------------------------------------------------------

# A block of cell text whose longest line is wider than this is the task text (the unit and time
# columns of a landscape table hold ~20-30 characters a line).
BLOCK_CONTENT_WIDTH = 38
# A block that starts in lower case after a unit or time cell and is no wider than this is
# the rest of that cell (OCR cut the cell's lines into two blocks).
BLOCK_CELL_WIDTH = 30
# Share of a narrow block's words that must be unit words for it to be a unit cell.
BLOCK_UNIT_SHARE = 0.6

# --- pages read column by column (columnwise.py) --------------------------------------------

# Of the width of a unit cell's lines (columns.unit_cell_width): a block no wider than this
# many times it is a narrow column's cell (units, time), one wider is task text.
NARROW_SHARE = 1.6
# A page is read column by column when at least this share of its neighbouring narrow cells
# are of the same column (row by row, a row's units are followed by its deadline)...
SAME_COLUMN_SHARE = 0.75
# ... and most of its task texts follow one another (read row by row, each text is followed by
# its row's cells).
TEXTS_IN_A_ROW_SHARE = 0.5
# ... counted over at least this many neighbouring pairs.
PAIRS_MIN = 3
# A page was read row by row when this many of its lines hold a row's number and more words
# (psm 3 printed the row across the page).
ROW_LINES_MIN = 2
# The words of a header cell: a block naming a column (or two) in at most this many words...
HEADER_CELL_WORDS = 10
# ... at least this share of them words of column names ("Theo tiến độ của Bộ" is a time cell)...
HEADER_CELL_NAMED = 0.75
# ... and a phrase naming a column among them, as like it as this (rapidfuzz ratio: "chi tri"
# for "chủ trì", one letter off in seven, is 86).
HEADER_KEY_SIMILARITY = 85
# Words of a column's name that unit cells also hold ("Các cơ quan, đơn vị có liên quan"):
# no header cell is told by them.
BODY_WORDS = ("don vi", "co quan")
# Printed before a block's first word by a worn scan (specks, a quote mark): not its start.
SPECKS = " '\"‘’“”_.,`~|:;"
# A block of no more letters or digits than this that is no row number is specks ("Zt", "_"):
# no cell.
NOISE_LETTERS = 2
# A cell of a time column that counts days ("Số ngày thực hiện"), folded: a figure, perhaps
# "ngày" after; and the share of a column's cells that are such figures for the column to count
# days where no header says so (blocks.days_column).
DAYS_CELL = re.compile(r"^\d{1,3}(?:\s*ngay(?:\s*lam\s*viec)?)?\W*$")
DAYS_SHARE = 0.8
# A line that ends a sentence (a text that goes on below does not).
SENTENCE_END = re.compile(r"[.;:!?]\W*$")
# A task text's line longer than the page's usual one by more than this (characters) may hold
# a unit cell printed beside it (columnwise.side_cells); the text part is that long, give or
# take as much. Only pages with this many text lines say what is usual.
SIDE_SLACK = 6
SIDE_LINES_MIN = 12
# The same for one row's text, read row by row in blocks (lines.Builder).
SIDE_ROW_LINES_MIN = 5
# The lines of a text that may hold the lead cell beside them (a unit's name wraps over few).
SIDE_LINES_MAX = 4
