"""Category suggestions for articles: what `vnnews suggest` shows."""
from __future__ import annotations

from typing import Iterable, Iterator, Union

from spacy.language import Language

from vnnews_nlp.categories.component import suggestions
from vnnews_nlp.pipeline import COMPONENTS, build, load
from vnnews_nlp.run.analyze import analyze
from vnnews_nlp.run.record import error_record
from vnnews_nlp.text.article import ArticleError, InputError, iter_articles

_NLPS: dict = {}


def suggest_text(text: Union[str, dict], k: int = 3, model: str | None = None) -> list[dict]:
    """The k most likely menus for `text` (plain text, or an article dict as in `vnnews tag`),
    as dicts (see `categories.component.suggestions`)."""
    nlp = _nlp(str(model) if model else None)
    doc = analyze(text, nlp)
    comp = nlp.get_pipe("vnnews_categories")
    return [s.to_dict() for s in suggestions(doc, k=k, taxonomy=comp.taxonomy)]


def suggest_inputs(inputs: Iterable[str], k: int = 3, model: str | None = None) -> Iterator[dict]:
    """For each article of `inputs` (read exactly as `vnnews tag` reads them: files, folders,
    JSONL(.gz), `-` for stdin), `{"id", "suggestions"}`, or an error record
    (`vnnews_nlp.run.record.error_record`) for an article that cannot be read or analysed."""
    for item in iter_articles(inputs):
        if isinstance(item, InputError):
            yield error_record(item.id, item.source, item.error, item.message)
            continue
        try:
            yield {"id": item["id"], "suggestions": suggest_text(item, k=k, model=model)}
        except ArticleError as exc:
            yield error_record(item["id"], item["id"], "invalid_article", str(exc))


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
