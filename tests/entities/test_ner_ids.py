"""Tests for vnnews_nlp.entities.ids: the fast ids must be exactly the ids of the feature columns."""
from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings

from vnnews_nlp.entities.ids import IdFeaturizer
from vnnews_nlp.entities.model import load_ner, sequences, words_of
from vnnews_nlp.paths import models_dir
from strategies import news_text

pytestmark = pytest.mark.skipif(not (models_dir() / "ner" / "ner.crfsuite").is_file(),
                                reason="models/ner not built")

SAMPLES = [
    "Chiều 14/2, Thủ tướng Phạm Minh Chính tiếp Đại sứ Nhật Bản tại Hà Nội.",
    "Theo Sở Y tế TP.HCM, 1.250 ca sốt xuất huyết (tăng 8%) được ghi nhận; “đỉnh dịch” chưa tới.",
    "UBND tỉnh Nghệ An. Ông Nguyễn Văn A nói: [không] 'có' chuyện đó!\nTập đoàn FPT và VNPT ký kết.",
    "a",
    "... !!! ??? ;;; (((( ))))",
]


def _column_ids(model, words):
    w = model.weights
    out = []
    for ws in words:
        cols = model.featurizer.columns(ws)
        for i in range(len(ws)):
            out.append(Counter(w.index.get(t, {}).get(v[i], w.missing) for t, v in cols
                               if v[i] is not None) - Counter({w.missing: 10**9}))
    return out


def _fast_ids(model, words, fast=None):
    fast = fast or model.ids
    miss = model.weights.missing
    return [Counter(r for r in row if r != miss) for row in fast.ids(words).tolist()]


def _words(text):
    return [words_of(text, spans) for spans in sequences(text)]


@pytest.mark.parametrize("text", SAMPLES)
def test_fast_ids_equal_column_ids(text):
    model = load_ner()
    words = _words(text)
    assert _fast_ids(model, words) == _column_ids(model, words)


def test_fast_ids_survive_a_cache_reset(monkeypatch):
    """A fresh featurizer with a tiny cache bound starts over mid-stream and stays right."""
    import vnnews_nlp.entities.ids as ner_ids

    model = load_ner()
    monkeypatch.setattr(ner_ids, "MAX_CACHED", 20)
    fast = IdFeaturizer(model.featurizer, model.weights)
    for text in SAMPLES * 2:
        words = _words(text)
        assert _fast_ids(model, words, fast) == _column_ids(model, words)
    assert len(fast._words) < 20 + 100


@settings(max_examples=60, deadline=None)
@given(news_text(200))
def test_fast_ids_equal_column_ids_on_any_text(text):
    model = load_ner()
    words = _words(text)
    if words:
        assert _fast_ids(model, words) == _column_ids(model, words)
