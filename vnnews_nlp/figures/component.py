"""Key figures (money, percentages, counts, measures, ranks, ratios) and dates.

`find_figures(text)` works on plain text and character offsets, so it does not depend on the
tokenizer; the spaCy component `vnnews_figures` turns its results into `doc.spans["figures"]`
(`span._.figure`) and `doc.spans["dates"]` (`span._.date`). Figures, units and dates are found
by rules with lists mined from unlabeled VNTC train; a figure's subject is proposed by rules
and chosen by a learned ranker (`subjects.py`) in the stage. The lists and the ranker live in
the stage's model folder (models/figures/, meta.json there). Guideline and scores:
docs/figures.md, docs/figures-annotation.md.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from spacy import util as spacy_util
from spacy.attrs import IDX, LENGTH
from spacy.language import Language
from spacy.tokens import Doc

from vnnews_nlp.text.dates import DateMatch, find_dates
from vnnews_nlp.text.numbers import DIGITS_RE, NUMBER_WORDS, SCALES, combine, parse_digits, plain
from vnnews_nlp.doc import DateValue, article_of, doc_text
from vnnews_nlp.paths import cfg_from_bytes, cfg_to_bytes
from vnnews_nlp.segment.atoms import Atoms, atoms_of, scan
from vnnews_nlp.doc import Figure as FigureValue
from vnnews_nlp.figures.subjects import SubjectRanker


_W = r"[^\W\d_]"  # a letter
_CURRENCIES = [  # (pattern, code, factor); longest first where one is a prefix of another
    (r"đô\s+la\s+Mỹ|đôla\s+Mỹ|đô-la\s+Mỹ|USD|US\$|đô\s+la|đôla|đô-la|đô(?!\s+thị)", "USD", 1),
    (r"VNĐ|VND|vnđ|vnd|đồng(?!\s+(?:chí|bào|nghiệp|minh|đội|hương|hồ|bằng|thời|ý|phạm|tác|chủ|sở))|đ|₫", "VND", 1),
    (r"EUR|euro|Euro|€", "EUR", 1), (r"yên|Yên|JPY", "JPY", 1),
    (r"nhân\s+dân\s+tệ|NDT|CNY", "CNY", 1), (r"bảng\s+Anh|GBP", "GBP", 1),
    (r"won|KRW", "KRW", 1), (r"baht|bạt|THB", "THB", 1), (r"rúp|RUB", "RUB", 1),
    (r"ringgit|ringit|MYR", "MYR", 1), (r"rupi|rupee|INR", "INR", 1), (r"AUD|SGD|CAD|CHF|HKD|TWD", None, 1), (r"cent|xu", "USD", Decimal("0.01")),
]
_CURRENCY_RE = re.compile(
    r"\s*(?:" + "|".join(f"(?P<c{i}>{p})" for i, (p, _, _) in enumerate(_CURRENCIES)) + r")(?!\w)")
# The names a person types for the units this stage stores (lookups by unit, e.g. `vnnews
# index figures --unit đồng`): stored unit -> its usual names, matched without regard to case.
# A currency's names are words `_CURRENCIES` reads as that code (tests/index check it); a
# scale word before one ("tỷ đồng") is dropped. Older records may hold a name, not the code.
UNIT_ALIASES = {
    "VND": ("VND", "VNĐ", "vnd", "vnđ", "đồng", "đ", "₫"),
    "USD": ("USD", "US$", "đô la", "đôla", "đô-la", "đô", "đô la Mỹ", "đôla Mỹ", "đô-la Mỹ"),
    "EUR": ("EUR", "euro", "€"), "JPY": ("JPY", "yên"), "CNY": ("CNY", "NDT", "nhân dân tệ"),
    "GBP": ("GBP", "bảng Anh"), "KRW": ("KRW", "won"), "THB": ("THB", "baht", "bạt"),
    "RUB": ("RUB", "rúp"), "MYR": ("MYR", "ringgit", "ringit"),
    "%": ("%", "phần trăm"),
}
_UNIT_KEYS = {" ".join(n.casefold().split()): code for code, names in UNIT_ALIASES.items() for n in names}
_UNIT_SCALES = {"nghìn", "ngàn", "triệu", "tỷ", "tỉ", "vạn", "trăm", "chục"}


def _known_unit(key: str) -> str | None:
    if key in _MEASURES:  # abbreviations keep their case: MW is not mW
        return _MEASURES[key]
    return _UNIT_KEYS.get(key.casefold())


def normalize_unit(name: str) -> str:
    """The unit this stage stores for a unit's usual name: "đồng", "VNĐ", "đ", "tỷ đồng" -> "VND";
    "đô la" -> "USD"; "phần trăm" -> "%"; "mét" -> "m". Other names come back as written."""
    words = name.split()
    known = _known_unit(" ".join(words))
    while known is None and len(words) > 1 and words[0].casefold() in _UNIT_SCALES:
        words = words[1:]
        known = _known_unit(" ".join(words))
    return known or " ".join(name.split())


def unit_names(name: str) -> tuple[str, ...]:
    """Every stored form of the unit `name` stands for: its code first, then its usual names
    (records from older versions may hold one of those)."""
    code = normalize_unit(name)
    return (code, *(n for n in UNIT_ALIASES.get(code, ()) if n != code))


# Abbreviations keep their case (Mbps is not MBps); written-out units are normalized.
_MEASURES = {
    "Mbps": "Mbps", "MBps": "MBps", "Kbps": "Kbps", "kbps": "kbps", "Gbps": "Gbps", "GB": "GB",
    "MB": "MB", "KB": "KB", "TB": "TB", "GHz": "GHz", "MHz": "MHz", "km²": "km²", "km2": "km²",
    "km": "km", "cm": "cm", "mm": "mm", "m²": "m²", "m2": "m²", "m³": "m³", "m3": "m³", "m": "m",
    "g": "g", "gam": "g", "gram": "g", "mg": "mg", "ha": "ha", "héc-ta": "ha", "hécta": "ha", "hecta": "ha", "tấn": "tấn", "kg": "kg",
    "tạ": "tạ", "lít": "lít", "ml": "ml", "MW": "MW", "kW": "kW", "kWh": "kWh", "GW": "GW",
    "GWh": "GWh", "MWh": "MWh", "kV": "kV", "mét": "m", "ki-lô-mét": "km", "kilomet": "km", "kilômét": "km", "kilômet": "km",
    "cây số": "km", "năm tuổi": "tuổi",
    "°C": "°C", "độ C": "°C", "oC": "°C", "0C": "°C", "năm": "năm", "tháng": "tháng", "tuần": "tuần", "ngày": "ngày",
    "giờ": "giờ", "tiếng": "giờ", "phút": "phút", "giây": "giây", "tuổi": "tuổi",
    "thế kỷ": "thế kỷ", "điểm": "điểm", "inch": "inch", "megapixel": "megapixel",
    "thùng": "thùng", "ounce": "ounce", "oz": "ounce", "pound": "pound", "feet": "feet",
    "dặm": "dặm", "hải lý": "hải lý", "m/s": "m/s", "km/h": "km/h",
    "m vuông": "m²", "mét vuông": "m²", "km vuông": "km²", "ki-lô-mét vuông": "km²", "m khối": "m³",
    "mét khối": "m³", "rpm": "rpm", "vòng/phút": "rpm",
}
_MEASURE_RE = re.compile(
    r"(?P<sp>\s*)(?P<u>" + "|".join(re.escape(u).replace(r"\ ", r"\s+")
                                    for u in sorted(_MEASURES, key=len, reverse=True)) + r")(?![\w²³])")
_PER_RE = re.compile(r"(?:(?P<slash>\s*/\s*)|\s+(?:một|mỗi)\s+)(?P<per>" + _W + r"+(?:[²³23])?)(?!\w)")
_SCALE_RE = re.compile(r"\s+(?P<s>nghìn|ngàn|triệu|tỷ|tỉ|vạn|trăm|chục|rưỡi)(?!\w)", re.I)
_PERCENT_RE = re.compile(r"\s*%|\s+phần\s+trăm(?!\w)")
_RANGE_RE = re.compile(r"\s*(?:-|–|đến|tới)\s*(?=\d)")
_WORDNUM_RE = re.compile(
    r"(?<!\w)(?:" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")(?!\w)"
    r"(?:\s+(?:" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")(?!\w))*", re.I)
_WORDNUM_TRIGGERS = frozenset("mười mươi trăm nghìn ngàn triệu tỷ tỉ chục vạn rưỡi nửa phần".split())
_TRIGGER_FIRST = frozenset(c for w in _WORDNUM_TRIGGERS for c in (w[0], w[0].upper()))
_FRACTION_RE = re.compile(r"(?<![\w/.,])(\d)/(\d{1,2})(?![\w/.,]|\s*năm)")

APPROX = ["xấp xỉ", "gần như", "khoảng chừng", "ước tính", "ít nhất", "tối thiểu", "tối đa",
          "khoảng", "gần", "hơn", "trên", "dưới", "chừng", "ước", "chưa đến", "chưa tới"]
APPROX_AFTER = ["trở lên", "trở xuống", "trở đi"]
INCREASE = ["tăng trưởng", "tăng thêm", "tăng lên", "gia tăng", "tăng vọt", "tăng", "lên"]
DECREASE = ["giảm xuống", "giảm còn", "giảm đi", "sụt giảm", "giảm", "xuống còn", "xuống",
            "sụt", "mất"]
PREDICATES = ["đạt được", "đạt mức", "đạt tới", "đạt", "ước đạt", "là", "chiếm", "ở mức", "rộng",
              "dài", "cao", "kéo dài", "vào", "đáp ứng", "trung bình", "lên mức",
              "lên tới", "lên đến", "lên mức", "còn", "vượt", "tương đương", "trị giá",
              "bằng", "có giá", "lên", "xuống", "leo lên", "leo tới", "leo"] + INCREASE + DECREASE
RANK_BEFORE = re.compile(r"(?:thứ\s+hạng|(?<!bảng\s)xếp\s+hạng|vị\s+trí(?:\s+thứ)?|xếp\s+thứ|"
                         r"đứng\s+thứ|(?<!xếp\s)hạng(?:\s+thứ)?|top)\s*$", re.I)
# The word just before a number that makes it an identifier, an ordinal or part of a date.
ID_BEFORE = set("""số điều khoản chương mục quận phường tầng phòng lớp khóa khoá tổ xóm ấp thôn
    đội đường lô căn mã model bảng hình trang tập kỳ mùa thứ lần ngày mùng mồng hôm tháng quý
    năm kỷ khu cụm cấp độ lúc tuyến chuyến kênh hiệp vòng ngõ ngách hẻm km ql quốc lộ trạm
    nhóm bước giai phiên hạt lò nhà hẻm đợt sư lữ trung tiểu khoa giờ đoạn tiết vol""".split())
STOP = set("""và của là trong so với thì mà để đã sẽ cho từ đến tới trên dưới hơn nữa lên
    xuống này đó kia các những được bị có không vào ra về theo như tại ở khi nên nhưng còn
    cũng đều vẫn chỉ rồi trở tăng giảm đạt chiếm gồm qua sau trước hay hoặc nay mỗi một
    thuộc do bởi vì nếu cùng đang vừa mới liên tiếp liền nhất thứ tiếp tới""".split())
COUNT_NOUNS = set("""con trai|con gái|con cái|người con|thuê bao|doanh nghiệp|quốc gia|hộ gia đình|chuyên gia|công nghệ|người dân|
    lao động|học sinh|sinh viên|giáo viên|công ty|dự án|ngân hàng|cổ phiếu|cổ phần|trái phiếu|
    sản phẩm|trường hợp|bệnh nhân|ca bệnh|nhà đầu tư|tỉnh thành|địa phương|khách hàng|
    vận động viên|cầu thủ|bàn thắng|đơn vị|cơ sở|hợp đồng|thành viên|tác phẩm|bài viết|
    đầu sách|máy tính|điện thoại|ô tô|xe máy|máy bay|chuyến bay|văn bản|hồ sơ|thủ tục|
    nhân viên|công nhân|cán bộ|đảng viên|hội viên|hộ nghèo|nạn nhân|đối tượng|bị can|bị cáo|
    chiến sĩ|bác sĩ|trẻ em|thí sinh|du khách|lượt khách|lượt người|căn hộ|ngôi nhà|nhà máy|
    cửa hàng|siêu thị|chi nhánh|văn phòng|trang trại|huy chương|giải thưởng|bộ phim|ca khúc|
    trận đấu|dịch vụ|ứng dụng|phần mềm|tên miền|trang web|thiết bị|linh kiện|mẫu xe|
    mặt hàng|lĩnh vực|tổ chức|cơ quan|làng nghề|sự kiện|vụ án|vụ việc|tai nạn|nhà khoa học|
    nhà báo|phóng viên|trường học|bệnh viện|giường bệnh|hội nghị|khách sạn|thị trường|
    người tiêu dùng|người lao động|người dùng|gia đình|hộ dân|sản phẩm|đại biểu|ứng viên|
    loại|hạng mục|công trình|tuyến đường|cây cầu|con số|lượt truy cập|khu đất|lô đất|ngày công|máy|
    chương trình|nhà mạng|hãng|tập đoàn|quỹ|ca|giờ|trường|điểm""".replace("\n", "").split("|"))
COUNT_NOUNS = {" ".join(w.split()) for w in COUNT_NOUNS}
SUBJ_CUT = re.compile(r"\s+(?:thống\s+kê|tính\s+(?:đến|tới|từ|chung|riêng)|trong\s+(?:năm|quý|"
                      r"tháng|tuần)|trong\s+\d+\s+(?:năm|quý|tháng|tuần|ngày)|(?:sáng|trưa|chiều|tối|hôm)\s+(?:nay|qua)|"
                      r"(?:tuần|tháng|năm)\s+(?:này|nay|qua|trước|ngoái)|năm(?=\s+\d)|quý(?=\s)|(?<!giao\s)tháng(?=\s+\d)|có\s+(?:khi|lúc)|mới\s+(?:chỉ|có|đạt)|đến\s+nay|hiện\s+nay|đóng\s+vai|"
                      r"đã|sẽ|cũng|vẫn|đều|đang|dự\s+kiến|ước|duy\s+trì|bình\s+quân\s+mỗi|"
                      r"chỉ|có\s+thể|được|so\s+với|từ\s+đầu|tiếp\s+tục|có\s+xu\s+hướng|hiện)(?!\w)", re.I)
SUBJ_LEAD = re.compile(r"^(?:(?:trong\s+đó|và|nhưng|còn|riêng|song|tuy\s+nhiên|theo\s+đó|"
                       r"đặc\s+biệt|ngoài\s+ra|bên\s+cạnh\s+đó|hiện\s+nay|hiện|với|trong\s+khi|"
                       r"mặt\s+khác|đồng\s+thời|cụ\s+thể|ví\s+dụ|ước\s+tính|ước|"
                       r"(?:năm|tháng|tuần|sáng|chiều|tối|hôm)\s+(?:nay|qua|ngoái|trước)|thì|nên|do\s+đó|vì\s+vậy|việc|từ|mặc\s+dù|dù|tuy|nhờ|sau\s+khi)(?!\w)\s*,?\s*)+",
                       re.I)
SUBORD = re.compile(r"(?:^|\s)(?<!có\s)(?:khi|nếu|rằng|vì|do|để|mà|thì|là|với|nên)\s", re.I)
NP_STOP = STOP | {"thế", "nay", "tới", "này", "sang", "mang", "tượng", "đang", "nhằm", "tùy", "cả", "để"}
PRE_NP = re.compile(r"(?:^|\s)(?:với|hơn|là|đạt|vào|tại|ở|bằng|như|lên|xuống|đến|tới|từ|có|theo(?!\s+đó)|gồm)\s",
                    re.I)


@dataclass
class Figure:
    start: int
    end: int
    value: Decimal
    unit: str | None
    kind: str
    approx: str | None = None
    range: list | None = None
    change: str | None = None
    subject: tuple[int, int] | None = None
    sent: int = field(default=0, repr=False)


def _last_words(text: str, end: int, n: int = 3) -> list[str]:
    return text[max(0, end - 40):end].lower().split()[-n:]


def _starts_with_any(s: str, words: list[str]) -> str | None:
    low = s.lower()
    for w in words:
        if low.startswith(w) and (len(low) == len(w) or not low[len(w)].isalnum()):
            return w
    return None


_BY_LEN: dict[int, list[str]] = {}


def _ends_with_any(s: str, words: list[str]) -> str | None:
    low = s[-40:].lower().rstrip()
    key = id(words)
    if key not in _BY_LEN:  # the word lists are module constants: sort each once
        _BY_LEN[key] = sorted(words, key=len, reverse=True)
    for w in _BY_LEN[key]:
        if low.endswith(w) and (len(low) == len(w) or not low[-len(w) - 1].isalnum()):
            return w
    return None


class _Finder:
    def __init__(self, text: str, word_ends: dict[int, int] | None = None, atoms: Atoms | None = None,
                 published: str | None = None, context: str | None = None, ranker=None,
                 lists: Lists | None = None):
        self.text = text
        self.ranker = ranker  # subjects.SubjectRanker, or None for the rules' subjects alone
        self.lists = lists or lists_at(default_folder())
        self.subject_features: dict = {}  # the subject ranker's features and their scores, by key
        self.subject_scores: dict = {}
        self.units = (atoms or scan(text)).units()  # the Doc's atoms, split at marks
        self.unit_starts = [u[0] for u in self.units]
        self.dates = find_dates(text, published, context)
        self.word_ends = word_ends or {}
        self.taken = bytearray(len(text) + 1)
        for d in self.dates:
            self.taken[d.start:d.end] = b"\x01" * (d.end - d.start)
        self.figures: list[Figure] = []
        self._english: dict[int, bool] = {}  # line start -> the line writes numbers in English format

    def _parse(self, atom: str, at: int) -> Decimal:
        """A number as its block writes numbers: in a line (a table row, a paragraph) that shows
        English format ("10,000 USD", "1,234,567"), "," groups thousands and "." is the decimal."""
        if "," in atom and _EN_NUMBER.fullmatch(atom) and self._english_line(at):
            return Decimal(atom.replace(",", ""))
        return parse_digits(atom)

    def _english_line(self, at: int) -> bool:
        a = self.text.rfind("\n", 0, at) + 1
        b = self.text.find("\n", at)
        b = len(self.text) if b < 0 else b
        if a not in self._english:
            self._english[a] = _english_format(self.text[a:b])
            if self._english[a] is None:  # a table row with one number: the whole text decides
                if -1 not in self._english:
                    self._english[-1] = bool(_english_format(self.text))
                self._english[a] = self._english[-1]
        return self._english[a]

    def free(self, a: int, b: int) -> bool:
        return not any(self.taken[a:b])

    def take(self, a: int, b: int) -> None:
        self.taken[a:b] = b"\x01" * (b - a)

    # -- finding numbers -------------------------------------------------------------------
    def run(self) -> list[Figure]:
        text = self.text
        self._fractions()
        for m in self._numbers():
            if self.free(m.start(), m.end()):
                self._digits(m)
        for lo, hi in self._wordnum_windows():
            for m in _WORDNUM_RE.finditer(text, lo, hi):
                if self.free(m.start(), m.end()):
                    self._words(m)
        self._cardinals()
        self.figures.sort(key=lambda f: f.start)
        self._carry_units()
        self._subjects()
        if self.ranker is not None:
            # the rules' subject is one of the ranker's features, so all of them come first
            # counts keep the rules' answer (almost always none, docs/figures-annotation.md):
            # ranking them too gained 0.010 subject F1 in CV for 46% more of the ranker's time
            for f in self.figures:
                if f.kind != "count":
                    f.subject = self.ranker.choose(self, f, f.subject)
        return self.figures

    def _wordnum_windows(self) -> list[tuple[int, int]]:
        """Stretches of text around multiplier words. A written-out number is kept only with a
        multiplier or a fraction word (see `_words`), so the long number-word pattern need not
        scan the rest of the article (it was the costliest scan of the stage)."""
        text, out = self.text, []
        for m_start, m_end in self._triggers():
            lo = max(0, m_start - 60)
            while lo > 0 and not text[lo - 1].isspace():
                lo -= 1  # start on a word boundary
            hi = min(len(text), m_end + 40)
            while hi < len(text) and text[hi].isalnum():
                hi += 1
            if out and lo <= out[-1][1]:
                out[-1] = (out[-1][0], hi)
            else:
                out.append((lo, hi))
        return out

    def _numbers(self):
        """Numbers written in digits ("1.234,5"), read off the atoms' units: a number starts
        a unit (a digit right after a letter is part of a name or code, "H5N1", and is never
        a figure), and runs on through "." and "," between digit units."""
        text, last = self.text, 0
        for s, e in self.units:
            if s >= last:
                m = DIGITS_RE.match(text, s)
                if m is not None:
                    last = m.end()
                    yield m

    def _cardinals(self) -> None:
        """A written-out cardinal from "hai" up counting a noun ("hai cơ quan", "bốn tỉnh", "ba
        chiếc xe"): kept only before a noun news counts (`counted_nouns`), a unit or a
        classifier, so that idioms ("hai bên") and "ba" as a word for father stay out."""
        text, nouns = self.text, self.lists.nouns
        for cm in _CARDINAL_RE.finditer(text):  # one regex pass, not a loop over the units
            s, e = cm.span()
            value = _CARDINALS[cm.group().lower()]
            if not self.free(s, e):
                continue
            lw = _last_words(text, s, 1)
            if lw and lw[0] in _NOT_BEFORE_CARDINAL:
                continue
            nxt = re.match(r" ([^\W\d_]+)(?: ([^\W\d_]+))?", text[e:e + 40])
            if not nxt:
                continue
            if cm.group()[0].isupper() and nxt.group(1)[0].isupper() and not _sentence_start(text, s):
                continue  # "Hai Bà Trưng", "Ba Đình": a name
            first, second = nxt.group(1).lower(), (nxt.group(2) or "").lower()
            classified = first in CLASSIFIERS and f"{first} {second}" not in COUNT_NOUNS  # "con trai"
            if classified:
                first, second = second, ""
            pair = f"{first} {second}"
            # "ba con tàu", "hai chiếc xe": a classifier before a noun makes the count
            looked_through = classified and nxt.group(2) and nxt.group(2).islower() and first not in NP_STOP \
                and first not in _NOT_AFTER_CLASSIFIER
            if not (looked_through or first in nouns or pair in COUNT_NOUNS or pair in self.lists.phrases or first in COUNT_NOUNS
                    or _MEASURE_RE.match(text, e) or _counted_acronym(nxt.group(1))):
                continue
            self._quantity(s, e, [Decimal(value)], rank=False, words=True)

    def _triggers(self):
        """Spans of the multiplier and fraction words ("mươi", "triệu", "nửa") among the units."""
        text = self.text
        for s, e in self.units:
            if text[s] in _TRIGGER_FIRST and text[s:e].lower() in _WORDNUM_TRIGGERS:
                yield s, e

    def _fractions(self) -> None:
        text = self.text
        for s, e in self.units:
            if e - s != 1 or not text[s].isdigit():
                continue
            m = _FRACTION_RE.match(text, s)
            if m is None:
                continue
            n, d = int(m.group(1)), int(m.group(2))
            before = _last_words(self.text, m.start(), 1)
            if 0 < n < d <= 10 and not (before and before[0] in ID_BEFORE | {
                    "từ", "đến", "hôm", "sáng", "chiều", "tối", "đêm", "trưa", "vào", "trước",
                    "sau", "đầu", "cuối", "giữa", "tới", "(", "nay"}):
                if self.free(m.start(), m.end()):
                    self._add(m.start(), m.end(), round(Decimal(n) / d, 6).normalize(), None, "ratio")

    def _digits(self, m: re.Match) -> None:
        text, s, e = self.text, m.start(), m.end()
        atom = m.group()
        prev = text[s - 1] if s else " "
        if prev.isalnum() or prev in "/.,#_+" or (prev == "-" and s > 1 and text[s - 2].isalpha()):
            return
        nxt = text[e] if e < len(text) else " "
        if re.search(r"t[ỷỉ]\s+số\s*$", text[max(0, s - 12):s], re.I):
            sc = re.match(r"\s*[-–:]\s*\d{1,2}(?!\d)", text[e:e + 6])
            self.take(s, e + (sc.end() if sc else 0))
            return  # "với tỷ số 1-4": a match score
        if (nxt == ":" and re.match(r":\d\d(?!\d)", text[e:e + 4]) and len(atom) <= 2) or (
                prev == ":" and len(atom) == 2 and re.search(r"(?<![\d:])\d{1,2}$", text[max(0, s - 3):s - 1])):
            self.take(s, e)  # a time of day, "10:34"
            return
        if nxt == "/" and e + 1 < len(text) and text[e + 1].isalnum():
            self.take(s, e)  # document numbers and dates without a year, e.g. 123/QĐ-UBND, 1/7
            return
        if re.match(r"0\d", atom) or (atom.isdigit() and len(atom) >= 7):
            return  # phone and fax numbers, codes
        line_start = text.rfind("\n", 0, s) + 1
        if re.fullmatch(r"[\s\-*•]*", text[line_start:s]) and re.match(r"[.)\-–]\s", text[e:e + 2]):
            return  # list ordinal "1. " / "2) " / "1- "
        if prev == "(" and nxt == ")" and atom.isdigit() and len(atom) <= 2:
            return  # "(1)" footnote or list mark
        lw = _last_words(text, s, 3)
        rank = bool(RANK_BEFORE.search(text[max(0, s - 30):s]))
        if not rank and lw and lw[-1].strip("(:") in ID_BEFORE and lw[-2:] != ["trong", "số"] and not (
                lw[-1] not in ("số", "ngày", "tháng", "năm", "quý", "lúc", "giờ", "đoạn")
                and (_MEASURE_RE.match(text, e) or _CURRENCY_RE.match(text, e) or _PERCENT_RE.match(text, e))):
            return
        unit_after = lw and (_MEASURE_RE.match(text, e) or _CURRENCY_RE.match(text, e)
                             or _PERCENT_RE.match(text, e) or _SCALE_RE.match(text, e))
        if lw and not unit_after and re.fullmatch(r"[A-ZĐ][A-ZĐ0-9\-]+", text[max(0, s - 40):s].split()[-1]):
            return  # "UT 722", "VN 2004": a name with a number
        if lw and not unit_after:
            name = re.search(r"(\S+)\s+$", text[max(0, s - 40):s])
            word = name.group(1) if name else ""
            if word.lower() in _EN_MONTHS:
                self.take(s, e)
                return  # "Sent: Saturday, March 19, 2005": an English date
            after = re.match(r" ([^\W\d_]+)", text[e:e + 20])
            counted = after is not None and (after.group(1) in self.lists.nouns or after.group(1) in CLASSIFIERS)
            if re.fullmatch(r"[A-ZĐ][^\W\d_]*", word) and word not in _TITLED_NOUNS and not counted and \
                    not _is_year(atom) and \
                    not _sentence_start(text, s - len(name.group(0))):
                self.take(s, e)
                return  # "tàu Trung Nghĩa 218", "SEA Games 22", "Pentium 4": a name's number
                # (but "mua của Tống Đức Long 3 xe": a count after a name)
        if re.search(r"(?:trung|sư|tiểu|lữ|quân)\s+đoàn\s*$", text[max(0, s - 20):s], re.I):
            return  # "Trung đoàn 230": a unit's number
        if re.search(r"(?:điện\s+thoại|fax|đt|tel|hotline|địa\s+chỉ|mã\s+số)\s*:?\s*\(?$",
                     text[max(0, s - 20):s], re.I):
            return
        hn = _HOUSE_RANGE.match(text, e)  # "44-46 Cách Mạng Tháng Tám": the street after a range
        he = hn.end() if hn else e
        if (_HOUSE_NUMBER.match(text, he) or (_ADDRESS_AFTER.match(text, he) and _after_comma(text, s))) and not (
                _MEASURE_RE.match(text, e) or _CURRENCY_RE.match(text, e)):
            self.take(s, he)
            return  # "33 Nguyễn Thái Học", "57 ấp Thanh Hòa A": a house number and its street
        if _CLOCK_AFTER.match(text, he):
            self.take(s, he)
            return  # "6 giờ ngày 3-9", "5-6 h trong ngày": a time of day, not a duration
        try:
            value = self._parse(atom, s)
        except ValueError:
            return
        if re.fullmatch(r"\d+\.0", atom) and not _MEASURE_RE.match(text, e) and not _PERCENT_RE.match(text, e):
            return  # versions: "Công nghiệp 4.0", "Web 2.0"
        if e < len(text) and text[e].isalpha():
            mu = _MEASURE_RE.match(text, e) or _CURRENCY_RE.match(text, e)
            if not mu or mu.group()[0].isspace():
                return  # 3G, 5G, 15h, H5N1: names and clock times, not quantities
        if prev == "$" or text[max(0, s - 3):s] == "US$":
            cur = ("USD", s - (3 if prev != "$" else 1))
        else:
            cur = None
        self._quantity(s, e, [value], rank=rank, prefix_currency=cur, plain_year=_is_year(atom))

    def _words(self, m: re.Match) -> None:
        words = [(a, b, self.text[a:b].lower()) for a, b in self._units_in(m.start(), m.end())
                 if self.text[a].isalnum()]
        # "năm" is "five" only before a multiplier; "hai mươi năm" is twenty years.
        mult = {"mươi", "trăm", "nghìn", "ngàn", "triệu", "tỷ", "tỉ", "chục", "vạn", "phần"}
        keep = []
        for i, (a, b, w) in enumerate(words):
            nxt = words[i + 1][2] if i + 1 < len(words) else None
            if w == "năm" and nxt not in mult and not (keep and keep[-1][2] in ("lẻ", "linh")):
                break
            keep.append((a, b, w))
        if not keep:
            return
        first = keep[0][2]
        lw = _last_words(self.text, keep[0][0], 1)
        if first in _BARE_SCALES and len(keep) == 1 and lw and lw[0] in _BEFORE_BARE_SCALE:
            # "hàng trăm người", "ngoài trăm tuổi", "cả chục năm": the scale alone, approximate
            n = len(self.figures)
            self._quantity(keep[0][0], keep[0][1], [Decimal(_BARE_SCALES[first])], rank=False, words=True)
            if len(self.figures) > n and not self.figures[-1].approx:
                self.figures[-1].approx = lw[0]
            return
        if lw and lw[0] in {"thứ", "tháng", "hàng", "vài", "mấy", "ngày", "mùng", "mồng", "lần"}:
            return
        if first == "nửa" and len(keep) == 1 and lw != ["một"]:
            mm = _MEASURE_RE.match(self.text, keep[0][1])
            if mm and mm.group("sp") and self.free(mm.start("u"), mm.end()):
                # "nửa lít", "nửa tháng": half of a measure
                self._add(keep[0][0], mm.end(), Decimal("0.5"), _MEASURES[" ".join(mm.group("u").split())], "measure")
            return
        if first not in set(_W_DIGITS) | {"mười"}:
            return
        ws = [w for _, _, w in keep]
        if ws == ["một", "nửa"]:
            self._add(keep[0][0], keep[-1][1], Decimal("0.5"), None, "ratio")
            return
        frac = re.match(r"\s+phần\s+(?:" + "|".join(_W_DIGITS[2:] + ["mười", "trăm"]) + r")(?!\w)",
                        self.text[keep[-1][1]:])
        if not (set(ws) & {"mười", "mươi", "trăm", "nghìn", "ngàn", "triệu", "tỷ", "tỉ", "chục",
                           "vạn", "rưỡi"}) and not frac:
            return  # a single digit word is mostly an article or idiom ("một số", "hai bên")
        while keep:
            try:
                value = combine([w for _, _, w in keep])
                break
            except ValueError:
                keep.pop()
        else:
            return
        fr = re.match(r"\s+phần\s+(" + "|".join(_W_DIGITS[2:] + ["mười"]) + r")(?!\w)",
                      self.text[keep[-1][1]:])
        if fr and fr.group(1) != "trăm":
            den = combine([fr.group(1)])
            if value < den:
                end = keep[-1][1] + fr.end()
                self._add(keep[0][0], end, round(value / den, 6).normalize(), None, "ratio")
            return
        self._quantity(keep[0][0], keep[-1][1], [value], rank=False, words=True)

    # -- reading the quantity after the number ---------------------------------------------
    def _scales(self, pos: int, parts: list) -> int:
        while True:
            sm = _SCALE_RE.match(self.text, pos)
            if sm:
                parts.append(sm.group("s").lower())
                pos = sm.end()
                # a compound amount: "2 tỷ 500 triệu"
                dm = re.match(r"\s+(\d{1,3}(?:,\d+)?)(?=\s+(?:nghìn|ngàn|triệu|tỷ|tỉ|trăm)(?!\w))",
                              self.text[pos:])
                if dm and SCALES.get(parts[-1], 0) > 1000:
                    parts.append(parse_digits(dm.group(1)))
                    pos += dm.end()
                continue
            return pos

    def _quantity(self, s, e, parts, rank, prefix_currency=None, plain_year=False, words=False):
        text = self.text
        pos = e if words else self._scales(e, parts)
        try:
            value = combine(parts)
        except ValueError:
            return
        scaled = len(parts) > 1 or words
        rng = None
        rm = _RANGE_RE.match(text, pos)
        if rm and not rank:
            hm = DIGITS_RE.match(text, rm.end())
            if hm and self.free(hm.start(), hm.end()) and not (hm.end() < len(text) and text[hm.end()] in "/"):
                try:
                    hparts = [self._parse(hm.group(), hm.start())]
                    hpos = self._scales(hm.end(), hparts)
                    high = combine(hparts)
                except ValueError:
                    hparts = None
                if hparts:
                    if len(hparts) > 1 and len(parts) == 1:  # "từ 5 đến 7 tỷ": the scale applies to both
                        value = combine(parts + hparts[1:])
                    unit_probe = self._unit(hpos, hm.end(), len(hparts) > 1)
                    if plain_year and len(hparts) == 1 and _is_year(hm.group()) and value < high and (
                            not unit_probe[0]):  # "2009-2010", "từ 1995 đến 1998": a period
                        self._add_date(s, hm.end(), str(value), str(high))
                        return
                    if value < high and (unit_probe[0] or len(hparts) > 1 or "-" not in rm.group()):
                        rng, pos = [value, high], hpos
                    elif "-" in rm.group() or "–" in rm.group():
                        self.take(s, hpos)
                        return  # scores and codes like 2-1, 3-0
        unit, kind, factor, upos = self._unit(pos, s, scaled)
        if kind == "percent" and rng is None:  # "từ 15% đến 20%": one range
            pr = _PERCENT_RANGE.match(text, upos)
            if pr and self.free(pr.start(1), pr.end()):
                try:
                    high = parse_digits(pr.group(1))
                except ValueError:
                    high = None
                if high is not None and high > combine(parts):
                    rng, upos = [combine(parts), high], pr.end()
        if kind == "count" and len(parts) > 1 and SCALES.get(parts[-1], 0) >= 10**6 and (
                unit is None or unit.lower() in _MONEY_WORDS):
            # "100 triệu bồi thường": millions of what the sentence pays are đồng
            unit, kind, factor, upos = "VND", "money", 1, pos
        if prefix_currency:
            unit, kind, factor, upos, s = prefix_currency[0], "money", 1, pos, prefix_currency[1]
        if plain_year and not (scaled or kind in ("money", "percent", "measure") or
                               (kind == "count" and unit in COUNT_NOUNS and unit not in ("giờ", "ca"))):
            self._add_date(s, e, str(value))  # a year on its own is a date
            return
        if kind == "measure" and unit == "giờ" and (re.match(r"\s*\d|\s+(?:sáng|chiều|tối|trưa|đêm)", text[upos:])
                                                   or _ends_with_any(text[max(0, s - 10):s], _CLOCK_BEFORE)):
            return  # clock time
        before = text[max(0, s - 40):s]
        if rank or re.match(r"\s+(?:bậc|hạng)(?!\w)", text[pos:]):
            if not rank:
                bm = re.match(r"\s+(bậc|hạng)", text[pos:])
                unit, upos = bm.group(1), pos + bm.end()
            else:
                unit, upos = None, pos
            kind, factor = "rank", 1
        if unit == "con số" and value <= 3 and not rng:
            self.take(s, upos)
            return  # "lạm phát 2 con số": double-digit, a size class, not a count
        if unit == "lần":
            kind = "ratio" if _ends_with_any(_strip_approx(before), _RATIO_BEFORE) else "count"
        value = plain(value * factor)
        if rng:
            rng = [plain(rng[0] * factor), plain(rng[1] * factor)]
        approx = None
        core = before.rstrip()
        if not rank:
            ap = _ends_with_any(core, APPROX)
            if ap:
                approx = ap
                core = core[:len(core) - len(ap)].rstrip()
        aa = re.match(r"\s+(" + "|".join(APPROX_AFTER) + r")(?!\w)", text[upos:])
        if aa:
            approx = aa.group(1)
        change = None
        if _ends_with_any(core, INCREASE):
            change = "increase"
        elif _ends_with_any(core, DECREASE):
            change = "decrease"
        self._add(s, upos, value, unit, kind, approx, rng, change)

    def _unit(self, pos: int, s: int, scaled: bool):
        """(unit, kind, factor, end) for the words after a number ending at `pos`."""
        text = self.text
        if not self.free(pos, min(pos + 2, len(text))) and text[pos:pos + 1].strip():
            return None, "count", 1, pos
        pm = _PERCENT_RE.match(text, pos)
        if pm:
            per = _PER_RE.match(text, pm.end())
            if per and per.group("slash") and per.group("per") in ("năm", "tháng", "ngày", "tuần", "quý"):
                return "%/" + per.group("per"), "percent", 1, per.end()
            return "%", "percent", 1, pm.end()
        cm = _CURRENCY_RE.match(text, pos)
        if cm and self.free(cm.start(), cm.end()):
            i = int(next(k for k, v in cm.groupdict().items() if v)[1:])
            code = _CURRENCIES[i][1] or cm.group().strip().upper()
            end, unit = cm.end(), code
            for _ in range(2):  # "USD/người/năm"
                per = _PER_RE.match(text, end)
                if per and (per.group("slash") or per.group("per").lower() not in STOP):
                    word, end = self._per_word(per)
                    unit = unit + "/" + _MEASURES.get(word, word)
            return unit, "money", _CURRENCIES[i][2], end
        mm = _MEASURE_RE.match(text, pos)
        if mm and self.free(mm.start("u"), mm.end()):
            unit, end = _MEASURES[" ".join(mm.group("u").split())], mm.end()
            if unit == "tháng" and re.match(r"\s*\d", text[end:]):
                return None, "count", 1, pos  # "1 tháng 7" is a date without a year
            per = _PER_RE.match(text, end)
            if per and (per.group("slash") or per.group("per").lower() not in STOP) and unit not in (
                    "năm", "tháng", "ngày", "tuổi"):
                unit, end = unit + "/" + _MEASURES.get(per.group("per"), per.group("per")), per.end()
            return unit, "measure", 1, end
        lm = re.match(r"\s+lần(?!\w)", text[pos:])
        if lm:
            return "lần", "ratio", 1, pos + lm.end()
        noun, end = self._noun(pos)
        if noun:
            per = _PER_RE.match(text, end)
            if per and per.group("slash"):
                noun, end = noun + "/" + per.group("per"), per.end()
        return noun, "count", 1, (end if noun else pos)

    def _per_word(self, per: re.Match) -> tuple[str, int]:
        """The unit after "/" and its end, two syllables when they make a counted noun
        ("VND/cổ phiếu", "THB/cổ phần", "VND/trẻ em"), else one."""
        text, word, end = self.text, per.group("per"), per.end()
        more = re.match(r" ([^\W\d_]+)(?![\w/])", text[end:end + 20])
        if more:
            pair = f"{word.lower()} {more.group(1).lower()}"
            if pair in COUNT_NOUNS or pair in self.lists.phrases:
                return f"{word} {more.group(1)}", end + more.end()
        return word, end

    def _noun(self, pos: int):
        """The counted noun after a count (`_noun_head`), run on over the next word when news
        counts the pair they make ("làn xe", "phòng học", "chỗ ngồi": `counted_phrases`) or
        when it is a kind or event noun and the word that says which ("2 vụ đánh bom", "3 loại
        sâu", "12 trận chung kết")."""
        noun, end = self._noun_head(pos)
        if not noun or "/" in noun:
            return noun, end
        text = self.text
        nm = re.match(r" ([^\W\d_]+)", text[end:end + 40])
        if nm is None or not nm.group(1).islower() or not self.free(end, end + nm.end()):
            return noun, end
        nxt = nm.group(1)
        if (noun.lower() in _KIND_HEADS and nxt not in _NOT_AFTER_KIND) or \
                f"{noun.split()[-1].lower()} {nxt}" in self.lists.phrases:
            b = end + nm.end()
            got = self.word_ends.get(end + 1) if self.word_ends else None
            b = max(b, got or b)  # the whole tokenizer word ("đánh bom")
            return text[end - len(noun):b], b
        return noun, end

    def _noun_head(self, pos: int):
        """The counted noun after a count: a tokenizer word, a known noun, or one syllable."""
        text = self.text
        ws = re.match(r"\s+", text[pos:])
        if not ws:
            return None, pos
        a = pos + ws.end()
        if a in self.word_ends and not self.free(a, self.word_ends[a]):
            return None, pos
        syl = [m for m in re.finditer(r"[^\W\d_]+", text[a:a + 40])][:3]
        if not syl or syl[0].start() != 0 or not self.free(a, a + syl[0].end()):
            return None, pos
        if syl[0].group().lower() in CLASSIFIERS and len(syl) > 1 and (
                text[a + syl[0].end():a + syl[1].start()] == " ") and syl[1].group().islower() and (
                syl[1].group().lower() not in STOP) and syl[1].group().lower() not in _NOT_AFTER_CLASSIFIER and (
                f"{syl[0].group().lower()} {syl[1].group()}" not in COUNT_NOUNS):  # "con số" is a noun
            # "3 chiếc xe tăng" counts tanks: the classifier is looked through
            noun, end = self._noun(a + syl[0].end())
            if noun:
                return noun, end
        joined = []
        for i in range(len(syl)):
            if i and text[a + syl[i - 1].end():a + syl[i].start()] != " ":
                break
            joined.append(syl[i])
        if a in self.word_ends and " " in text[a:self.word_ends[a]]:
            b = self.word_ends[a]
            return text[a:b], b
        for n in range(len(joined), 0, -1):
            cand = text[a:a + joined[n - 1].end()]
            if cand.lower() in COUNT_NOUNS:
                return cand, a + joined[n - 1].end()
        w = syl[0].group()
        if _counted_acronym(w) and self.free(a, a + len(w)):
            return w, a + len(w)  # "4 HCV", "20 VĐV", "hai CLB": an abbreviated noun
        if w.lower() in STOP or w[0].isupper() or w.lower() in NUMBER_WORDS:
            return None, pos
        return w, a + syl[0].end()

    def _add_date(self, s, e, value, end_value=None):
        self.take(s, e)
        self.dates.append(DateMatch(s, e, value, end_value))

    def _add(self, s, e, value, unit, kind, approx=None, rng=None, change=None):
        self.take(s, e)
        self.figures.append(Figure(s, e, value, unit, kind, approx, rng, change))

    def _carry_units(self) -> None:
        """A bare amount takes the unit of its neighbour in the same sentence: the currency of
        "(hơn 40.000 tỷ)" after other amounts in đồng, the % of "từ 2 lên 3%"."""
        text, figs = self.text, self.figures
        for i, f in enumerate(figs):
            if f.unit is not None or f.kind != "count":
                continue
            nxt = figs[i + 1] if i + 1 < len(figs) else None
            if nxt and nxt.kind in ("percent", "money", "measure") and re.fullmatch(
                    r"\s+(?:lên|xuống|đến|tới)\s+(?:mức\s+)?", text[f.end:nxt.start]):
                f.unit, f.kind = nxt.unit, nxt.kind
                continue
            prv = figs[i - 1] if i else None
            if prv and prv.kind == "money" and _SCALE_RE.search(text, f.start, f.end) and \
                    not re.search(r"[.!?;]\s|\n", text[prv.end:f.start]):
                f.unit, f.kind = prv.unit.split("/")[0], "money"

    # -- subjects ----------------------------------------------------------------------------
    def _subjects(self) -> None:
        text = self.text
        prev_in_sent = None
        sent_id = 0
        last_end = 0
        self._last_fig = None
        for f in self.figures:
            if re.search(r"[.!?…;:]\s|\n", text[last_end:f.start]):
                sent_id += 1
                prev_in_sent = None
            last_end = f.end
            f.subject = self._subject(f, prev_in_sent)
            self._last_fig = f
            # "..., trong đó 80% dùng để ...": a part of the earlier amount, not the same thing
            part = re.search(r"trong\s+đó\s*,?\s*(?:\S+\s+)?$", text[max(0, f.start - 25):f.start])
            if f.subject is None and prev_in_sent is not None and f.kind in ("rank", "percent") and not part:
                f.subject = prev_in_sent.subject
            if f.subject:
                prev_in_sent = f
            f.sent = sent_id

    def _clause_start(self, pos: int) -> int:
        text, depth, i = self.text, 0, pos - 1
        lo = max(0, pos - 300)
        while i >= lo:
            c = text[i]
            if c == ")":
                depth += 1
            elif c == "(":
                if depth == 0:
                    return i + 1
                depth -= 1
            elif depth == 0 and (c in ",;:!?\n\r“”\"" or (c in ".…" and text[i + 1:i + 2].isspace())):
                return i + 1
            i -= 1
        return lo

    def _subject(self, f: Figure, prev: Figure | None):
        text = self.text
        cs = self._clause_start(f.start)
        before = text[cs:f.start]
        core = _strip_approx(before)
        pred = _predicate(core, self.lists.predicates)
        if pred and f.kind == "count" and _ends_with_any(pred, _COUNT_PREDICATES) is None:
            pred = None  # "đáp ứng 4 tiêu chuẩn": the object of a verb; its noun is the subject
        if f.kind == "rank" and f.unit:
            vm = re.match(r"\s+về\s+", text[f.end:])
            if vm:
                return self._np_after(f.end + vm.end(), stop_paren=True)
        if f.kind == "percent":
            lm = re.match(r"\s+là\s+", text[f.end:])
            if lm:
                return self._np_after(f.end + lm.end())
        if pred:
            cand_end = cs + len(core.rstrip()) - len(pred)
            # "được giảm 50% thuế": the beneficiary is before the verb, the measured thing after;
            # "miễn 2 năm thuế và giảm 50% số phải nộp": the verbs share no subject before
            if f.kind == "percent" and _ends_with_any(text[cs:cand_end], ["được", "bị", "và"]):
                span = self._np_after_figure(f)
                if span:
                    return span
            # "giảm 10 cent xuống 37 USD": the second figure of a chain measures the same thing
            # "dài 14 mét và nặng 5 tấn": coordinated predicates share the subject
            if prev is not None and prev.subject and prev.end <= cand_end and any(self.taken[cs:cand_end]) \
                    and text[prev.end:cand_end].strip(" ,") in ("", "và", "còn"):
                return prev.subject
            # "có 1.200 công nhân và doanh thu là ...": the words after an earlier figure when
            # there are any ("trong 9 tháng đạt": the figure is a time phrase in the subject)
            last = self._last_fig
            after = last.end if last is not None and cs < last.end <= cand_end else cs
            span = self._np_before(after, cand_end) if after > cs and text[after:cand_end].strip() else None
            span = span or self._np_before(cs, cand_end)
            if span:
                return span
            if not text[cs:cand_end].strip() and prev is not None:
                return prev.subject
        if f.kind == "rank":
            rc = re.search(r"(?:xếp|đứng)\s+(?:thứ|hạng)\s*$", core)
            if rc and not any(self.taken[cs:cs + rc.start()]):
                span = self._np_before(cs, cs + rc.start())
                if span:
                    return span
        if text[cs - 1:cs] == "(" and not core.strip() and text[f.end:f.end + 1] == ")":
            # "đầu tư nước ngoài (hơn 40.000 tỷ)": the phrase before the parenthesis
            outer = self._clause_start(cs - 1)
            seg = text[outer:cs - 1]
            cut = list(PRE_NP.finditer(seg))
            a = outer + (cut[-1].end() if cut else 0)
            return self._trim(a, cs - 1)
        if f.kind == "count":
            return None  # the unit says what is counted (docs/figures-annotation.md)
        if f.kind in ("percent", "money", "measure", "ratio") and f.unit not in _TIME_UNITS:
            end = cs + len(core)
            taken = self.taken.rfind(b"\x01", cs, end)
            if taken >= 0:  # only the words after an earlier figure of the clause
                cs = taken + 1
            seg = text[cs:end]
            words = seg.split()
            last = words[-1].lower() if words else ""
            free = seg.strip() and (last not in NP_STOP or last in ("này", "đó"))
            cut = list(PRE_NP.finditer(seg)) if free else []
            if cut and not SUBORD.search(seg, cut[-1].end() - 1):
                # "có tổng diện tích 300 m2", "theo mức khoán 0,1%": the phrase is just before
                a, b = cs + cut[-1].end(), cs + len(seg.rstrip())
                span = self._np_before(a, b)
                if span and span[1] == b:  # all of it a noun phrase, no verb or adverb cut off
                    return span
            if f.kind != "ratio" or f.unit is None:
                span = self._np_after_figure(f)
                if span:
                    return span
            if free and f.kind != "ratio":
                return self._np_before(cs, cs + len(seg))
        return None

    def _np_after_figure(self, f: Figure):
        nxt = re.match(r"\s+(?=[^\W\d_])", self.text[f.end:])
        if not nxt:
            return None
        span = self._np_after(f.end + nxt.end())
        return span if span and self.text[span[0]].islower() else None

    def _np_before(self, a: int, b: int):
        text = self.text
        seg = text[a:b]
        subs = list(SUBORD.finditer(seg))
        if subs:
            after = seg[subs[-1].end():]
            if after.strip():
                a += subs[-1].end()
            else:
                b = a + subs[-1].start()
        return self._trim(a, b)

    def _trim(self, a: int, b: int):
        text = self.text
        if a >= b:
            return None
        seg = text[a:b]
        lead = SUBJ_LEAD.match(seg.lstrip())
        a += len(seg) - len(seg.lstrip()) + (lead.end() if lead else 0)
        b = self._cut(a, b)
        seg = text[a:b].rstrip(" ,")
        b = a + len(seg)
        if not seg or seg[-1] == "(" or seg.lower() in _VAGUE:
            return None
        # long subjects exist ("lượng hàng ... bị trả lại"); longer spans are whole clauses.
        # Counted in tokenizer words when known, else in syllables with a looser bound.
        if len(seg.split()) > 22 or (self.word_ends and sum(1 for _ in self._word_spans(a, b)) > 14):
            return None
        return (a, b)

    def _cut(self, a: int, b: int) -> int:
        """End of the phrase at a..b before time phrases, adverbs and modal verbs."""
        cut = SUBJ_CUT.search(self.text, a, b)
        # "con số của cả năm ngoái": the time phrase is what the words before it point to
        if cut and self.text[a:cut.start()].split()[-1:] not in (["của"], ["cả"], ["các"], []):
            b = cut.start()
        # "thuế thu nhập phải nộp" -> "thuế thu nhập", but "số phải nộp" is the phrase itself
        pm = re.search(r"\s(?:phải|cần)\s", self.text[a:b])
        if pm and len(self.text[a:a + pm.start()].split()) >= 2:
            b = a + pm.start()
        return b

    def _units_in(self, a: int, b: int):
        """The atoms' units that lie inside a..b, in order."""
        units = self.units
        for i in range(bisect_left(self.unit_starts, a), len(units)):
            s, e = units[i]
            if e > b:
                break
            yield s, e

    def _tokens(self, a: int, b: int):
        """Units in a..b with the joins a reader makes: "F-16", "Covid-19" and "1.234,5"
        are one token each (touching letters/digits across "-", digits across "." and ",")."""
        text, cur = self.text, None
        for s, e in self._units_in(a, b):
            if cur is not None and s == cur[1]:
                head, last = text[cur[0]], text[cur[1] - 1]
                joins = (head.isalpha() and (text[s] == "-" or last == "-" or text[s].isalnum())) or \
                        (head.isdigit() and (text[s] in ".," and e == s + 1 or last in ".," and text[s].isdigit()))
                if joins:
                    cur = (cur[0], e)
                    continue
            if cur is not None:
                yield cur
            cur = (s, e)
        if cur is not None:
            yield cur

    def _word_spans(self, a: int, b: int):
        """Word spans in a..b, lazily: tokenizer words where known, else the atoms' tokens."""
        ends, last = self.word_ends, -1
        for s, e in self._tokens(a, b):
            if s < last:
                continue  # inside a joined word
            got = ends.get(s) if ends else None
            if got is not None and got <= b:
                e = got
            last = e
            yield s, e

    def _np_after(self, a: int, stop_paren: bool = False):
        text = self.text
        b, n = a, 0
        for s, e in self._word_spans(a, min(len(text), a + 120)):
            w = text[s:e]
            low = w.lower()
            if not w[0].isalpha() or n >= 9 or (s > a and text[s - 1] != " "):
                break
            joined = " " in w
            if low in _AFTER_STOP or (n == 0 and low in _FIRST_STOP) or (n and not joined and low in NP_STOP):
                break
            # a name right after the head noun is apposition ("2 xã Tân Triều"); later it
            # qualifies the phrase ("doanh nghiệp hàng Việt Nam")
            if w[0].isupper() and w not in _TITLED_NOUNS and n <= 1:
                break
            b, n = e, n + 1
        if b == a:
            return None
        b = self._cut(a, b)
        return (a, b) if b > a and text[a:b].strip().lower() not in _VAGUE else None


# Common nouns that news capitalizes out of respect; other capitalized words start a name.
_TITLED_NOUNS = {"Chính", "Nhà", "Đảng", "Quốc", "Nhân"}
_EN_MONTHS = frozenset("january february march april may june july august september october november "
                       "december jan feb mar apr jun jul aug sep sept oct nov dec".split())
_CLOCK_BEFORE = ["lúc", "vào"]
_RATIO_BEFORE = ["gấp", "tăng", "giảm", "hơn", "cao hơn", "thấp hơn", "lớn hơn"]
_TIME_UNITS = {"năm", "tháng", "tuần", "ngày", "giờ", "phút", "giây", "tuổi", "thế kỷ"}
_W_DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "bẩy", "tám", "chín"]


# words after a classifier that show it stands alone ("60.000 chiếc sang Mỹ")
_NOT_AFTER_CLASSIFIER = frozenset("sang về đi đi ra vào lên xuống bị được này đó nữa khác mới cũ kia ấy".split())
# a number in English format: "10,000", "1,234,567.5"; a line is English with one number grouped
# by two or more commas, or with two "d,ddd" numbers and no Vietnamese "d.ddd" ones
_EN_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_EN_GROUPED = re.compile(r"(?<![\d.,])\d{1,3},\d{3}(?![\d,])")
_VI_GROUPED = re.compile(r"(?<![\d.,])\d{1,3}\.\d{3}(?![\d])")
_EN_UNAMBIGUOUS = re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3}){2,}(?!\d)|(?<![\d.,])\d{1,3}(?:,\d{3})+\.\d")
def _english_format(block: str) -> bool | None:
    """True/False when the block shows how it groups thousands, None when it does not."""
    if _EN_UNAMBIGUOUS.search(block):
        return True
    en, vi = len(_EN_GROUPED.findall(block)), len(_VI_GROUPED.findall(block))
    if vi:
        return False
    return True if en >= 2 else None  # one "96,000" alone says nothing


