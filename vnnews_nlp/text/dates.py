"""Dates and periods in Vietnamese news text, as ISO strings.

`28/12/2019` and `ngày 28 tháng 12 năm 2019` -> `2019-12-28`; `tháng 4/2019` -> `2019-04` (no
invented day); `quý 4/2019`, `quý IV năm 2019` -> `2019-Q4` (a quarter, not April);
`năm 2020` -> `2020`; `giai đoạn 2016-2020`, `năm 2019-2020` -> `2016/2020` (an ISO interval).
A day and month without a year (`ngày 1/7`) is left out: the year is not ours to guess.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple

_Y = r"(?P<y>(?:1[89]|20)\d\d)(?!\d)"
_SEP = r"\s*[/.\-]\s*"
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}

# One alternation scanned left to right; longer, more specific forms come first. Every part is
# bounded (at most a few digits or words), so matching is linear in the text length.
DATE_RE = re.compile(
    # The lookahead on the first letter of every alternative rejects most positions at once:
    # it halves the time of the scan (measured in bench/figures.py).
    r"(?=[\dnqtgm])(?<![\w/.,])(?:"
    r"(?P<full>(?:ngày\s+)?(?P<d1>\d{1,2})\s+tháng\s+(?P<m1>\d{1,2})\s*(?:năm\s+|[/,]\s*)"
    + _Y.replace("y>", "y1>") + r")"
    r"|(?P<dmy>(?:ngày\s+)?(?P<d2>\d{1,2})(?P<s>[/.\-])(?P<m2>\d{1,2})(?P=s)"
    + _Y.replace("y>", "y2>") + r")"
    r"|(?P<dm_y>(?:ngày\s+)?(?P<d3>\d{1,2})/(?P<m3>\d{1,2})\s+năm\s+" + _Y.replace("y>", "y3>") + r")"
    r"|(?P<q>quý\s+(?P<qn>[1-4]|IV|III|II|I)(?![\w])(?:" + _SEP + r"|\s+năm\s+|\s+)"
    + _Y.replace("y>", "y4>") + r")"
    r"|(?P<my>tháng\s+(?P<m5>\d{1,2})(?:" + _SEP + r"|\s+năm\s+)" + _Y.replace("y>", "y5>") + r")"
    r"|(?P<span>(?:năm|giai\s+đoạn|thời\s+kỳ|niên\s+khóa|mùa\s+giải|nhiệm\s+kỳ)\s+"
    + _Y.replace("y>", "y6>") + r"\s*[\-–]\s*" + _Y.replace("y>", "y7>") + r")"
    r"|(?P<year>năm\s+" + _Y.replace("y>", "y8>") + r")"
    r"|(?<!quý\s)(?P<bare_my>(?P<m9>\d{1,2})/" + _Y.replace("y>", "y9>") + r")"
    r")(?![\w/])",
    re.IGNORECASE,
)


class DateMatch(NamedTuple):
    start: int
    end: int
    value: str


def iso_day(y: int, m: int, d: int) -> str | None:
    try:
        return dt.date(y, m, d).isoformat()
    except ValueError:
        return None


def iso_month(y: int, m: int) -> str | None:
    return f"{y:04d}-{m:02d}" if 1 <= m <= 12 else None


def _value(m: re.Match) -> str | None:
    g = m.groupdict()
    if g["full"]:
        return iso_day(int(g["y1"]), int(g["m1"]), int(g["d1"]))
    if g["dmy"]:
        return iso_day(int(g["y2"]), int(g["m2"]), int(g["d2"]))
    if g["dm_y"]:
        return iso_day(int(g["y3"]), int(g["m3"]), int(g["d3"]))
    if g["q"]:
        n = g["qn"]
        q = int(n) if n.isdigit() else _ROMAN[n.lower()]
        return f"{g['y4']}-Q{q}"
    if g["my"]:
        return iso_month(int(g["y5"]), int(g["m5"]))
    if g["span"]:
        a, b = int(g["y6"]), int(g["y7"])
        return f"{a}/{b}" if a < b else None
    if g["year"]:
        return g["y8"]
    if g["bare_my"]:
        return iso_month(int(g["y9"]), int(g["m9"]))
    return None


def find_dates(text: str) -> list[DateMatch]:
    """All dates and periods in `text` as (start, end, ISO value), in text order."""
    out = []
    for m in DATE_RE.finditer(text):
        v = _value(m)
        if v:
            out.append(DateMatch(m.start(), m.end(), v))
    return out
