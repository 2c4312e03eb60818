"""spaCy component `vnnews_categories`: portal category probabilities and their reasons.

Writes `doc.cats` ({code: probability} for every taxonomy code; a parent holds its own
probability plus its sub-menus') and `doc._.cat_reasons` ({code: [[phrase, weight], ...]};
phrases only for the `reason_top` most likely classes, an empty list for the others, because
working out reasons costs more than the probabilities and nobody reads them for unlikely menus).
`suggestions(doc)` turns them into a ranked, hierarchy-aware list for editors.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc

from vnnews_nlp.categories import model as classify
from vnnews_nlp.categories.taxonomy import Category, Taxonomy, load_taxonomy
from vnnews_nlp.segment.tokenizer import doc_text as _doc_text

if not Doc.has_extension("cat_reasons"):
    Doc.set_extension("cat_reasons", default=None)


@Language.factory("vnnews_categories",
                  default_config={"model": None, "taxonomy": None, "reasons": 5,
                                  "reason_top": 5})
def make_categories(nlp: Language, name: str, model: str | None, taxonomy: str | None,
                    reasons: int, reason_top: int):
    return CategorySuggester(name, model=model, taxonomy=taxonomy, reasons=reasons,
                             reason_top=reason_top)


class CategorySuggester:
    """Loads its model on the first doc (never at import or construction time)."""

    def __init__(self, name: str = "vnnews_categories", *, model: str | None = None,
                 taxonomy: str | None = None, reasons: int = 5, reason_top: int = 5):
        self.name = name
        self.model_path = str(model) if model else None
        self.taxonomy_path = taxonomy
        self.n_reasons = reasons
        self.reason_top = reason_top
        self._taxonomy: Taxonomy | None = None

    @property
    def model(self) -> classify.TextClassifier:
        return classify.load_model(self.model_path)

    @property
    def taxonomy(self) -> Taxonomy:
        if self._taxonomy is None:
            self._taxonomy = model_taxonomy(self.model, self.model_path, self.taxonomy_path)
        return self._taxonomy

    def __call__(self, doc: Doc) -> Doc:
        model = self.model
        text = doc_text(doc)
        row = model.transform([text])
        proba = model.predict_proba(row)[0]
        reasons = model.reasons(text, self.n_reasons, row=row, top=self.reason_top)
        doc.cats, doc._.cat_reasons = spread(self.taxonomy, model.classes, proba, reasons)
        return doc

    def pipe(self, stream, batch_size: int = 128):
        for doc in stream:
            yield self(doc)


def doc_text(doc: Doc) -> str:
    """The body, with the title in front when the pipeline knows it (titles carry the topic)."""
    article = doc._.get("article") if Doc.has_extension("article") else None
    title = (article or {}).get("title") if isinstance(article, dict) else None
    text = _doc_text(doc)
    return f"{title}\n{text}" if title and not text.startswith(title) else text


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
                taxonomy: Taxonomy | None = None) -> list[dict]:
    """The k most likely menus (the first is always given), each with its parent and reasons.

    Menus that have sub-menus are not ranked themselves: a sub-menu implies its parent, whose
    summed probability is shown as `parent_probability`.
    """
    if not doc.cats:
        raise ValueError("doc has no categories; run the vnnews_categories component first")
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
        out.append({"code": code, "label": tax.label(code) if code in tax else code,
                    "probability": p, "reasons": reasons.get(code, []),
                    "parent": parent,
                    "parent_label": tax.label(parent) if parent else None,
                    "parent_probability": doc.cats.get(parent) if parent else None})
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


def suggest_text(text: str, k: int = 3, model: str | None = None) -> list[dict]:
    """Suggestions for one plain text (what `vnnews suggest` shows)."""
    from vnnews_nlp.run.analyze import analyze
    nlp = _nlp(str(model) if model else None)
    doc = analyze(text, nlp)
    comp = nlp.get_pipe("vnnews_categories")
    return suggestions(doc, k=k, taxonomy=comp.taxonomy)


_NLPS: dict = {}


def _nlp(model: str | None) -> Language:
    """The full pipeline (`vnnews_nlp.pipeline.load`), as `vnnews tag` runs it; another
    category model gets its own copy of the pipeline with that model in the last stage."""
    from vnnews_nlp.pipeline import COMPONENTS, build, load
    if model is None:
        return load()
    if model not in _NLPS:
        nlp = build(COMPONENTS)
        nlp.replace_pipe("vnnews_categories", "vnnews_categories", config={"model": model})
        _NLPS[model] = nlp
    return _NLPS[model]
