import gzip
import json

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from sklearn.feature_extraction.text import TfidfVectorizer

from vnnews_nlp.categories import model as classify
from vnnews_nlp.categories import train as trainer

# Small corpus written for these tests: three topics with their own vocabulary.
TOPICS = {
    "the-thao": ["đội tuyển bóng đá thắng trận chung kết", "cầu thủ ghi bàn phút cuối trận đấu",
                 "huấn luyện viên đội bóng công bố đội hình", "giải bóng đá vô địch quốc gia khởi tranh",
                 "trận đấu bóng đá kết thúc với tỷ số hòa", "thủ môn cản phá quả phạt đền"],
    "suc-khoe": ["bệnh viện tiếp nhận bệnh nhân sốt xuất huyết", "bác sĩ khuyến cáo tiêm vắc xin phòng bệnh",
                 "bệnh nhân được bác sĩ phẫu thuật thành công", "dịch cúm lan rộng, bệnh viện quá tải",
                 "thuốc mới giúp bệnh nhân giảm đau", "bác sĩ hướng dẫn phòng bệnh tay chân miệng"],
    "ngan-sach": ["dự toán ngân sách năm sau được thông qua", "quyết toán ngân sách nhà nước năm trước",
                  "chi ngân sách cho giáo dục tăng mạnh", "bội chi ngân sách được kiểm soát",
                  "công khai dự toán thu chi ngân sách", "thu ngân sách từ thuế đạt kế hoạch"],
}


def records():
    return [{"id": f"{c}-{i}", "text": t, "labels": [c]}
            for c, texts in TOPICS.items() for i, t in enumerate(texts)]


@pytest.fixture(scope="module")
def model():
    return trainer.train(records(), C=10.0, min_df=1, calibrate_folds=3)


@given(st.text(max_size=300))
def test_syllables_are_lowercase_words_without_spaces(text):
    sylls = classify.syllables(text)
    assert all(s and not any(ch.isspace() for ch in s) for s in sylls)
    assert all(s == s.lower() for s in sylls)
    grams = classify.ngrams(sylls, 2)
    assert len(grams) == len(sylls) + max(0, len(sylls) - 1)


def test_vietnamese_syllables_keep_their_marks():
    assert classify.syllables("Cải cách HÀNH CHÍNH, một-cửa") == ["cải", "cách", "hành", "chính",
                                                                  "một", "cửa"]


def test_transform_matches_scikit_learn(model):
    texts = [r["text"] for r in records()]
    vec = TfidfVectorizer(analyzer=lambda t: classify.ngrams(classify.syllables(t), 2),
                          sublinear_tf=True, vocabulary={t: i for i, t in enumerate(model.vocab)})
    vec.fit(texts)
    vec.idf_ = model.idf
    ours = model.transform(texts + ["bóng đá bóng đá ngân sách"]).toarray()
    theirs = vec.transform(texts + ["bóng đá bóng đá ngân sách"]).toarray()
    assert np.allclose(ours, theirs, atol=1e-5)


def test_predicts_unseen_sentences_and_probabilities_sum_to_one(model):
    texts = ["cầu thủ đội bóng ghi bàn", "bác sĩ điều trị bệnh nhân", "dự toán chi ngân sách"]
    assert model.predict(texts) == ["the-thao", "suc-khoe", "ngan-sach"]
    p = model.predict_proba(texts)
    assert p.shape == (3, 3) and np.allclose(p.sum(axis=1), 1)
    assert model.temperature > 0


def test_reasons_are_phrases_of_the_text_with_positive_weight(model):
    text = "Bác sĩ bệnh viện tiêm vắc xin cho trẻ"
    why = model.reasons(text, k=3)["suc-khoe"]
    assert why and all(w > 0 for _, w in why)
    low = " ".join(classify.syllables(text))
    assert all(phrase in low for phrase, _ in why)
    assert [w for _, w in why] == sorted((w for _, w in why), reverse=True)


def test_reasons_of_the_top_classes_equal_the_full_reasons(model):
    text = "Bác sĩ bệnh viện tiêm vắc xin cho trẻ; ngân sách chi cho y tế tăng"
    full = model.reasons(text, k=3)
    top = model.reasons(text, k=3, top=2)
    order = np.argsort(-model.decision([text])[0])
    assert sorted(top) == sorted(model.classes[i] for i in order[:2])
    assert all(top[c] == full[c] for c in top)


@settings(max_examples=30, deadline=None)
@given(st.text(alphabet="bác sĩ bệnh viện ngân sách đội bóng thắng trận chi thu ,.", max_size=200),
       st.integers(0, 4))
