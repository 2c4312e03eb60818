"""The editors' web service: a page and a JSON API over the one pipeline of the process.

    uvicorn --factory vnnews_nlp.web.app:create_app      # or: vnnews serve
"""
from __future__ import annotations

import hashlib
import logging
import os
from contextlib import asynccontextmanager
from pathlib import Path
from typing import List, Optional

from fastapi import FastAPI, File, Form, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from spacy.language import Language
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from vnnews_nlp.run import analyze as api
from vnnews_nlp import __version__
from vnnews_nlp.text.article import json_error_reason
from vnnews_nlp.web.limits import BodyLimit, Limits
from vnnews_nlp.web.render import entities_html
from vnnews_nlp.categories.feedback import FeedbackStore
from vnnews_nlp.web.schemas import (ArticleIn, ChoiceIn, ChoiceOut, ErrorOut, Health, Menu, Record,
                                    SuggestRecord, View)
from vnnews_nlp.web.service import Analyzer, ServiceError, check_article, decode_upload, load_pipeline

STATIC = Path(__file__).parent / "static"
SUGGEST_KEYS = ("schema", "id", "title", "categories", "suggestions", "enough_evidence", "pipeline")
log = logging.getLogger("vnnews_nlp.web")
# Only this server's own scripts run on the page; displaCy's markup needs inline styles.
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; style-src 'self' 'unsafe-inline'; "
                               "object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
}

_ERRORS = {400: "malformed request (bad JSON, bad form)", 413: "body or text too large",
           415: "not JSON, or an unsupported or binary file", 422: "invalid article (empty, wrong types, bad encoding)",
           503: "server at capacity or still loading", 504: "analysis exceeded the time limit"}
ERROR_RESPONSES = {code: {"model": ErrorOut, "description": text} for code, text in _ERRORS.items()}


def create_app(nlp: Optional[Language] = None, limits: Limits = Limits(),
               feedback_db: Optional[Path] = None) -> FastAPI:
    """The ASGI app. Without `nlp` the full default pipeline is loaded once at startup.
    `feedback_db`: the SQLite file editors' menu choices go to (default: $VNNEWS_FEEDBACK_DB,
    else vnnews-feedback.sqlite in the working folder), created on the first choice."""
    state = {"analyzer": Analyzer(nlp, limits) if nlp is not None else None, "feedback": None}
    feedback_path = Path(feedback_db or os.environ.get("VNNEWS_FEEDBACK_DB") or "vnnews-feedback.sqlite")

    @asynccontextmanager
    async def lifespan(_app):
        if state["analyzer"] is None:
            state["analyzer"] = Analyzer(await run_in_threadpool(load_pipeline, None), limits)
        await run_in_threadpool(state["analyzer"].warm_up)
        yield
        state["analyzer"].close()

    # /docs and /redoc would load Swagger UI from a CDN; the schema itself is served locally.
    app = FastAPI(title="vnnews-nlp", version=__version__, lifespan=lifespan,
                  docs_url=None, redoc_url=None,
                  description="Vietnamese news articles in; entities, key figures and "
                              "portal category suggestions out (the `vnnews tag` record).")
    app.state.service = state
    app.add_middleware(BodyLimit, max_bytes=limits.max_body_bytes)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    _add_error_handlers(app)

    def analyzer() -> Analyzer:
        if state["analyzer"] is None:
            raise ServiceError(503, "loading", "the pipeline is still loading; try again shortly")
        return state["analyzer"]

    @app.get("/", include_in_schema=False)
    async def page():
        return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8",
                            headers=PAGE_HEADERS)

    @app.get("/healthz", response_model=Health, responses={503: {"model": ErrorOut}})
    async def healthz():
        a = analyzer()
        return {"status": "ok", "version": __version__, "components": list(a.nlp.pipe_names),
                "limits": limits.as_dict()}

    @app.post("/v1/analyze", response_model=Record, responses=ERROR_RESPONSES)
    async def analyze(article: ArticleIn):
        """Analyse one article; answer the `vnnews tag` record."""
        a = analyzer()
        return await a.run(api.analyze_record, _article(article, limits), a.nlp, limits.max_chars)

    @app.post("/v1/suggest", response_model=SuggestRecord, responses=ERROR_RESPONSES)
    async def suggest(article: ArticleIn):
        """Category suggestions only: the record restricted to id, title, categories and
        suggestions (ranked, with probabilities and reasons)."""
        a = analyzer()
        rec = await a.run(api.analyze_record, _article(article, limits), a.nlp, limits.max_chars)
        return {k: rec[k] for k in SUGGEST_KEYS}

    @app.post("/v1/view", response_model=View, responses=ERROR_RESPONSES)
    async def view(text: Optional[str] = Form(None, description="the pasted article"),
                   title: Optional[str] = Form(None),
                   file: Optional[UploadFile] = File(None, description="a .txt or .html file")):
        """What the page shows: the record of a pasted text or an uploaded .txt/.html file,
        and the body rendered with its entities highlighted (displaCy markup)."""
        a = analyzer()
        if file is not None and file.filename:
            field, body = decode_upload(await file.read(), file.filename)
            obj = {"id": Path(file.filename).stem or "upload", field: body}
        else:
            obj = {"id": "pasted", "text": text or ""}
        if title and title.strip():
            obj["title"] = title.strip()
        return await a.run(_view, check_article(obj, limits, obj["id"]), a.nlp, limits.max_chars)

    @app.get("/v1/menus", response_model=List[Menu])
    async def menus():
        """The portal's menus (the taxonomy the suggestions come from), for the editor to pick."""
        tax = analyzer().nlp.get_pipe("vnnews_categories").taxonomy
        return [{"code": c, "label": tax.label(c), "parent": tax.parent(c)} for c in tax.codes]

    @app.post("/v1/feedback", response_model=ChoiceOut, responses=ERROR_RESPONSES)
    async def feedback(choice: ChoiceIn):
        """Store the menu an editor chose (accepting the first suggestion or picking another);
        `vnnews feedback export` turns the choices into training data for `vnnews train`."""
        comp = analyzer().nlp.get_pipe("vnnews_categories")
        if len(choice.text) > limits.max_chars:
            raise ServiceError(413, "text_too_long", f"the text has {len(choice.text):,} characters; "
                                                     f"the limit is {limits.max_chars:,}")
        if state["feedback"] is None:
            state["feedback"] = FeedbackStore(feedback_path)
        try:
            row = await run_in_threadpool(
                state["feedback"].record, str(choice.id or "pasted"), choice.text, choice.chosen,
                choice.suggested, model_version(comp), comp.taxonomy.codes)
        except ValueError as err:
            raise ServiceError(422, "invalid_choice", str(err)) from None
        return row

    return app


