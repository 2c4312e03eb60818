"""The Python API: articles in, Docs and records out. The CLI and the web service call these."""
from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Iterable, Iterator, Optional, Union

from spacy.language import Language
from spacy.tokens import Doc

from .article import MAX_CHARS, ArticleError, InputError, _no_surrogates, iter_articles, validate  # noqa: F401
from .normalize import OffsetMap, normalize
from .pipeline import COMPONENTS, load
from .record import doc_to_record, error_record


@dataclass
class Prepared:
    """An article reduced to the body that becomes `doc.text` (before normalization)."""

    body: str
    original: str
    body_map: Optional[OffsetMap]  # body -> original; None when body is original
    meta: dict = field(default_factory=dict)


def prepare(article: dict) -> Prepared:
    """Drop portal boilerplate (text pages and HTML) and keep title, byline and captions."""
    from . import portal

    meta = {k: article.get(k) for k in ("id", "title", "url", "published")}
    if "html" in article and article.get("text") is None:
        page = portal.clean_html(article["html"])
        return _from_page(page, page.source, meta)
    text = article["text"]
    if portal.looks_like_page(text):
        page = portal.clean_page(text)
        if page.paragraphs or page.captions or not _has_prose(text):
            return _from_page(page, text, meta)
        # Chrome-like layout (bullets, contact lines) but real sentences in it, e.g. an
        # announcement written as lists: keep the text rather than lose the article.
    if meta.get("title") is None:
        title, body_start = _title_line(text)
        if title:
            meta["title"] = title
            body = text[body_start:]
            return Prepared(body, text, OffsetMap(len(body), len(text), ((0, body_start, len(text), True),) if body else ()), meta)
    return Prepared(text, text, None, meta)


def _has_prose(text: str, min_words: int = 12) -> bool:
    return any(len(line.split()) >= min_words for line in text.splitlines())


def _title_line(text: str) -> tuple[str | None, int]:
    """A plain-text article whose first line is short and unpunctuated starts with its title."""
    first, sep, rest = text.lstrip("\n").partition("\n")
    lead = len(text) - len(text.lstrip("\n"))
    if sep and rest.strip() and 0 < len(first.strip()) <= 200 and first.rstrip()[-1:] not in ".:;!?,":
        return first.strip(), lead + len(first) + 1
    return None, 0


def _from_page(page, original: str, meta: dict) -> Prepared:
    pieces = list(page.paragraphs) + list(page.captions)
    if not pieces:
        raise ArticleError("no article text found on the page (only menus, links or footer)")
    body = "\n".join(p.text for p in pieces)
    if len(body) > MAX_CHARS:
        raise ArticleError(f"the text of the page has {len(body):,} characters; the limit is "
                           f"{MAX_CHARS:,}; split it into parts with their own ids")
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


def make_doc(nlp: Language, article: Union[dict, str]) -> Doc:
    """Tokenized Doc of an article (no components run): normalized body, original, offsets."""
    prep = prepare(_checked(article))
    doc = nlp.make_doc(prep.body)
    if prep.body_map is not None:
        doc._.offsets = prep.body_map.then(doc._.offsets)
        doc._.original = prep.original
    meta = dict(prep.meta)
    if meta.get("title"):
        meta["title"] = normalize(meta["title"]).text.strip()
    if meta.get("byline"):  # cut from the raw page: may hold lone surrogates the record cannot encode
        meta["byline"] = _no_surrogates(meta["byline"])
    doc._.article = meta
    return doc


def _checked(article: Union[dict, str]) -> dict:
    """The checks `vnnews tag` applies, so callers of the Python API get the same clear
    ArticleError (not an AttributeError deep in a stage) for a wrong type or an empty text."""
    if isinstance(article, str):
        return validate({"text": article}, "text")
    if not isinstance(article, dict):
        raise ArticleError(f"an article is a dict or a str, got {type(article).__name__}")
    if article.get("id") is not None:
        return validate(article, "")
    out = validate({**article, "id": ""}, "")
    out["id"] = None  # the Python API allows an article without id
    return out


def analyze(article: Union[dict, str], nlp: Optional[Language] = None) -> Doc:
    """Run the full pipeline on one article (dict as in `vnnews tag`, or plain text)."""
    nlp = nlp or load()
    doc = make_doc(nlp, article)
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    doc._.pipe_names = tuple(nlp.pipe_names)
    return doc


def analyze_record(article: Union[dict, str], nlp: Optional[Language] = None) -> dict:
    return doc_to_record(analyze(article, nlp))


def _tag_one(item, components=COMPONENTS) -> dict:
    if isinstance(item, InputError):
        return error_record(item.id, item.source, item.error, item.message)
    try:
        return analyze_record(item, load(tuple(components)))
    except ArticleError as exc:
        return error_record(item.get("id"), item.get("id"), "invalid_article", str(exc))
    except Exception as exc:  # one broken article must not stop the batch
        return error_record(item.get("id"), item.get("id"), "processing_failed",
                            f"{type(exc).__name__}: {exc}")


def _tag_chunk(args) -> list[dict]:
    items, components = args
    # Strings that spaCy interns for these docs are freed when the zone closes; without it
    # the vocab grows with every new token string (~25 MB per 1,000 articles).
    with load(tuple(components)).memory_zone():
        return [_tag_one(it, components) for it in items]


def tag_records(
    items: Iterable[Union[dict, InputError]],
    workers: int = 1,
    components: tuple[str, ...] = COMPONENTS,
    chunk_size: int = 16,
) -> Iterator[dict]:
    """Records (or error records) for articles, in input order. With workers > 1 the work is
    spread over processes, each loading the pipeline once."""
    if workers <= 1:
        for chunk in _chunks(items, chunk_size):
            yield from _tag_chunk((chunk, components))
        return
    with ProcessPoolExecutor(max_workers=workers, initializer=_warm, initargs=(components,)) as ex:
        chunks = _chunks(items, chunk_size)
        # Bounded look-ahead keeps memory flat on large inputs while keeping workers busy.
        pending = []
        for chunk in chunks:
            pending.append(ex.submit(_tag_chunk, (chunk, components)))
            if len(pending) >= workers * 4:
                yield from pending.pop(0).result()
        for fut in pending:
            yield from fut.result()


def _warm(components) -> None:
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    load(tuple(components))


def _chunks(items, n):
    chunk = []
    for it in items:
        chunk.append(it)
        if len(chunk) >= n:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def tag_paths(paths, workers: int = 1, components: tuple[str, ...] = COMPONENTS) -> Iterator[dict]:
    return tag_records(iter_articles(paths), workers=workers, components=components)
