"""Search keys for entity names: exact, tone-folded and diacritic-free.

The pipeline's own `vnnews_nlp.text.normalize.fold_key` / `strip_diacritics` are used when present so
that index keys agree with the tokenizer's `token._.key`; the fallbacks below keep the index
usable (and testable) on their own. `KEYS_VERSION` fingerprints the functions in use so that a
database built with other key functions gets its alias keys recomputed (see build.refresh_keys).
"""
from __future__ import annotations

import hashlib
import re
import unicodedata

_TONES = {"\u0300": "2", "\u0301": "1", "\u0303": "4", "\u0309": "3", "\u0323": "5"}
_SPACE = re.compile(r"\s+")
# punctuation other than "&" (kept: "TT&TT") separates words in the diacritic-free key
_PUNCT = re.compile(r"[^\w&]+")


def _fallback_strip(text: str) -> str:
    out = unicodedata.normalize("NFD", text).replace("đ", "d").replace("Đ", "D")
    out = "".join(c for c in out if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", out)


def _fallback_fold(text: str) -> str:
    # tone marks may sit on either vowel ("hoà"/"hòa"): drop them and append the tone to the
    # syllable, so placement no longer matters but "ba" and "bá" stay distinct
    words = []
    for word in unicodedata.normalize("NFD", text.casefold()).split():
        tones = [_TONES[c] for c in word if c in _TONES]
        base = unicodedata.normalize("NFC", "".join(c for c in word if c not in _TONES))
        words.append(base + (tones[-1] if tones else ""))
    return " ".join(words)


try:  # pragma: no cover - depends on whether normalize.py has landed
    from vnnews_nlp.text.normalize import fold_key as _fold, strip_diacritics as _strip
except ImportError:  # pragma: no cover
    _fold, _strip = _fallback_fold, _fallback_strip


def id_key(text: str) -> str:
    """Stable key for derived entity ids ("tran-van-ba~1c0f3e"): a readable slug plus a short hash
    of the tone-folded form, so "Ba" and "Bá" differ; independent of the normalize module."""
    folded = _SPACE.sub(" ", _fallback_fold(unicodedata.normalize("NFC", text))).strip()
    bare = _fallback_strip(unicodedata.normalize("NFC", text)).casefold().replace("_", " ")
    slug = "".join(c for c in "-".join(_PUNCT.sub(" ", bare).split()) if c.isascii()) or "x"
    return f"{slug}~{hashlib.sha256(folded.encode()).hexdigest()[:6]}"


def exact_key(text: str) -> str:
    """NFC, case-folded, whitespace collapsed: the surface as written."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text).casefold()).strip()


def fold_key(text: str) -> str:
    """Tone-mark placement and case folded; diacritics kept."""
    return _SPACE.sub(" ", _fold(unicodedata.normalize("NFC", text)).casefold()).strip()


def plain_key(text: str) -> str:
    """No diacritics, no case, punctuation (except "&") as spaces: "Bộ TT&TT" -> "bo tt&tt"."""
    bare = _strip(unicodedata.normalize("NFC", text)).casefold()
    return _SPACE.sub(" ", _PUNCT.sub(" ", bare.replace("_", " "))).strip()


_PROBE = "Thừa Thiên-Huế hoà hòa Quảng Trị Bộ TT&TT Đắk Lắk"
KEYS_VERSION = hashlib.sha256(
    "|".join((exact_key(_PROBE), fold_key(_PROBE), plain_key(_PROBE))).encode()
).hexdigest()[:16]
