"""Text normalization with an offset map back to the input.

`normalize(text)` runs a few linear passes (surrogates, HTML entities, UTF-8 mojibake, odd
spaces/controls, legacy 8-bit encodings, NFC); each pass records what it changed as
segments, and the segments are composed into one `OffsetMap` from the result to the input.
"""
from __future__ import annotations

import functools
import html
import html.entities
import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field

from vnnews_nlp.text import legacy as L

# --- offset map --------------------------------------------------------------------------

# A segment is (derived start, original start, original end, identity). Derived starts
# partition the derived string; an identity segment maps char by char, any other maps all
# its chars to the start of its source run. Source chars in no segment were deleted.


class _Segs:
    def __init__(self) -> None:
        self.segs: list[tuple[int, int, int, bool]] = []
        self.d = 0

    def add(self, a: int, b: int, length: int, ident: bool) -> None:
        if length <= 0:
            return
        s = self.segs
        if ident and s and s[-1][3] and s[-1][2] == a:
            s[-1] = (s[-1][0], s[-1][1], b, True)
        else:
            s.append((self.d, a, b, ident))
        self.d += length


@dataclass(frozen=True)
class OffsetMap:
    """Maps offsets of a derived string back to its source string."""

    n_derived: int
    n_original: int
    segments: tuple = ()
    _starts: tuple = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_starts", tuple(s[0] for s in self.segments))

    @classmethod
    def identity(cls, n: int) -> "OffsetMap":
        return cls(n, n, ((0, 0, n, True),) if n else ())

    def _seg(self, i: int) -> tuple[int, int, int, bool]:
        return self.segments[bisect_right(self._starts, i) - 1]

    def to_original(self, i: int) -> int:
        if not 0 <= i <= self.n_derived:
            raise IndexError(f"offset {i} outside the derived text (length {self.n_derived})")
        if i == self.n_derived:
            return self.segments[-1][2] if self.segments else 0
        d, o, _, ident = self._seg(i)
        return o + (i - d) if ident else o

    def span_to_original(self, start: int, end: int) -> tuple[int, int]:
        a = self.to_original(start)
        if end <= start:
            return a, a
        if end > self.n_derived:
            raise IndexError(f"offset {end} outside the derived text (length {self.n_derived})")
        d, o, oe, ident = self._seg(end - 1)
        return a, (o + (end - d) if ident else oe)

    def then(self, inner: "OffsetMap") -> "OffsetMap":
        """If self maps B->A and inner maps C->B, return the map C->A."""
        if self.segments == ((0, 0, self.n_derived, True),) and self.n_original == self.n_derived:
            return OffsetMap(inner.n_derived, self.n_original, inner.segments)
        out = _Segs()
        segs, starts = self.segments, self._starts
        for j, (d, o, oe, ident) in enumerate(inner.segments):
            nxt = inner._starts[j + 1] if j + 1 < len(inner._starts) else inner.n_derived
            length = nxt - d
            if not ident:
                a, b = self.span_to_original(o, oe) if oe > o else (self.to_original(o),) * 2
                out.add(a, b, length, False)
                continue
            x, k = o, bisect_right(starts, o) - 1
            while x < oe:
                sd, so, soe, sident = segs[k]
                send = segs[k + 1][0] if k + 1 < len(segs) else self.n_derived
                y = min(oe, send)
                if sident:
                    out.add(so + (x - sd), so + (y - sd), y - x, True)
                else:
                    out.add(so, soe, y - x, False)
                x, k = y, k + 1
        return OffsetMap(inner.n_derived, self.n_original, tuple(out.segs))

    def to_json(self) -> list:
        return [[self.n_derived, self.n_original]] + [[d, o, oe, int(i)] for d, o, oe, i in self.segments]

    @classmethod
    def from_json(cls, data) -> "OffsetMap":
        (n, m), *segs = data
        return cls(int(n), int(m), tuple((int(d), int(o), int(oe), bool(i)) for d, o, oe, i in segs))


def _apply(text: str, edits) -> tuple[str, OffsetMap | None]:
    """Apply sorted, non-overlapping edits (start, end, replacement) with an offset map.

    Written as one loop because it runs once per changed spot (millions on NFD input)."""
    out, segs, pos, d = [], [], 0, 0
    for a, b, rep in edits:
        if a > pos:
            out.append(text[pos:a])
            if segs and segs[-1][3] and segs[-1][2] == pos:
                segs[-1] = (segs[-1][0], segs[-1][1], a, True)
            else:
                segs.append((d, pos, a, True))
            d += a - pos
        n = len(rep)
        if n:
            out.append(rep)
            if n == b - a and segs and segs[-1][3] and segs[-1][2] == a:
                segs[-1] = (segs[-1][0], segs[-1][1], b, True)
            else:
                segs.append((d, a, b, n == b - a))
            d += n
        pos = b
    if not out and pos == 0:
        return text, None
    if pos < len(text):
        out.append(text[pos:])
        if segs and segs[-1][3] and segs[-1][2] == pos:
            segs[-1] = (segs[-1][0], segs[-1][1], len(text), True)
        else:
            segs.append((d, pos, len(text), True))
        d += len(text) - pos
    new = "".join(out)
    return new, OffsetMap(d, len(text), tuple(segs))


