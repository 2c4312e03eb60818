"""Tests for vnnews_nlp.entities.model; the model ships in models/ner, so no ../shared needed."""
from __future__ import annotations

import time

import pytest
from hypothesis import given, settings, strategies as st

from vnnews_nlp.entities.model import (Featurizer, atoms, cap_runs, head_features, knowledge_features,
                                  load_ner, propagate, sequences, shape, spans_from_bio,
                                  split_at_semicolons, split_run_ons, words_of)
from vnnews_nlp.paths import models_dir, shared_dir

HAS_MODEL = (models_dir() / "ner" / "ner.crfsuite").is_file()
needs_model = pytest.mark.skipif(not HAS_MODEL, reason="models/ner not built")


def found(text, spans):
    return {(text[s:e], label) for s, e, label in spans}


# ------------------------------------------------------------ pieces without a model

def test_atoms_cover_syllables_and_punctuation():
    text = "Ông Tư (TP.HCM) nói: “xong”."
    got = [text[s:e] for s, e in atoms(text)]
    assert got == ["Ông", "Tư", "(", "TP", ".", "HCM", ")", "nói", ":", "“", "xong", "”", "."]


def test_atoms_keep_decomposed_syllables_whole():
    import unicodedata
    text = unicodedata.normalize("NFD", "Quảng Ngãi")
    assert [text[s:e] for s, e in atoms(text)] == text.split(" ")


def test_sequences_break_at_newlines():
    text = "Hà Nội mưa.\n\nĐà Nẵng nắng."
    seqs = sequences(text)
    assert len(seqs) == 2
    assert text[seqs[1][0][0]:seqs[1][0][1]] == "Đà"


def test_shape_classes():
    assert [shape(w) for w in ["Hà", "UBND", "tỉnh", "2024", ",", "iPhone", "iPhone5", "F1", "A"]] == \
        ["T", "U", "L", "D", "P", "M", "A", "U", "T"]


def test_spans_from_bio_joins_and_splits():
    spans = [(0, 2), (3, 5), (6, 8), (9, 11), (12, 14)]
    tags = ["B-PER", "I-PER", "I-LOC", "O", "I-ORG"]
    assert spans_from_bio(spans, tags) == [(0, 5, "PER"), (6, 8, "LOC"), (12, 14, "ORG")]


def test_lexicon_prefers_longest_match():
    f = Featurizer(lexicon={("Hà",): "PER", ("Hà", "Nội"): "LOC"})
    assert f.lexicon_tags(["ở", "Hà", "Nội", "và", "Hà"]) == ["O", "BLOC", "ILOC", "O", "BPER"]


def test_features_one_list_per_atom():
    words = ["Bộ", "Y", "tế", "họp", "."]
    feats = Featurizer().features(words)
    assert len(feats) == len(words)
    assert "w=Bộ" in feats[0] and "sent0" in feats[0] and "EOS" in feats[-1]


def test_cap_runs():
    assert cap_runs(["ở", "Hà", "Nội", "và", "TP", "HCM"]) == [(1, 3), (4, 6)]
    assert cap_runs(["Bão", "số", "3"]) == [(0, 1)]


def test_doc_features_carry_cue_to_other_mentions():
    # "Sampson" has a person cue only in its first mention; the second one gets it too
    f = Featurizer(cues={"ông": "PER", "tại": "LOC"})
    seqs = [["Ông", "Sampson", "đến", "tại", "Lyon", "."], ["Sampson", "rời", "Lyon", "."]]
    feats = f.doc_features(seqs)
    assert "dc=PER" in feats[1][0] and "rep" in feats[1][0]
    assert "dc=LOC" in feats[1][2]
    assert not any(x.startswith("dc=") for x in feats[1][1])


def test_doc_features_flag_words_seen_in_lowercase():
    feats = Featurizer().doc_features([["Trong", "năm", "nay"], ["nói", "trong", "đó"]])
    assert "lowelse" in feats[0][0]


def test_head_features_mark_head_and_capitalised_run():
    words = ["Anh", "làm", "ở", "Công", "ty", "cổ", "phần", "Bánh", "Kẹo", "Hải", "Hà", "từ", "lâu"]
    f = head_features(words)
    assert [("oh=H" in x) for x in f[3:7]] == [True] * 4
    assert all("oh=I" in x for x in f[7:11])
    assert "oh=E" in f[11] and not f[12] and not f[0]


def test_head_features_ignore_a_head_without_a_name():
    assert head_features(["công", "ty", "này", "lỗ"]) == [[], [], [], []]
    # "Bộ trưởng" is a title, not the ministry head "Bộ" + name
    assert head_features(["Bộ", "trưởng", "nói"]) == [[], [], []]


