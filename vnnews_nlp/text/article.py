"""Articles in: validation of article dicts and reading of input files.

An article is `{"id", "title"?, "text" | "html", "url"?, "published"?}`. Reading never raises
for one bad record: it yields an `InputError` in its place so the batch goes on.
"""
from __future__ import annotations

import gzip
import io
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Union

from vnnews_nlp.errors import Errors
from vnnews_nlp.text.normalize import decode_bytes

TEXT_SUFFIXES = {".txt"}
HTML_SUFFIXES = {".html", ".htm"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
OPTIONAL_FIELDS = ("title", "url", "published")
# Stages are not all linear in article length (one 1 MB article took minutes and 1 GB here),
# so an oversized record is refused with a clear error instead of stalling or killing a worker.
# 500k characters is ten times the longest VNTC article; raw HTML may be larger than its text.
MAX_CHARS = 500_000
MAX_HTML_CHARS = 5_000_000
# A lone surrogate (JSON "\ud800", a str built in Python) cannot be written as UTF-8: left in
# an id or URL it would crash the writer of every output (JSONL file, stdout, web response).
_SURROGATE = re.compile("[\ud800-\udfff]")
_TRAILING_AT = re.compile(r"\s+at$")


class ArticleError(ValueError):
    """An article that cannot be processed; the message says what to fix."""


class TextTooLong(ArticleError):
    """An article longer than a limit: `n` characters where `cap` are allowed. The web service
    answers it with 413 and its own limit; `vnnews tag` writes an `invalid_article` record."""

    def __init__(self, message: str, n: int, cap: int):
        super().__init__(message)
        self.n, self.cap = n, cap

    def __reduce__(self):  # picklable across worker processes despite the extra arguments
        return type(self), (str(self), self.n, self.cap)


@dataclass
class InputError:
    """A record that could not be read; becomes an error record."""

    id: str
    source: str
    error: str
    message: str


def validate(obj: object, default_id: str) -> dict:
    """Check an article dict and return a clean copy. Raises ArticleError with a reason."""
    if not isinstance(obj, dict):
        raise ArticleError(Errors.E001.format(type=type(obj).__name__))
    has_text = isinstance(obj.get("text"), str)
    has_html = isinstance(obj.get("html"), str)
    if not has_text and not has_html:
        for key in ("text", "html"):
            if key in obj and not isinstance(obj[key], str):
                raise ArticleError(Errors.E002.format(key=key, type=type(obj[key]).__name__))
        raise ArticleError(Errors.E003)
    body = obj["text"] if has_text else obj["html"]
    if not body.strip():
        raise ArticleError(Errors.E004)
    cap = MAX_CHARS if has_text else MAX_HTML_CHARS
    if len(body) > cap:
        raise TextTooLong(Errors.E005.format(n=len(body), cap=cap), len(body), cap)
    art_id = obj.get("id", default_id)
    if art_id is None or isinstance(art_id, (dict, list, bool)):
        raise ArticleError(Errors.E006)
    out = {"id": _no_surrogates(str(art_id))}
    out["text" if has_text else "html"] = _no_surrogates(body)  # same length: offsets hold
    for key in OPTIONAL_FIELDS:
        value = obj.get(key)
        if value is not None and not isinstance(value, str):
            raise ArticleError(Errors.E002.format(key=key, type=type(value).__name__))
        out[key] = value if value is None else _no_surrogates(value)
    return out


def json_error_reason(msg: str) -> str:
    """`json.JSONDecodeError.msg` ready for " at column N" to be added: the standard library
    ends some of its messages with "at" ("Invalid control character at", "Unterminated string
    starting at") because its own str() adds ": line 1 column 5 (char 4)"."""
    return _TRAILING_AT.sub("", msg.strip()) or "syntax error"


def _no_surrogates(s: str) -> str:
    """U+FFFD for lone surrogates, as normalize() does for the body."""
    return _SURROGATE.sub("\ufffd", s) if _SURROGATE.search(s) else s


Item = Union[dict, InputError]


def iter_articles(inputs: Iterable[Union[str, Path]]) -> Iterator[Item]:
    """Yield validated article dicts (or InputError) from files, folders or `-` (stdin)."""
    for inp in inputs:
        if str(inp) == "-":
            yield from _read_stream(sys.stdin.buffer.read(), "<stdin>", "stdin")
            continue
        path = Path(inp)
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if _kind(child):
                    yield from _read_file(child)
        elif path.is_file():
            yield from _read_file(path)
        else:
            yield InputError(str(inp), str(inp), "not_found", f"no such file or folder: {inp}")


def _kind(path: Path) -> str | None:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    last = suffixes[-1] if suffixes else ""
    if last in JSONL_SUFFIXES:
        return "jsonl"
    if last in HTML_SUFFIXES:
        return "html"
    if last in TEXT_SUFFIXES:
        return "text"
    return None


def _read_file(path: Path) -> Iterator[Item]:
    kind = _kind(path)
    source = str(path)
    if kind is None:
        yield InputError(path.name, source, "unknown_format",
                         f"{source}: unknown file type; use .txt, .html, .jsonl or .jsonl.gz")
        return
    gz = path.suffix.lower() == ".gz"
    if kind == "jsonl":
        # Stream JSONL line by line: archives can be far larger than memory.
        try:
            with (gzip.open(path, "rb") if gz else open(path, "rb")) as fh:
                head = fh.peek(8192)[:8192] if hasattr(fh, "peek") else b""
                if _looks_binary(head):
                    yield InputError(path.name, source, "binary", f"{source} looks like a binary file, not text")
                    return
                yield from _read_jsonl(fh, source, path.name)
        except (OSError, EOFError, gzip.BadGzipFile) as exc:
            yield InputError(path.name, source, "unreadable", f"cannot read {source}: {exc}")
        return
    try:
        data = path.read_bytes()
        if gz:
            data = gzip.decompress(data)
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        yield InputError(path.name, source, "unreadable", f"cannot read {source}: {exc}")
        return
    name = path.name[: -len("".join(path.suffixes))] or path.name
    yield from _read_stream(data, source, name, kind)


def _looks_binary(head: bytes) -> bool:
    return b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff"))


def _read_stream(data: bytes, source: str, name: str, kind: str | None = None) -> Iterator[Item]:
    if _looks_binary(data[:8192]):
        yield InputError(name, source, "binary", f"{source} looks like a binary file, not text")
        return
    if kind is None:  # stdin: JSONL when it starts with an object
        kind = "jsonl" if data.lstrip()[:1] == b"{" else "text"
    if kind == "jsonl":
        yield from _read_jsonl(data, source, name)
        return
    text = decode_bytes(data)
    field = "html" if kind == "html" else "text"
    try:
        yield validate({"id": name, field: text}, name)
    except ArticleError as exc:
        yield InputError(name, source, "invalid_article", f"{source}: {exc}")


def _read_jsonl(lines, source: str, name: str) -> Iterator[Item]:
    """`lines`: bytes of a whole JSONL file, or an iterable of its lines (a file object)."""
    if isinstance(lines, bytes):
        lines = io.BytesIO(lines)
    for lineno, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        default_id = f"{name}:{lineno}"
        try:
            obj = json.loads(decode_bytes(raw))
        except json.JSONDecodeError as exc:
            yield InputError(default_id, f"{source}:{lineno}", "invalid_json",
                             f"{source} line {lineno}: not valid JSON ({json_error_reason(exc.msg)} "
                             f"at column {exc.colno})")
            continue
        try:
            yield validate(obj, default_id)
        except ArticleError as exc:
            art_id = obj.get("id") if isinstance(obj, dict) else None
            # a wrong-typed id ([..], {..}, true) is not an id: name the record by its line
            usable = isinstance(art_id, (str, int, float)) and not isinstance(art_id, bool)
            art_id = _no_surrogates(str(art_id)) if usable else default_id
            yield InputError(art_id, f"{source}:{lineno}", "invalid_article",
                             f"{source} line {lineno}: {exc}")
