"""Typed-in errors of older Vietnamese text that normalization repairs (issue 16)."""
import pytest
from hypothesis import given, strategies as st

from vnnews_nlp.pipeline import build
from vnnews_nlp.text.normalize import fold_key, normalize, retone

pytestmark = pytest.mark.issue(16)


@pytest.mark.parametrize("raw, want", [
    ("Ðà Nẵng", "Đà Nẵng"), ("ÐỒNG NAI", "ĐỒNG NAI"), ("ngày ðầu", "ngày đầu"),
    ("Ðông Hà, Ðảng", "Đông Hà, Đảng"),
])
def test_eth_becomes_d_with_stroke_in_vietnamese_words(raw, want):
    n = normalize(raw)
    assert n.text == want and len(n.text) == len(raw)
    assert n.offsets.span_to_original(0, len(want)) == (0, len(raw))


def test_eth_stays_in_icelandic_words():
    assert normalize("Guðmundur Þór").text == "Guðmundur Þór"


def test_eth_spelling_is_linked_like_the_right_one():
    nlp = build(components=("vnnews_entities",))
    a = [(e.text, e._.entity_id) for e in nlp("Ông về Ðà Nẵng hôm qua.").ents]
    b = [(e.text, e._.entity_id) for e in nlp("Ông về Đà Nẵng hôm qua.").ents]
    assert a == b and a and a[0][1]


@pytest.mark.parametrize("raw, new, old", [
    ("baỏ", "bảo", "bảo"), ("lựơng", "lượng", "lượng"), ("nghịêm", "nghiệm", "nghiệm"),
    ("đaị", "đại", "đại"), ("hòa", "hoà", "hòa"), ("Thuỷ", "Thuỷ", "Thủy"), ("KHOẺ", "KHOẺ", "KHỎE"),
])
def test_tone_placement(raw, new, old):
    assert retone(raw, "new") == new and retone(raw, "old") == old


def test_tone_rewrite_is_off_by_default_and_keeps_offsets():
    text = "Ông baỏ rằng lựơng mưa tăng."
    assert normalize(text).text == text
    n = normalize(text, tones="new")
    assert n.text == "Ông bảo rằng lượng mưa tăng."
    assert n.offsets.span_to_original(4, 7) == (4, 7)
    with pytest.raises(ValueError, match="tones"):
        normalize(text, tones="modern")


def test_pipeline_option():
    doc = build(components=(), tones="old")("Hoà bình")
    assert doc.text == "Hòa bình" and doc._.original == "Hoà bình"


@given(st.text(alphabet="aăâeêioôơuưy àảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵbcdđghklmnpqrstvxHOAÐ", max_size=40))
def test_rewrite_keeps_length_and_key(text):
    for style in ("new", "old"):
        n = normalize(text, tones=style)
        plain = normalize(text)
        assert len(n.text) == len(plain.text)
        assert fold_key(n.text) == fold_key(plain.text)
