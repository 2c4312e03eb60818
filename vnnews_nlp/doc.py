"""The Doc contract: every extension the pipeline sets, and the typed values stored there.

Importing this module registers the extensions once per process. Each stage declares in its
factory which of these it reads (`requires`) and writes (`assigns`); `nlp.analyze_pipes()`
shows the contract, and docs/ARCHITECTURE.md lists it.

| place | type | written by |
|---|---|---|
| `doc._.original`, `doc._.offsets`, `doc._.encoding` | str, `OffsetMap`, str | tokenizer (normalization) |
| `doc._.atoms` | `Atoms` | tokenizer: the one scan of the text every stage reads |
| `doc._.article` | `Article` | `run.analyze.make_doc` (title, url, date, byline) |
| `doc.ents`, `span._.canonical/entity_id/kind/title/successor/positions` | spans, str, [`Position`] | `vnnews_entities` |
| `doc.spans["figures"]`, `span._.figure` | spans, `Figure` | `vnnews_figures` |
| `doc.spans["dates"]`, `span._.date` | spans, `DateValue` | `vnnews_figures` |
| `doc.cats`, `doc._.cat_reasons`, `doc._.suggestions`, `doc._.cat_evidence` | dict, dict, [`Suggestion`], bool (enough evidence) | `vnnews_categories` |
| `doc._.pipe_names` | tuple | `run.analyze.analyze` (which stages ran) |
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Optional

from spacy.tokens import Doc, Span, Token

from vnnews_nlp.text.normalize import fold_key
from vnnews_nlp.text.numbers import json_value


@dataclass(frozen=True)
class Article:
    """What an article says about itself, beside its body text."""

    id: Optional[str] = None
    title: Optional[str] = None
    url: Optional[str] = None
    published: Optional[str] = None
    byline: Optional[str] = None
    captions: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return {**asdict(self), "captions": list(self.captions)}


@dataclass(frozen=True)
class Figure:
    """A key figure's value: `value` exact (the lower bound of a range), `range` both bounds."""

    value: Optional[Decimal]
    unit: Optional[str]
    kind: str
    approx: Optional[str] = None
    range: Optional[tuple[Decimal, Decimal]] = None
    change: Optional[str] = None
    subject: Optional[str] = None

    def to_dict(self) -> dict:
        return {"value": json_value(self.value), "unit": self.unit, "kind": self.kind,
                "approx": self.approx,
                "range": [json_value(x) for x in self.range] if self.range else None,
                "change": self.change, "subject": self.subject}


@dataclass(frozen=True)
class DateValue:
    """A date as ISO text: day `2019-12-28`, month `2019-04`, quarter `2019-Q4`, year `2019`,
    week `2019-W14` (relative dates), day and month without a known year `--04-25`; a range
    ends at `end_value`."""

    value: str
    end_value: Optional[str] = None
    year_inferred: bool = False
    relative: bool = False

    def to_dict(self) -> dict:
        return {"value": self.value, "end_value": self.end_value, "year_inferred": self.year_inferred,
                "relative": self.relative}


@dataclass(frozen=True)
class Position:
    """One post an official's title names: the role, the body it belongs to (linked when the
    knowledge knows it) and qualifiers ("Thường trực", "nguyên")."""

    role: str
    organisation_id: Optional[str] = None
    organisation: Optional[str] = None
    qualifiers: tuple = ()

    def to_dict(self) -> dict:
        return {"role": self.role, "organisation": self.organisation,
                "organisation_id": self.organisation_id, "qualifiers": list(self.qualifiers)}


@dataclass(frozen=True)
class Successor:
    """Today's unit for a place or body that no longer exists under the name it was linked to
    (Hà Tây -> Hà Nội): a data team groups mentions by it."""

    id: str
    name: str

    def to_dict(self) -> dict:
        return {"id": self.id, "name": self.name}


@dataclass(frozen=True)
class Suggestion:
    """One ranked menu for an editor, with the phrases that argued for it."""

    code: str
    label: str
    probability: float
    reasons: list = field(default_factory=list)
    parent: Optional[str] = None
    parent_label: Optional[str] = None
    parent_probability: Optional[float] = None

    def to_dict(self) -> dict:
        # by hand: dataclasses.asdict deep-copies every reason list, a tenth of the record's time
        return {"code": self.code, "label": self.label, "probability": self.probability,
                "reasons": self.reasons, "parent": self.parent, "parent_label": self.parent_label,
                "parent_probability": self.parent_probability}


TEXT_KEY = "vnnews_text"


def doc_text(doc: Doc) -> str:
    """`doc.text`, cached: spaCy rebuilds `doc.text` from every token on each access, which
    cost several ms per article when each stage read it."""
    text = doc.user_data.get(TEXT_KEY)
    if text is None:
        text = doc.user_data[TEXT_KEY] = doc.text
    return text


def article_of(doc: Doc) -> Article:
    return doc._.article or Article()


def _register() -> None:
    for name in ("original", "offsets", "encoding", "atoms", "article", "pipe_names",
                 "cat_reasons", "suggestions", "cat_evidence"):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)
    for name in ("canonical", "entity_id", "kind", "title", "successor", "positions", "figure", "date"):
        if not Span.has_extension(name):
            Span.set_extension(name, default=None)
    if not Token.has_extension("key"):
        Token.set_extension("key", getter=lambda t: fold_key(t.text))


_register()
