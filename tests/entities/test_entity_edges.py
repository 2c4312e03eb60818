"""Entity boundaries win over word boundaries (issue 13): a word token never swallows two
entities or an entity and its neighbour. Sentences written for these tests."""
import pytest

from vnnews_nlp.run.analyze import analyze, analyze_record

pytestmark = pytest.mark.issue(13)


def test_a_word_holding_two_entities_is_split():
    text = "Tổng thống Mỹ Donald Trump đến thăm Hà Nội."
    doc = analyze(text)
    assert doc.text == text
    ents = [(e.text, e.label_) for e in doc.ents]
    assert ("Mỹ", "LOC") in ents and ("Donald Trump", "PER") in ents
    assert "Mỹ Donald Trump" not in [e.text for e in doc.ents]


def test_split_keeps_offsets_and_records_skip_the_space():
    text = "Tổng thống Mỹ Donald Trump phát biểu."
    rec = analyze_record(text)
    words = [rec["text"][t["start"]:t["end"]] for t in rec["tokens"]]
    assert "Mỹ" in words and "Donald Trump" in words and " " not in words
    for e in rec["entities"]:
        assert rec["text"][e["start"]:e["end"]] == e["text"]


def test_no_entity_is_wider_than_what_was_found():
    doc = analyze("Thủ tướng Anh Tony Blair và Tổng thống Pháp Jacques Chirac gặp nhau.")
    for e in doc.ents:
        assert not (e.label_ == "LOC" and len(e.text.split()) > 1 and e.text.split()[0] in ("Anh", "Pháp")
                    and e.text not in ("Anh", "Pháp"))


@pytest.mark.issue(13)
def test_a_doc_whose_words_were_split_keeps_its_sentences():
    # found by the fuzz test: split pieces had no sentence mark, and doc.sents raised
    from vnnews_nlp.pipeline import load
    from vnnews_nlp.run.analyze import analyze_record

    rec = analyze_record({"id": "x", "text": "Quảng Trịhuyện Gio Linhhuyện Gio Linh"}, load())
    assert rec["sentences"] == [{"start": 0, "end": 37}]
    doc = load()("Liên minh CDU/CSU thắng. Ảnh: AFP/TTXVN")
    assert [s.text for s in doc.sents] == ["Liên minh CDU/CSU thắng.", "Ảnh: AFP/TTXVN"]