def test_reasons_are_a_subset_of_the_full_reasons(model, text, top):
    full = model.reasons(text, k=4)
    part = model.reasons(text, k=4, top=top)
    assert len(part) == min(top, 3)
    assert all(part[c] == full[c] for c in part)
    low = f" {' '.join(classify.syllables(text))} "
    assert all(f" {p} " in low and w > 0 for why in part.values() for p, w in why)


def test_save_load_roundtrip_without_pickle(model, tmp_path):
    model.save(tmp_path)
    with np.load(tmp_path / classify.MODEL_FILE, allow_pickle=False) as z:
        assert set(z.files) == {"vocab", "idf", "coef", "intercept"}
    again = classify.TextClassifier.load(tmp_path)
    texts = ["trận đấu bóng đá", "ngân sách nhà nước"]
    assert again.classes == model.classes
    assert np.allclose(again.predict_proba(texts), model.predict_proba(texts), atol=2e-3)


def test_load_refuses_unknown_format_and_damaged_files(model, tmp_path):
    model.save(tmp_path)
    cfg = json.loads((tmp_path / "model.json").read_text())
    (tmp_path / "model.json").write_text(json.dumps(dict(cfg, format="other/9")))
    with pytest.raises(ValueError, match="retrain"):
        classify.TextClassifier.load(tmp_path)
    (tmp_path / "model.json").write_text(json.dumps(dict(cfg, classes=cfg["classes"][:2])))
    with pytest.raises(ValueError, match="damaged"):
        classify.TextClassifier.load(tmp_path)
    with pytest.raises(FileNotFoundError, match="vnnews train"):
        classify.TextClassifier.load(tmp_path / "empty")


def test_newer_scikit_learn_model_is_refused_with_advice():
    with pytest.raises(RuntimeError, match="pip install -U scikit-learn"):
        classify.check_compatible({"format": classify.FORMAT, "sklearn_version": "99.1"}, "x")
    classify.check_compatible({"format": classify.FORMAT, "sklearn_version": "1.0"}, "x")


def test_read_corpus_formats(tmp_path):
    (tmp_path / "a.jsonl").write_text(
        json.dumps({"text": "một", "label": "x"}) + "\n\n" +
        json.dumps({"text": "hai", "labels": ["y", "x"]}) + "\n", encoding="utf-8")
    with gzip.open(tmp_path / "b.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.write(json.dumps({"text": "ba", "primary": "z", "also": ["x"]}) + "\n")
    folder = tmp_path / "folder"
    (folder / "cat1").mkdir(parents=True)
    (folder / "cat1" / "d1.txt").write_text("bốn", encoding="utf-8")
    recs = trainer.read_corpus([tmp_path / "a.jsonl", tmp_path / "b.jsonl.gz", folder])
    assert [r["labels"] for r in recs] == [["x"], ["y", "x"], ["z", "x"], ["cat1"]]
    assert [r["text"] for r in recs] == ["một", "hai", "ba", "bốn"]
    (tmp_path / "bad.jsonl").write_text(json.dumps({"label": "x"}) + "\n")
    with pytest.raises(ValueError, match="needs"):
        trainer.read_corpus([tmp_path / "bad.jsonl"])
    with pytest.raises(FileNotFoundError):
        trainer.read_corpus([tmp_path / "missing.jsonl"])


def test_evaluate_scores_and_calibration_measures():
    recs = [{"text": "", "labels": ["a"]}, {"text": "", "labels": ["b", "a"]},
            {"text": "", "labels": ["c"]}, {"text": "", "labels": ["a"]}]
    proba = np.array([[.8, .1, .1], [.6, .3, .1], [.1, .2, .7], [.2, .7, .1]])
    r = trainer.evaluate_proba(["a", "b", "c"], recs, proba)
    assert r["accuracy"] == pytest.approx(0.5)
    assert r["accepted_accuracy"] == pytest.approx(0.75)  # "a" is an accepted menu of doc 2
    assert r["top3_accuracy"] == 1.0
    assert 0 < r["brier"] < 2 and 0 <= r["ece"] <= 1
    assert r["per_category"]["c"]["f1"] == 1.0
    assert sum(map(sum, r["confusion"]["matrix"])) == 4


def test_temperature_softens_overconfident_scores():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 3, 300)
    scores = rng.normal(size=(300, 3)) * 5
    scores[np.arange(300), y] += 3  # right about 60% of the time, but very sure
    assert trainer.fit_temperature(scores, y) > 1.5


def test_train_needs_two_labels():
    with pytest.raises(ValueError, match="two categories"):
        trainer.train([{"text": "một hai", "labels": ["a"]}] * 4, calibrate_folds=0)


@settings(max_examples=20, deadline=None)
@given(st.text(max_size=200))
def test_any_text_gets_a_distribution(model, text):
    p = model.predict_proba([text])
    assert p.shape == (1, 3) and np.isclose(p.sum(), 1)
