"""The editors' web service (`vnnews serve`): a page and a JSON API over the pipeline.

Needs the `serve` extra (fastapi, uvicorn, python-multipart).
"""
from vnnews_nlp.web.limits import Limits

__all__ = ["Limits", "create_app"]


def __getattr__(name):
    if name == "create_app":  # keep `import vnnews_nlp.web` free of FastAPI until needed
        from vnnews_nlp.web.app import create_app

        return create_app
    raise AttributeError(f"module 'vnnews_nlp.web' has no attribute {name!r}")
