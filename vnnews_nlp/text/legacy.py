"""Legacy 8-bit Vietnamese encodings (TCVN3/ABC, VNI Windows, Windows-1258) and a
Vietnamese syllable checker used to decide, conservatively, whether text is in one of them.

Legacy text usually reaches us already inside a Python str, mis-decoded as Latin-1/cp1252
("ViÖt Nam", "Vieät Nam"): every legacy byte became the Latin-1 char with the same value.
The converters here work on such strings and report their edits as (start, end, out) so
`normalize` can keep an offset map. Tables are written out as data from the standards.
"""
from __future__ import annotations

import functools
import re
import unicodedata

# --- tables -----------------------------------------------------------------------------

# TCVN 5712:1993 VN3 ("ABC", .VnTime fonts). Only 7 capitals exist; capitals with a tone mark
# were typed with the lowercase code in an all-caps font, so they come back lowercase.
TCVN3 = {
    0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ",
    0xA8: "ă", 0xA9: "â", 0xAA: "ê", 0xAB: "ô", 0xAC: "ơ", 0xAD: "ư", 0xAE: "đ",
    0xB5: "à", 0xB6: "ả", 0xB7: "ã", 0xB8: "á", 0xB9: "ạ",
    0xBB: "ằ", 0xBC: "ẳ", 0xBD: "ẵ", 0xBE: "ắ", 0xC6: "ặ",
    0xC7: "ầ", 0xC8: "ẩ", 0xC9: "ẫ", 0xCA: "ấ", 0xCB: "ậ",
    0xCC: "è", 0xCE: "ẻ", 0xCF: "ẽ", 0xD0: "é", 0xD1: "ẹ",
    0xD2: "ề", 0xD3: "ể", 0xD4: "ễ", 0xD5: "ế", 0xD6: "ệ",
    0xD7: "ì", 0xD8: "ỉ", 0xDC: "ĩ", 0xDD: "í", 0xDE: "ị",
    0xDF: "ò", 0xE1: "ỏ", 0xE2: "õ", 0xE3: "ó", 0xE4: "ọ",
    0xE5: "ồ", 0xE6: "ổ", 0xE7: "ỗ", 0xE8: "ố", 0xE9: "ộ",
    0xEA: "ờ", 0xEB: "ở", 0xEC: "ỡ", 0xED: "ớ", 0xEE: "ợ",
    0xEF: "ù", 0xF1: "ủ", 0xF2: "ũ", 0xF3: "ú", 0xF4: "ụ",
    0xF5: "ừ", 0xF6: "ử", 0xF7: "ữ", 0xF8: "ứ", 0xF9: "ự",
    0xFA: "ỳ", 0xFB: "ỷ", 0xFC: "ỹ", 0xFD: "ý", 0xFE: "ỵ",
}

# VNI Windows: a base letter followed by a mark byte; a few letters are single bytes.
# Tone bytes (lowercase, uppercase) in the order sắc, huyền, hỏi, ngã, nặng.
VNI_TONE = ((0xF9, 0xD9), (0xF8, 0xD8), (0xFB, 0xDB), (0xF5, 0xD5), (0xEF, 0xCF))
VNI_CIRC = (0xE2, 0xC2)                                                           # â ê ô
VNI_CIRC_TONE = ((0xE1, 0xC1), (0xE0, 0xC0), (0xE5, 0xC5), (0xE3, 0xC3), (0xE4, 0xC4))
VNI_BREVE = (0xEA, 0xCA)                                                          # ă
VNI_BREVE_TONE = ((0xE9, 0xC9), (0xE8, 0xC8), (0xFA, 0xDA), (0xFC, 0xDC), (0xEB, 0xCB))
VNI_SINGLE = {
    0xF4: "ơ", 0xD4: "Ơ", 0xF6: "ư", 0xD6: "Ư", 0xF1: "đ", 0xD1: "Đ",
    0xED: "í", 0xCD: "Í", 0xEC: "ì", 0xCC: "Ì", 0xE6: "ỉ", 0xC6: "Ỉ",
    0xF3: "ĩ", 0xD3: "Ĩ", 0xF2: "ị", 0xD2: "Ị", 0xEE: "ỵ", 0xCE: "Ỵ",
}

