"""Pydantic models of the JSON API: they document the OpenAPI schema and check the input.

The record models follow docs/record-schema.md (`vnnews tag`); unknown extra keys that a
stage adds later pass through untouched (`extra="allow"`).
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr

SAMPLE = ("Quảng Trị tổng kết năm 2025\n"
          "Sáng 30/12/2025, Chủ tịch UBND tỉnh Quảng Trị cho biết tổng thu ngân sách "
          "đạt gần 4.500 tỷ đồng, tăng 12% so với năm trước.")


class ArticleIn(BaseModel):
    """An article as in `vnnews tag`: a `text` or an `html` field, the rest optional."""

    model_config = ConfigDict(extra="ignore", json_schema_extra={"examples": [{"id": "a1", "text": SAMPLE}]})
    text: Optional[StrictStr] = Field(None, description="plain text; a short first line is taken as the title")
    html: Optional[StrictStr] = Field(None, description="a whole HTML page; menus and footers are dropped")
    title: Optional[StrictStr] = None
    id: Optional[Union[StrictStr, StrictInt]] = Field(None, description='default "request"')
    url: Optional[StrictStr] = None
    published: Optional[StrictStr] = None


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class Offsets(_Open):
    start: int
    end: int


class Entity(Offsets):
    text: str
    label: str = Field(description="PER, ORG, LOC or MISC")
    kind: Optional[str] = None
    canonical: Optional[str] = None
    entity_id: Optional[str] = None
    title: Optional[str] = Field(None, description="the official's title, for PER")
    successor: Optional[dict] = Field(None, description="today's unit {id, name} for a place or "
                                      "body that no longer exists under this name")


class Figure(Offsets):
    text: str
    value: Union[int, float, str, None] = Field(description="a number, or an exact decimal string")
    unit: Optional[str] = None
    kind: Optional[str] = None
    approx: Optional[str] = None
    range: Optional[List[Union[int, float, str, None]]] = None
    change: Optional[str] = None
    subject: Optional[Any] = None


class DateSpan(Offsets):
    text: str
    value: Optional[str] = Field(None, description="ISO: 2019-12-28, 2019-12, 2019-Q4, 2019, "
                                 "2019-W14 (relative), --04-25 (day and month, year unknown)")
    end_value: Optional[str] = Field(None, description="the end of a range, else null")
    year_inferred: bool = Field(False, description="the year of a day/month came from the article")
    relative: bool = Field(False, description="'hôm qua', 'tuần trước' ...: resolved against `published`")


class Suggestion(_Open):
    code: str
    label: str
    probability: float
    reasons: List[List[Union[str, float]]] = Field(description="[phrase, weight] pairs")
    parent: Optional[str] = None
    parent_label: Optional[str] = None
    parent_probability: Optional[float] = None


class PipelineInfo(_Open):
    version: str
    components: List[str]


class SuggestRecord(_Open):
    """`POST /v1/suggest`: the record restricted to id, title, categories and suggestions."""

    schema_: str = Field(alias="schema", examples=["vnnews-record/2"])
    id: Optional[str] = None
    title: Optional[str] = None
    categories: Dict[str, float]
    suggestions: List[Suggestion]
    enough_evidence: bool = Field(True, description="false for a text too short to say much: its "
                                  "probabilities were pulled towards flat")
    pipeline: PipelineInfo


class Record(SuggestRecord):
    """The `vnnews tag` record (docs/record-schema.md)."""

    url: Optional[str] = None
    published: Optional[str] = None
    text: str
    byline: Optional[str] = None
    sentences: List[Offsets]
    tokens: List[Offsets]
    entities: List[Entity]
    figures: List[Figure]
    dates: List[DateSpan]


class View(BaseModel):
    """`POST /v1/view` (used by the page): the record plus the body rendered by displacy."""

    record: Record
    entities_html: str = Field(description="displaCy markup of the body, entities highlighted")


class ErrorOut(BaseModel):
    error: str = Field(description="a short code, e.g. body_too_large, invalid_article, timeout")
    message: str = Field(description="what went wrong and what to do")


class Health(BaseModel):
    status: str
    version: str
    components: List[str]
    limits: Dict[str, Union[int, float]]


class ChoiceIn(BaseModel):
    """`POST /v1/feedback`: the menu an editor chose for the article the page analysed."""

    model_config = ConfigDict(extra="ignore")
    id: Optional[Union[StrictStr, StrictInt]] = None
    text: StrictStr = Field(description="the record's text (what the suggestions were made for)")
    chosen: StrictStr = Field(description="the menu code the editor chose")
    suggested: List[StrictStr] = Field(default_factory=list, description="the codes shown, best first")


class ChoiceOut(BaseModel):
    id: int
    chosen: str
    accepted: bool = Field(description="the first suggestion was the editor's choice")
    model_version: Optional[str] = None


class Menu(BaseModel):
    code: str
    label: str
    parent: Optional[str] = None