_PERCENT_RANGE = re.compile(r"\s*(?:-|–|đến|tới)\s*(\d+(?:[.,]\d+)?)\s*(?:%|phần\s+trăm(?!\w))")
_MONEY_WORDS = frozenset("bồi thường đền bù tiền hỗ trợ thưởng phạt lương vốn chi phí lãi thu nợ vay "
                         "tiền mặt quà ủng hộ".split())
CLASSIFIERS = frozenset({"chiếc", "con", "cái", "quả", "tấm", "bức", "cuốn", "quyển", "tờ", "bản", "lá", "đứa"})
_CARDINALS = {"hai": 2, "ba": 3, "bốn": 4, "sáu": 6, "bảy": 7, "bẩy": 7, "tám": 8, "chín": 9, "mười": 10}
_CARDINAL_RE = re.compile(r"(?<![\w.,])(?:" + "|".join(_CARDINALS) + r")(?= [^\W\d_])", re.I)
_NOT_BEFORE_CARDINAL = frozenset({"thứ", "tháng", "hàng", "lần", "số", "vài", "mấy", "một", "mươi",
                                  "trăm", "nghìn", "ngàn", "triệu", "tỷ", "lẻ", "linh", "phần"})
# a number followed by two capitalised syllables is a house number before a street's name
_BARE_SCALES = {"chục": 10, "trăm": 100, "nghìn": 1000, "ngàn": 1000, "vạn": 10000, "triệu": 1000000}
_BEFORE_BARE_SCALE = frozenset("hàng vài mấy cả trên ngoài gần khoảng hơn dăm".split())
# nouns of kinds and events that name what they count with the word after them
_KIND_HEADS = frozenset("loại vụ cuộc trận nhóm đợt kiểu dạng môn giống".split())
_NOT_AFTER_KIND = NP_STOP | frozenset("khác mới cũ lớn nhỏ nữa liên tiếp gần đây trước sau đầu cuối như thế".split())
_ACRONYM = re.compile(r"[A-ZĐ]{2,5}")
# capitals after a number that are codes, names or units, not things counted
_NOT_COUNTED_ACRONYMS = frozenset("VN USD VND VNĐ EUR GDP CPI TP TPHCM HN UBND HĐND PC TV CD DVD SMS AM PM GMT".split())
_HOUSE_RANGE = re.compile(r"[-–]\d{1,4}(?=\s)")
# a hamlet, street or lane word and a name after a number: an address
_ADDRESS_AFTER = re.compile(r" (?:ấp|thôn|xóm|khóm|khu phố|tổ|đường|phố|ngõ|ngách|hẻm|kiệt) [A-ZĐ0-9]")
# "giờ"/"h" then minutes, a part of the day or a date: a time of day
_CLOCK_AFTER = re.compile(r"\s?(?:giờ|h)(?:\s+(?:\d|ngày\s+\d|sáng|trưa|chiều|tối|đêm|hôm|trong\s+ngày)|\s*[-–]\s*\d)")
_HOUSE_NUMBER = re.compile(r" (?:[A-ZĐ][^\W\d_A-Z]+) (?:[A-ZĐ][^\W\d_A-Z]+)")
# nouns news counts beyond COUNT_NOUNS: mined from VNTC train (training/counted_nouns.py) plus
# the everyday ones the mining's share test leaves out because they are frequent everywhere
_EVERYDAY_COUNTED = frozenset("""người nước tỉnh lớp ông bà em cháu đội nhà xã huyện thành phố
    doanh nghiệp quốc gia cơ sở trường bệnh viện công ty lần ngày năm tháng tuần giờ phút tiếng
    trận bàn giải đơn lá chai cây loại vụ cuộc đợt phiên khóa kỳ mùa vòng bước tầng phòng
    tuyến sợi làn giếng trạm cầu ngôi căn khu điểm ca""".split())


