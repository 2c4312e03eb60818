import pytest
"""Issue 4 follow-up: the faster scans find exactly what the full scans found.

Written-out numbers are only looked for around multiplier words, the date pattern rejects
positions by their first letter, and tokenizer words are looked up on demand."""
from hypothesis import given, settings
from hypothesis import strategies as st

from vnnews_nlp.figures import component as figures
from vnnews_nlp.text.dates import DATE_RE, find_dates

pytestmark = pytest.mark.issue(4)

WORDS = ["hai", "mươi", "ba", "trăm", "nghìn", "năm", "một", "nửa", "phần", "tư", "triệu", "đồng",
         "tỷ", "doanh", "thu", "đạt", "ngày", "tháng", "quý", "12", "2019", "4/2019", "28/12/2019",
         "mười", "lăm", "chục", "người", "tăng", "%", ",", ".", "Hai", "Mười", "rưỡi", "giai", "đoạn"]


def facts(text):
    return [(f.start, f.end, f.value, f.unit, f.kind, f.subject) for f in figures.find_figures(text)]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=60))
def test_number_word_windows_match_a_full_scan(words):
    text = " ".join(words)
    fast = facts(text)
    orig = figures._Finder._wordnum_windows
    figures._Finder._wordnum_windows = lambda self: [(0, len(self.text))]
    try:
        assert fast == facts(text)
    finally:
        figures._Finder._wordnum_windows = orig


def test_far_number_words_are_found():
    filler = "Tin kinh tế trong nước hôm qua. " * 5
    text = filler + "Thành phố có hai mươi lăm nghìn hộ dân."
    assert [(f.value, f.unit) for f in figures.find_figures(text)] == [(25000, "hộ dân")]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=60))
def test_date_prefix_does_not_change_matches(words):
    import re
    text = " ".join(words)
    full = re.compile(DATE_RE.pattern.replace(r"(?=[\dnqtgm])", "", 1), DATE_RE.flags)
    assert [m.span() for m in DATE_RE.finditer(text)] == [m.span() for m in full.finditer(text)]
    assert all(d.value for d in find_dates(text))


def test_word_ends_lookup_matches_tokens():
    from vnnews_nlp.run.analyze import analyze
    from vnnews_nlp.pipeline import load

    doc = analyze("Các doanh nghiệp công nghệ đạt doanh thu 5 tỷ đồng.", load(components=("vnnews_figures",)))
    ends = figures._WordEnds(doc, doc.text)
    want = {t.idx: t.idx + len(t.text) for t in doc if " " in t.text}
    assert want, "the segmenter should join some words here"
    assert {t.idx: ends[t.idx] for t in doc if t.idx in ends} == want
    assert 1 not in ends and ends.get(1) is None