def model_version(comp) -> str:
    """The category model's name and the first hex digits of its arrays' hash."""
    model = comp.model()
    if "_version" not in model.info:
        from vnnews_nlp.paths import models_dir
        folder = Path(comp.model_path) if comp.model_path else models_dir() / "categories" / "portal_qt"
        path = folder / "model.npz"
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12] if path.is_file() else "unknown"
        model.info["_version"] = f"{model.info.get('name') or folder.name}@{digest}"
    return model.info["_version"]


def _article(article: ArticleIn, limits: Limits) -> dict:
    return check_article(article.model_dump(exclude_none=True), limits)


def _view(article: dict, nlp: Language, max_chars: int) -> dict:
    rec = api.analyze_record(article, nlp, max_chars)
    return {"record": rec, "entities_html": entities_html(rec)}


def _add_error_handlers(app: FastAPI) -> None:
    def answer(status: int, error: str, message: str, headers=None) -> JSONResponse:
        return JSONResponse({"error": error, "message": message}, status_code=status, headers=headers)

    @app.exception_handler(ServiceError)
    async def service_error(_req: Request, exc: ServiceError):
        return answer(exc.status, exc.error, exc.message)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_req: Request, exc: RequestValidationError):
        errors = exc.errors()
        if any(e.get("type") == "json_invalid" for e in errors):
            e = errors[0]
            pos = [p for p in e.get("loc", ()) if isinstance(p, int)]
            # the stdlib's message may end with "at" already ("Invalid control character at")
            where = json_error_reason(str(e.get("ctx", {}).get("error", "syntax error"))) + (
                f" at character {pos[0]}" if pos else "")
            return answer(400, "invalid_json", f"the request body is not valid JSON: {where}")
        if any(isinstance(e.get("input"), (bytes, bytearray)) and len(e.get("loc", ())) == 1 for e in errors):
            return answer(415, "unsupported_media_type",
                          "send the article as JSON with the header Content-Type: application/json")
        return answer(422, "invalid_request", _describe(errors))

    @app.exception_handler(HTTPException)
    async def http_error(_req: Request, exc: HTTPException):
        return answer(exc.status_code, f"http_{exc.status_code}", str(exc.detail), getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def crashed(_req: Request, exc: Exception):
        log.exception("analysis failed")
        return answer(500, "processing_failed", f"the pipeline failed on this article "
                      f"({type(exc).__name__}: {exc}); please report it with the article")


def _describe(errors: list[dict]) -> str:
    """One readable sentence per field (a union type reports one error per branch)."""
    by_field: dict[str, list[str]] = {}
    for err in errors:
        loc = [str(p) for p in err.get("loc", ()) if p != "body"]
        if not loc:
            if err.get("type") == "missing":
                return 'the request body is empty; send a JSON article like {"text": "..."}'
            return f"the request body: {err.get('msg')} (send a JSON object)"
        msgs = by_field.setdefault(loc[0], [])
        if err.get("msg") not in msgs:
            msgs.append(err.get("msg"))
    return "; ".join(f'field "{f}": {" or ".join(m)}' for f, m in by_field.items())
