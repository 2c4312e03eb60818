"""Tests for vnnews_nlp.crf: NumPy scoring + compiled Viterbi must give crfsuite's answer."""
from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from vnnews_nlp.crf import CrfWeights
from vnnews_nlp.entities.model import knowledge_features, load_ner, sequences, words_of
from vnnews_nlp.paths import models_dir
from strategies import news_text

needs_model = pytest.mark.skipif(not (models_dir() / "ner" / "ner.crfsuite").is_file(),
                                 reason="models/ner not built")

SAMPLES = [
    "Sáng 3/4, Bộ trưởng Bộ Tài chính Hồ Đức Phớc làm việc với UBND tỉnh Quảng Trị về ngân sách.",
    "Công ty cổ phần Sữa Việt Nam (Vinamilk) báo lãi 2.500 tỷ đồng, tăng 12% so với cùng kỳ.",
    "Ông Trần Văn Nam, Giám đốc Sở TT&TT TP.HCM, cho biết mạng 5G phủ 80% dân số.\n"
    "Theo bà Lê Thị Hoa, Hà Nội và Đà Nẵng sẽ thí điểm từ tháng 6.",
    "“Chúng tôi chưa nhận được văn bản nào”, đại diện Ngân hàng Nhà nước nói với báo Tuổi Trẻ.",
    "x",
    "12/12/2024 ; ; ; ... !!! (((( ]]]] ' \" « »",
]


def _toy(trans: np.ndarray) -> CrfWeights:
    w = object.__new__(CrfWeights)  # only what viterbi() reads
    w.labels = [f"L{i}" for i in range(len(trans))]
    w.trans = trans
    return w


def _brute_force(em: np.ndarray, trans: np.ndarray) -> list[int]:
    best, arg = -np.inf, None
    for path in itertools.product(range(em.shape[1]), repeat=len(em)):
        s = em[0, path[0]] + sum(trans[a, b] + em[t + 1, b]
                                 for t, (a, b) in enumerate(zip(path, path[1:])))
        if s > best:
            best, arg = s, list(path)
    return arg


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(1, 5), min_size=1, max_size=4), st.integers(0, 2**32 - 1))
def test_viterbi_matches_brute_force(lens, seed):
    rng = np.random.default_rng(seed)
    trans = rng.normal(size=(3, 3))
    ems = [rng.normal(size=(n, 3)) for n in lens]
    got = _toy(trans).viterbi(np.concatenate(ems), lens)
    assert got == [[f"L{k}" for k in _brute_force(em, trans)] for em in ems]


def _crfsuite_tags(model, text):
    seqs = sequences(text)
    words = [words_of(text, sp) for sp in seqs]
    feats = model.featurizer.doc_features(words, knowledge_features(text, seqs))
    return [model.tagger.tag(f) for f in feats], words, seqs


def _our_tags(model, text, words, seqs):
    feat = model.featurizer
    extra = feat.doc_extras(words)
    for d_seq, k_seq in zip(extra, knowledge_features(text, seqs)):
        for d, k in zip(d_seq, k_seq):
            d.extend(k)
    em = model.weights.emissions(_column_ids(model.weights, [feat.columns(w) for w in words]), extra)
    return em, model.weights.viterbi(em, [len(s) for s in seqs])


def _column_ids(weights, columns):
    """The plain mapping of feature columns to weight rows (one dict lookup per value)."""
    flat: dict[str, list] = {}
    for cols in columns:
        for template, values in cols:
            flat.setdefault(template, []).extend(values)
    n = len(next(iter(flat.values())))
    return np.array([[weights.index.get(t, {}).get(vals[i], weights.missing)
                      for t, vals in flat.items()] for i in range(n)])


@needs_model
@pytest.mark.parametrize("text", SAMPLES)
def test_tags_equal_crfsuite_on_written_samples(text):
    model = load_ner()
    want, words, seqs = _crfsuite_tags(model, text)
    _, got = _our_tags(model, text, words, seqs)
    assert got == want


@needs_model
@pytest.mark.parametrize("text", SAMPLES[:4])
def test_scores_are_the_sum_of_the_feature_weights(text):
    """The column lookup finds exactly the weights of the feature strings crfsuite sees."""
    model = load_ner()
    _, words, seqs = _crfsuite_tags(model, text)
    feats = model.featurizer.doc_features(words, knowledge_features(text, seqs))
    em, _ = _our_tags(model, text, words, seqs)
    w = model.weights
    want = np.array([w.state[[w.rows.get(f, w.missing) for f in atom]].sum(axis=0)
                     for seq in feats for atom in seq])
    np.testing.assert_allclose(em, want, rtol=0, atol=1e-9)


@needs_model
@settings(max_examples=40, deadline=None)
@given(news_text(300))
def test_tags_equal_crfsuite_on_any_text(text):
    model = load_ner()
    seqs = sequences(text)
    if not seqs:
        assert model.predict(text) == []
        return
    want, words, seqs = _crfsuite_tags(model, text)
    _, got = _our_tags(model, text, words, seqs)
    assert got == want


@needs_model
def test_predict_of_text_without_atoms_is_empty():
    assert load_ner().predict("   \n\t ") == []


@pytest.mark.issue(12)
def test_best_paths_skips_empty_sequences():
    # the one Viterbi serves the segmenter too, whose batches may hold empty sentences; an
    # empty sequence at the end once made the compiled loop write one row past the output
    from vnnews_nlp.crf import best_paths

    em = np.array([[0.0, 1.0], [2.0, 0.0], [0.0, 3.0]])
    trans = np.zeros((2, 2))
    assert best_paths(em, trans, [1, 0, 2, 0]).tolist() == [1, 0, 1]
    assert best_paths(em[:0], trans, [0, 0]).tolist() == []


@pytest.mark.issue(12)
def test_segmenter_batch_with_empty_sentences():
    from vnnews_nlp.segment.wordseg import load_segmenter

    seg = load_segmenter()
    sents = [["Hà", "Nội"], [], ["thành", "phố"], []]
    assert seg.join_flags_batch(sents) == [seg.join_flags(s) for s in sents]
