"""Issue 7: fuzzing every parsing stage with hypothesis.

Inputs are built from fragments that sit on the edges of each stage (numbers with separators,
dates, abbreviations, entities, mojibake, legacy bytes, combining marks, surrogates, controls,
markup, names and titles) mixed with arbitrary text, so the search reaches the interesting
branches quickly. Each property is what a later stage relies on; every failure hypothesis found
is kept as an `@example` and has a plain regression test below.
"""
from __future__ import annotations

import decimal
import json
import unicodedata

import pytest
import regex
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from vnnews_nlp.run import analyze as api
from vnnews_nlp.run import pool
from vnnews_nlp.text import dates
from vnnews_nlp.text import legacy
from vnnews_nlp.text import numbers
from vnnews_nlp.text import portal
from vnnews_nlp.text.article import ArticleError, InputError, _read_stream, validate
from vnnews_nlp.entities.component import find_entities
from vnnews_nlp.figures.component import find_figures
from vnnews_nlp.text.normalize import decode_bytes, normalize
from vnnews_nlp.pipeline import load
from vnnews_nlp.segment.tokenizer import atoms, sentence_starts

pytestmark = pytest.mark.issue(7)

FRAGMENTS = [
    # Vietnamese words, names, titles, places (written for these tests)
    "Hà Nội", "Quảng Trị", "TP.HCM", "TP. Hồ Chí Minh", "Ông", "bà", "Chủ tịch UBND tỉnh", "Bộ Y tế",
    "Nguyễn Văn An", "Sở GD&ĐT", "huyện Gio Linh", "xã", "nước Mỹ", "Thủ tướng", "người", "hội nghị",
    # figures, numbers, dates
    "1.234,5", "12.300", "1,2", "18%", "‰", "tỷ đồng", "triệu USD", "hai mươi lăm", "nghìn", "rưỡi",
    "ngày 28/12/2019", "15/3", "2/2025", "quý IV", "năm 2023", "tháng 13", "31/2/2020", "9h30", "10:45",
    "khoảng", "hơn", "tăng", "giảm", "từ 5 đến 7", "3-4", "1/2", "0,5", "00", "1.", "1..2", ".5",
    # markup, entities, mojibake, legacy bytes, odd code points
    "&amp;", "&amp;amp;", "&#7897;", "&#x1EA1;", "&#99999999;", "&nbsp;", "&", "<div>", "</p>", "<br/>",
    "Ã¡", "Ã ", "á»™", "\xb5\xb8", "\xe0\xe1", "a\u0301", "\u0301", "\u0303\u0309", "\ud800", "\udfff",
    "\x00", "\x07", "\x1b", "\r\n", "\r", "\u2028", "\u200b", "\ufeff", "\xad", "\xa0", "\u3000",
    "http://a.vn/x?y=1.", "www.a.vn", "a.b@c.vn", "@", "#", "…", "...", "“", "”", "(", ")", "[", "-", "–",
    "/", ".", ",", ";", ":", "?!", "\n", "\n\n", " ", "  ", "\t", "\U0001F600", "𝐀", "Ǆ", "ﬁ", "İ",
]
text_st = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=6)), max_size=40).map("".join)
vi_text = st.lists(st.sampled_from(FRAGMENTS[:50] + [" ", " ", " ", ". ", ", ", "\n"]), max_size=40).map("".join)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --- normalize -----------------------------------------------------------------------------

@SETTINGS
@given(text_st)
@example("\ud800\u0301")
@example("&amp;\xb5\xb8\xe0\r\n")
def test_normalize_output_is_clean_and_maps_back(text):
    n = normalize(text)
    assert n.original == text and n.offsets.n_derived == len(n.text)
    assert unicodedata.is_normalized("NFC", n.text)
    assert not any("\ud800" <= c <= "\udfff" for c in n.text)
    assert "\x00" not in n.text and "\r" not in n.text
    prev = 0
    for i in range(len(n.text) + 1):
        o = n.offsets.to_original(i)
        assert prev <= o <= len(text)
        prev = o


