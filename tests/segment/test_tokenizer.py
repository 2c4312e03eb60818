import time

import pytest
import spacy
from hypothesis import given, settings, strategies as st

from vnnews_nlp.segment.tokenizer import Tokenizer, atoms, sentence_starts


def texts(text):
    return [text[s:e] for s, e in atoms(text)]


@pytest.mark.parametrize(
    "unit",
    ["28/12/2019", "470.000", "29,08", "1.486.224", "48,7%", "TT&TT", "GD&ĐT", "TP.HCM", "UBND",
     "LĐ-TB&XH", "sotttt@quangtri.gov.vn", "https://sotttt.quangtri.gov.vn/tin-tuc?id=12", "4/2019",
     "3G", "Tp.HCM"],
)
def test_units_stay_whole(unit):
    assert texts(f"Theo {unit} hôm nay.") == ["Theo", unit, "hôm", "nay", "."]


def test_atoms_split_punctuation_and_keep_hyphenated_names_apart():
    assert texts("Thừa Thiên-Huế, (năm 2019)…") == ["Thừa", "Thiên", "-", "Huế", ",", "(", "năm", "2019", ")", "…"]


def test_url_does_not_swallow_final_punctuation():
    assert texts("Xem https://a.gov.vn/x.") == ["Xem", "https://a.gov.vn/x", "."]


def test_sentence_split():
    text = "Ông Nam đến Hà Nội. Bà Lan ở TP.HCM! Giá 29,08 đồng.\nDòng mới"
    spans = atoms(text)
    starts = [text[s:e] for (s, e), st in zip(spans, sentence_starts(text, spans)) if st]
    assert starts == ["Ông", "Bà", "Giá", "Dòng"]


def test_no_split_before_lowercase_or_inside_quotes():
    text = "Ông nói: “Làm gương.” Sau đó. tiếp tục"
    spans = atoms(text)
    starts = [text[s:e] for (s, e), st in zip(spans, sentence_starts(text, spans)) if st]
    assert starts == ["Ông", "Sau"]


def _blank(segment=True):
    return spacy.blank("vi", config={"nlp": {"tokenizer": {"@tokenizers": "vnnews.Tokenizer.v1", "segment": segment}}})


SYLLABLES = _blank(segment=False)
WORDS = _blank()


@pytest.fixture(scope="module")
def nlp_syllables():
    return SYLLABLES


def test_doc_text_is_normalized_text_exactly(nlp_syllables):
    text = "  Bộ  TT&TT\n\n tổ chức  hội nghị.  "
    doc = nlp_syllables(text)
    assert doc.text == text
    assert [t.text for t in doc if not t.is_space] == ["Bộ", "TT&TT", "tổ", "chức", "hội", "nghị", "."]


def test_tokenizer_normalizes_and_keeps_original(nlp_syllables):
    raw = "Vie\u0302\u0323t Nam&nbsp;2019"
    doc = nlp_syllables(raw)
    assert doc.text == "Việt Nam 2019"
    assert doc._.original == raw
    assert doc._.offsets.to_original(doc.text.index("2019")) == raw.index("2019")


def test_segmented_tokens_are_words():
    doc = WORDS("Ngày 28/12/2019, tại Hà Nội, Bộ Thông tin và Truyền thông tổ chức hội nghị.")
    words = [t.text for t in doc]
    assert "Hà Nội" in words and "tổ chức" in words and "hội nghị" in words
    assert "28/12/2019" in words
    assert doc.text == "Ngày 28/12/2019, tại Hà Nội, Bộ Thông tin và Truyền thông tổ chức hội nghị."


def test_segmentation_never_joins_across_punctuation_or_lines():
    doc = WORDS("Hà\nNội, tổ. chức")
    assert [t.text for t in doc if not t.is_space] == ["Hà", "Nội", ",", "tổ", ".", "chức"]


_alphabet = st.sampled_from(list("aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵAĐ0123456789.,/&%-:;!?()\"“” \n\t"))


@settings(max_examples=200, deadline=None)
@given(st.text(_alphabet, max_size=200))
def test_any_text_round_trips(text):
    doc = WORDS(text)
    norm = doc.text
    assert "".join(t.text_with_ws for t in doc) == norm
    spans = atoms(norm)
    assert all(0 <= s < e <= len(norm) for s, e in spans)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_any_unicode_does_not_crash(text):
    doc = SYLLABLES(text)
    assert "".join(t.text_with_ws for t in doc) == doc.text


def test_atoms_linear_on_adversarial_digits():
    # 100,000 characters of digits, dots and commas must not backtrack; compare with a
    # plain linear scan of the same input, with a generous bound.
    line = ("1.2,3" * 20_000)[:100_000]
    t0 = time.perf_counter()
    base = sum(1 for ch in line if ch.isdigit())
    t1 = time.perf_counter()
    spans = atoms(line)
    t2 = time.perf_counter()
    assert base and spans
    assert (t2 - t1) < max(50 * (t1 - t0), 0.5)


def test_ud_convention_splits_what_vlsp_joins():
    ud = spacy.blank("vi", config={"nlp": {"tokenizer": {"@tokenizers": "vnnews.Tokenizer.v1", "convention": "ud"}}})
    text = "Người dân ở Hà Nội đến dự."
    assert "Người dân" in [t.text for t in WORDS(text)]
    words_ud = [t.text for t in ud(text)]
    assert "Người dân" not in words_ud and "Hà Nội" in words_ud
