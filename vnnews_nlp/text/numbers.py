"""Numbers as Vietnamese news writes them, parsed to exact `Decimal` values.

Conventions: `.` groups thousands and `,` marks decimals (`470.000`, `29,08`, `1.234,5`);
scale words multiply (`61,3 triệu`, `470.000 tỷ`, `2 tỷ 500 triệu`, `nghìn tỷ`); numbers may be
written out (`hai mươi lăm`, `một trăm lẻ năm`, `ba triệu rưỡi`, `một nửa`).
The `format_*` functions write the same forms back; tests use them to check round trips.
"""
from __future__ import annotations

import re
from decimal import Decimal

# Plain linear pattern: every separator must be followed by digits, so there is only one way
# to match and no backtracking blow-up on long runs of digits, dots and commas.
DIGITS_RE = re.compile(r"\d+(?:[.,]\d+)*")

SCALES = {
    "nghìn": 10**3, "ngàn": 10**3, "vạn": 10**4, "triệu": 10**6, "tỷ": 10**9, "tỉ": 10**9,
}
# "trăm" and "chục" multiply like scales after digits ("3 trăm"), but inside written-out
# numbers they only act within a group below one thousand.
SMALL_MULT = {"trăm": 100, "chục": 10}

UNITS = {
    "không": 0, "một": 1, "mốt": 1, "hai": 2, "ba": 3, "bốn": 4, "tư": 4, "năm": 5, "lăm": 5,
    "nhăm": 5, "sáu": 6, "bảy": 7, "bẩy": 7, "tám": 8, "chín": 9,
}
NUMBER_WORDS = set(UNITS) | set(SCALES) | set(SMALL_MULT) | {
    "mười", "mươi", "lẻ", "linh", "rưỡi", "nửa",
}


def parse_digits(text: str) -> Decimal:
    """`470.000` -> 470000, `29,08` -> 29.08, `1.234,5` -> 1234.5, `2.5` -> 2.5.

    A single `.` followed by exactly three digits groups thousands (Vietnamese style); otherwise
    a lone `.` is an English decimal point. Several `,` groups of three with no `.` are English
    thousands (`1,234,567`). Raises ValueError for anything else (versions, IP-like strings).
    """
    s = text.strip()
    if not DIGITS_RE.fullmatch(s):
        raise ValueError(f"not a number written in digits: {text!r}")
    dots, commas = s.count("."), s.count(",")
    if dots and commas:
        # Both present: the last separator is the decimal mark.
        dec, grp = (",", ".") if s.rfind(",") > s.rfind(".") else (".", ",")
        whole, _, frac = s.rpartition(dec)
        if whole.count(dec) or not _grouped(whole, grp):
            raise ValueError(f"mixed separators in {text!r}: use `.` for thousands, `,` for decimals")
        return Decimal(whole.replace(grp, "") + "." + frac)
    if dots:
        if _grouped(s, "."):
            return Decimal(s.replace(".", ""))
        if dots == 1:
            return Decimal(s)
        raise ValueError(f"{text!r} has several dots but is not grouped in thousands")
    if commas:
        if commas > 1:
            if _grouped(s, ","):
                return Decimal(s.replace(",", ""))
            raise ValueError(f"{text!r} has several commas but is not grouped in thousands")
        return Decimal(s.replace(",", "."))
    return Decimal(s)


def _grouped(s: str, sep: str) -> bool:
    parts = s.split(sep)
    return 1 <= len(parts[0]) <= 3 and all(len(p) == 3 for p in parts[1:]) and len(parts) > 1


def parse_value(text: str) -> Decimal:
    """Any written form: digits, digits with scale words, or words (`hai mươi lăm nghìn`)."""
    words = text.lower().split()
    if not words:
        raise ValueError("empty number")
    return combine([_word_or_digits(w) for w in words])


def _word_or_digits(w: str):
    if w[0].isdigit():
        return parse_digits(w)
    if w not in NUMBER_WORDS:
        raise ValueError(f"{w!r} is not a number word")
    return w