@dataclass(frozen=True)
class Lists:
    """What the stage reads from its model folder (models/figures/, or a saved pipeline's copy):
    the lists mined from VNTC train by training/ and the subject ranker (meta.json there)."""

    nouns: frozenset  # counted_nouns.json and the everyday counted nouns
    phrases: frozenset  # counted_phrases.json: two-syllable counted nouns
    predicates: list  # PREDICATES and quantity_verbs.json: adjectives before a quantity
    word_classes: tuple  # (function words, one-word predicates, word_tags.json: usual POS)
    ranker: SubjectRanker | None  # subjects.json, None when absent (the rules' subject stands)


@lru_cache(maxsize=None)
def lists_at(folder: str) -> Lists:
    """The lists in `folder`, read once; a missing file gives an empty list."""
    import json

    def mined(name: str):
        path = Path(folder) / name
        return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}

    preds = PREDICATES + sorted(set(mined("quantity_verbs.json")) - set(PREDICATES))
    subjects = mined("subjects.json")
    return Lists(frozenset(mined("counted_nouns.json")) | _EVERYDAY_COUNTED,
                 frozenset(mined("counted_phrases.json")), preds,
                 (frozenset(NP_STOP), frozenset(p for p in preds if " " not in p), mined("word_tags.json")),
                 SubjectRanker(subjects["weights"]) if subjects else None)


