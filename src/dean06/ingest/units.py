"""Resolving unit mentions ("Sở TT&TT", "Các sở, ban, ngành", "Cong an tinh") against the registry,
and splitting a "who" cell into mentions without breaking names that contain commas or "và".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

import numpy as np
from rapidfuzz import fuzz, process

from dean06.ingest.model import RegistryUnit, UnitRef, UnitRegistry
from dean06.ingest.text import (
    clean,
    expand_abbreviations,
    fix_ocr,
    fold,
    glued_initial_apart,
    nfc,
    unaccent,
)

__all__ = [
    "BODY_HEADS",
    "GENERIC_PHRASES",
    "UnitResolver",
    "body_shaped",
    "default_resolver",
    "expand_collective",
    "is_contact",
    "is_person",
    "match_key",
    "split_units",
]

# A person, not a body: "Đ/c Hùng", "đồng chí Hà", "Ông Nguyễn Văn A", "Các đ/c trong phòng".
# ("Bà Rịa" is a place.)
_PERSON = re.compile(
    r"^(?:các\s+|\d{1,2}\s+)?(?:[đd]\s*/\s*c|đ\.c|đc|đồng chí|ông\s*/\s*bà|ông|bà|anh|chị)"
    r"(?:\s+|\.\s*)(?!rịa\b)[^\W\d_]"
)
_PHONE = re.compile(r"(?<![\d/.,])(?:\+?84|0)\d{2,3}(?:[\s.-]?\d){6,7}(?![\d/])")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


# The words a body's name begins with (folded): the kind of body — a department's division,
# office, inspectorate, sub-department, centre, hospital, school, company... Registries list a
# province's departments and districts, never every division or centre under them; a cell naming
# one is still a unit cell.
BODY_HEADS: tuple[tuple[str, ...], ...] = tuple(
    tuple(head.split())
    for head in (
        "phong",
        "van phong",
        "thanh tra",
        "trung tam",
        "benh vien",
        "chi cuc",
        "cuc",
        "vien",
        "truong",
        "ban",
        "hoi",
        "cong ty",
        "tong cong ty",
        "tap doan",
        "ngan hang",
        "kho bac",
        "so",
        "bo",
        "doi",
        "hoc vien",
        "buu dien",
        "uy ban",
        "ubnd",
    )
)
_BODY_NAME_WORDS = 7
# Heads of the bodies a registry does list one by one (departments, ministries, district and
# commune committees, boards): such a name that matches no entry is a fragment or a misreading.
_LISTED_HEADS = frozenset({("so",), ("bo",), ("ubnd",), ("uy", "ban"), ("ban",)})


def body_shaped(text: str) -> bool:
    """Whether `text` reads as the name of a body of the kind registries leave out: a
    capitalised head ("Phòng", "Trung tâm", "Bệnh viện"; not "Sở", "UBND") and a capitalised
    name after it, a few words in all ("Phòng Nghiệp vụ Y", "Trung tâm Kiểm soát bệnh tật"), no
    sentence."""
    words = text.split()
    folded = fold(text).split()
    if len(words) != len(folded) or not words or not words[0][:1].isupper():
        return False
    for head in BODY_HEADS:
        size = len(head)
        if head in _LISTED_HEADS:
            continue
        if tuple(folded[:size]) == head and 1 <= len(words) - size <= _BODY_NAME_WORDS:
            name = words[size]
            return name[:1].isupper() and not text.rstrip().endswith(".")
    return False


def is_person(text: str) -> bool:
    """A mention naming a person ("Đ/c Hùng", "Ông Trần B") rather than a unit."""
    return bool(_PERSON.match(nfc(text).lower().strip(" -–•*+")))


def is_contact(text: str) -> bool:
    """A cell holding contact details: a phone number or an e-mail address."""
    return bool(_PHONE.search(text) or _EMAIL.search(text))


# Name fragments that contain a separator and must never be split, whatever the registry holds:
# they also protect names of bodies that are not in it ("Bộ Lao động, Thương binh và Xã hội",
# "Sở Văn hóa, Thể thao và Du lịch tỉnh Lào Cai").
GENERIC_PHRASES: tuple[str, ...] = (
    "Lao động, Thương binh và Xã hội",
    "Lao động - Thương binh và Xã hội",
    "Văn hóa, Thể thao và Du lịch",
    "Văn hóa - Thể thao và Du lịch",
    "Thông tin và Truyền thông",
    "Kế hoạch và Đầu tư",
    "Tài nguyên và Môi trường",
    "Giáo dục và Đào tạo",
    "Khoa học và Công nghệ",
    "Nông nghiệp và Phát triển nông thôn",
    "Phát thanh và Truyền hình",
    "Khoa học, Công nghệ và Môi trường",
    "Giao thông vận tải",
    "Xây dựng và Phát triển",
    "các sở, ban, ngành",
    "sở, ban, ngành",
    "các sở, ngành",
    "sở, ngành",
    "ban, ngành",
    "các cơ quan, đơn vị",
    "cơ quan, đơn vị",
    "cơ quan, đơn vị, địa phương",
    "cơ quan, tổ chức",
    "tổ chức, cá nhân",
    "huyện, thành phố, thị xã",
    "huyện, thành phố",
    "xã, phường, thị trấn",
    # Since the two-level local government of 2025 the commune level is "xã, phường, đặc khu".
    "xã, phường, đặc khu",
    "phường, xã",
    "thôn, tổ dân phố",
    "đoàn thể",
    "Bộ, ngành",
    "các Bộ, ngành",
    "Bộ, ngành Trung ương",
    "chính trị - xã hội",
    "Mặt trận Tổ quốc",
)

# Collective phrases that plans use and the reference CSV may not list; used only when the
# registry has the group key.
EXTRA_GROUP_ALIASES: dict[str, tuple[str, ...]] = {
    "SO_BAN_NGANH": (
        "các sở",
        "các sở ngành",
        "các sở, ngành tỉnh",
        "các sở, ban, ngành tỉnh",
        "sở, ban, ngành",
        "sở, ngành",
        "các cơ quan chuyên môn",
        "các ngành",
    ),
    "UBND_HUYEN": (
        "cấp huyện",
        "các huyện, thành phố, thị xã",
        "các huyện, thành phố",
        "UBND các huyện",
        "Ủy ban nhân dân các huyện",
        "địa phương",
        "Ủy ban nhân dân huyện, thành phố, thị xã",
        "UBND huyện, thành phố, thị xã",
    ),
    "UBND_XA": (
        "cấp xã",
        "các xã, phường, thị trấn",
        "UBND xã, phường, thị trấn",
        "UBND các xã, phường, đặc khu",
        "UBND xã, phường, đặc khu",
        "các xã, phường, đặc khu",
        "UBND các phường, xã",
        "UBND phường, xã",
    ),
    "LIEN_QUAN": (
        "các cơ quan, đơn vị",
        "cơ quan, đơn vị có liên quan",
        "các đơn vị",
        "các cơ quan có liên quan",
        "các cơ quan liên quan",
        "các cơ quan, đơn vị, địa phương liên quan",
    ),
    "CAP_THON": ("thôn", "cấp thôn"),
    "DN_VIEN_THONG": ("các doanh nghiệp viễn thông", "doanh nghiệp viễn thông trên địa bàn"),
}

# First words that name the kind of body. Two mentions whose first words are both here and differ
# are different bodies however close the rest is ("Bộ Tư pháp" is not "Sở Tư pháp").
_HEAD_WORDS = frozenset(
    {
        "so",
        "bo",
        "cuc",
        "phong",
        "trung",
        "tong",
        "ban",
        "vien",
        "toa",
        "kho",
        "hoi",
        "van",
        "cong",
        "dai",
        "bao",
        "lien",
        "uy",
        "chi",
        "doanh",
        "ngan",
    }
)

# Words that wrap a mention without naming anyone: trailing qualifiers and roles, leading verbs.
_TRAILING_NOISE = (
    "trien khai thuc hien",
    "to chuc thuc hien",
    "thuc hien",
    "co lien quan",
    "lien quan",
    "tren dia ban tinh",
    "tren dia ban",
    "chu tri",
    "phoi hop",
    "cac cap",
)
_LEADING_NOISE = (
    "giao",
    "chi dao",
    "de nghi",
    "do",
    "voi",
    "va",
    "cung",
    # A body named by its head, as assignment cells often do ("Lãnh đạo Sở Tư pháp", "Giám đốc
    # Công an tỉnh", "Chánh Văn phòng UBND tỉnh", "Đ/c Chủ tịch UBND huyện"): the body is the
    # unit. Bare "trưởng" is not here: "Trường Chính trị tỉnh" folds to the same letters.
    "dong chi",
    "d c",
    "lanh dao",
    "thu truong",
    "pho giam doc",
    "giam doc",
    "pho chu tich",
    "chu tich",
    "pho chanh",
    "chanh",
)

_PLACE_PREFIX = re.compile(r"(?<!\w)(tinh|thanh pho|tp|thi xa|huyen|quan)\s+(?=\S)")
# The same words as text with its diacritics writes them: there "quan" is "cơ quan", not "quận".
_PLACE_PREFIX_WORDS = frozenset({"tỉnh", "thành phố", "tp", "thị xã", "huyện", "quận"})
# Words after "tỉnh" that are not a place: Tỉnh đoàn, Tỉnh ủy.
_NOT_PLACE = frozenset({"doan", "uy", "ban", "nhan", "dan"})


# Letters only Vietnamese writes (OCR run without Vietnamese data prints "é", "á", never these).
_VIETNAMESE_ONLY = frozenset("ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ")

# Words that start a body or a group of bodies after "và" (besides _HEAD_WORDS).
_AND_HEADS = _HEAD_WORDS | frozenset(
    {
        "cac",
        "ubnd",
        "ub",
        "don",
        "co",
        "dia",
        "to",
        "truong",
        "benh",
        "bao",
        "thanh",
        "tinh",
        "huyen",
        "xa",
        "phuong",
        "doan",
        "mat",
        "canh",
        "quan",
        "bch",
        "hdnd",
        "nhung",
        "moi",
        "toan",
        "nguoi",
        "dn",
        "vien",
        "buu",
        "dien",
        "tap",
        "cuc",
        "chi",
        "hai",
        "kiem",
        "vnpt",
        "viettel",
        "mobifone",
        "ca",
        "stttt",
        "vp",
        "s",
    }
)


# Words after "và" that read as a body's head but go on with the same name: "Phòng Khảo thí và
# Quản lý chất lượng" (managing, not a district), "Phòng Khoa học và Công nghệ" (not "Công an").
_NAME_GOES_ON = frozenset({("quan", "ly"), ("cong", "nghe"), ("xa", "hoi")})


@lru_cache(maxsize=16384)
def match_key(text: str) -> str:
    """The key mentions and registry names are compared on: OCR fixed, abbreviations expanded,
    parenthesised remarks dropped, folded."""
    fixed = fix_ocr(clean(text))
    fixed = re.sub(r"\([^()]*\)", " ", fixed)
    return fold(expand_abbreviations(fixed))


_LEVEL_BITS = {"province": 1, "district": 2, "commune": 4}


def _level_bits(levels: frozenset[str]) -> int:
    return sum(_LEVEL_BITS[level] for level in levels)


def _levels(key: str) -> frozenset[str]:
    """Administrative levels a folded name speaks of (province, district, commune)."""
    words = key.split()
    found: set[str] = set()
    for i, w in enumerate(words):
        prev = words[i - 1] if i else ""
        nxt = words[i + 1] if i + 1 < len(words) else ""
        if w == "tinh" and prev not in {"ban", "uy"}:
            found.add("province")
        elif w == "huyen" or (w == "xa" and prev == "thi") or (w == "pho" and prev == "thanh"):
            found.add("district")
        elif (w == "xa" and nxt != "hoi") or w == "phuong" or (w == "tran" and prev == "thi"):
            found.add("commune")
    return frozenset(found)


@dataclass(frozen=True)
class _Target:
    """What a registry name points to: a unit or a group."""

    unit_key: str | None
    collective: str | None
    name: str


def _strip_words(key: str, words: tuple[str, ...], *, leading: bool) -> str:
    changed = True
    while changed and key:
        changed = False
        for w in words:
            if leading and key.startswith(w + " "):
                key, changed = key[len(w) + 1 :], True
            elif not leading and key.endswith(" " + w):
                key, changed = key[: -len(w) - 1], True
            elif key == w:
                key, changed = "", True
    return key


class UnitResolver:
    """Resolves mentions against a registry: exact on folded names, then fuzzy with guards.

    Confidence: 1.0 exact; 0.97 exact once noise words ("có liên quan", "chủ trì", the local
    province) are stripped; score/100 for fuzzy. Below `threshold` the mention stays unresolved
    (a new unit for the reviewer) with its confidence.
    """

    def __init__(self, registry: UnitRegistry, threshold: float = 85.0) -> None:
        self.registry = registry
        self.threshold = threshold
        self._exact: dict[str, _Target] = {}
        # Local place names (folded): the province and its districts. A mention qualified by
        # another place ("Sở Nội vụ tỉnh Lào Cai") is not a local unit.
        self._local_places: set[str] = set()
        self._phrases: dict[tuple[str, ...], bool] = {}
        # Phrases written with a comma inside ("Các sở, ban, ngành"): only these may run across
        # a comma of a "who" cell; "Ban Dân tộc, Tỉnh Đoàn" is two bodies, not "Ban Dân tộc tỉnh".
        self._comma_phrases: set[tuple[str, ...]] = set()
        for unit in registry.units:
            target = _Target(unit.key, None, unit.name)
            for label in (unit.name, *unit.aliases):
                self._add(label, target, full=True)
                self._local_places.update(self._places(match_key(label)))
            if unit.kind == "people_committee" and unit.level == "district":
                self._local_places.update(match_key(a) for a in unit.aliases)
        for group in registry.groups:
            target = _Target(None, group.key, group.name)
            labels = (group.name, *group.aliases, *EXTRA_GROUP_ALIASES.get(group.key, ()))
            for label in labels:
                self._add(label, target, full=True)
                key = match_key(label)
                if key.startswith("cac "):
                    self._add_key(key[4:], target)
        self._local_places.discard("")
        for phrase in GENERIC_PHRASES:
            words = tuple(match_key(phrase).split())
            if words and words not in self._phrases:
                self._phrases[words] = False
            if "," in phrase:
                self._comma_phrases.add(words)
        self._max_phrase = max((len(p) for p in self._phrases), default=0)
        # Every proper prefix of a phrase: the phrase search walks forward only while the words
        # read so far can still become a phrase.
        self._phrase_prefixes = {p[:n] for p in self._phrases for n in range(1, len(p))}
        self._phrase_firsts = {p[0] for p in self._phrases}
        self._candidates = list(self._exact.items())
        # Head word and levels of each candidate, computed once (fuzzy matching is the hot loop).
        self._candidate_info = [
            (cand, target, cand.split()[0], _levels(cand)) for cand, target in self._candidates
        ]
        # The same as arrays, for _fuzzy to filter and score every candidate at once.
        self._head_ids: dict[str, int] = {}
        for _cand, _target, chead, _clevels in self._candidate_info:
            self._head_ids.setdefault(chead, len(self._head_ids))
        self._cand_keys = [cand for cand, _t, _h, _l in self._candidate_info]
        self._cand_len = np.array([len(c) for c in self._cand_keys], dtype=np.int64)
        self._cand_head = np.array(
            [self._head_ids[h] for _c, _t, h, _l in self._candidate_info], dtype=np.int64
        )
        self._cand_kind_head = np.array(
            [h in _HEAD_WORDS for _c, _t, h, _l in self._candidate_info], dtype=bool
        )
        self._cand_levels = np.array(
            [_level_bits(lv) for _c, _t, _h, lv in self._candidate_info], dtype=np.int64
        )

    # -- index --------------------------------------------------------------------------------

    def _add(self, label: str, target: _Target, *, full: bool) -> None:
        key = match_key(label)
        self._add_key(key, target)
        if key:
            self._phrases[tuple(key.split())] = full
            if "," in label:
                self._comma_phrases.add(tuple(key.split()))

    def _add_key(self, key: str, target: _Target) -> None:
        if key and key not in self._exact:
            self._exact[key] = target

    def _places(self, key: str) -> set[str]:
        """Places named after "tỉnh/huyện/thành phố ..." in a folded key (first word kept)."""
        places: set[str] = set()
        for m in _PLACE_PREFIX.finditer(key):
            rest = key[m.end() :].split()
            if rest and rest[0] not in _NOT_PLACE:
                places.add(" ".join(rest[:2]))
        return places

    def _foreign_place(self, text: str) -> str | None:
        """A place qualifier in the mention that is not local ("tỉnh Lào Cai"), or None.

        Only capitalised words after the prefix count as a place, so "tỉnh và các..." or
        "huyện, thành phố" are not places.
        """
        source = re.sub(r"\([^()]*\)", " ", nfc(text))
        folded = unaccent(source)
        accented = not _VIETNAMESE_ONLY.isdisjoint(source.lower())
        for m in _PLACE_PREFIX.finditer(folded):
            written = " ".join(source[m.start(1) : m.end(1)].lower().split())
            if accented and written not in _PLACE_PREFIX_WORDS:
                # "CƠ QUAN CHUYÊN MÔN": in capitals every word looks like a place's name.
                continue
            words = re.findall(r"\S+", source[m.end() :])[:3]
            place_words: list[str] = []
            for w in words:
                if w.startswith("("):
                    break
                bare = w.strip(",;.:()")
                if not bare or not bare[0].isupper():
                    break
                place_words.append(bare)
                if bare != w:
                    break
            if not place_words:
                continue
            place = fold(" ".join(place_words))
            if not place or place.split()[0] in _NOT_PLACE:
                continue
            local = any(
                place == p or place.startswith(p + " ") or p.startswith(place + " ")
                for p in self._local_places
            )
            if not local:
                return " ".join(place_words)
        return None

    # -- resolve -------------------------------------------------------------------------------

    def _variants(self, key: str, name: str = "") -> list[str]:
        """The key, then the key without numbering, noise words and the local province, then the
        part before a dash ("Công an tỉnh - Cơ quan thường trực ...")."""
        out = [key]
        stripped = re.sub(r"^(?:\d+ )+", "", key)
        stripped = _strip_words(stripped, _LEADING_NOISE, leading=True)
        stripped = _strip_words(stripped, _TRAILING_NOISE, leading=False)
        out.append(stripped)
        for place in sorted(self._local_places, key=len, reverse=True):
            if stripped.endswith(" " + place):
                stripped = stripped[: -len(place) - 1]
                out.append(stripped)
                break
        if stripped.endswith(" tinh"):
            out.append(stripped[:-5])
        if stripped.startswith("cac "):
            out.append(stripped[4:])
        dash = re.split(r"\s[-–—]\s|:\s", name, maxsplit=1)
        if len(dash) == 2:
            out.extend(self._variants(match_key(dash[0]))[:2])
        return [v for v in dict.fromkeys(out) if v]

    def _ref(self, target: _Target, raw: str, confidence: float) -> UnitRef:
        return UnitRef(
            name=target.name,
            raw=raw,
            unit_key=target.unit_key,
            collective=target.collective,
            confidence=round(confidence, 3),
        )

    def _fuzzy(self, key: str, floor: float = 0.0) -> tuple[float, _Target | None]:
        """The best fuzzy candidate for a key and its score (0-100), (0, None) when none scores.

        Candidates led by another kind of body, or of another administrative level, are not
        compared. A shorter candidate inside a longer mention ("... Chi nhánh tỉnh Bắc Giang")
        counts by its partial match only when it starts the mention and covers a good part of it,
        or covers most of it, so a short alias such as a district name does not capture "Hội Nông
        dân huyện Yên Thế", nor "các đơn vị" any "đơn vị ...". A mention led by its own kind of
        body ("Công an các huyện, thành phố") is not a name that lacks that word ("các huyện,
        thành phố"). Ties go to the first candidate of the registry. With a `floor`, a best
        score below it is not worked out exactly: (0, None)."""
        if not self._cand_keys:
            return (0.0, None)
        words = key.split()
        head = words[0] if words else ""
        levels = _level_bits(_levels(key))
        head_id = self._head_ids.get(head, -1)
        allowed = np.ones(len(self._cand_keys), dtype=bool)
        if head in _HEAD_WORDS:
            allowed &= ~(self._cand_kind_head & (self._cand_head != head_id))
        if levels:
            allowed &= (self._cand_levels == 0) | ((self._cand_levels & levels) != 0)
        scores = process.cdist(
            [key],
            self._cand_keys,
            scorer=fuzz.ratio,
            dtype=np.float64,
            workers=1,
            score_cutoff=floor or None,
        )[0]
        coverage = self._cand_len / max(len(key), 1)
        inside = allowed & (self._cand_len < len(key))
        own_head = self._cand_head == head_id
        if head in _HEAD_WORDS:
            inside &= own_head & (coverage >= 0.4)
        else:
            inside &= (own_head & (coverage >= 0.4)) | (coverage >= 0.6)
        scores[~allowed] = -1.0
        # A partial match, weighted by coverage (at most 1), can win only where it reaches the
        # best score so far itself: the others are cut off early.
        eligible = np.flatnonzero(inside)
        if eligible.size:
            best = max(float(scores.max()), floor)
            partial = process.cdist(
                [self._cand_keys[i] for i in eligible.tolist()],
                [key],
                scorer=fuzz.partial_ratio,
                dtype=np.float64,
                workers=1,
                score_cutoff=max(0.0, best - 1e-6) or None,
            )[:, 0]
            weight = 0.85 + 0.15 * coverage[eligible]
            scores[eligible] = np.maximum(scores[eligible], partial * weight)
        top = int(np.argmax(scores))
        if scores[top] <= 0.0 or scores[top] < floor:
            return (0.0, None)
        return (float(scores[top]), self._candidate_info[top][1])

    def resolve(self, mention: str, *, weak_confidence: bool = True) -> UnitRef:
        """Resolve one mention. Never drops it: unresolved mentions come back with unit_key and
        collective None, name the cleaned mention and a low confidence. Without
        `weak_confidence` a mention that fuzzy matching leaves below the threshold comes back
        with confidence 0 (faster: weak candidates are cut off early); resolved ones are the
        same."""
        raw = mention
        name = glued_initial_apart(" ".join(clean(mention).split()))
        key = match_key(mention)
        if not key or is_person(name):
            # A person ("Đ/c Hùng") is kept as written for the reviewer, never made a unit.
            return UnitRef(name=name, raw=raw, confidence=0.0)
        variants = self._variants(key, name)
        hit: tuple[float, _Target] | None = None
        for i, variant in enumerate(variants):
            target = self._exact.get(variant)
            if target is not None:
                hit = (1.0 if i == 0 else 0.97, target)
                break
        if hit is None:
            floor = 0.0 if weak_confidence else self.threshold
            score, best = max((self._fuzzy(v, floor) for v in variants), key=lambda sb: sb[0])
            if best is not None:
                hit = (score / 100.0, best)
        if hit is None:
            return UnitRef(name=name, raw=raw, confidence=0.0)
        confidence, target = hit
        foreign = self._foreign_place(fix_ocr(name))
        if foreign is not None:
            # Another province's body: never a local unit; keep a low confidence for the reviewer.
            return UnitRef(name=name, raw=raw, confidence=round(min(confidence, 0.5), 3))
        if confidence * 100.0 < self.threshold:
            return UnitRef(name=name, raw=raw, confidence=round(confidence, 3))
        return self._ref(target, raw, confidence)

    # -- split ---------------------------------------------------------------------------------

    def split(self, text: str) -> list[str]:
        """Split a "who" cell into mentions on ; , "và" and newlines, keeping names whole."""
        cleaned = clean(text)
        # In text with its diacritics "và"/"cùng" are the conjunctions ("nhà cung cấp" is no
        # "cùng") and a "và" that runs on within one name is not cut; text without them (OCR
        # without Vietnamese data) cuts at every "va"/"cung" as before.
        accented = not _VIETNAMESE_ONLY.isdisjoint(cleaned.lower())
        items: list[tuple[str, int, int, tuple[str, ...]]] = []  # kind, start, end, subtokens
        # The word subtokens flattened, with the item each came from ("\x00" after a ";" or a
        # new line: phrases never run across them).
        flat: list[tuple[str, int]] = []
        depth = 0
        for idx, m in enumerate(_SPLIT_TOKEN.finditer(cleaned)):
            tok = m.group(0)
            if tok in _SEPARATORS:
                if depth == 0:
                    items.append(("sep", m.start(), m.end(), ()))
                    if tok != ",":
                        flat.append(("\x00", idx))
                else:
                    items.append(("inner", m.start(), m.end(), ()))
                continue
            sub, opened, and_accented, and_plain = _split_word(tok)
            conjunction = and_accented if accented else and_plain
            is_and = depth == 0 and conjunction
            items.append(("and" if is_and else "word", m.start(), m.end(), sub))
            for t in sub:
                flat.append((t, idx))
            depth = max(0, depth + opened)

        protected: list[tuple[int, int, bool]] = []  # first item, last item, full name
        phrase_firsts = self._phrase_firsts
        # Whether a comma stands between a word and the one before it (commas are not in flat).
        comma_before = [
            k > 0
            and any(items[j][0] in {"sep", "inner"} for j in range(flat[k - 1][1] + 1, flat[k][1]))
            for k in range(len(flat))
        ]
        i = 0
        while i < len(flat):
            tok, idx = flat[i]
            if tok not in phrase_firsts:
                i += 1  # no phrase starts with this word
                continue
            starts_word = i == 0 or flat[i - 1][1] != idx
            found = 0
            if starts_word:
                # The longest phrase starting here that ends at the end of a word.
                words: tuple[str, ...] = ()
                across_comma = False
                for end in range(i + 1, min(i + self._max_phrase, len(flat)) + 1):
                    words = (*words, flat[end - 1][0])
                    across_comma = across_comma or (end - 1 > i and comma_before[end - 1])
                    if (
                        words in self._phrases
                        and (end == len(flat) or flat[end][1] != flat[end - 1][1])
                        and (not across_comma or words in self._comma_phrases)
                    ):
                        found = end - i
                    if words not in self._phrase_prefixes:
                        break
            if found:
                protected.append(
                    (
                        idx,
                        flat[i + found - 1][1],
                        self._phrases[tuple(t for t, _ in flat[i : i + found])],
                    )
                )
                i += found
            else:
                i += 1

        inside: set[int] = set()
        for first, last, _full in protected:
            inside.update(range(first, last + 1))
        cuts: set[int] = set()  # item indices at which to cut (the item itself is dropped)
        for idx, (kind, _s, _e, _sub) in enumerate(items):
            if kind == "and" and accented and not self._and_opens_a_body(items, idx):
                continue  # "Ban Quản lý các khu công nghệ cao và khu công nghiệp": one name
            if kind in {"sep", "and"} and idx not in inside:
                cuts.add(idx)
        # Two whole registry names side by side with nothing between them ("Các sở, ban, ngành
        # Ủy ban nhân dân các huyện ...") are two mentions.
        boundaries: set[int] = set()
        for (_f1, last1, full1), (first2, _l2, full2) in pairwise(protected):
            if full1 and full2 and first2 == last1 + 1:
                boundaries.add(first2)

        pieces: list[str] = []
        start: int | None = None
        end = 0

        def flush() -> None:
            if start is not None:
                piece = _tidy(cleaned[start:end])
                if piece:
                    pieces.append(piece)

        for idx, (_kind, s, e, _sub) in enumerate(items):
            if idx in cuts:
                flush()
                start = None
                continue
            if idx in boundaries:
                flush()
                start = None
            if start is None:
                start = s
            end = e
        flush()
        return pieces

    @staticmethod
    def _and_opens_a_body(items: list[tuple[str, int, int, tuple[str, ...]]], idx: int) -> bool:
        """Whether the words after a "và" start another body ("và Sở Y tế", "và các đơn vị"),
        rather than going on with the same name ("... khu công nghệ cao và khu công nghiệp")."""
        words = [sub for kind, _s, _e, sub in items[idx + 1 :] if kind == "word"]
        following = words[0] if words else ()
        if not following:
            return True
        # The first two folded words after "và" (a word may hold two: "Quảnlý").
        first_two = tuple(w for sub in words[:2] for w in sub)[:2]
        if first_two in _NAME_GOES_ON:
            return False
        return following[0] in _AND_HEADS

    def parse_units(self, text: str) -> list[UnitRef]:
        """Split a cell and resolve each mention; duplicates dropped, order kept."""
        refs: list[UnitRef] = []
        seen: set[str] = set()
        for piece in self.split(text):
            ref = self.resolve(piece)
            ident = (
                f"u:{ref.unit_key}"
                if ref.unit_key
                else f"g:{ref.collective}"
                if ref.collective
                else f"n:{fold(ref.name)}"
            )
            if ident not in seen:
                seen.add(ident)
                refs.append(ref)
        return refs

    def parse_responsibility(self, text: str) -> tuple[list[UnitRef], list[UnitRef]]:
        """Lead and coordinating units of one "who" cell.

        "X chủ trì, chỉ đạo/phối hợp (với) Y" and "X phối hợp với Y" give lead X, coordinating Y;
        anything else is all lead.
        """
        cleaned = fix_ocr(clean(text))
        folded = unaccent(cleaned)
        lead_text, coord_text = cleaned, ""
        chair = re.search(
            r"(?<!\w)chu tri(?!\w)[\s,;:]*(?:(?:va\s+)?(?:chi dao|phoi hop(?:\s+voi)?|huong dan|"
            r"cung|voi)(?!\w))?",
            folded,
        )
        if chair is not None:
            lead_text, coord_text = cleaned[: chair.start()], cleaned[chair.end() :]
        else:
            coop = re.search(r"(?<!\w)phoi hop(?:\s+voi|\s+cung)?(?!\w)", folded)
            if coop is not None:
                lead_text, coord_text = cleaned[: coop.start()], cleaned[coop.end() :]
        lead_text = re.sub(r"^\s*(?:Giao|giao)\s+", "", lead_text)
        return self.parse_units(lead_text), self.parse_units(coord_text)


_SPLIT_TOKEN = re.compile(r"\n|[,;]|[^\s,;]+")
_SEPARATORS = frozenset({",", ";", "\n"})


@lru_cache(maxsize=16384)
def _split_word(tok: str) -> tuple[tuple[str, ...], int, bool, bool]:
    """What split() needs of one word (a hot loop, the same words again and again): its folded
    subwords, the parentheses it opens, and whether it is "và"/"cùng" in text with diacritics or
    "va"/"cung" in text without them."""
    sub = tuple(match_key(tok).split())
    opened = tok.count("(") - tok.count(")")
    plain = tok.strip() == tok
    return (
        sub,
        opened,
        plain and tok.lower() in {"và", "cùng"},
        plain and fold(tok) in {"va", "cung"},
    )


@lru_cache(maxsize=16384)
def _tidy(piece: str) -> str:
    """A mention without surrounding punctuation, bullets or a leading "và"."""
    text = " ".join(piece.split())
    text = text.strip(" \t-–•*.:;,")
    text = re.sub(r"^(?:và|va|cùng|với)\s+", "", text, flags=re.IGNORECASE)
    if text.count("(") > text.count(")"):
        text = text.rstrip("(").strip()
    if text.startswith("(") and text.endswith(")"):
        text = text[1:-1].strip()
    return text if re.search(r"[^\W\d_]", text) else ""


@lru_cache(maxsize=4)
def _resolver_for(registry: UnitRegistry) -> UnitResolver:
    return UnitResolver(registry)


def default_resolver() -> UnitResolver:
    """A resolver over the registry shipped with the package (built once)."""
    return _resolver_for(_default_registry())


@lru_cache(maxsize=1)
def _default_registry() -> UnitRegistry:
    return UnitRegistry.default()


def split_units(text: str, registry: UnitRegistry | None = None) -> list[str]:
    """Split a "who" cell into mentions, protecting the registry's names (default registry when
    none is given)."""
    resolver = default_resolver() if registry is None else _resolver_for(registry)
    return resolver.split(text)


def expand_collective(registry: UnitRegistry, group_key: str) -> list[RegistryUnit]:
    """The units a collective ("SO_BAN_NGANH") stands for; empty when it does not fan out."""
    return registry.members(group_key)
