"""Dates and periods in Vietnamese news text, as ISO strings.

`28/12/2019` and `ngày 28 tháng 12 năm 2019` -> `2019-12-28`; `tháng 4/2019` -> `2019-04` (no
invented day); `quý 4/2019`, `quý IV năm 2019` -> `2019-Q4` (a quarter, not April);
`năm 2020` -> `2020`; `giai đoạn 2016-2020`, `từ 1995 đến 1998` -> `2016` to `2020` (`value`
and `end_value`).

A day and month without a year (`ngày 25/4`, `đêm 18/4`, `25 tháng 4`) gets its year from the
article's publication date when known, else from the latest full date in the text, and is
marked `year_inferred`; with neither it stays `--04-25`. A day/month needs a word that makes it
a date ("ngày", "hôm", "đêm", "sáng" ..., "từ"/"đến"): a bare "2/3" is a fraction.
Relative dates (`hôm qua`, `tuần trước`, `năm ngoái`) are resolved only against a known
publication date, and marked `relative`.
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
_DM_WORD = r"(?:ngày|đêm|hôm|sáng|chiều|trưa|tối|khuya|rạng\s+sáng)"
_DM_AFTER = r"(?:(?<=từ\s)|(?<=đến\s)|(?<=tới\s)|(?<=và\s)|(?<=\()|(?<=-\s))"
_WM_AFTER = r"(?:(?<=hồi\s)|(?<=vào\s)|(?<=từ\s)|(?<=đến\s)|(?<=tới\s)|(?<=cuối\s)|(?<=đầu\s)|(?<=giữa\s)|(?<=trong\s))"
_WRITTEN_MONTHS = {"một": 1, "giêng": 1, "hai": 2, "ba": 3, "tư": 4, "năm": 5, "sáu": 6, "bảy": 7, "tám": 8,
                   "chín": 9, "mười": 10, "mười một": 11, "mười hai": 12, "chạp": 12}
_ROMAN_NUMBERS = {"i": 1, "v": 5, "x": 10}
_RELATIVE = {
    "hôm qua": ("day", -1), "hôm nay": ("day", 0), "ngày mai": ("day", 1), "hôm kia": ("day", -2),
    "tuần trước": ("week", -1), "tuần qua": ("week", -1), "tuần này": ("week", 0), "tuần tới": ("week", 1),
    "tuần sau": ("week", 1), "tháng trước": ("month", -1), "tháng này": ("month", 0),
    "tháng tới": ("month", 1), "tháng sau": ("month", 1), "năm ngoái": ("year", -1),
    "năm trước": ("year", -1), "năm nay": ("year", 0), "năm tới": ("year", 1), "năm sau": ("year", 1),
}

DATE_RE = re.compile(
    # The lookahead on the first letter of every alternative rejects most positions at once:
    # it halves the time of the scan (measured in bench/figures.py).
    r"(?=[\dnqtgmđhsckr])(?<![\w/.,])(?:"
    r"(?P<full>(?:ngày\s+)?(?P<d1>\d{1,2})\s+tháng\s+(?P<m1>\d{1,2})\s*(?:năm\s+|[/,]\s*)"
    + _Y.replace("y>", "y1>") + r")"
    r"|(?P<dmy>(?:ngày\s+)?(?P<d2>\d{1,2})(?P<s>[/.\-])(?P<m2>\d{1,2})(?P=s)"
    + _Y.replace("y>", "y2>") + r")"
    r"|(?P<dm_y>(?:ngày\s+)?(?P<d3>\d{1,2})/(?P<m3>\d{1,2})\s+năm\s+" + _Y.replace("y>", "y3>") + r")"
    r"|(?P<q>quý\s+(?P<qn>[1-4]|IV|III|II|I)(?![\w])(?:" + _SEP + r"|\s+năm\s+|\s+)"
    + _Y.replace("y>", "y4>") + r")"
    r"|(?P<my>tháng\s+(?P<m5>\d{1,2})(?:" + _SEP + r"|\s+năm\s+)" + _Y.replace("y>", "y5>") + r")"
    r"|(?P<season>mùa\s+(?:bóng|giải)\s+(?P<y14>(?:1[89]|20)?\d\d)/(?P<y15>\d\d)(?![\d/]))"
    r"|(?P<span>(?:năm|giai\s+đoạn|thời\s+kỳ|niên\s+khóa|mùa\s+giải|mùa\s+bóng|nhiệm\s+kỳ)\s+"
    + _Y.replace("y>", "y6>") + r"\s*[\-–]\s*" + _Y.replace("y>", "y7>") + r")"
    r"|(?P<yrange>từ\s+(?:năm\s+)?" + _Y.replace("y>", "y10>") + r"\s+(?:đến|tới)\s+(?:năm\s+)?"
    + _Y.replace("y>", "y11>") + r")"
    r"|(?P<dlist>" + _DM_WORD + r"\s+(?:ngày\s+)?(?P<d18>\d{1,2})\s*(?:và|,|-|–)\s*(?P<d19>\d{1,2})[/\-]"
    r"(?P<m19>\d{1,2})(?![\d/]|[\-.]\d))"
    r"|(?P<century>thế\s+kỷ\s+(?P<c20>\d{1,2}|[IVX]{1,5})(?![\w/]))"
    r"|(?P<wmonth>" + _WM_AFTER + r"tháng\s+(?P<m21>mười\s+một|mười\s+hai|một|hai|ba|tư|năm|sáu|bảy|tám|chín|mười|giêng|chạp)"
    r"(?!\w|\s+(?:một|hai)(?!\w)|\s+năm\s+(?:ngoái|trước|nay|tới|sau)))"
    r"|(?P<dm>(?:" + _DM_WORD + r"\s+(?:ngày\s+)?|" + _DM_AFTER + r")(?P<d12>\d{1,2})[/\-](?P<m12>\d{1,2})"
    r"(?![\d/]|[\-.]\d))"
    r"|(?P<dmw>" + _DM_WORD + r"\s+(?P<d13>\d{1,2})\s+tháng\s+(?P<m13>\d{1,2})(?!\d|\s*(?:năm\s+|[/,]\s*)\d))"
    r"|(?P<mrel>tháng\s+(?P<m16>\d{1,2})\s+(?P<yrel>năm\s+(?:ngoái|trước|nay|tới|sau))(?!\w))"
    r"|(?<!\d\s)(?P<mo>tháng\s+(?P<m14>\d{1,2})(?![\d/]|\s*(?:năm\s+|[/\-,.]\s*)\d))"
    r"|(?P<rel>(?:hôm\s+(?:qua|nay|kia)|ngày\s+mai|(?:tuần|tháng)\s+(?:trước|qua|này|tới|sau)"
    r"|năm\s+(?:ngoái|trước|nay|tới|sau))(?!\w))"
    r"|(?P<year>năm\s+" + _Y.replace("y>", "y8>") + r")"
    # a bare year after a word, where a clause goes on or ends ("Gala cười 2005 sẽ", "Euro 2004.",
    # "sinh 1967,"): not "2005 người" (a count) nor "04.726 1938" (a phone number)
    r"|(?<=[^\W\d_]\s)(?P<bare_y>" + _Y.replace("y>", "y17>") + r")(?=\s*[,.;:)\"'”’]|\s*$"
    r"|\s+(?:và|vào|sẽ|đã|được|tại|ở|của|là|với|diễn|khai|kết)(?!\w))"
    r"|(?<!quý\s)(?P<bare_my>(?P<m9>\d{1,2})/" + _Y.replace("y>", "y9>") + r")"
    r")(?![\w/])",
    re.IGNORECASE,
)


class DateMatch(NamedTuple):
    start: int
    end: int
    value: str
    end_value: str | None = None  # the end of a range ("từ 1995 đến 1998": 1995 .. 1998)
    year_inferred: bool = False  # a day/month whose year came from the article
    relative: bool = False  # "hôm qua", resolved against the publication date


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
    if g["season"]:  # "mùa bóng 2005/06", "mùa bóng 02/03": from one year into the next
        a = int(g["y14"]) if len(g["y14"]) == 4 else 2000 + int(g["y14"]) if int(g["y14"]) < 50 else 1900 + int(g["y14"])
        return f"{a}/{a + 1}" if int(g["y15"]) == (a + 1) % 100 else None
    if g["span"]:
        a, b = int(g["y6"]), int(g["y7"])
        return f"{a}/{b}" if a < b else None
    if g["yrange"]:
        a, b = int(g["y10"]), int(g["y11"])
        return f"{a}/{b}" if a < b else None
    if g["dlist"]:  # "ngày 27 và 28-8", "ngày 27-28/8": the month follows the last day
        a, b = _month_day(int(g["m19"]), int(g["d18"])), _month_day(int(g["m19"]), int(g["d19"]))
        return f"{a}/{b}" if a and b and a < b else None
    if g["century"]:  # "thế kỷ 21", "thế kỷ XX": its first and last year
        n = _roman(g["c20"]) if not g["c20"].isdigit() else int(g["c20"])
        return f"{(n - 1) * 100 + 1:04d}/{n * 100:04d}" if 1 <= n <= 21 else None
    if g["wmonth"]:  # "hồi tháng một": a month written out, after a word that makes it a date
        return f"--{_WRITTEN_MONTHS[' '.join(g['m21'].lower().split())]:02d}"
    if g["dm"]:
        return _month_day(int(g["m12"]), int(g["d12"]))
    if g["dmw"]:
        return _month_day(int(g["m13"]), int(g["d13"]))
    if g["mo"]:
        m14 = int(g["m14"])
        return f"--{m14:02d}" if 1 <= m14 <= 12 else None
    if g["mrel"]:  # "tháng 5 năm ngoái": a month of a year counted from the publication date
        m16 = int(g["m16"])
        return f"relm:{m16}:" + " ".join(g["yrel"].lower().split()) if 1 <= m16 <= 12 else None
    if g["rel"]:
        return "rel:" + " ".join(m.group("rel").lower().split())
    if g["year"]:
        return g["y8"]
    if g["bare_y"]:  # "~": a year, but not one a day/month is read against ("World Cup 2006")
        return g["y17"] + "~"
    if g["bare_my"]:
        return iso_month(int(g["y9"]), int(g["m9"]))
    return None


def _roman(numeral: str) -> int:
    values = [_ROMAN_NUMBERS[c] for c in numeral.lower()]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def _month_day(m: int, d: int) -> str | None:
    return f"--{m:02d}-{d:02d}" if iso_day(2000, m, d) else None  # 2000: 29 February exists


def find_dates(text: str, published: str | None = None, context: str | None = None) -> list[DateMatch]:
    """All dates and periods in `text`, in text order; day/month dates and relative dates are
    resolved against `published` (ISO date) or, for day/month, the latest full date in the
    text, else in `context` (the input the text was cut from: its dated related-article lines
    say when the article appeared)."""
    found = []
    for m in DATE_RE.finditer(text):
        v = _value(m)
        if v:
            found.append((m.start(), m.end(), v))
    pub = _iso_date(published)
    ref = pub or _reference(found)
    if ref is None and context and any(v.startswith("--") for _, _, v in found):
        ref = _reference([(m.start(), m.end(), v) for m in DATE_RE.finditer(context) if (v := _value(m))])
    out = []
    for s, e, v in found:
        if v.startswith("relm:"):
            if pub is not None:
                _, month, rel = v.split(":")
                year = _relative(pub, *_RELATIVE[rel])
                out.append(DateMatch(s, e, f"{year}-{int(month):02d}", relative=True))
        elif v.startswith("rel:"):
            if pub is not None:
                out.append(DateMatch(s, e, _relative(pub, *_RELATIVE[v[4:]]), relative=True))
        elif "/" in v and v.startswith("--"):  # "ngày 27 và 28-8": both ends resolved the same way
            a, b = v.split("/")
            ya = _in_year(ref, int(a[2:4]), int(a[5:7])) if ref else None
            yb = _in_year(ref, int(b[2:4]), int(b[5:7])) if ref else None
            out.append(DateMatch(s, e, ya or a, end_value=yb or b, year_inferred=ya is not None))
        elif v.startswith("--") and len(v) == 4:  # "tháng 9": a month of the article's year
            month = _month_in_year(ref, int(v[2:4])) if ref else None
            out.append(DateMatch(s, e, month or v, year_inferred=month is not None))
        elif v.startswith("--"):
            day = _in_year(ref, int(v[2:4]), int(v[5:7])) if ref else None
            out.append(DateMatch(s, e, day or v, year_inferred=day is not None))
        elif v.endswith("~"):
            out.append(DateMatch(s, e, v[:-1]))
        elif "/" in v:
            a, b = v.split("/")
            out.append(DateMatch(s, e, a, end_value=b))
        else:
            out.append(DateMatch(s, e, v))
    return out


def _reference(found: list) -> dt.date | None:
    """The date a day/month without a year is read against: the latest full date in the text,
    else the last day of its latest month, else the year of its latest year ("năm 2005" makes
    "ngày 25/4" 25 April 2005: the reference is then 31 December, and only that year is used)."""
    found = [f for f in found if f[2][0].isdigit() and not f[2].endswith("~")]  # not "--04-25", "rel:…", bare years
    days = [v for _, _, v in found if len(v) == 10 and v[4] == "-"]
    if days:
        return dt.date.fromisoformat(max(days))
    months = [v for _, _, v in found if len(v) == 7 and v[4] == "-" and v[5:].isdigit()]
    if months:
        y, m = int(max(months)[:4]), int(max(months)[5:])
        return dt.date(y, m, 28)
    years = [int(v[:4]) for _, _, v in found if len(v) == 4 and v.isdigit()]
    return _YearOnly(max(years), 12, 31) if years else None


class _YearOnly(dt.date):
    """A reference known only to its year."""


def _iso_date(published: str | None) -> dt.date | None:
    m = re.search(r"((?:19|20)\d\d)-(\d\d)-(\d\d)", published or "")
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None
    except ValueError:
        return None


def _in_year(ref: dt.date, month: int, day: int) -> str | None:
    """The day/month nearest before `ref` or up to two months after it (news reports what
    happened, or what is coming soon): "25/12" in an article of 5 January is last year's."""
    if isinstance(ref, _YearOnly):
        return iso_day(ref.year, month, day)
    for year in (ref.year, ref.year - 1, ref.year + 1):
        got = iso_day(year, month, day)
        if got and -304 <= (dt.date.fromisoformat(got) - ref).days <= 60:
            return got
    return None


def _month_in_year(ref: dt.date, month: int) -> str:
    """The month in `ref`'s year, or the year before when it lies more than two months ahead."""
    year = ref.year - 1 if month > ref.month + 2 and not isinstance(ref, _YearOnly) else ref.year
    return f"{year:04d}-{month:02d}"


def _relative(pub: dt.date, unit: str, step: int) -> str:
    if unit == "day":
        return (pub + dt.timedelta(days=step)).isoformat()
    if unit == "week":
        y, w, _ = (pub + dt.timedelta(weeks=step)).isocalendar()
        return f"{y}-W{w:02d}"
    if unit == "month":
        k = pub.year * 12 + pub.month - 1 + step
        return f"{k // 12:04d}-{k % 12 + 1:02d}"
    return str(pub.year + step)
