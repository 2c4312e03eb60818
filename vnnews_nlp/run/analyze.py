"""Doc making: one article in, a Doc or a record out (`make_doc`, `analyze`, `analyze_record`).

Many articles at once go through `run.pool.tag_records`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional, Union

from spacy.language import Language
from spacy.tokens import Doc

from vnnews_nlp.errors import Errors
from vnnews_nlp.text.article import MAX_CHARS, ArticleError, TextTooLong, _no_surrogates, validate
from vnnews_nlp.text.normalize import OffsetMap, normalize
from vnnews_nlp.doc import Article
from vnnews_nlp.pipeline import load
from vnnews_nlp.run.record import doc_to_record


@dataclass
class Prepared:
    """An article reduced to the body that becomes `doc.text` (before normalization)."""

    body: str
    original: str
    body_map: Optional[OffsetMap]  # body -> original; None when body is original
    meta: dict = field(default_factory=dict)


def prepare(article: dict, max_chars: int = MAX_CHARS) -> Prepared:
    """Drop portal boilerplate (text pages and HTML) and keep title, byline and captions; a
    plain text's first line, when it looks like a title, is also the record's title.

    `max_chars`: the longest article text allowed (for a page, the text cut from it); a longer
    one raises TextTooLong before any stage runs. The web service passes its own limit."""
    from vnnews_nlp.text import portal

    meta = {k: article.get(k) for k in ("id", "title", "url", "published")}
    if "html" in article and article.get("text") is None:
        page = portal.clean_html(article["html"])
        return _from_page(page, page.source, meta, max_chars)
    text = article["text"]
    if len(text) > max_chars:
        raise _too_long(len(text), max_chars)
    if portal.looks_like_page(text):
        page = portal.clean_page(text)
        if page.paragraphs or page.captions or not _has_prose(text):
            return _from_page(page, text, meta, max_chars)
        # Chrome-like layout (bullets, contact lines) but real sentences in it, e.g. an
        # announcement written as lists: keep the text rather than lose the article.
    if meta.get("title") is None:
        # the title line stays in the text: its names and figures are the article's own
        # (a headline names the person the article is about), and the category model was
        # trained on texts that start with it
        title, _ = _title_line(text)
        if title:
            meta["title"] = title
    return Prepared(text, text, None, meta)


def _too_long(n: int, cap: int) -> TextTooLong:
    return TextTooLong(Errors.E005.format(n=n, cap=cap), n, cap)


def _has_prose(text: str, min_words: int = 12) -> bool:
    return any(len(line.split()) >= min_words for line in text.splitlines())


def _title_line(text: str) -> tuple[str | None, int]:
    """A plain-text article whose first line is short and unpunctuated starts with its title."""
    first, sep, rest = text.lstrip("\n").partition("\n")
    lead = len(text) - len(text.lstrip("\n"))
    if sep and rest.strip() and 0 < len(first.strip()) <= 200 and first.rstrip()[-1:] not in ".:;!?,":
        return first.strip(), lead + len(first) + 1
    return None, 0


def _from_page(page, original: str, meta: dict, max_chars: int = MAX_CHARS) -> Prepared:
    pieces = list(page.paragraphs) + list(page.captions)
    if pieces and page.title is not None and page.title.end <= pieces[0].start:
        pieces.insert(0, page.title)  # the headline is the article's own text, as for plain text
    if not pieces:
        raise ArticleError("no article text found on the page (only menus, links or footer)")
    body = "\n".join(p.text for p in pieces)
    if len(body) > max_chars:
        raise TextTooLong(f"the text of the page has {len(body):,} characters; the limit is "
                          f"{max_chars:,}; split it into parts with their own ids", len(body), max_chars)
    if meta.get("title") is None and page.title is not None:
        meta["title"] = page.title.text
    meta["byline"] = page.byline.text if page.byline is not None else None
    meta["captions"] = [c.text for c in page.captions]
    return Prepared(body, original, _pieces_map(pieces, original), meta)


def _pieces_map(pieces, original: str) -> OffsetMap:
    """Map offsets of the pieces joined by newlines back to the page they were cut from."""
    segs, pos = [], 0
    for i, p in enumerate(pieces):
        if i:  # the joining newline maps to the end of the previous piece
            segs.append((pos - 1, pieces[i - 1].end, pieces[i - 1].end, False))
        same = original[p.start:p.end] == p.text
        segs.append((pos, p.start, p.end, same))
        pos += len(p.text) + 1
    return OffsetMap(max(pos - 1, 0), len(original), tuple(segs))


def make_doc(nlp: Language, article: Union[dict, str], max_chars: int = MAX_CHARS) -> Doc:
    """Tokenized Doc of an article (no components run): normalized body, original, offsets.
    `max_chars` as in `prepare`."""
    prep = prepare(_checked(article, max_chars), max_chars)
    doc = nlp.make_doc(prep.body)
    if prep.body_map is not None:
        doc._.offsets = prep.body_map.then(doc._.offsets)
        doc._.original = prep.original
    meta = dict(prep.meta)
    if meta.get("title"):
        meta["title"] = normalize(meta["title"]).text.strip()
    if meta.get("byline"):  # cut from the raw page: may hold lone surrogates the record cannot encode
        meta["byline"] = _no_surrogates(meta["byline"])
    doc._.article = Article(meta.get("id"), meta.get("title"), meta.get("url"), meta.get("published"),
                            meta.get("byline"), tuple(meta.get("captions") or ()))
    return doc


def _checked(article: Union[dict, str], max_chars: int = MAX_CHARS) -> dict:
    """The checks `vnnews tag` applies, so callers of the Python API get the same clear
    ArticleError (not an AttributeError deep in a stage) for a wrong type or an empty text.
    A text over `max_chars` is refused naming that limit, however far over it is."""
    text = article.get("text") if isinstance(article, dict) else article
    if isinstance(text, str) and len(text) > max_chars:
        raise _too_long(len(text), max_chars)
    if isinstance(article, str):
        return validate({"text": article}, "text")
    if not isinstance(article, dict):
        raise ArticleError(f"an article is a dict or a str, got {type(article).__name__}")
    if article.get("id") is not None:
        return validate(article, "")
    out = validate({**article, "id": ""}, "")
    out["id"] = None  # the Python API allows an article without id
    return out


def analyze(article: Union[dict, str], nlp: Optional[Language] = None, max_chars: int = MAX_CHARS) -> Doc:
    """Run the full pipeline on one article (dict as in `vnnews tag`, or plain text).
    An article text (or the text cut from a page) over `max_chars` raises TextTooLong."""
    nlp = nlp or load()
    doc = make_doc(nlp, article, max_chars)
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    doc._.pipe_names = tuple(nlp.pipe_names)
    return doc


def analyze_record(article: Union[dict, str], nlp: Optional[Language] = None, max_chars: int = MAX_CHARS) -> dict:
    return doc_to_record(analyze(article, nlp, max_chars))