# --- legacy decoding -----------------------------------------------------------------------

@SETTINGS
@given(st.binary(max_size=300), st.sampled_from(["tcvn3", "vni", "cp1258"]))
def test_legacy_bytes_always_decode(data, enc):
    out = legacy.decode_legacy_bytes(data, enc)
    assert isinstance(out, str) and unicodedata.is_normalized("NFC", out)


@SETTINGS
@given(st.binary(max_size=400) | vi_text.map(lambda s: s.encode("utf-8", "surrogatepass")))
def test_decode_bytes_never_raises_and_keeps_utf8(data):
    out = decode_bytes(data)
    assert isinstance(out, str)
    try:
        exact = data.decode("utf-8")
    except UnicodeDecodeError:
        return
    assert out == exact.removeprefix("\ufeff")


@SETTINGS
@given(text_st, st.sampled_from(["tcvn3", "vni", "cp1258"]))
def test_legacy_convert_edits_rebuild_the_conversion(line, enc):
    new = legacy.convert(enc, line)
    assert legacy.apply_edits(line, legacy.convert_edits(enc, line, new)) == new


# --- portal cleaning -----------------------------------------------------------------------

def _pieces(page):
    return ([page.title] if page.title else []) + page.paragraphs + page.captions + \
        ([page.byline] if page.byline else []) + page.dropped


@SETTINGS
@given(st.lists(st.one_of(text_st, st.sampled_from([
    "Trang chủ", "- Tin tức", "Đang truy cập: 5", "Tổng lượt truy cập: 10.234", "Tin liên quan",
    "Địa chỉ: 12 Lê Lợi", "Bản quyền thuộc UBND", "Trang chủ > Tin tức", "Ảnh: Minh An", "Minh An",
    "(01/02/2020)", "- Tin cũ (02/02/2020)"])), max_size=25).map("\n".join))
def test_clean_page_pieces_point_into_the_source(text):
    page = portal.clean_page(text)
    portal.looks_like_page(text)
    for p in _pieces(page):
        assert 0 <= p.start <= p.end <= len(page.source)


@SETTINGS
@given(st.lists(st.one_of(text_st, st.sampled_from([
    "<div>", "</div>", "<p>", "</p>", "<figcaption>", "<span class='author'>", "<script>", "</script>",
    "<!--", "-->", "<![CDATA[", "<html>", "<body>", "<title>", "</title>", "<", ">", "&", "<?xml?>",
    "<meta charset='tcvn3'>", "<a href='x'>", "<table><tr><td>"])), max_size=40).map("".join))
@example("<")  # lxml raises ParserError on a document with no elements
@example("\x00<p>a</p>")
def test_clean_html_never_raises(html):
    page = portal.clean_html(html)
    for p in _pieces(page):
        assert 0 <= p.start <= p.end <= len(page.source)


# --- article reading -----------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | text_st,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(
        ["id", "text", "html", "title", "url", "published", "x"]), inner, max_size=5),
    max_leaves=12)


@SETTINGS
@given(st.dictionaries(st.sampled_from(["id", "text", "html", "title", "url", "published", "label"]),
                       json_values, max_size=6) | json_values)
@example({"id": 0, "text": "\ud800"})  # found by hypothesis: a lone surrogate in the body
def test_validate_accepts_or_explains(obj):
    try:
        art = validate(obj, "d")
    except ArticleError as exc:
        assert str(exc)
        return
    json.dumps(art, ensure_ascii=False).encode("utf-8")  # writable as UTF-8
    assert ("text" in art) != ("html" in art) and isinstance(art["id"], str)


@SETTINGS
@given(st.lists(st.one_of(json_values.map(lambda v: json.dumps(v).encode()), st.binary(max_size=30),
                          st.just(b"\xef\xbb\xbf{}"), st.just(b'{"id": 1, "text": "a"}')), max_size=8))