# Combining tone marks in the order sắc, huyền, hỏi, ngã, nặng.
TONE_MARKS = ("\u0301", "\u0300", "\u0309", "\u0303", "\u0323")
_CIRC, _BREVE, _HORN = "\u0302", "\u0306", "\u031b"

# The 134 precomposed Vietnamese letters outside ASCII (67 lowercase + their capitals).
_BASES = "aăâeêioôơuưy"
LETTERS = tuple(
    unicodedata.normalize("NFC", b + t) for b in _BASES for t in ("",) + TONE_MARKS
    if b + t not in "aeiouy"
) + ("đ",)
LETTERS = LETTERS + tuple(c.upper() for c in LETTERS)


def _cp1252_byte_map() -> dict[str, int]:
    """char -> byte for text that was decoded as cp1252 (or Latin-1, for 0x80-0x9F)."""
    m = {chr(b): b for b in range(256)}
    for b in range(0x80, 0xA0):
        try:
            m[bytes([b]).decode("cp1252")] = b
        except UnicodeDecodeError:
            pass
    return m


CHAR_TO_BYTE = _cp1252_byte_map()
# Everything a mis-decoded legacy line can contain; a line with any other char is Unicode.
LEGACY_CHARSET = re.compile("[^" + re.escape("".join(CHAR_TO_BYTE)) + "]")
HIGH = re.compile("[^\x00-\x7f]")

_TCVN3_TRANS = {ch: TCVN3[b] for ch, b in CHAR_TO_BYTE.items() if b in TCVN3}


def _cp1258_trans() -> dict[str, str]:
    t = {}
    for ch, b in CHAR_TO_BYTE.items():
        if b >= 0x80:
            try:
                out = bytes([b]).decode("cp1258")
            except UnicodeDecodeError:
                continue
            if out != ch:
                t[ch] = out
    return t


_CP1258_TRANS = _cp1258_trans()
_TCVN3_TABLE = str.maketrans(_TCVN3_TRANS)
_CP1258_TABLE = str.maketrans(_CP1258_TRANS)


# --- converters (str in, edits out) ----------------------------------------------------

def tcvn3_decode(s: str) -> str:
    """Mis-decoded TCVN3 text -> Unicode. One char for one char, so offsets do not move."""
    return s.translate(_TCVN3_TABLE)


def cp1258_decode(s: str) -> str:
    """Windows-1258 text mis-decoded as cp1252 -> Unicode with combining tone marks (not NFC)."""
    return s.translate(_CP1258_TABLE)


def _vni_tables():
    pairs: dict[tuple[str, str], str] = {}
    for base in "aeiouyAEIOUYơưƠƯ":
        for t, (lo, up) in zip(TONE_MARKS, VNI_TONE):
            out = unicodedata.normalize("NFC", base + t)
            for mark in (lo, up):
                pairs[(base, chr(mark))] = out
    for base, qual, tones, plain in (("aeoAEO", _CIRC, VNI_CIRC_TONE, VNI_CIRC),
                                     ("aA", _BREVE, VNI_BREVE_TONE, VNI_BREVE)):
        for b in base:
            for mark in plain:
                pairs[(b, chr(mark))] = unicodedata.normalize("NFC", b + qual)
            for t, (lo, up) in zip(TONE_MARKS, tones):
                out = unicodedata.normalize("NFC", b + qual + t)
                for mark in (lo, up):
                    pairs[(b, chr(mark))] = out
    single = {chr(b): u for b, u in VNI_SINGLE.items()}
    return pairs, single