def default_folder() -> str:
    from vnnews_nlp.paths import models_dir

    return str(models_dir() / "figures")


def counted_nouns() -> frozenset:
    return lists_at(default_folder()).nouns


def counted_phrases() -> frozenset:
    return lists_at(default_folder()).phrases


def predicates() -> list:
    return lists_at(default_folder()).predicates


def _char_before(text: str, s: int) -> str:
    """The last character before `s` other than a space ("" at the start of the text)."""
    before = text[max(0, s - 3):s].rstrip(" ")
    return before[-1] if before else ""


def _sentence_start(text: str, s: int) -> bool:
    return _char_before(text, s) in ("", *".!?:\n\r\"“-–")


def _after_comma(text: str, s: int) -> bool:
    """The number opens a line or follows a comma or colon, as an address in a list does."""
    return _char_before(text, s) in ("", *",:\n\r")


def _counted_acronym(word: str) -> bool:
    """Capitals after a number that name what is counted ("4 HCV", "hai CLB")."""
    return bool(_ACRONYM.fullmatch(word)) and word not in _NOT_COUNTED_ACRONYMS


def _is_year(atom: str) -> bool:
    return atom.isdigit() and len(atom) == 4 and 1900 <= int(atom) <= 2099


def _strip_approx(before: str) -> str:
    core = before.rstrip()
    ap = _ends_with_any(core, APPROX)
    return core[:len(core) - len(ap)].rstrip() if ap else core


