"""Issue 14: the learned subject ranker (vnnews_nlp/figures/subjects.py). Sentences written for
these tests, not taken from the data."""
import json

import pytest
from hypothesis import given, settings, strategies as st

from vnnews_nlp.figures.component import _Finder
from vnnews_nlp.figures.component import default_folder, lists_at
from vnnews_nlp.figures.subjects import WINDOW, SubjectRanker, candidates
from vnnews_nlp.paths import models_dir
from vnnews_nlp.pipeline import load
from vnnews_nlp.run.analyze import analyze

pytestmark = pytest.mark.issue(14)

TEXT = ("Theo báo cáo của Bộ Tài chính, tổng thu ngân sách trong quý I đạt 120.000 tỷ đồng, "
        "tăng 12% so với cùng kỳ. Chiếc cầu mới dài 1,2 km và rộng 20 m.\n"
        "Cả nước có 63 tỉnh; giá xăng trong tuần giảm 500 đồng/lít.")


def finder_of(text):
    f = _Finder(text)
    f.run()
    return f


def test_the_shipped_model_is_plain_json_with_its_meta():
    path = models_dir() / "figures" / "subjects.json"
    weights = json.loads(path.read_text(encoding="utf-8"))["weights"]
    assert len(weights) > 1000 and all(isinstance(v, float) for v in weights.values())
    meta = json.loads((models_dir() / "figures" / "meta.json").read_text(encoding="utf-8"))
    assert meta["subjects"]["command"] == "python -m training.subjects"
    assert meta["word_tags"]["entries"] > 1000
    assert lists_at(default_folder()) is lists_at(default_folder())  # read once


def test_the_fast_choice_is_the_argmax_of_the_candidates_scores():
    model = lists_at(default_folder()).ranker
    finder = finder_of(TEXT)
    assert finder.figures
    for f in finder.figures:
        cands, none = candidates(finder, f, f.subject)
        scores = [model.score(none)] + [model.score(c.features) for c in cands]
        k = max(range(len(scores)), key=scores.__getitem__)
        want = None if k == 0 else (cands[k - 1].start, cands[k - 1].end)
        assert model.choose(finder, f, f.subject) == want


def test_candidates_lie_in_the_window_and_do_not_cross_a_line():
    finder = finder_of(TEXT)
    for f in finder.figures:
        cands, _ = candidates(finder, f, f.subject)
        for c in cands:
            assert c.start < c.end
            assert "\n" not in TEXT[c.start:c.end]
            assert f.start - WINDOW <= c.start and (c.end <= f.start or c.start >= f.end)


@given(st.text(alphabet="abcđêơ ĐT,.()\n0123456789%", max_size=200))
@settings(max_examples=60, deadline=None)
def test_any_text_gives_candidates_inside_it(text):
    finder = finder_of(text)
    model = SubjectRanker({"null": -1.0, "len:2": 0.5})
    for f in finder.figures:
        cands, none = candidates(finder, f, f.subject)
        assert "null" in none
        for c in cands:
            assert 0 <= c.start < c.end <= len(text) and "\n" not in text[c.start:c.end]
        got = model.choose(finder, f, f.subject)
        assert got is None or (got[0], got[1]) in {(c.start, c.end) for c in cands}


def test_an_empty_model_keeps_no_subject_and_the_rules_stand_without_a_ranker():
    text = "Tổng thu ngân sách đạt 120.000 tỷ đồng."
    finder = finder_of(text)
    (f,) = finder.figures
    assert text[f.subject[0]:f.subject[1]] == "Tổng thu ngân sách"  # rules only: no ranker given
    assert SubjectRanker({}).choose(finder, f, f.subject) is None  # every score 0: "none" wins ties


def test_the_pipeline_uses_the_ranker_and_can_switch_it_off():
    nlp = load()
    doc = analyze({"id": "t", "text": "Chiếc cầu mới dài 1,2 km. Kim ngạch xuất khẩu đạt 5 tỷ USD."}, nlp)
    subjects = {sp.text: sp._.figure.subject for sp in doc.spans["figures"]}
    assert subjects["5 tỷ USD"] == "Kim ngạch xuất khẩu"
    assert nlp.get_pipe_config("vnnews_figures")["learned_subjects"] is True
    comp = nlp.get_pipe("vnnews_figures")
    comp.learned_subjects = False
    try:
        text = "Tổng thu ngân sách trong quý đạt 120.000 tỷ đồng, tăng 12%."
        doc = analyze({"id": "t", "text": text}, nlp)
        want = [text[f.subject[0]:f.subject[1]] if f.subject else None for f in finder_of(text).figures]
        assert [sp._.figure.subject for sp in doc.spans["figures"]] == want
    finally:
        comp.learned_subjects = True


def test_fit_learns_the_target_and_returns_plain_weights():
    pytest.importorskip("numpy")
    from training.subjects import fit
    ex = {"feats": [["null"], ["s:a", "e:b"], ["s:c", "e:d"]], "target": 2}
    weights = fit([ex] * 20, epochs=5)
    model = SubjectRanker(weights)
    assert max(range(3), key=lambda k: model.score(ex["feats"][k])) == 2
    assert all(isinstance(v, float) for v in weights.values())
