"""Doc -> versioned JSON record (docs/record-schema.md)."""
from __future__ import annotations

from spacy.attrs import IDX, IS_SPACE, LENGTH
from spacy.tokens import Doc

from vnnews_nlp import __version__
from vnnews_nlp.segment.tokenizer import doc_text

SCHEMA = "vnnews-record/1"
ERROR_SCHEMA = "vnnews-error/1"


def doc_to_record(doc: Doc) -> dict:
    meta = doc._.article or {}
    rec = {
        "schema": SCHEMA,
        "id": meta.get("id"),
        "title": meta.get("title"),
        "url": meta.get("url"),
        "published": meta.get("published"),
        "text": doc_text(doc),
        "byline": meta.get("byline"),
        "sentences": [{"start": s.start_char, "end": s.end_char} for s in doc.sents] if len(doc) else [],
        "tokens": _token_offsets(doc),
        "entities": [],
        "figures": [],
        "dates": [],
        "categories": {},
        "suggestions": [],
    }
    names = set(doc._.pipe_names or ())
    if "vnnews_entities" in names:
        from vnnews_nlp.entities.component import entity_records

        rec["entities"] = entity_records(doc)
    if "vnnews_figures" in names:
        from vnnews_nlp.figures.component import figure_records

        rec["figures"], rec["dates"] = figure_records(doc)
    if "vnnews_categories" in names:
        from vnnews_nlp.categories.component import suggestions

        rec["categories"] = {k: round(float(v), 4) for k, v in doc.cats.items()}
        rec["suggestions"] = suggestions(doc)
    rec["pipeline"] = {"version": __version__, "components": sorted(names)}
    return rec


def _token_offsets(doc: Doc) -> list[dict]:
    # to_array reads the token structs directly: iterating `doc` builds a Token per token
    # and cost a tenth of the whole pipeline on long articles
    if not len(doc):
        return []
    rows = doc.to_array([IDX, LENGTH, IS_SPACE]).tolist()
    return [{"start": s, "end": s + n} for s, n, space in rows if not space]


def error_record(art_id: str, source: str, error: str, message: str) -> dict:
    return {"schema": ERROR_SCHEMA, "id": art_id, "source": source, "error": error, "message": message}


if not Doc.has_extension("pipe_names"):
    Doc.set_extension("pipe_names", default=None)