# Words that follow a verb before the figure: "đạt trung bình", "kéo dài đến", "tăng gấp".
_PRED_MODS = ["trung bình", "bình quân", "khoảng", "vào khoảng", "đến", "tới", "gấp", "mức", "từ"]


def _predicate(core: str, preds: list) -> str | None:
    """The verb phrase that ends `core` and governs the figure after it, with its modifiers."""
    low = core
    mods = 0
    while True:
        m = _ends_with_any(low, _PRED_MODS)
        if not m or _ends_with_any(low, preds) not in (None, m):
            break  # "lên mức", "trung bình" on its own: a predicate, not a modifier
        low = low[:len(low) - len(m)].rstrip()
        mods += 1
    pred = _ends_with_any(low, preds)
    if not pred:
        return None
    return core[len(low) - len(pred):]


# Verbs that state how many of something there are; other verbs take the count as an object.
_COUNT_PREDICATES = INCREASE + DECREASE + [
    "đạt", "đạt được", "đạt mức", "đạt tới", "ước đạt", "là", "chiếm", "ở mức", "lên mức", "lên tới",
    "lên đến", "còn", "vượt", "tương đương", "bằng", "trung bình", "bình quân", "khoảng", "đến", "tới"]
_AFTER_STOP = {"dùng", "này", "đó", "kia", "nào", "cả", "so với", "trong đó", "trở lên", "hiện nay",
               "tượng trưng", "có thể", "trong khi", "sau khi", "trước khi", "cho biết", "bao gồm",
               "tương đương", "kể từ", "nhằm"}
