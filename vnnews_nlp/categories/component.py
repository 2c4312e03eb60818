"""spaCy component `vnnews_categories`: portal category probabilities and their reasons.

Writes `doc.cats` ({code: probability} for every taxonomy code; a parent holds its own
probability plus its sub-menus') and `doc._.cat_reasons` ({code: [[phrase, weight], ...]};
phrases only for the `reason_top` most likely classes, an empty list for the others, because
working out reasons costs more than the probabilities and nobody reads them for unlikely menus).
`suggestions(doc)` turns them into a ranked, hierarchy-aware list for editors.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
from spacy import util as spacy_util
from spacy.language import Language
from spacy.tokens import Doc

from vnnews_nlp.errors import Errors
from vnnews_nlp.paths import cfg_from_bytes, cfg_to_bytes
from vnnews_nlp.categories import model as classify
from vnnews_nlp.categories.taxonomy import Category, Taxonomy, load_taxonomy
from vnnews_nlp.doc import Suggestion, article_of
from vnnews_nlp.doc import doc_text as _doc_text
from vnnews_nlp.categories.reasons import word_reasons
from vnnews_nlp.segment.atoms import atoms_of, scan


@Language.factory("vnnews_categories",
                  default_config={"model": None, "taxonomy": None, "reasons": 5,
                                  "reason_top": 5},
                  assigns=["doc.cats", "doc._.cat_reasons", "doc._.suggestions", "doc._.cat_evidence"])
def make_categories(nlp: Language, name: str, model: str | None, taxonomy: str | None,
                    reasons: int, reason_top: int):
    # the pipeline's own tokenizer segments a title kept apart from the text (word models):
    # a saved pipeline brings its segmenter, and the repository's may not be there
    return CategorySuggester(name, model=model, taxonomy=taxonomy, reasons=reasons,
                             reason_top=reason_top, tokenizer=nlp.tokenizer)  # picklable


MIN_EVIDENCE = 40  # syllables: about two sentences of news


class CategorySuggester:
    """Loads its model on the first doc (never at import or construction time)."""

    def __init__(self, name: str = "vnnews_categories", *, model: str | None = None,
                 taxonomy: str | None = None, reasons: int = 5, reason_top: int = 5,
                 tokenizer=None):
        self.name = name
        self.model_path = str(model) if model else None
        self.taxonomy_path = taxonomy
        self.n_reasons = reasons
        self.reason_top = reason_top
        self._taxonomy: Taxonomy | None = None
        self.tokenizer = tokenizer  # text -> Doc; None: the repository's segmenter

    def model(self) -> classify.TextClassifier:
        # a method, not a property: spaCy's `isinstance(proc, ListenedToComponent)` check
        # (when a pipe is added or loaded) reads `proc.model` and would load it there
        return classify.load_model(self.model_path)

    @property
    def taxonomy(self) -> Taxonomy:
        if self._taxonomy is None:
            self._taxonomy = model_taxonomy(self.model(), self.model_path, self.taxonomy_path)
        return self._taxonomy

    def __call__(self, doc: Doc) -> Doc:
        model = self.model()
        sylls = doc_syllables(doc)
        row = model.transform([sylls], split=False,
                              words=[doc_word_features(doc, self.tokenizer)] if model.words
                              else None)
        proba = model.predict_proba(row)[0]
        # a short text says little: its distribution is pulled towards flat, in proportion to
        # how far it falls short, and the record says so (`enough_evidence`)
        words = sum(1 for s in sylls if not s.isdigit())
        doc._.cat_evidence = words >= MIN_EVIDENCE
        if words < MIN_EVIDENCE:
            share = words / MIN_EVIDENCE
            proba = share * proba + (1 - share) / len(proba)
        # the model's strongest n-grams (a few spare), grown to the article's whole words
        reasons = model.reasons(sylls, self.n_reasons + 3, row=row, top=self.reason_top, split=False,
                                merge=False)
        reasons = word_reasons(doc, sylls, atoms_of(doc).words(), reasons, self.n_reasons)
        doc.cats, doc._.cat_reasons = spread(self.taxonomy, model.classes, proba, reasons)
        doc._.suggestions = suggestions(doc, taxonomy=self.taxonomy)
        return doc

    def pipe(self, stream, batch_size: int = 128):
        for doc in stream:
            yield self(doc)

    # -- saving and loading (spaCy's component interface) ------------------------------
    def model_dir(self) -> Path:
        from vnnews_nlp.paths import models_dir
        return Path(self.model_path) if self.model_path else models_dir() / "categories" / "portal_qt"

    def _point_at(self, model_path: str | None, taxonomy_path: str | None) -> None:
        if (model_path, taxonomy_path) != (self.model_path, self.taxonomy_path):
            self._taxonomy = None
        self.model_path, self.taxonomy_path = model_path, taxonomy_path

    def to_disk(self, path, *, exclude=tuple()) -> None:
        """A folder with copies of the files this stage reads: `model/<name>/` (the
        classifier folder, with its taxonomy.json) and, when the taxonomy comes from a file
        of its own, `taxonomy/<file>`."""
        from vnnews_nlp.paths import copy_model

        def fresh(p: Path, src: Path) -> Path:  # p holds one entry: a copy of src
            dest = p / src.name
            if p.is_dir() and not (dest.exists() and dest.resolve() == src.resolve()):
                shutil.rmtree(p)  # an older save, maybe of another model
            p.mkdir(exist_ok=True)
            return dest

        def model(p: Path) -> None:
            copy_model(self.model_dir(), fresh(p, self.model_dir()))

        def taxonomy(p: Path) -> None:
            src = Path(self.taxonomy_path)
            dest = fresh(p, src)
            if not dest.exists():
                shutil.copyfile(src, dest)

        writers = {"model": model}
        if self.taxonomy_path:
            writers["taxonomy"] = taxonomy
        spacy_util.to_disk(path, writers, exclude)

    def from_disk(self, path, *, exclude=tuple()) -> "CategorySuggester":
        """Use the model (and taxonomy) saved in `path` (loaded on first use, not here)."""
        path = spacy_util.ensure_path(path)

        def saved(key: str, current: str | None) -> str | None:
            found = sorted((path / key).iterdir()) if (path / key).is_dir() and key not in exclude else []
            return str(found[0].resolve()) if len(found) == 1 else current

        self._point_at(saved("model", self.model_path), saved("taxonomy", self.taxonomy_path))
        return self

    def to_bytes(self, *, exclude=tuple()) -> bytes:
        """Where the model and the taxonomy are (the files themselves go with `to_disk`)."""
        return cfg_to_bytes({"model": self.model_path, "taxonomy": self.taxonomy_path}, exclude)

    def from_bytes(self, data: bytes, *, exclude=tuple()) -> "CategorySuggester":
        cfg = cfg_from_bytes(data, exclude)
        if cfg is not None:
            self._point_at(cfg["model"], cfg["taxonomy"])
        return self


def doc_syllables(doc: Doc) -> list[str]:
    """Lower-cased syllables of the body (from the Doc's atoms), with the title's in front
    when the pipeline knows it (titles carry the topic)."""
    title = article_of(doc).title
    text = _doc_text(doc)
    low = text.lower()
    if len(low) != len(text):  # a letter whose lower case is longer ("İ"): word by word
        body = [text[s:e].lower() for s, e in atoms_of(doc).words()]
    else:
        body = [low[s:e] for s, e in atoms_of(doc).words()]
    if title and not text.startswith(title):
        return [title[s:e].lower() for s, e in scan(title).words()] + body
    return body


def doc_word_features(doc: Doc, tokenizer=None) -> list[str]:
    """The Doc's multi-syllable words (`classify.doc_words`), the title's in front when
    `doc_syllables` reads the title too: the same text the model was trained on.
    `tokenizer` (text -> Doc) segments the title; None: the repository's segmenter."""
    title = article_of(doc).title
    words = classify.doc_words(doc)
    if title and not _doc_text(doc).startswith(title):
        title_words = classify.doc_words(tokenizer(title)) if tokenizer else \
            classify.text_words(title)
        return title_words + words
    return words


def model_taxonomy(model, model_path, taxonomy_path) -> Taxonomy:
    """The taxonomy stored with the model, an explicit file, or a flat one from its classes."""
    if taxonomy_path:
        return load_taxonomy(taxonomy_path)
    from vnnews_nlp.paths import models_dir
    folder = Path(model_path) if model_path else models_dir() / "categories" / "portal_qt"
    if (folder / "taxonomy.json").is_file():
        return load_taxonomy(folder / "taxonomy.json")
    return Taxonomy([Category(c, c) for c in model.classes], name=folder.name)


def spread(tax: Taxonomy, classes: list[str], proba: np.ndarray, reasons: dict):
    """Probabilities for every taxonomy code: a parent gets its own plus its descendants'."""
    own = dict(zip(classes, map(float, proba)))
    cats = {code: own.get(code, 0.0) for code in tax.codes}
    for code in classes:
        if code in tax:
            for parent in tax.ancestors(code):
                cats[parent] += own[code]
    cats = {c: min(1.0, round(p, 6)) for c, p in cats.items()}
    why = {c: reasons.get(c, []) for c in tax.codes}
    for code in tax.codes:
        if not why[code]:  # a parent explains itself by its most likely sub-menu
            kids = [k for k in classes if k in tax and code in tax.ancestors(k)]
            if kids:
                why[code] = reasons.get(max(kids, key=own.get), [])
    return cats, why


def suggestions(doc: Doc, k: int = 3, min_probability: float = 0.0,
                taxonomy: Taxonomy | None = None) -> list[Suggestion]:
    """The k most likely menus (the first is always given), each with its parent and reasons.

    Menus that have sub-menus are not ranked themselves: a sub-menu implies its parent, whose
    summed probability is shown as `parent_probability`.
    """
    if not doc.cats:
        raise ValueError(Errors.E201)
    tax = taxonomy or _taxonomy_of(doc)
    reasons = doc._.cat_reasons or {}
    ranked = sorted((c for c in doc.cats if _rankable(c, doc.cats, tax)),
                    key=lambda c: -doc.cats[c])
    out = []
    for code in ranked[:k]:
        p = doc.cats[code]
        if out and p < min_probability:
            break
        parent = tax.parent(code) if code in tax else None
        out.append(Suggestion(code, tax.label(code) if code in tax else code, p,
                              reasons.get(code, []), parent,
                              tax.label(parent) if parent else None,
                              doc.cats.get(parent) if parent else None))
    return out


def _rankable(code: str, cats: dict, tax: Taxonomy) -> bool:
    """Leaves, and parents that a model learned as a class of their own (own share > 0)."""
    if code not in tax or tax.is_leaf(code):
        return True
    return cats[code] - sum(cats.get(k, 0.0) for k in tax.children(code)) > 1e-4


def _taxonomy_of(doc: Doc) -> Taxonomy:
    codes = list(doc.cats)
    default = load_taxonomy()
    if set(codes) == set(default.codes):
        return default
    return Taxonomy([Category(c, c) for c in codes], name="flat")
