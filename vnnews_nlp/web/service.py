"""The one pipeline of the process, run in a bounded thread pool with a time limit.

Requests are handled on the event loop; the pipeline (CPU-bound, synchronous) runs in
`Limits.workers` threads so a slow article never blocks `/healthz` or the page. spaCy
pipelines are safe to share for reading; nothing here mutates `nlp` after the warm-up.
"""
from __future__ import annotations

import asyncio
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import PurePath
from typing import Optional

from spacy.language import Language

from vnnews_nlp.run import analyze as api
from vnnews_nlp.text.article import ArticleError, TextTooLong, validate
from vnnews_nlp.text.normalize import decode_bytes
from vnnews_nlp.web.limits import Limits
from vnnews_nlp.web.schemas import SAMPLE

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
TEXT_SUFFIXES = {".txt": "text", ".html": "html", ".htm": "html"}


class ServiceError(Exception):
    """An answer other than 200: HTTP status, short code and a message for the client."""

    def __init__(self, status: int, error: str, message: str):
        super().__init__(message)
        self.status, self.error, self.message = status, error, message


def check_article(obj: dict, limits: Limits, default_id: str = "request") -> dict:
    """Validate an article dict (as `vnnews tag` does) and apply the size limits.

    The service's limits come first: `validate` has its own, larger caps (text/article.py),
    and an article over those must get the same 413 naming the service's limit as one just
    over it, not a 422 naming another number."""
    if isinstance(obj, dict):
        for field, cap in (("text", limits.max_chars), ("html", limits.max_html_chars)):
            body = obj.get(field)
            if isinstance(body, str):  # the field validate() reads: "text" before "html"
                if len(body) > cap:
                    raise too_long(f'the "{field}" field', len(body), cap)
                break
    try:
        article = validate(obj, default_id)
    except ArticleError as exc:
        raise ServiceError(422, "invalid_article", str(exc)) from None
    field = "text" if "text" in article else "html"
    body = article[field]
    if looks_binary(body):
        raise ServiceError(422, "binary", f'the "{field}" field looks like binary data, not text')
    return article


def too_long(what: str, n: int, cap: int) -> ServiceError:
    """The one answer to every over-long article: 413, naming the limit /healthz reports."""
    return ServiceError(413, "text_too_long", f"{what} has {n:,} characters; the limit is {cap:,}; "
                        "split the article or send a shorter one")


def looks_binary(text: str) -> bool:
    """NUL anywhere, or more than 1% control characters: not an article."""
    if "\x00" in text:
        return True
    sample = text[:100_000]
    return len(_CONTROL.findall(sample)) > 0.01 * max(len(sample), 1)


def decode_upload(data: bytes, filename: str) -> tuple[str, str]:
    """(field, text) of an uploaded .txt/.html file; refuses binaries and undecodable bytes."""
    suffix = PurePath(filename or "").suffix.lower()
    field = TEXT_SUFFIXES.get(suffix)
    if field is None:
        raise ServiceError(415, "unsupported_file",
                           f"cannot read {suffix or 'a file without extension'}; upload a .txt or .html file")
    if not data.strip():
        raise ServiceError(422, "invalid_article", f"the file {filename} is empty")
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ServiceError(415, "binary", f"{filename} looks like a binary file, not text")
    text = decode_bytes(data)
    if "\ufffd" in text:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ServiceError(
                422, "invalid_encoding",
                f"{filename} is not valid UTF-8 (bad byte at offset {exc.start}) nor a known "
                "Vietnamese legacy encoding (Windows-1258, TCVN3, VNI); save it as UTF-8") from None
    return field, text


class Analyzer:
    """Runs `api.analyze` for requests: bounded pool, bounded queue, per-request timeout."""

    def __init__(self, nlp: Language, limits: Limits):
        self.nlp = nlp
        self.limits = limits
        self.pool: Optional[ThreadPoolExecutor] = None
        self._pending = 0
        self._lock = threading.Lock()

    def warm_up(self) -> None:
        """Load the lazily loaded models now, once, before requests race to load them."""
        api.analyze({"id": "warm-up", "text": SAMPLE}, self.nlp)

    @property
    def pending(self) -> int:
        return self._pending

    def _done(self, _fut) -> None:
        with self._lock:
            self._pending -= 1

    async def run(self, fn, *args):
        """`fn(*args)` in the pool, or ServiceError 503 (queue full) / 504 (too slow)."""
        with self._lock:
            if self._pending >= self.limits.max_pending:
                raise ServiceError(503, "busy", f"{self._pending} articles are being analysed; "
                                   "the server is at capacity, try again in a few seconds")
            self._pending += 1
        # The count drops when the thread really finishes: a timed-out analysis still occupies
        # its thread, and the queue bound must see that.
        if self.pool is None:
            self.pool = ThreadPoolExecutor(self.limits.workers, thread_name_prefix="vnnews-nlp")
        fut = self.pool.submit(fn, *args)
        fut.add_done_callback(self._done)
        try:
            return await asyncio.wait_for(asyncio.wrap_future(fut), self.limits.timeout)
        except asyncio.TimeoutError:
            raise ServiceError(504, "timeout", f"the analysis took longer than {self.limits.timeout:g} s; "
                               "send a shorter article or try again later") from None
        except TextTooLong as exc:  # the article text cut from an HTML page, over max_chars
            raise too_long("the article text of the page", exc.n, exc.cap) from None
        except ArticleError as exc:
            raise ServiceError(422, "invalid_article", str(exc)) from None

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool = None


def load_pipeline(nlp: Optional[Language]) -> Language:
    if nlp is not None:
        return nlp
    from vnnews_nlp.pipeline import load

    return load()  # the full default pipeline, once per process