# Function words that cannot open the noun phrase after a figure ("tăng 5% so với", "30 tỷ cho").
_FIRST_STOP = set("""và của là trong so với thì mà để đã sẽ cho từ đến tới trên dưới hơn nữa lên
    xuống này đó kia các những được bị có không vào ra về theo như tại ở khi nên nhưng còn cũng
    đều vẫn rồi trở qua sau trước hay hoặc nay do bởi vì nếu cùng đang vừa mới liên tiếp
    liền tiếp""".split())
_VAGUE = {"mức", "con số", "số", "khoảng", "tổng cộng", "tổng"}


def find_figures(text: str, word_ends: dict[int, int] | None = None) -> list[Figure]:
    """Figures in `text`, in text order. `word_ends` maps a word's start offset to its end, for
    tokenizers that join multi-syllable words (used to read the counted noun after a count)."""
    return _Finder(text, word_ends).run()


def _figure_value(text: str, f: Figure) -> FigureValue:
    return FigureValue(f.value, f.unit, f.kind, f.approx, tuple(f.range) if f.range else None,
                       f.change, text[f.subject[0]:f.subject[1]] if f.subject else None)


class _WordEnds:
    """The tokenizer's multi-syllable words as start offset -> end offset, looked up on demand:
    building a dict over every token cost more than the rest of the stage."""

    def __init__(self, doc: Doc, text: str):
        arr = doc.to_array([IDX, LENGTH])
        self.starts, self.lens, self.text = arr[:, 0].tolist(), arr[:, 1].tolist(), text

    def get(self, s: int):
        i = bisect_left(self.starts, s)
        if i < len(self.starts) and self.starts[i] == s:
            e = s + self.lens[i]
            if " " in self.text[s:e]:
                return e
        return None

    def __contains__(self, s: int) -> bool:
        return self.get(s) is not None

    def __getitem__(self, s: int) -> int:
        e = self.get(s)
        if e is None:
            raise KeyError(s)
        return e

    def __bool__(self) -> bool:
        return len(self.starts) > 0


