"""Category suggestions for one text: what `vnnews suggest` shows."""
from __future__ import annotations

from spacy.language import Language

from vnnews_nlp.categories.component import suggestions
from vnnews_nlp.pipeline import COMPONENTS, build, load
from vnnews_nlp.run.analyze import analyze

_NLPS: dict = {}


def suggest_text(text: str, k: int = 3, model: str | None = None) -> list[dict]:
    """The k most likely menus for `text`, as dicts (see `categories.component.suggestions`)."""
    nlp = _nlp(str(model) if model else None)
    doc = analyze(text, nlp)
    comp = nlp.get_pipe("vnnews_categories")
    return [s.to_dict() for s in suggestions(doc, k=k, taxonomy=comp.taxonomy)]


def _nlp(model: str | None) -> Language:
    """The full pipeline, as `vnnews tag` runs it; another category model gets its own copy
    of the pipeline with that model in the last stage."""
    if model is None:
        return load()
    if model not in _NLPS:
        nlp = build(COMPONENTS)
        nlp.replace_pipe("vnnews_categories", "vnnews_categories", config={"model": model})
        _NLPS[model] = nlp
    return _NLPS[model]