def test_jsonl_stream_gives_one_item_per_nonblank_line(lines):
    data = b"\n".join(line.replace(b"\n", b" ").replace(b"\r", b" ") for line in lines)
    items = list(_read_stream(data, "s.jsonl", "s.jsonl", "jsonl"))
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        assert len(items) == 1 and items[0].error == "binary"
        return
    # one item per line that is not blank once decoded (decode_bytes may drop a BOM)
    assert len(items) == sum(1 for raw in data.split(b"\n") if raw.strip())
    for it in items:
        assert isinstance(it, (dict, InputError))


# --- atoms / tokenizer ---------------------------------------------------------------------

_WS, _VISIBLE = regex.compile(r"\s"), regex.compile(r"\S")


@SETTINGS
@given(text_st)
@example("1.2.3.4.5" * 3)
@example("\x1f")  # found by hypothesis: a control that str.isspace() calls space is an atom
def test_atoms_are_ordered_and_cover_every_visible_char(text):
    # "visible" as the tokenizer's regex sees it: \x1c-\x1f are str.isspace() but not \s
    spans = atoms(text)
    pos = 0
    for s, e in spans:
        assert pos <= s < e
        assert not _VISIBLE.search(text[pos:s])  # only whitespace between atoms
        assert not _WS.search(text[s:e])
        pos = e
    assert not _VISIBLE.search(text[pos:])
    starts = sentence_starts(text, spans)
    assert len(starts) == len(spans) and (not starts or starts[0])


@pytest.fixture(scope="module")
def segmenting():
    return load(components=())


@SETTINGS
@given(text=text_st)
def test_tokenizer_doc_is_the_normalized_text(segmenting, text):
    doc = segmenting.make_doc(text)
    assert doc.text == normalize(text).text
    assert "".join(t.text_with_ws for t in doc) == doc.text
    for sent in doc.sents:
        assert sent.text


# --- figures, numbers, dates ---------------------------------------------------------------

# Known, reported, not ours to fix: numbers.plain() calls Decimal.quantize, which raises
# InvalidOperation past 28 significant digits. The properties step over it so they keep
# hunting other failures; test_regression_huge_number_* below fail until it is fixed.
KNOWN = (decimal.InvalidOperation,)
big_numbers = st.from_regex(r"\A[1-9]\d{0,2}(?:\.\d{3}){0,12}(?:,\d{1,3})?\Z").map(
    lambda n: f"Tổng vốn đạt {n} ")
digit_strings = st.text("0123456789.,", min_size=1, max_size=20)


@SETTINGS
@given(digit_strings)
@example("1.234,5")
@example(",")
def test_parse_digits_returns_a_number_or_value_error(s):
    try:
        v = numbers.parse_digits(s)
    except ValueError as exc:
        assert str(exc)
        return
    assert v.is_finite() and v >= 0


@SETTINGS
@given(st.lists(st.sampled_from(list(numbers.NUMBER_WORDS) + ["12", "1.5", "3,2", "100.000"]),
                min_size=1, max_size=8).map(" ".join))
@example("vạn tỷ tỷ tỷ")  # found by hypothesis: 10^31 raises decimal.InvalidOperation
def test_parse_value_returns_a_number_or_value_error(s):
    try:
        v = numbers.parse_value(s)
    except KNOWN:
        return
    except ValueError as exc:
        assert str(exc)
        return
    assert v.is_finite()