def _sub(text: str, pattern: re.Pattern, fn) -> tuple[str, OffsetMap | None]:
    """Replace each match by fn(match) (None or the same text keeps it), with an offset map."""
    edits = []
    for m in pattern.finditer(text):
        r = fn(m)
        if r is not None and r != m.group():
            a, b = m.span()
            edits.append((a, b, r))
    return _apply(text, edits) if edits else (text, None)


# --- passes ------------------------------------------------------------------------------

_SURROGATE = re.compile("[\ud800-\udfff]")

# Any run of "&amp;" (or its numeric forms) before an entity is an escaping artefact.
_AMP = r"(?:amp;|#0*38;|#[xX]0*26;)"
_ENTITY = re.compile(rf"&({_AMP}*)(#[0-9]{{1,7}};|#[xX][0-9a-fA-F]{{1,6}};|[A-Za-z][A-Za-z0-9]{{1,31}};)?")


def _entity(m: re.Match) -> str | None:
    chain, ent = m.group(1), m.group(2)
    if ent is None:
        return "&" if chain else None
    if ent[0] == "#":
        return html.unescape("&" + ent)
    if ent in html.entities.html5:
        return html.entities.html5[ent]
    return "&" + ent if chain else None


_C1 = "".join(c for c, b in L.CHAR_TO_BYTE.items() if 0x80 <= b <= 0xBF)
_CONT = "[" + re.escape(_C1) + "]"
_MOJIBAKE = re.compile(f"[\xc2-\xdf]{_CONT}|[\xe0-\xef]{_CONT}{{2}}|[\xf0-\xf4]{_CONT}{{3}}")
# "à" is C3 A0 in UTF-8; once the A0 (no-break space) is read as cp1252 and then turned
# into a plain space, "Hà Nội" shows as "HÃ  Ná»™i".
_A_GRAVE = re.compile(r"(?<=[A-Za-z])\xc3(?: (?= )|(?=[ ,.;:!?)]|$))", re.M)
_VIET = frozenset(L.LETTERS)


def _mojibake(m: re.Match) -> str | None:
    try:
        out = bytes(L.CHAR_TO_BYTE[c] for c in m.group()).decode("utf-8")
    except UnicodeDecodeError:
        return None
    if out in _VIET or "\xa0" <= out <= "\xff" or "\u2000" <= out <= "\u206f" or out == "\u20ac":
        return out
    import ftfy.badness  # only for the rare sequence that is not a Vietnamese letter
    return out if ftfy.badness.is_bad(m.group()) else None


_ODD = re.compile(
    "\r\n?|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\xa0\u1680\u180e\u2000-\u200f"
    "\u2028-\u202f\u205f-\u206f\u3000\ufeff]"
)
_SHY = re.compile("\xad")
_NEWLINE = frozenset("\r\n\r\x0b\x0c\x85\u2028\u2029")
_SPACE = frozenset("\xa0\u1680\u202f\u205f\u3000" + "".join(map(chr, range(0x2000, 0x200B))))


def _odd(m: re.Match) -> str:
    c = m.group()
    return "\n" if c in _NEWLINE or c == "\r\n" else " " if c in _SPACE else ""


@functools.lru_cache(maxsize=1)
def _unstable() -> re.Pattern:
    """Chars that NFC may change or join to a previous char (computed once, ~0.5 s)."""
    cps = set(range(0x1161, 0x1176)) | set(range(0x11A8, 0x11C3))  # Hangul vowels/finals
    for cp in range(0x30000):
        if 0xD800 <= cp < 0xE000:
            continue
        c = chr(cp)
        if unicodedata.combining(c):
            cps.add(cp)
        dec = unicodedata.decomposition(c)
        if dec and not dec.startswith("<"):
            parts = dec.split()
            cps.add(cp) if len(parts) == 1 or unicodedata.normalize("NFC", c) != c else None
            if len(parts) == 2 and not unicodedata.combining(chr(int(parts[1], 16))):
                cps.add(int(parts[1], 16))
    # Astral ranges are kept apart: a class mixing them with BMP ranges is scanned linearly.
    bmp = _char_class(sorted(c for c in cps if c < 0x10000))
    astral = _char_class(sorted(c for c in cps if c >= 0x10000))
    return re.compile(f"(?:[{bmp}]|(?=[\U00010000-\U0010ffff])[{astral}])+")


