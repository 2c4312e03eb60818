"""Reasons at the article's word boundaries and the "not enough evidence" flag (issue 15).
Sentences written for these tests."""
import pytest
from hypothesis import given, settings, strategies as st

from vnnews_nlp.categories.reasons import STOP, _trim, _tells
from vnnews_nlp.pipeline import load
from vnnews_nlp.run.analyze import analyze_record

pytestmark = pytest.mark.issue(15)
LONG = ("Sáng nay, Ban Chấp hành Đảng bộ tỉnh tổ chức hội nghị sơ kết công tác xây dựng Đảng sáu tháng "
        "đầu năm. Đại hội Đảng các cấp đã diễn ra đúng kế hoạch, công tác kiểm tra, giám sát được tăng "
        "cường. Bí thư Tỉnh ủy yêu cầu các cấp ủy tiếp tục đổi mới phương thức lãnh đạo, nâng cao năng "
        "lực của tổ chức cơ sở đảng và chất lượng đảng viên, chuẩn bị tốt cho đại hội nhiệm kỳ tới.")


@pytest.fixture(scope="module")
def nlp():
    return load()


def token_bounds(doc):
    return {t.idx for t in doc}, {t.idx + len(t.text) for t in doc}


def test_every_reason_is_whole_words_of_the_article(nlp):
    doc = nlp(LONG)
    starts, ends = token_bounds(doc)
    seen = 0
    for s in doc._.suggestions:
        for phrase, weight in s.reasons:
            i = doc.text.find(phrase)
            assert i >= 0, phrase
            assert i in starts and i + len(phrase) in ends, phrase
            assert _tells(phrase) and weight > 0
            seen += 1
    assert seen


def test_short_text_is_flagged_and_not_confident(nlp):
    rec = analyze_record({"id": "s", "text": "Chủ tịch UBND tỉnh họp."}, nlp)
    assert rec["enough_evidence"] is False
    assert max(s["probability"] for s in rec["suggestions"]) < 0.3


def test_long_text_has_enough_evidence(nlp):
    assert analyze_record({"id": "l", "text": LONG}, nlp)["enough_evidence"] is True


@given(st.lists(st.sampled_from(sorted(STOP) + ["1", "x", "đảng", "hội nghị", "Tỉnh ủy"]), min_size=1, max_size=6))
@settings(max_examples=200, deadline=None)
def test_trimmed_phrases_never_start_or_end_with_a_function_word(words):
    out = _trim(" ".join(words))
    if out:
        first, last = out.split()[0].lower(), out.split()[-1].lower()
        assert first not in STOP and last not in STOP
        assert any(c.isalpha() for c in first) and any(c.isalpha() for c in last)


def test_a_phrase_holds_the_shorter_ones_it_contains():
    from vnnews_nlp.categories.reasons import word_reasons
    from vnnews_nlp.segment.atoms import scan

    text = "Đại hội Đảng bộ tỉnh"
    doc = load(components=())(text)  # segmentation only
    words = scan(text).words()
    sylls = [text[s:e].lower() for s, e in words]
    got = word_reasons(doc, sylls, words, {"x": [["đảng", 0.5], ["đại hội", 0.25], ["hội đảng", 0.125]]}, 5)
    (only,) = got["x"]
    assert only[0].startswith("Đại hội Đảng") and only[1] == 0.875