@SETTINGS
@given(text_st)
@example("31/2/2020 và 29/2/2019, quý IV/2023")
@example("(15/3")  # found: a day and month with no year anywhere is "--03-15" (issue 14)
def test_dates_are_valid_iso(text):
    for d in dates.find_dates(text):
        assert 0 <= d.start < d.end <= len(text)
        if d.value is None:  # a relative date with no article date to resolve it
            assert d.relative
            continue
        if d.value.startswith("--"):  # ISO 8601 without the year: "--MM-DD" or "--MM"
            month, *day = d.value[2:].split("-")
            assert 1 <= int(month) <= 12
            if day:
                __import__("datetime").date(2000, int(month), int(day[0]))  # a leap year: 29/2 is valid
            continue
        y = d.value.split("-")[0]
        assert len(y) == 4 and y.isdigit()
        if d.value.count("-") == 2:
            __import__("datetime").date.fromisoformat(d.value)


@SETTINGS
@given(st.lists(big_numbers | vi_text | text_st, min_size=1, max_size=3).map("".join))
@example("Tổng vốn đạt 1.000.000.000.000.000.000.000.000.000.000 đồng.")  # found: InvalidOperation
def test_figures_lie_inside_the_text_and_do_not_overlap(text):
    text = normalize(text).text
    end = 0
    try:
        figures = find_figures(text)
    except KNOWN:
        return
    for f in sorted(figures, key=lambda f: f.start):
        assert end <= f.start < f.end <= len(text)
        assert f.value is None or f.value.is_finite()
        if f.subject:
            assert 0 <= f.subject[0] <= f.subject[1] <= len(text)
        end = f.end


# --- entities ------------------------------------------------------------------------------

@SETTINGS
@given(vi_text | text_st)
def test_entities_are_sorted_disjoint_and_inside_the_text(text):
    text = normalize(text).text
    end = 0
    for ent in find_entities(text):
        assert end <= ent.start < ent.end <= len(text)
        assert ent.label in ("PER", "ORG", "LOC", "MISC")
        assert text[ent.start:ent.end].strip() == text[ent.start:ent.end]
        end = ent.end


# --- the whole pipeline --------------------------------------------------------------------

@pytest.fixture(scope="module")
def full():
    return load()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(text=st.lists(big_numbers | vi_text | text_st, min_size=1, max_size=3).map("".join))
def test_full_pipeline_record_or_article_error(full, text):
    try:
        rec = api.analyze_record({"id": "f", "text": text}, full)
    except KNOWN:
        return
    except ArticleError:
        assert not text.strip() or not normalize(text).text.strip() or "<" in text
        return
    json.dumps(rec, ensure_ascii=False).encode("utf-8")
    n = len(rec["text"])
    for key in ("entities", "figures", "dates"):
        for item in rec[key]:
            assert 0 <= item["start"] < item["end"] <= n


# --- regression tests for the failures found -----------------------------------------------

def test_regression_control_char_is_an_atom_but_never_reaches_the_tokenizer(segmenting):
    # hypothesis found "\x1f": str.isspace() is True, regex \s is not, so atoms() keeps it;
    # normalize() drops such controls first, so no Doc ever has it.
    assert atoms("a\x1fb") == [(0, 1), (1, 2), (2, 3)]
    assert segmenting.make_doc("a\x1fb").text == "ab"


HUGE = ["Tổng vốn đạt 1.000.000.000.000.000.000.000.000.000.000 đồng.", "Khoảng 10.000 tỷ tỷ tỷ USD."]


def test_regression_huge_number_in_words_parses():
    assert numbers.parse_value("vạn tỷ tỷ tỷ") == decimal.Decimal(10) ** 31


@pytest.mark.parametrize("text", HUGE)
def test_regression_huge_number_gives_a_figure(text):
    assert find_figures(text)


@pytest.mark.parametrize("text", HUGE)
def test_regression_huge_number_costs_one_error_record_not_the_batch(text):
    recs = list(pool.tag_records([{"id": "a", "text": text}, {"id": "b", "text": "Hội nghị tại Hà Nội."}]))
    assert [r["id"] for r in recs] == ["a", "b"]
    assert [r["schema"] for r in recs] == ["vnnews-record/2"] * 2