def test_head_features_join_abbreviation_punctuation_and_fc():
    f = head_features(["Bộ", "TT", "&", "TT", "và", "Sài", "Gòn", "FC", "."])
    assert all("oh=I" in x for x in f[1:4]) and "oh=E" in f[4]
    assert "ohb=I" in f[5] and "ohb=I" in f[6] and "ohb=I" not in f[4]


def test_knowledge_features_mark_known_spans():
    text = "Hôm qua Bộ Y tế gửi công văn tới UBND tỉnh Quảng Trị.\nĐoàn đi Hà Nội."
    seqs = sequences(text)
    feats = knowledge_features(text, seqs)
    by_word = {text[s:e]: f for spans, fs in zip(seqs, feats) for (s, e), f in zip(spans, fs)}
    assert "kb=BORG" in by_word["Bộ"] and "kb=IORG" in by_word["tế"]
    assert "kb=BORG" in by_word["UBND"] and "kb=IORG" in by_word["Trị"]
    assert "kb=BLOC" in by_word["Hà"]
    assert not any(x.startswith("kb=") for x in by_word["công"])


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("HàNộiCôngtyBộYtếFCSởĐà &-.,\n")) | st.characters(),
               max_size=200))
def test_knowledge_features_one_list_per_atom(text):
    seqs = sequences(text)
    feats = knowledge_features(text, seqs)
    assert [len(f) for f in feats] == [len(s) for s in seqs]


def test_split_at_semicolons_cuts_a_span_run_through_a_clause_break():
    # regression: the CRF ran one ORG from a slogan across ";" into the next clause
    text = "khẩu hiệu Nghĩ ở Huế; làm máy bay ở Đà Nẵng và Hải Phòng; Quỹ An Bình."
    a = text.index("Nghĩ")
    b = text.index("Đà Nẵng") + len("Đà Nẵng")
    c = text.index("Hải")
    got = split_at_semicolons(text, [(a, b, "ORG"), (c, len(text) - 1, "ORG")])
    assert [(text[s:e], label) for s, e, label in got] == [
        ("Nghĩ ở Huế", "ORG"), ("Hải Phòng", "ORG"), ("Quỹ An Bình", "ORG")]


@given(st.text(alphabet=st.sampled_from(list("Aa; b.")), max_size=60))
def test_split_at_semicolons_gives_clean_disjoint_spans(text):
    spans = atoms(text)  # model spans always start and end on atoms
    got = split_at_semicolons(text, [(spans[0][0], spans[-1][1], "ORG")] if spans else [])
    for s, e, _ in got:
        assert ";" not in text[s:e] and text[s:e] == text[s:e].strip() and s < e
    check_spans(text, got)


def test_split_run_ons_cuts_at_a_sentence_end_and_a_stray_bracket():
    # regression (issue 6 index over VNTC): "Al Qaeda. Bin Laden", "AS Roma) 14 - Adriano"
    text = "Theo Al Qaeda. Bin Laden vẫn sống. Đội AS Roma) 14 - Adriano ghi bàn (Bộ Y tế"
    def span(a, b):
        return (text.index(a), text.index(b) + len(b), "ORG")
    got = split_run_ons(text, [span("Al Qaeda", "Bin Laden"), span("AS Roma", "Adriano"),
                               span("(Bộ", "Y tế")])
    assert [text[s:e] for s, e, _ in got] == ["Al Qaeda", "Bin Laden", "AS Roma",
                                              "14 - Adriano", "Bộ Y tế"]


def test_split_run_ons_keeps_names_with_inner_dots_and_pairs():
    text = "Tp. HCM và Công ty (Việt Nam) cùng ông Nguyễn V. Anh"
    spans = [(0, 7, "LOC"), (text.index("Công"), text.index("Nam)") + 4, "ORG"),
             (text.index("Nguyễn"), len(text), "PER")]
    assert split_run_ons(text, spans) == spans


@given(st.text(alphabet=st.sampled_from(list("Aa()]. b")), max_size=60))
def test_split_run_ons_gives_clean_disjoint_spans(text):
    spans = atoms(text)
    got = split_run_ons(text, [(spans[0][0], spans[-1][1], "ORG")] if spans else [])
    for s, e, _ in got:
        part = text[s:e]
        assert part == part.strip() and s < e and part.count("(") == part.count(")")
        assert not any(part[k] == "." and part[k - 1].islower() and part[k - 2].islower()
                       and k + 1 < len(part) and part[k + 1].isspace() for k in range(2, len(part)))
    check_spans(text, got)


def _spread(text, found):
    seqs = sequences(text)
    return propagate(text, seqs, [words_of(text, sp) for sp in seqs], found)


def test_propagate_tags_other_mentions_of_a_found_name():
    text = "Tập đoàn Hoa Sen lãi lớn.\nNăm nay Hoa Sen mở rộng, Hoa Sen Xanh thì không."
    found = [(9, 16, "ORG")]
    got = _spread(text, found)
    second = text.index("Hoa Sen", 20)
    # a mention that runs on into more capitals ("Hoa Sen Xanh") is a different name
    assert got == [(9, 16, "ORG"), (second, second + 7, "ORG")]


