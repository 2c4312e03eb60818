"""Limits a public-facing service needs, and the ASGI middleware that caps request bodies.

The body cap is enforced before any route sees the request: on the declared Content-Length
(so a huge upload is refused without reading it) and again on the bytes actually streamed
(a client may lie about, or omit, the length).
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from vnnews_nlp.text.article import MAX_CHARS, MAX_HTML_CHARS


@dataclass(frozen=True)
class Limits:
    max_body_bytes: int = 3_000_000   # whole request, JSON or multipart
    max_chars: int = 100_000          # article text (a long news article is ~20k characters)
    max_html_chars: int = 1_500_000   # raw HTML page before boilerplate removal
    timeout: float = 30.0             # seconds from arrival to answer, queueing included
    workers: int = 2                  # threads running the pipeline
    max_pending: int = 32             # queued + running analyses before answering 503

    def __post_init__(self):
        # The service's length limits must be the ones a client meets: above the pipeline's own
        # caps, the pipeline would refuse first, with another status (422) and another number.
        for name, cap in (("max_chars", MAX_CHARS), ("max_html_chars", MAX_HTML_CHARS)):
            if getattr(self, name) > cap:
                raise ValueError(f"Limits.{name} is {getattr(self, name):,}, above the pipeline's own "
                                 f"limit of {cap:,} (vnnews_nlp.text.article); use at most {cap:,}")

    def as_dict(self) -> dict:
        return asdict(self)


def error_body(error: str, message: str) -> bytes:
    return json.dumps({"error": error, "message": message}, ensure_ascii=False).encode("utf-8")


async def send_error(send, status: int, error: str, message: str, close: bool = False) -> None:
    body = error_body(error, message)
    headers = [(b"content-type", b"application/json; charset=utf-8"),
               (b"content-length", str(len(body)).encode())]
    if close:  # the rest of an oversized body is not read, so the connection cannot be reused
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class BodyLimit:
    """Reads the whole body (at most `max_bytes`), refuses bigger ones with 413, refuses JSON
    that is not UTF-8 with 400, then replays the body to the app."""

    def __init__(self, app, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    def _too_large(self) -> str:
        return (f"the request body is larger than the limit of {self.max_bytes:,} bytes; "
                "send a shorter article")

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or ())
        declared = headers.get(b"content-length")
        if declared is not None:
            try:
                size = int(declared)
            except ValueError:
                return await send_error(send, 400, "bad_content_length",
                                        "the Content-Length header is not a number", close=True)
            if size > self.max_bytes:
                return await send_error(send, 413, "body_too_large", self._too_large(), close=True)
        body = bytearray()
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None
            body += message.get("body", b"")
            if len(body) > self.max_bytes:
                return await send_error(send, 413, "body_too_large", self._too_large(), close=True)
            if not message.get("more_body"):
                break
        ctype = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
        if ctype == b"application/json" or ctype.endswith(b"+json"):
            try:
                bytes(body).decode("utf-8")
            except UnicodeDecodeError as exc:
                return await send_error(
                    send, 400, "invalid_utf8",
                    f"the request body is not valid UTF-8 (bad byte at offset {exc.start}); "
                    "send JSON encoded as UTF-8")
        replayed = False

        async def replay():
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": bytes(body), "more_body": False}
            return await receive()  # after the body only a disconnect can come

        return await self.app(scope, replay, send)
