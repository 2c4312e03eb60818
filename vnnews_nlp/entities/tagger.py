"""The learned entity tagger: a spaCy `ner` (CNN tok2vec + floret vectors) over atom units.

The tagger is its own small spaCy pipeline, trained with `spacy train` from
`training/configs/ner.cfg` and saved in `models/ner_cnn`:

    units tokenizer -> vnnews_kb_tags -> tok2vec -> ner

Its tokens are the article's `Atoms.units()` (syllables, numbers, single marks), the units the
CRF tags too, so a segmenter word can never hide an entity edge from it; the entity stage maps
its spans back onto the article's words (`component.split_at_edges`). `vnnews_kb_tags` writes
what the curated knowledge knows into `Token.tag_` of that inner Doc ("B-ORG", "I-LOC", "H"
for an organisation head word, "N" for the capitalised name after one), and the tok2vec
embeds TAG beside NORM/PREFIX/SUFFIX/SHAPE: knowledge as a feature the network weighs, not a
rule. The inner Doc never leaves this module.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from vnnews_nlp.errors import Errors
from vnnews_nlp.segment.atoms import scan


class UnitsTokenizer:
    """Text -> a Doc whose tokens are the text's atom units."""

    def __init__(self, vocab):
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        return self.make(text, scan(text).units())

    def make(self, text: str, spans: list[tuple[int, int]]) -> Doc:
        words = [text[s:e] for s, e in spans]
        spaces = [i + 1 < len(spans) and spans[i + 1][0] > e for i, (_, e) in enumerate(spans)]
        return Doc(self.vocab, words=words, spaces=spaces)

    # spaCy saves the tokenizer with the pipeline; this one has no state
    def to_bytes(self, **kw):
        return b""

    def from_bytes(self, data, **kw):
        return self

    def to_disk(self, path, **kw):
        Path(path).write_bytes(b"")

    def from_disk(self, path, **kw):
        return self


@spacy.registry.tokenizers("vnnews.UnitsTokenizer.v1")
def create_units_tokenizer():
    return lambda nlp: UnitsTokenizer(nlp.vocab)


def kb_tags(text: str, spans: list[tuple[int, int]], toks=None, known=None, kb=None) -> list[str]:
    """One tag per unit: the curated knowledge's B-/I-<label>, else the organisation-head mark
    (H head word, N the capitalised run after it), else "O"."""
    from vnnews_nlp.entities.model import knowledge_features  # the knowledge loads lazily

    out = []
    for feats in knowledge_features(text, [spans], toks, known, kb)[0] if spans else []:
        tag = "O"
        for f in feats:
            if f.startswith("kb=") and len(f) > 4:
                tag = f[3] + "-" + f[4:]
                break
            if f in ("oh=H", "ohl=H"):
                tag = "H"
            elif f in ("oh=I", "ohl=I", "ohb=I") and tag == "O":
                tag = "N"
        out.append(tag)
    return out


@Language.factory("vnnews_kb_tags", assigns=["token.tag"])
def make_kb_tags(nlp: Language, name: str):
    return KbTags()


class KbTags:
    """Writes `kb_tags` into Token.tag_ of the tagger's inner Doc (training and running)."""

    def __call__(self, doc: Doc) -> Doc:
        if "_kb_tags" in doc.user_data:  # set by CnnTagger from matches it already had
            tags = doc.user_data.pop("_kb_tags")
        else:
            spans = [(t.idx, t.idx + len(t)) for t in doc]
            tags = kb_tags(doc.text, spans)
        for t, tag in zip(doc, tags):
            t.tag_ = tag
        return doc


class CnnTagger:
    """The trained inner pipeline, with the CRF model's `predict` signature."""

    takes_context = True

    def __init__(self, path: Path):
        path = Path(path)
        if not (path / "config.cfg").is_file():
            raise FileNotFoundError(Errors.E107.format(path=path))
        self.path = path
        self.nlp = spacy.load(path)
        meta = path / "vnnews.json"
        self.meta = json.loads(meta.read_text(encoding="utf-8")) if meta.is_file() else {}

    def predict(self, text: str, toks=None, known=None, kb=None, units=None) -> list[tuple[int, int, str]]:
        if not isinstance(text, str):
            raise TypeError(f"predict() takes a str, got {type(text).__name__}")
        spans = scan(text).units() if units is None else units
        if not spans:
            return []
        doc = self.nlp.tokenizer.make(text, spans)
        doc.user_data["_kb_tags"] = kb_tags(text, spans, toks, known, kb)
        for _, proc in self.nlp.pipeline:
            doc = proc(doc)
        return [(spans[e.start][0], spans[e.end - 1][1], e.label_) for e in doc.ents]


@lru_cache(maxsize=None)
def load_cnn(path: str) -> CnnTagger:
    return CnnTagger(Path(path))