def combine(parts: list) -> Decimal:
    """Combine Decimals and number words left to right into one value.

    Scales nest the way Vietnamese reads them: `470.000 tỷ` = 470000 x 10^9, `năm trăm nghìn
    tỷ` = 500000 x 10^9, `2 tỷ 500 triệu` = 2 x 10^9 + 500 x 10^6.
    """
    groups: list[tuple[Decimal, int]] = []  # (amount, scale) closed by a scale word
    small = Decimal(0)  # the part below the next scale word
    last = None         # the digit just added to `small`; "mươi"/"trăm" multiply it
    prev = None
    for p in parts:
        if isinstance(p, Decimal) or p in UNITS:
            if p == "mốt" and prev != "mươi":
                raise ValueError("'mốt' (one) only follows 'mươi'")
            d = p if isinstance(p, Decimal) else Decimal(UNITS[p])
            small += d
            last = d
        elif p == "mười":
            small += 10
            last = None
        elif p == "mươi" or p in SMALL_MULT:
            m = 10 if p == "mươi" else SMALL_MULT[p]
            if last is None:
                raise ValueError(f"{p!r} needs a digit before it")
            small += last * (m - 1)
            last = None
        elif p in SCALES:
            s, val = SCALES[p], small
            # A scale repeated multiplies what came before: "một nghìn nghìn" = 10^6.
            while groups and groups[-1][1] <= s:
                a, sc = groups.pop()
                val += a * sc
            groups.append((val or Decimal(1), s))
            small, last = Decimal(0), None
        elif p == "rưỡi":
            if prev in SCALES:
                a, sc = groups[-1]
                groups[-1] = (a + Decimal("0.5"), sc)
            elif prev in SMALL_MULT:
                small += Decimal(SMALL_MULT[prev]) / 2
            else:
                raise ValueError("'rưỡi' (and a half) follows a scale word")
        elif p == "nửa":
            if small not in (0, 1) or (small == 1 and prev != "một"):
                raise ValueError("'nửa' (half) starts a number or follows 'một'")
            small, last = Decimal("0.5"), None
        elif p in ("lẻ", "linh"):
            pass
        else:
            raise ValueError(f"cannot read {p!r} as part of a number")
        prev = p
    total = small + sum((a * s for a, s in groups), Decimal(0))
    return plain(total)


def plain(value: Decimal) -> Decimal:
    """Drop exponent notation so `4.7E+14` prints as `470000000000000`."""
    # format(..., "f") instead of quantize: quantize fails past the context's 28 digits.
    if value == value.to_integral_value():
        return Decimal(format(value, "f").partition(".")[0])
    return value.normalize()


def format_digits(value: Decimal) -> str:
    """470000 -> `470.000`, 29.08 -> `29,08`."""
    value = plain(Decimal(value))
    sign = "-" if value < 0 else ""
    whole, _, frac = format(abs(value), "f").partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return sign + ".".join(groups) + ("," + frac if frac else "")


def format_scaled(value: Decimal, scale: str) -> str:
    """`format_scaled(61300000, "triệu")` -> `61,3 triệu`."""
    return format_digits(Decimal(value) / SCALES[scale]) + " " + scale


_DIGIT_WORDS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]


def format_words(n: int) -> str:
    """Write a non-negative integer out in words: 25 -> `hai mươi lăm`, 105 -> `một trăm lẻ năm`."""
    if n < 0:
        raise ValueError("format_words takes a non-negative integer")
    if n == 0:
        return "không"
    parts = []
    for name, size in (("tỷ", 10**9), ("triệu", 10**6), ("nghìn", 10**3)):
        if n >= size:
            q, n = divmod(n, size)
            # Above a billion the count of billions is itself written out ("nghìn tỷ").
            parts.append(format_words(q) + " " + name)
            if n and n < 100 and parts:
                parts.append("không trăm")
    if n:
        parts.append(_below_thousand(n, full=bool(parts)))
    return " ".join(parts)


def _below_thousand(n: int, full: bool) -> str:
    h, rest = divmod(n, 100)
    words = []
    if h:
        words += [_DIGIT_WORDS[h], "trăm"]
    if rest == 0:
        return " ".join(words)
    t, u = divmod(rest, 10)
    if t == 0:
        if words or full:
            words.append("lẻ")
        words.append(_DIGIT_WORDS[u])
    elif t == 1:
        words.append("mười")
        if u:
            words.append("lăm" if u == 5 else _DIGIT_WORDS[u])
    else:
        words += [_DIGIT_WORDS[t], "mươi"]
        if u:
            words.append({1: "mốt", 5: "lăm"}.get(u, _DIGIT_WORDS[u]))
    return " ".join(words)


def json_value(v: Decimal | None):
    """A JSON number where a float keeps every digit, else the exact decimal as a string."""
    if v is None:
        return None
    v = plain(v)
    if v == v.to_integral_value():
        return int(v) if abs(v) < 2**53 else format(v, "f")
    f = float(v)
    return f if Decimal(repr(f)) == v else format(v, "f")
