"""Tests of the word segmenter (vnnews_nlp.segment.wordseg) with the model shipped in models/wordseg."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vnnews_nlp.paths import shared_dir
from vnnews_nlp.segment.wordseg import Segmenter, load_segmenter, model_meta, sentence_features

# Our own sentences, atoms as the tokenizer gives them, with the segmentation we expect.
CASES = [
    ("Hà Nội | là | thủ đô | của | Việt Nam | ."),
    ("Chính phủ | đã | phê duyệt | dự án | xây dựng | đường cao tốc | mới | ."),
    ("Các | doanh nghiệp | nhỏ | cần | thêm | vốn | để | phát triển | sản xuất | ."),
    ("Người dân | ở | vùng | núi | gặp | nhiều | khó khăn | trong | cuộc sống | ."),
    ("Sở | TT&TT | tổ chức | hội nghị | vào | ngày | 28/12/2019 | ."),
    ("Giá | xăng | tăng | 5,2% | , | lên | 23.500 | đồng | mỗi | lít | ."),
    ("UBND | tỉnh | Quảng Trị | vừa | ban hành | kế hoạch | phòng chống | thiên tai | ."),
    ("Học sinh | trường | này | được | nghỉ | học | ( | theo | kế hoạch | ) | ."),
]


def _split(case: str) -> tuple[list[str], list[str]]:
    words = [w.strip() for w in case.split("|")]
    atoms = [a for w in words for a in w.split()]
    return atoms, words


@pytest.fixture(scope="module")
def seg() -> Segmenter:
    return load_segmenter()


def test_loaded_once():
    assert load_segmenter() is load_segmenter()


@pytest.mark.parametrize("case", CASES)
def test_common_compounds(seg, case):
    atoms, words = _split(case)
    assert seg.words(atoms) == words


def test_flags_shape(seg):
    atoms, _ = _split(CASES[0])
    flags = seg.join_flags(atoms)
    assert len(flags) == len(atoms)
    assert flags[0] is False
    assert flags[1] is True  # "Hà Nội"


def test_punctuation_and_numbers_stand_alone(seg):
    atoms = "Ngày 28/12/2019 , giá vàng đạt 470.000 đồng ( tăng 29,08 % ) ; TP.HCM và Hà Nội .".split()
    words = seg.words(atoms)
    for alone in (",", "(", ")", ";", ".", "28/12/2019", "470.000", "29,08", "TP.HCM"):
        assert alone in words, (alone, words)


def test_batch_matches_single(seg):
    sents = [_split(c)[0] for c in CASES] + [[]]
    assert seg.join_flags_batch(sents) == [seg.join_flags(a) for a in sents]


def test_empty(seg):
    assert seg.join_flags([]) == []
    assert seg.join_flags_batch([]) == []


def test_dictionary_features_fire():
    atoms = "thủ đô của Việt Nam".split()
    with_lex = sentence_features(atoms, {"thủ đô", "việt nam"})
    without = sentence_features(atoms, set())
    assert "d2-1" in with_lex[1] and "d2-1" not in without[1]
    assert len(with_lex) == len(atoms)


def test_missing_model_says_how_to_rebuild(tmp_path):
    with pytest.raises(FileNotFoundError, match="training.wordseg"):
        Segmenter.from_dir(tmp_path)


def test_meta_records_provenance():
    meta = model_meta()
    assert meta["labels"] == ["B", "I"]
    assert all(len(h) == 64 for h in meta["training_data"].values())
    assert meta["command"].startswith("python -m training.wordseg")


atom = st.text(
    alphabet=st.characters(blacklist_categories=("Zs", "Zl", "Zp", "Cc", "Cs")),
    min_size=1, max_size=12)


@settings(max_examples=300, deadline=None)
@given(st.lists(atom, max_size=40))
def test_any_atoms_give_one_flag_each(atoms):
    flags = load_segmenter().join_flags(atoms)
    assert len(flags) == len(atoms)
    assert all(isinstance(f, bool) for f in flags)
    if flags:
        assert flags[0] is False


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["Hà", "Nội", "hà", "NỘI", "việt", "nam", ",", ".", "123",
                                 "Ω", "ǅ", "𝔸", "ß", "İ", "x\u0301", "😀", "&", "<s>"]),
                max_size=30))
def test_odd_unicode_and_case(atoms):
    flags = load_segmenter().join_flags(atoms)
    assert len(flags) == len(atoms) and (not flags or flags[0] is False)


@pytest.mark.shared
@pytest.mark.skipif(not (shared_dir() / "data" / "ud_vtb").exists(), reason="needs ../shared")
def test_dev_f1(seg):
    from training.wordseg import evaluate, read_conllu

    sents = list(read_conllu(shared_dir() / "data" / "ud_vtb" / "vi_vtb-ud-dev.conllu"))[:300]
    assert evaluate(seg, sents)["f1"] > 0.95


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["hà", "nội", "Hà", "Nội", "thủ", "đô", "Việt", "Nam", "của",
                                 "là", ",", ".", "2019", "xyz", "người", "dân"]), max_size=25))
def test_fast_scores_equal_feature_sums(atoms):
    seg = load_segmenter()
    ref = []
    for f in sentence_features(atoms, seg.lexicon, extra=seg.extra):
        ws = [seg.weights.get(name, (0.0, 0.0)) for name in f]
        ref.append((sum(w[0] for w in ws), sum(w[1] for w in ws)))
    fast = seg.emission_scores(atoms)
    assert len(fast) == len(ref)
    for (a, b), (c, d) in zip(fast, ref):
        assert a == pytest.approx(c, abs=1e-9) and b == pytest.approx(d, abs=1e-9)


def test_unknown_convention_is_refused():
    with pytest.raises(ValueError, match="convention"):
        load_segmenter(convention="klingon")


def test_ud_convention_only_when_trained_for_it():
    if "ud" in model_meta().get("conventions", []):
        atoms = "người dân ở đây".split()
        assert len(load_segmenter(convention="ud").join_flags(atoms)) == len(atoms)
    else:
        with pytest.raises(ValueError, match="--conventions"):
            load_segmenter(convention="ud")


def _tiny_crf(path, conventions: bool) -> None:
    # a few of our own sentences, enough for crfsuite to weight some features
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    trainer.set_params({"max_iterations": 20, "feature.possible_transitions": True})
    for k, case in enumerate(CASES * 2):
        atoms, words = _split(case)
        labels = [lab for w in words for lab in ["B"] + ["I"] * (len(w.split()) - 1)]
        conv = ("vlsp", "ud")[k % 2] if conventions else None
        trainer.append(sentence_features(atoms, {"hà nội", "việt nam"}, conv), labels)
    trainer.train(str(path))


@pytest.mark.parametrize("conventions", [False, True])
def test_export_keeps_crfsuite_weights(tmp_path, conventions):
    import pycrfsuite

    from training.wordseg import export_weights

    crf = tmp_path / "model.crfsuite"
    _tiny_crf(crf, conventions)
    (tmp_path / "lexicon.txt").write_text("hà nội\nviệt nam\n", encoding="utf-8")
    got = export_weights(crf, tmp_path)
    assert got == (["vlsp", "ud"] if conventions else ["vlsp"])
    tagger = pycrfsuite.Tagger()
    tagger.open(str(crf))
    info = tagger.info()
    for conv in got:
        seg = Segmenter.from_dir(tmp_path, conv)
        want: dict[str, list[float]] = {}
        for (attr, label), wt in info.state_features.items():
            head, bar, rest = attr.partition("|")
            if bar and head in ("vlsp", "ud"):
                if head != conv:
                    continue
                attr = rest
            want.setdefault(attr, [0.0, 0.0])[label == "I"] += wt
        for attr, (b, i) in want.items():
            assert seg.weights.get(attr, (0.0, 0.0)) == pytest.approx((b, i), rel=1e-6, abs=1e-6)
        assert seg.trans[0][1] == pytest.approx(info.transitions[("B", "I")])
    if not conventions:
        with pytest.raises(ValueError, match="--conventions"):
            Segmenter.from_dir(tmp_path, "ud")


def test_shipped_weights_are_plain_arrays():
    import numpy as np

    from vnnews_nlp.paths import models_dir

    path = models_dir() / "wordseg" / "weights.npz"
    with np.load(path, allow_pickle=False) as z:  # refuses pickled objects
        assert z["features"].dtype == np.uint8
        assert z["weights_vlsp"].shape[1] == 2
    assert path.stat().st_size < 3_000_000


def test_extra_lexicon_features_fire():
    atoms = "thủ đô của Việt Nam".split()
    feats = sentence_features(atoms, set(), extra={"thủ đô"})
    assert "x2-1" in feats[1] and "x2+1" in feats[0]
    assert not any(f.startswith("x") for f in sentence_features(atoms, set())[1])


def test_unknown_extra_lexicon_is_refused():
    from vnnews_nlp.segment.wordseg import external_lexicon

    assert external_lexicon("") == frozenset()
    with pytest.raises(ValueError, match="viet74k"):
        external_lexicon("nosuchlist")


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["hà", "nội", "Hà", "Nội", "thủ", "đô", "Việt", "Nam", "của",
                                 ",", "2019", "người", "dân"]), max_size=20))
def test_fast_scores_with_both_lexicons(atoms):
    # every feature name gets its own arbitrary weight, so a feature the fast path
    # forgets (or counts twice) changes the sums
    import zlib

    lexicon, extra = {"hà nội", "người dân", "thủ đô của"}, {"việt nam", "thủ đô", "của việt nam"}
    names = {n for f in sentence_features(atoms, lexicon, extra=extra) for n in f}
    names |= {n for f in sentence_features(atoms, set(), extra=extra) for n in f}
    weights = {n: (zlib.crc32(n.encode()) % 97 / 7.0, zlib.crc32(n.encode()) % 89 / 5.0)
               for n in names}
    seg = Segmenter(weights, [[0.0, 0.0], [0.0, 0.0]], frozenset(lexicon), frozenset(extra))
    ref = [(sum(weights[n][0] for n in f), sum(weights[n][1] for n in f))
           for f in sentence_features(atoms, lexicon, extra=extra)]
    fast = [x for pair in seg.emission_scores(atoms) for x in pair]
    assert fast == pytest.approx([x for pair in ref for x in pair])


# Issue 7 (throughput): decoding looks weights up as rows of NumPy tables and runs compiled
# loops. These tests keep the plain way in the test: sum the weights of every feature
# string of sentence_features(), then a 2-label Viterbi in Python.
PLAIN = [
    "Sáng nay , Thủ tướng Chính phủ đã họp với các bộ trưởng về giá điện .",
    "Đội tuyển bóng đá Việt Nam thắng 2-1 trước Thái Lan tối qua ở Mỹ Đình .",
    "Mưa lớn kéo dài khiến nhiều tuyến đường ở TP.HCM bị ngập sâu từ 0,5 đến 1 m .",
    "Ông Nguyễn Văn An , 45 tuổi , cho biết gia đình ông trồng cà phê đã hơn hai mươi năm .",
    "",
    "Giá vàng SJC hôm nay ( 3/4 ) tăng thêm 200.000 đồng mỗi lượng !",
    "Ngân hàng Nhà nước điều chỉnh lãi suất , doanh nghiệp vừa và nhỏ được hỗ trợ vay vốn .",
]


def _plain_scores(seg: Segmenter, atoms: list[str]) -> list[tuple[float, float]]:
    out = []
    for feats in sentence_features(atoms, seg.lexicon, extra=seg.extra):
        ws = [seg.weights.get(name, (0.0, 0.0)) for name in feats]
        out.append((sum(w[0] for w in ws), sum(w[1] for w in ws)))
    return out


def _plain_viterbi(scores: list[tuple[float, float]], trans) -> list[bool]:
    if not scores:
        return []
    (tbb, tbi), (tib, tii) = trans
    best_b, best_i = scores[0][0], float("-inf")
    back = [(False, False)]
    for sb, si in scores[1:]:
        from_b = (best_b + tbb, best_i + tib)
        from_i = (best_b + tbi, best_i + tii)
        pb, pi = from_b[1] > from_b[0], from_i[1] > from_i[0]
        best_b, best_i = from_b[pb] + sb, from_i[pi] + si
        back.append((pb, pi))
    flags = [False] * len(scores)
    cur = best_i > best_b
    for k in range(len(scores) - 1, 0, -1):
        flags[k] = cur
        cur = back[k][cur]
    return flags


@pytest.mark.parametrize("convention", ["vlsp", "ud"])
def test_issue7_fast_path_equals_plain_reference(convention):
    if convention not in model_meta().get("conventions", ["vlsp"]):
        pytest.skip(f"the shipped model has no {convention!r} weights")
    seg = load_segmenter(convention=convention)
    sents = [s.split() for s in PLAIN]
    batch = seg.join_flags_batch(sents)
    for atoms, flags in zip(sents, batch):
        fast = seg.emission_scores(atoms)
        plain = _plain_scores(seg, atoms)
        assert len(fast) == len(plain) == len(atoms)
        for (a, b), (c, d) in zip(fast, plain):
            assert a == pytest.approx(c, abs=1e-9) and b == pytest.approx(d, abs=1e-9)
        # the compiled Viterbi takes the same path as the plain one on the same scores
        assert flags == _plain_viterbi(fast, seg.trans) == seg.join_flags(atoms)
        assert flags == _plain_viterbi(plain, seg.trans)
    assert sum(map(sum, batch)) > 10  # the sentences do have multi-syllable words


def test_issue7_atoms_with_spaces_and_long_lexicon_entries():
    # atoms holding a space (possible through the API) and lexicon entries of 3-4 parts
    # exercise the shortcuts that skip pairs and triples nothing can name
    import zlib

    sents = [["thủ đô", "của", "Việt", "Nam"], ["hà", "nội", "mùa", "thu"], ["a b c", "d", "e"],
             ["", "x", " ", "của việt nam"], ["thủ", "đô", "của", "việt", "nam", "."]]
    lexicon = {"thủ đô của việt", "hà nội mùa thu", "a b c d e", "x  "}
    extra = {"của việt nam", "thủ đô của", "mùa thu"}
    names = {n for s in sents for f in sentence_features(s, lexicon, extra=extra) for n in f}
    weights = {n: (zlib.crc32(n.encode()) % 97 / 7.0 - 6, zlib.crc32(n.encode()) % 89 / 5.0 - 8)
               for n in names}
    seg = Segmenter(weights, [[0.5, -0.25], [0.75, -1.5]], frozenset(lexicon), frozenset(extra))
    for atoms, flags in zip(sents, seg.join_flags_batch(sents)):
        plain = [(sum(weights[n][0] for n in f), sum(weights[n][1] for n in f))
                 for f in sentence_features(atoms, lexicon, extra=extra)]
        fast = seg.emission_scores(atoms)
        assert [x for p in fast for x in p] == pytest.approx([x for p in plain for x in p])
        assert flags == _plain_viterbi(fast, seg.trans)


def test_issue7_tables_rebuilt_when_full(monkeypatch):
    # the lookup tables are bounded: past the limit they start over, same results
    import vnnews_nlp.segment.wordseg as wordseg

    sents = [s.split() for s in PLAIN]
    want = load_segmenter().join_flags_batch(sents)
    seg = Segmenter.from_dir(wordseg.models_dir() / wordseg.MODEL_NAME)
    monkeypatch.setattr(wordseg, "_MAX_ROWS", 20)
    first = seg.join_flags_batch(sents)
    state = seg._state
    assert seg.join_flags_batch(sents) == first == want
    assert seg._state is not state