class FiguresComponent:
    """Writes doc.spans["figures"] (span._.figure) and doc.spans["dates"] (span._.date).

    Reads the lists and the subject ranker in its model folder (`model_path`, by default
    models/figures/), lazily on the first article; a saved pipeline carries a copy."""

    def __init__(self, nlp: Language, name: str = "vnnews_figures", learned_subjects: bool = True,
                 model: str | None = None):
        self.name = name
        self.learned_subjects = learned_subjects
        self._point_at(str(model) if model else None)

    def _point_at(self, model_path: str | None) -> None:
        self.model_path = model_path
        self._lists: Lists | None = None  # read on the first article

    def model_dir(self) -> str:
        return self.model_path or default_folder()

    @property
    def lists(self) -> Lists:
        if self._lists is None:
            self._lists = lists_at(self.model_dir())
        return self._lists

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        original = doc._.original
        lists = self.lists
        finder = _Finder(text, _WordEnds(doc, text), atoms_of(doc), article_of(doc).published,
                         original if isinstance(original, str) and original != text else None,
                         lists.ranker if self.learned_subjects else None, lists)
        figs = finder.run()
        spans, dates = [], []
        for f in figs:
            sp = doc.char_span(f.start, f.end, alignment_mode="expand")
            if sp is not None:
                sp._.figure = _figure_value(text, f)
                spans.append(sp)
        for d in sorted(finder.dates):
            sp = doc.char_span(d.start, d.end, alignment_mode="expand")
            if sp is not None:
                sp._.date = DateValue(d.value, d.end_value, d.year_inferred, d.relative)
                dates.append(sp)
        doc.spans["figures"] = spans
        doc.spans["dates"] = dates
        return doc

    def to_disk(self, path, *, exclude=tuple()) -> None:
        """A folder `model/` with a copy of the model folder's files."""
        from vnnews_nlp.paths import copy_model

        def model(p) -> None:
            if Path(self.model_dir()).is_dir():
                copy_model(self.model_dir(), p)

        spacy_util.to_disk(path, {"model": model}, exclude)

    def from_disk(self, path, *, exclude=tuple()) -> "FiguresComponent":
        """Use the lists saved in `path` (read on the first article, not here)."""
        saved = spacy_util.ensure_path(path) / "model"
        if saved.is_dir() and "model" not in exclude:
            self._point_at(str(saved.resolve()))
        return self

    def to_bytes(self, *, exclude=tuple()) -> bytes:
        """Where the model folder is (its files go with `to_disk`)."""
        return cfg_to_bytes({"model": self.model_path}, exclude)

    def from_bytes(self, data: bytes, *, exclude=tuple()) -> "FiguresComponent":
        cfg = cfg_from_bytes(data, exclude)
        if cfg is not None:
            self._point_at(cfg["model"])
        return self


@Language.factory("vnnews_figures",
                  assigns=["doc.spans", "span._.figure", "span._.date"],
                  default_config={"learned_subjects": True, "model": None})
def make_figures(nlp: Language, name: str, learned_subjects: bool, model: str | None) -> FiguresComponent:
    return FiguresComponent(nlp, name, learned_subjects, model)