_VNI_PAIRS, _VNI_SINGLE = _vni_tables()
_VNI_MARKS = "".join(sorted({m for _, m in _VNI_PAIRS}))
_VNI_RE = re.compile(
    "([aeiouyAEIOUY" + "".join(k for k, v in _VNI_SINGLE.items() if v.lower() in "ơư") + "])"
    "([" + re.escape(_VNI_MARKS) + "])|([" + re.escape("".join(_VNI_SINGLE)) + "])"
)


def vni_edits(s: str) -> list[tuple[int, int, str]]:
    """Edits (start, end, replacement) turning mis-decoded VNI text into Unicode."""
    edits = []
    for m in _VNI_RE.finditer(s):
        if m.group(3):
            edits.append((m.start(), m.end(), _VNI_SINGLE[m.group(3)]))
            continue
        base, mark = m.group(1), m.group(2)
        base_u = _VNI_SINGLE.get(base, base)
        out = _VNI_PAIRS.get((base_u, mark))
        if out is None:  # e.g. "i" + circumflex byte: no such letter, keep the base alone
            if base_u != base:
                edits.append((m.start(1), m.end(1), base_u))
            if mark in _VNI_SINGLE:
                edits.append((m.start(2), m.end(2), _VNI_SINGLE[mark]))
            continue
        edits.append((m.start(), m.end(), out))
    return edits


def apply_edits(s: str, edits) -> str:
    out, pos = [], 0
    for a, b, rep in edits:
        out.append(s[pos:a])
        out.append(rep)
        pos = b
    out.append(s[pos:])
    return "".join(out)


def vni_decode(s: str) -> str:
    return apply_edits(s, vni_edits(s))


# --- encoders (used by tests and to build sample legacy text) --------------------------

def _split_letter(c: str) -> tuple[str, str, int]:
    """'ậ' -> ('a', CIRC, tone index 4); tone index -1 when there is none."""
    d = unicodedata.normalize("NFD", c)
    tone = next((i for i, t in enumerate(TONE_MARKS) if t in d), -1)
    qual = next((q for q in (_CIRC, _BREVE, _HORN) if q in d), "")
    return d[0], qual, tone


def tcvn3_encode(s: str) -> str:
    """Unicode -> TCVN3 as a Latin-1 str; toned capitals fall back to lowercase codes."""
    rev = {v: chr(k) for k, v in TCVN3.items()}
    return "".join(rev.get(c, rev.get(c.lower(), c)) for c in s)


def vni_encode(s: str) -> str:
    """Unicode -> VNI Windows as a Latin-1 str."""
    single_rev = {v: chr(k) for k, v in VNI_SINGLE.items()}
    out = []
    for c in unicodedata.normalize("NFC", s):
        if c in single_rev:
            out.append(single_rev[c])
            continue
        if c not in LETTERS:
            out.append(c)
            continue
        base, qual, tone = _split_letter(c)
        up = int(base.isupper())
        if qual == _HORN:
            core = unicodedata.normalize("NFC", base + _HORN)
            out.append(single_rev[core])
            if tone >= 0:
                out.append(chr(VNI_TONE[tone][up]))
        elif qual == _CIRC:
            out.append(base + chr((VNI_CIRC_TONE[tone] if tone >= 0 else VNI_CIRC)[up]))
        elif qual == _BREVE:
            out.append(base + chr((VNI_BREVE_TONE[tone] if tone >= 0 else VNI_BREVE)[up]))
        else:
            out.append(base + chr(VNI_TONE[tone][up]))
    return "".join(out)


# --- Vietnamese syllables ----------------------------------------------------------------

