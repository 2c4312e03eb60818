"""The spaCy CNN tagger (entities/tagger.py), its combination with the CRF (entities/combine.py)
and the component's `tagger` setting. A tiny model is trained here from the committed config,
so the tests need no ../shared. Sentences written for these tests."""
from pathlib import Path

import pytest
import spacy
from spacy.training import Example

from vnnews_nlp.entities.combine import CombinedTagger, combine
from vnnews_nlp.entities.tagger import CnnTagger, UnitsTokenizer, kb_tags
from vnnews_nlp.segment.atoms import scan

pytestmark = pytest.mark.issue(13)
CONFIG = Path(__file__).resolve().parents[2] / "training" / "configs" / "ner.cfg"
TRAIN = [("Ông Nguyễn Văn An đến Hà Nội hôm qua.", [("Nguyễn Văn An", "PER"), ("Hà Nội", "LOC")]),
         ("Bà Trần Thị Bình ở Đà Nẵng.", [("Trần Thị Bình", "PER"), ("Đà Nẵng", "LOC")]),
         ("Hôm nay Nguyễn Văn An về Đà Nẵng.", [("Nguyễn Văn An", "PER"), ("Đà Nẵng", "LOC")])]


def test_units_tokenizer_tokens_are_the_atom_units():
    text = "Bộ TT&TT họp ngày 28/12/2019.\nÔng A  nói."
    doc = UnitsTokenizer(spacy.blank("vi").vocab)(text)
    assert [t.text for t in doc] == [text[s:e] for s, e in scan(text).units()]


def test_kb_tags_mark_known_names_and_organisation_heads():
    text = "Bộ Tài chính và Công ty Hoa Mai họp."
    spans = scan(text).units()
    tags = dict(zip((text[s:e] for s, e in spans), kb_tags(text, spans)))
    assert (tags["Bộ"], tags["Tài"], tags["chính"]) == ("B-ORG", "I-ORG", "I-ORG")
    assert (tags["Công"], tags["Hoa"], tags["họp"]) == ("H", "N", "O")


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory):
    config = spacy.util.load_config(CONFIG, overrides={"vars.static_vectors": False, "vars.width": 32,
                                                       "vars.depth": 1, "paths.train": None, "paths.dev": None})
    nlp = spacy.util.load_model_from_config(config, auto_fill=True, validate=True)
    examples = []
    for text, ents in TRAIN:
        doc = nlp.make_doc(text)
        spans = [(text.index(s), text.index(s) + len(s), label) for s, label in ents]
        examples.append(Example.from_dict(doc, {"entities": spans}))
    nlp.initialize(lambda: examples)
    for _ in range(60):
        nlp.update(examples, drop=0.0)
    out = tmp_path_factory.mktemp("cnn")
    nlp.to_disk(out)
    return out


def test_cnn_tagger_spans_are_on_the_input_offsets(tiny_model):
    text = "Ông  Nguyễn Văn An\nđến Hà Nội hôm qua."  # two spaces and a newline: offsets must hold
    spans = CnnTagger(tiny_model).predict(text)
    assert {(text[s:e], label) for s, e, label in spans} >= {("Nguyễn Văn An", "PER"), ("Hà Nội", "LOC")}


def test_component_runs_the_cnn_tagger_from_its_folder(tiny_model):
    nlp = spacy.blank("vi")
    import vnnews_nlp.entities.component  # noqa: F401 (registers the factory)
    comp = nlp.add_pipe("vnnews_entities", config={"tagger": "cnn"})
    comp.model_path = str(tiny_model)
    ents = {(e.text, e.label_) for e in nlp("Ông Nguyễn Văn An đến Hà Nội hôm qua.").ents}
    assert ("Nguyễn Văn An", "PER") in ents


def test_missing_cnn_model_says_how_to_build_it(tmp_path):
    with pytest.raises(FileNotFoundError, match="spacy train training/configs/ner.cfg"):
        CnnTagger(tmp_path)


def test_combinations():
    cnn = [(0, 5, "PER"), (10, 15, "ORG")]
    crf = [(0, 5, "PER"), (12, 20, "LOC"), (30, 35, "LOC")]
    assert combine("", cnn, crf, "cnn-first") == [(0, 5, "PER"), (10, 15, "ORG"), (30, 35, "LOC")]
    assert combine("", cnn, crf, "crf-first") == [(0, 5, "PER"), (12, 20, "LOC"), (30, 35, "LOC")]
    assert combine("", cnn, crf, "agree") == [(0, 5, "PER")]
    with pytest.raises(ValueError, match="unknown combination"):
        CombinedTagger(None, None, "vote")