def test_propagate_never_spreads_a_common_word():
    text = "Sáng nay trời mưa.\nBuổi sáng mát, Sáng lại mưa."
    assert _spread(text, [(0, 4, "PER")]) == [(0, 4, "PER")]


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("Hoa Sen An Bình.\n,")), max_size=120))
def test_propagate_keeps_spans_sorted_and_disjoint(text):
    seqs = sequences(text)
    flat = [sp for s in seqs for sp in s]
    found = [(s, e, "ORG") for s, e in flat[:2] if text[s].isupper()][:1]
    check_spans(text, _spread(text, found))


# ------------------------------------------------------------ the shipped model

@needs_model
def test_finds_person_location_organisation():
    text = ("Chủ tịch UBND tỉnh Quảng Nam Lê Văn Dũng đã làm việc với Bộ Y tế tại Hà Nội "
            "vào sáng thứ Hai.")
    got = found(text, load_ner().predict(text))
    assert ("Lê Văn Dũng", "PER") in got
    assert ("Hà Nội", "LOC") in got
    assert ("Bộ Y tế", "ORG") in got


@needs_model
def test_more_sentences_of_our_own():
    text = ("Ông Nguyễn Minh Tuấn, giám đốc Công ty Cổ phần Sữa Việt Nam, cho biết nhà máy mới ở "
            "Bình Dương sẽ hoạt động từ tháng sau.\n"
            "Bà Trần Thị Hoa được Sở Giáo dục và Đào tạo Đà Nẵng khen thưởng.")
    got = found(text, load_ner().predict(text))
    assert ("Nguyễn Minh Tuấn", "PER") in got
    assert ("Trần Thị Hoa", "PER") in got
    assert ("Bình Dương", "LOC") in got
    assert any(label == "ORG" and "Sở Giáo dục" in s for s, label in got)


@needs_model
def test_offsets_point_into_text_when_text_has_leading_space_and_nbsp():
    text = "   Thủ tướng\u00a0Phạm Minh Chính thăm Cần Thơ."
    spans = load_ner().predict(text)
    assert spans, "expected at least one entity"
    for s, e, label in spans:
        assert text[s:e] == text[s:e].strip() and label in {"PER", "LOC", "ORG", "MISC"}


@needs_model
def test_predict_batch_equals_predict():
    model = load_ner()
    texts = ["Hà Nội và Huế.", "", "Ông Lê Văn Tám ở Sài Gòn.\nCông an tỉnh Nghệ An vào cuộc."]
    assert model.predict_batch(texts) == [model.predict(t) for t in texts]


@needs_model
def test_load_ner_is_cached():
    assert load_ner() is load_ner()


@needs_model
def test_speed_is_linear_in_text_length():
    # ratio within one process, never an absolute time
    model = load_ner()
    unit = "Phóng viên Nguyễn Văn An đưa tin từ Hải Phòng về cuộc họp của Bộ Tài chính. "
    model.predict(unit)
    t0 = time.process_time()
    for _ in range(20):
        model.predict(unit)
    short = time.process_time() - t0
    t0 = time.process_time()
    model.predict(unit * 20)
    long = time.process_time() - t0
    assert long < 3 * short + 0.05


def check_spans(text, spans):
    last = 0
    for s, e, label in spans:
        assert 0 <= last <= s < e <= len(text)
        assert label in {"PER", "LOC", "ORG", "MISC"}
        last = e
    assert spans == sorted(spans)


@needs_model
@pytest.mark.parametrize("text", ["", " ", "\n\n\t", "x" * 50000, "." * 3000,
                                  "Ａ\u0301\u200b\ufeff🙂 Hà\u0300 Nội", "\x00\x01 ông Ba"])
def test_odd_inputs_do_not_crash(text):
    check_spans(text, load_ner().predict(text))


@needs_model
@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("HàNộiÔngLêVănBộYtếĐàNẵngquảng .,\n\"“”()-:AQ0"))
               | st.characters(), max_size=300))
def test_any_text_gives_valid_spans(text):
    check_spans(text, load_ner().predict(text))


def test_predict_rejects_non_text():
    if not HAS_MODEL:
        pytest.skip("models/ner not built")
    with pytest.raises(TypeError):
        load_ner().predict(None)


@pytest.mark.skipif(not shared_dir().exists() or not HAS_MODEL, reason="needs ../shared")
@pytest.mark.shared
def test_dev_score_beats_baseline_level():
    from training.ner import evaluate, read_split
    res = evaluate(load_ner(), read_split("dev")[:40])
    assert res["micro"]["f1"] > 0.6


def test_words_of_normalizes_to_nfc():
    import unicodedata
    text = unicodedata.normalize("NFD", "Huế")
    assert words_of(text, atoms(text)) == ["Huế"]