_ONSETS = ("ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr",
           "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "")
_CODAS = ("c", "ch", "m", "n", "ng", "nh", "p", "t")
_OPEN = ("a", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "oa", "oe", "uê", "uy", "oo")
_NEED_CODA = ("ă", "â", "iê", "yê", "uô", "ươ", "oă", "uâ", "uyê")
_NO_CODA = ("ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "ia", "iu", "oi", "ôi", "ơi", "ua",
            "ui", "ưa", "ưi", "ưu", "iêu", "yêu", "oai", "oao", "oay", "oeo", "uây", "uôi",
            "ươi", "ươu", "uya", "uyu", "uơ", "uê")
_CH_NH = ("a", "ê", "i", "y", "oa", "uê", "uy")


def _rhymes() -> frozenset[str]:
    r = set(_OPEN) | set(_NO_CODA)
    for n in _OPEN + _NEED_CODA:
        for c in _CODAS:
            if c in ("ch", "nh") and n not in _CH_NH:
                continue
            r.add(n + c)
    return frozenset(r)


RHYMES = _rhymes()
_FRONT = ("i", "e", "ê", "y")


def split_tone(word: str) -> tuple[str, int, int]:
    """-> (word without tone marks, NFC; tone index or -1; how many tone marks)."""
    d = unicodedata.normalize("NFD", word)
    tones = [i for i, t in enumerate(TONE_MARKS) for ch in d if ch == t]
    if not tones:
        return unicodedata.normalize("NFC", d), -1, 0
    base = unicodedata.normalize("NFC", "".join(ch for ch in d if ch not in TONE_MARKS))
    return base, tones[0], len(tones)


def parse_syllable(word: str, strict: bool = True) -> tuple[str, str, int] | None:
    """Lowercase word -> (onset, toneless rhyme, tone) if it is a Vietnamese syllable.
    strict: the tone mark must also sit where Vietnamese spelling puts it."""
    if not word or len(word) > 8 or unicodedata.combining(word[0]):
        return None
    base, tone, n = split_tone(word)
    if n > 1 or len(base) != len(word):
        return None
    toned_at = next((i for i, c in enumerate(word) if c != base[i]), -1) if tone >= 0 else -1
    for onset in _ONSETS:
        if not base.startswith(onset):
            continue
        rhyme = base[len(onset):]
        if onset == "gi" and not rhyme:
            rhyme, onset = "i", "g"
        if rhyme not in RHYMES:
            continue
        first = rhyme[0]
        if onset in ("k", "gh", "ngh") and first not in _FRONT:
            continue
        if onset in ("c", "g", "ng") and first in "eê" or onset in ("c", "ng") and first in "iy":
            continue
        if onset == "qu" and first == "u":
            continue
        if rhyme.endswith(("c", "ch", "p", "t")) and tone not in (0, 4):
            continue
        if strict and tone >= 0 and toned_at - len(onset) not in tone_positions(rhyme):
            continue
        return onset, rhyme, tone
    return None


_QUALITY = "ăâêôơư"


def tone_positions(rhyme: str) -> tuple[int, ...]:
    """Where a tone mark may sit in a rhyme: traditional place first (hòa, thủy), then the
    newer one (hoà, thuỷ) where the two differ."""
    coda = next((c for c in ("ch", "nh", "ng", "c", "m", "n", "p", "t")
                 if rhyme.endswith(c) and len(rhyme) > len(c)), "")
    nucleus = rhyme[: len(rhyme) - len(coda)]
    marked = [i for i, c in enumerate(nucleus) if c in _QUALITY]
    if marked:
        return (marked[-1],)
    if coda:
        return (len(nucleus) - 1,)
    if len(nucleus) == 3:
        return (1,)
    if len(nucleus) == 2:
        return (0, 1) if nucleus in ("oa", "oe", "uy") else (0,)
    return (0,)


@functools.lru_cache(maxsize=200_000)
def is_syllable(word: str) -> bool:
    return parse_syllable(word.lower()) is not None


# Tokens for scoring: split on spaces, ASCII punctuation/digits and general punctuation;
# Latin-1 symbols stay inside tokens because legacy encodings put letters there.
_TOKEN = re.compile(r"[^\s!-@\[-`{-~\u2010-\u205f]+")


def tokens(s: str) -> list[str]:
    return _TOKEN.findall(s)


def changed_validity(before: str, after: str) -> tuple[int, int, int]:
    """Tokens that a conversion changed: (count, valid before, valid after)."""
    b_tok, a_tok = tokens(before), tokens(after)
    if len(b_tok) != len(a_tok):  # the conversion moved a separator: compare nothing
        return 0, 0, 0
    n = vb = va = 0
    for x, y in zip(b_tok, a_tok):
        if x != y:
            n += 1
            vb += is_syllable(x)
            va += is_syllable(unicodedata.normalize("NFC", y))
    return n, vb, va


def viet_score(s: str) -> float:
    """Share of tokens with non-ASCII letters that are Vietnamese syllables (minus U+FFFD)."""
    toks = [t for t in tokens(s) if HIGH.search(t)]
    if not toks:
        return 0.0
    good = sum(is_syllable(t) for t in toks if "\ufffd" not in t)
    return good / len(toks)


def decode_legacy_bytes(data: bytes, encoding: str) -> str:
    """Bytes in a legacy encoding ("tcvn3", "vni", "cp1258") -> NFC Unicode."""
    if encoding == "cp1258":
        s = data.decode("cp1258", errors="replace")
    else:
        s = convert(encoding, data.decode("latin-1"))
    return unicodedata.normalize("NFC", s)


# --- conversion used by normalize ---------------------------------------------------------

_TCVN3_LOWER = frozenset(v for v in TCVN3.values() if v.islower())
_WORDS = re.compile(r"[^\W\d_]+")


def _tcvn3_case(orig: str, new: str) -> str:
    """Toned capitals have no TCVN3 code; restore them in all-caps words and lines."""
    upper, lower = len(_ASCII_UPPER.findall(orig)), len(_ASCII_LOWER.findall(orig))
    if upper >= 6 and upper >= 4 * lower:
        return "".join(n.upper() if n in _TCVN3_LOWER and o != n else n for o, n in zip(orig, new))

    def word(m: re.Match) -> str:
        w, o = m.group(), orig[m.start():m.end()]
        rest = [c for c, oc in zip(w, o) if c == oc and c.isalpha()]
        if len(rest) >= 2 and all(c.isupper() for c in rest):
            return "".join(c.upper() if c != oc else c for c, oc in zip(w, o))
        return w

    return _CAPS_WORD.sub(word, new) if upper >= 2 else new


_ASCII_UPPER, _ASCII_LOWER = re.compile("[A-Z]"), re.compile("[a-z]")
# words with at least two capitals: the only ones whose case may need restoring
# (anchored at a word start so a long word is scanned once, not once per position)
_CAPS_WORD = re.compile(r"(?<![^\W\d_])[^\W\d_A-ZĂÂÊÔƠƯĐ]*+[A-ZĂÂÊÔƠƯĐ][^\W\d_A-ZĂÂÊÔƠƯĐ]*+[A-ZĂÂÊÔƠƯĐ][^\W\d_]*+")


def convert(enc: str, line: str) -> str:
    """A mis-decoded legacy line -> Unicode (not NFC for cp1258)."""
    if enc == "tcvn3":
        return _tcvn3_case(line, tcvn3_decode(line))
    if enc == "cp1258":
        return cp1258_decode(line)
    return vni_decode(line)


def convert_edits(enc: str, line: str, new: str) -> list[tuple[int, int, str]]:
    """Edits that turn line into new; TCVN3/cp1258 are one char for one char."""
    if enc == "vni":
        return vni_edits(line)
    return [(0, len(line), new)]


def cp1258_encode(s: str) -> bytes:
    """Unicode -> Windows-1258 bytes (base letter + combining tone mark, as Windows wrote it)."""
    out = bytearray()
    for c in unicodedata.normalize("NFC", s):
        try:
            out += c.encode("cp1258")
        except UnicodeEncodeError:
            base, tone, _ = split_tone(c)
            out += base.encode("cp1258", errors="replace")
            if tone >= 0:
                out += TONE_MARKS[tone].encode("cp1258")
    return bytes(out)
