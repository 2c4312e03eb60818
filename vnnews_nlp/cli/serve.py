"""`vnnews serve`: the editors' web service (page + JSON API) on uvicorn."""
from __future__ import annotations

import typer

LOOPBACK = "127.0.0.1"


def serve(host: str = LOOPBACK, port: int = 8000, timeout: float | None = None,
          workers: int | None = None, log_level: str = "info", feedback_db=None) -> None:
    """Load the pipeline once and serve until interrupted. Plain function: tests call it too."""
    try:
        import uvicorn

        from vnnews_nlp.web.app import create_app
        from vnnews_nlp.web.limits import Limits
    except ModuleNotFoundError as exc:
        raise SystemExit(f"`vnnews serve` needs {exc.name}; install it with: "
                         "pip install 'vnnews-nlp[serve]'") from None
    changes = {k: v for k, v in {"timeout": timeout, "workers": workers}.items() if v is not None}
    limits = Limits(**changes)
    uvicorn.run(create_app(limits=limits, feedback_db=feedback_db), host=host, port=port, log_level=log_level,
                timeout_graceful_shutdown=5)


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve_cmd(
        host: str = typer.Option(LOOPBACK, "--host", help="address to listen on (0.0.0.0 for every interface)"),
        port: int = typer.Option(8000, "--port", min=1, max=65535, help="TCP port"),
        timeout: float = typer.Option(None, "--timeout", min=0.1, help="seconds allowed per request (default 30)"),
        workers: int = typer.Option(None, "-w", "--workers", min=1, help="threads running the pipeline (default 2)"),
        feedback_db: str = typer.Option(None, "--feedback-db", help="SQLite file for editors' menu choices "
                                        "(default $VNNEWS_FEEDBACK_DB or ./vnnews-feedback.sqlite)"),
    ) -> None:
        """Start the editors' web page and JSON API (loads the pipeline once)."""
        serve(host=host, port=port, timeout=timeout, workers=workers, feedback_db=feedback_db)