def _char_class(cps: list[int]) -> str:
    out, start = [], None
    for i, cp in enumerate(cps):
        if start is None:
            start = cp
        if i + 1 == len(cps) or cps[i + 1] != cp + 1:
            out.append(re.escape(chr(start)) + ("-" + re.escape(chr(cp)) if cp > start else ""))
            start = None
    return "".join(out)


def _nfc_edits(text: str):
    """NFC each run of unstable chars together with the stable char before it."""
    for m in _unstable().finditer(text):
        a, b = m.span()
        a = a - 1 if a else a
        rep = unicodedata.normalize("NFC", text[a:b])
        if rep != text[a:b]:
            yield a, b, rep


def _legacy(text: str) -> tuple[str, OffsetMap | None, str | None]:
    """Detect and convert TCVN3/VNI/cp1258 lines; genuine Unicode lines are never touched."""
    lines, pos, cands = text.split("\n"), 0, []
    for line in lines:
        if L.HIGH.search(line) and not L.LEGACY_CHARSET.search(line):
            cands.append((pos, line))
        pos += len(line) + 1
    if not cands:
        return text, None, None
    best, best_gain = None, 0.0
    for enc in ("tcvn3", "vni", "cp1258"):
        n = vb = va = 0
        for _, line in cands:  # a few thousand changed words are evidence enough
            c = L.changed_validity(line, L.convert(enc, line))
            n, vb, va = n + c[0], vb + c[1], va + c[2]
            if n >= 3000:
                break
        if va - vb >= 2 and va / n >= 0.6 and vb / n < 0.5 and (gain := (va - vb) / n) >= 0.3 and gain > best_gain:
            best, best_gain = enc, gain
    if best is None:
        return text, None, None
    edits = []
    for start, line in cands:
        new = L.convert(best, line)
        n, vb, va = L.changed_validity(line, new)
        if n and va >= vb:
            edits.extend((start + a, start + b, r) for a, b, r in L.convert_edits(best, line, new))
    new_text, m = _apply(text, edits)
    return new_text, m, (best if m else None)


# --- public API --------------------------------------------------------------------------

@dataclass(frozen=True)
class Normalized:
    text: str
    original: str
    offsets: OffsetMap
    encoding: str | None


TONE_STYLES = ("new", "old")


def normalize(text: str, tones: str | None = None) -> Normalized:
    """NFC, legacy encodings, mojibake, entities, odd spaces and controls; see module doc.

    `tones`: also rewrite each syllable's tone mark to one placement, fixing typos such as
    "baỏ" (bảo), "lựơng" (lượng), "nghịêm" (nghiệm): "new" puts it as in "hoà", "thuỷ", "old"
    as in "hòa", "thủy"; None (the default) leaves placement as written (matching keys
    ignore it either way). Every rewrite keeps the offset map."""
    if not isinstance(text, str):
        raise TypeError(f"normalize() takes str, got {type(text).__name__}; decode bytes with decode_bytes() first")
    if tones is not None and tones not in TONE_STYLES:
        raise ValueError(f"tones must be None, 'new' or 'old', not {tones!r}")
    cur, offsets, encodings = text, OffsetMap.identity(len(text)), []
    for _ in range(3):  # removing a char can reveal a new sequence: run to a fixed point
        new, m, enc = _pass(cur, tones)
        if m is None:
            break
        cur, offsets = new, offsets.then(m)
        encodings.extend(e for e in enc if e not in encodings)
    return Normalized(cur, text, offsets, "+".join(encodings) or None)


def _pass(text: str, tones: str | None = None) -> tuple[str, OffsetMap | None, list[str]]:
    cur, offsets, encodings = text, OffsetMap.identity(len(text)), []

    def step(result):
        nonlocal cur, offsets
        new, m = result
        if m is not None:
            cur, offsets = new, offsets.then(m)
        return m is not None

    step(_sub(cur, _SURROGATE, lambda m: "\ufffd"))
    # NFC first so that every later pass sees one spelling; again at the end for what
    # entities, cp1258 and removed invisible chars may have decomposed.
    if not unicodedata.is_normalized("NFC", cur):
        step(_apply(cur, _nfc_edits(cur)))
    if "&" in cur:
        step(_sub(cur, _ENTITY, _entity))
    for _ in range(3):  # text encoded to UTF-8 twice needs two rounds
        if not step(_sub(cur, _MOJIBAKE, _mojibake)):
            break
        if not encodings:
            encodings.append("mojibake-utf8-as-cp1252")
            step(_sub(cur, _A_GRAVE, lambda m: "à"))
    step(_sub(cur, _ODD, _odd))
    new, m, enc = _legacy(cur)
    if step((new, m)):
        encodings.append(enc)
    if "\xad" in cur:  # soft hyphen, removed only now: TCVN3 writes "ư" with that byte
        step(_sub(cur, _SHY, lambda m: ""))
    if "Ð" in cur or "ð" in cur:  # after the legacy codecs, which may use these bytes
        step(_sub(cur, _ETH, _eth))
    if not unicodedata.is_normalized("NFC", cur):
        step(_apply(cur, _nfc_edits(cur)))
    if tones is not None:
        step(_sub(cur, _WORD, lambda m: retone(m.group(), tones)))
    changed = offsets.segments != ((0, 0, len(text), True),) or len(cur) != len(text) or cur != text
    return cur, (offsets if changed else None), encodings


