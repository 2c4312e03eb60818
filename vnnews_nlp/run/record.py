"""Doc -> versioned JSON record (docs/record-schema.md).

Reads only the Doc contract (`vnnews_nlp.doc`): each stage's typed values turn themselves into
JSON with `to_dict`, so this module never imports a component.
"""
from __future__ import annotations

from spacy.attrs import IDX, IS_SPACE, LENGTH
from spacy.tokens import Doc

from vnnews_nlp import __version__
from vnnews_nlp.doc import article_of, doc_text

SCHEMA = "vnnews-record/2"
ERROR_SCHEMA = "vnnews-error/1"


def doc_to_record(doc: Doc) -> dict:
    meta = article_of(doc)
    rec = {
        "schema": SCHEMA,
        "id": meta.id,
        "title": meta.title,
        "url": meta.url,
        "published": meta.published,
        "text": doc_text(doc),
        "byline": meta.byline,
        "sentences": [{"start": s.start_char, "end": s.end_char} for s in doc.sents] if len(doc) else [],
        "tokens": _token_offsets(doc),
        "entities": [],
        "figures": [],
        "dates": [],
        "categories": {},
        "suggestions": [],
        "enough_evidence": None,  # set by the categories stage
    }
    names = set(doc._.pipe_names or ())
    if "vnnews_entities" in names:
        rec["entities"] = [entity_record(s) for s in doc.ents]
    if "vnnews_figures" in names:
        rec["figures"] = [{"start": s.start_char, "end": s.end_char, "text": s.text, **s._.figure.to_dict()}
                          for s in doc.spans.get("figures", [])]
        rec["dates"] = [{"start": s.start_char, "end": s.end_char, "text": s.text, **s._.date.to_dict()}
                        for s in doc.spans.get("dates", [])]
    if "vnnews_categories" in names:
        rec["categories"] = {k: round(float(v), 4) for k, v in doc.cats.items()}
        rec["suggestions"] = [s.to_dict() for s in doc._.suggestions or ()]
        rec["enough_evidence"] = doc._.cat_evidence is not False
    rec["pipeline"] = {"version": __version__, "components": sorted(names)}
    return rec


def entity_record(span) -> dict:
    return {"start": span.start_char, "end": span.end_char, "text": span.text, "label": span.label_,
            "kind": span._.kind, "canonical": span._.canonical, "entity_id": span._.entity_id,
            "title": span._.title,
            "successor": span._.successor.to_dict() if span._.successor is not None else None,
            "positions": [p.to_dict() for p in span._.positions or ()]}


def _token_offsets(doc: Doc) -> list[dict]:
    # to_array reads the token structs directly: iterating `doc` builds a Token per token
    # and cost a tenth of the whole pipeline on long articles
    if not len(doc):
        return []
    rows = doc.to_array([IDX, LENGTH, IS_SPACE]).tolist()
    return [{"start": s, "end": s + n} for s, n, space in rows if not space]


def error_record(art_id: str, source: str, error: str, message: str) -> dict:
    return {"schema": ERROR_SCHEMA, "id": art_id, "source": source, "error": error, "message": message}