_WORD = re.compile(r"[^\W\d_]+")

# "Ð" (U+00D0, Icelandic eth) stands for "Đ" in much older Vietnamese text, where fonts drew
# the two alike: it becomes "Đ" where the word it starts is then a Vietnamese syllable
# ("Ðà" -> "Đà", "ÐỒNG" -> "ĐỒNG"); Icelandic names ("Guðmundur") keep it.
_ETH = re.compile(r"[Ðð][^\W\d_]*")


def _eth(m: re.Match) -> str | None:
    s = m.start()
    if s and m.string[s - 1].isalpha():
        return None
    word = ("Đ" if m.group()[0] == "Ð" else "đ") + m.group()[1:]
    return word if L.parse_syllable(word.lower(), strict=False) is not None else None


def retone(word: str, style: str = "new") -> str:
    """`word` with its tone mark where `style` puts it ("new": hoà, thuỷ; "old": hòa, thủy),
    case kept; a word that is not a Vietnamese syllable comes back unchanged."""
    low = word.lower()
    parsed = L.parse_syllable(low, strict=False)
    if parsed is None or parsed[2] < 0:
        return word
    onset, rhyme, tone = parsed
    places = L.tone_positions(rhyme)
    pos = len(onset) + (places[-1] if style == "new" else places[0])
    base = onset + rhyme
    out = base[:pos] + unicodedata.normalize("NFC", base[pos] + L.TONE_MARKS[tone]) + base[pos + 1:]
    if len(out) != len(word):
        return word
    return "".join(c.upper() if w.isupper() else c for c, w in zip(out, word))


@functools.lru_cache(maxsize=100_000)
def _fold_word(w: str) -> str:
    parsed = L.parse_syllable(w, strict=False)
    if parsed is None or parsed[2] < 0:
        return w
    onset, rhyme, tone = parsed
    base = L.split_tone(rhyme)[0]
    pos = L.tone_positions(base)[0]
    return onset + base[:pos] + unicodedata.normalize("NFC", base[pos] + L.TONE_MARKS[tone]) + base[pos + 1:]


def fold_key(s: str) -> str:
    """Matching key: lowercase NFC with the tone mark moved to one fixed place per syllable."""
    s = unicodedata.normalize("NFC", s.lower())
    return _WORD.sub(lambda m: _fold_word(m.group()), s)


def strip_diacritics(s: str) -> str:
    """'Quảng Trị' -> 'quang tri': lowercase, no marks, đ -> d."""
    d = unicodedata.normalize("NFD", s.lower().replace("đ", "d").replace("Đ", "d"))
    return unicodedata.normalize("NFC", "".join(c for c in d if not unicodedata.combining(c)))


_HIGH_BYTE = re.compile(rb"[\x80-\xff]")
_UTF8_SEQ = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def decode_bytes(data: bytes) -> str:
    """Decode file bytes: UTF-8 (BOM or not), UTF-16 with BOM, else the likeliest of
    Windows-1258 / TCVN3 / VNI / UTF-8 with U+FFFD for bad bytes. Never raises."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    sample = data[:200_000]
    high = len(_HIGH_BYTE.findall(sample))
    in_utf8 = sum(len(m) for m in _UTF8_SEQ.findall(sample))
    if in_utf8 >= 0.8 * high:  # a few bad bytes in UTF-8 text: keep UTF-8
        return data.decode("utf-8", errors="replace")
    cands = {"utf-8": sample.decode("utf-8", errors="replace")}
    for enc in ("cp1258", "tcvn3", "vni"):
        cands[enc] = L.decode_legacy_bytes(sample, enc)

    def score(enc: str) -> float:
        s = cands[enc]
        return L.viet_score(s) - s.count("\ufffd") / max(1, len(L.tokens(s)))

    best = max(cands, key=score)
    if best == "utf-8":
        return data.decode("utf-8", errors="replace")
    return L.decode_legacy_bytes(data, best)
