"""`vnnews` command line. Commands only parse arguments and call plain functions
(`vnnews_nlp.run.batch`, `vnnews_nlp.run.analyze`, `vnnews_nlp.cli.report`) that the tests call too."""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Vietnamese news NLP: normalize, segment, entities, figures, categories.\n\n"
         "Exit codes: 0 done, 1 some records failed, 2 usage error (a bad option, or a missing "
         "input file in analyze and suggest; in tag a missing input is a not_found error "
         "record, exit 1).",
)


def _print_version(value: bool) -> None:
    if value:
        from vnnews_nlp import __version__

        typer.echo(f"vnnews {__version__}")
        raise typer.Exit(0)


@app.callback()
def _main(
    version: bool = typer.Option(False, "--version", is_eager=True, callback=_print_version,
                                 help="print the version and exit"),
) -> None:
    """The `vnnews` command; only `--version` is handled here."""


TONES = typer.Option(None, "--tones", help="rewrite tone marks typed on the wrong vowel (baỏ -> bảo): "
                     "new (hoà, thuỷ) or old (hòa, thủy) placement; default: as written")


@app.command(help="Tag articles; write one JSON record per article.\n\n"
                  "A record that cannot be made (bad JSON, a missing field, a missing input "
                  "file …) becomes an error record in OUTPUT.errors.jsonl (created only then); "
                  "exit 1 if any record failed.")
def tag(
    inputs: List[str] = typer.Argument(..., help=".txt, .html, .jsonl(.gz) files, folders, or - for stdin"),
    output: str = typer.Option("-", "-o", "--output", help="output JSONL file, or - for stdout"),
    errors: Optional[Path] = typer.Option(None, "--errors", help="error records file (default: OUTPUT.errors.jsonl, or stderr for stdout)"),
    workers: int = typer.Option(1, "-w", "--workers", min=1, help="worker processes"),
    quiet: bool = typer.Option(False, "-q", "--quiet", help="no progress bar or summary on stderr"),
    no_progress: bool = typer.Option(False, "--no-progress", hidden=True, help="old name of --quiet"),
    resume: bool = typer.Option(True, "--resume/--overwrite", help="keep records of an earlier interrupted run and skip their ids"),
    engine: str = typer.Option("local", "--engine", help="local (processes on this machine) or dask"),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Dask scheduler address (tcp://host:8786); default: a local Dask cluster"),
    components: Optional[str] = typer.Option(None, "--components", help="comma-separated stages to run (default: all): vnnews_entities,vnnews_figures,vnnews_categories; '' for segmentation only"),
    tones: Optional[str] = TONES,
) -> None:
    from vnnews_nlp.run.batch import run_tag
    from vnnews_nlp.pipeline import COMPONENTS

    progress = not (quiet or no_progress)
    chosen = COMPONENTS if components is None else tuple(c.strip() for c in components.split(",") if c.strip())
    unknown = [c for c in chosen if c not in COMPONENTS]
    if unknown:
        raise typer.BadParameter(f"unknown component(s) {', '.join(unknown)}; choose from {', '.join(COMPONENTS)}")
    if engine == "dask":
        from vnnews_nlp.run.distributed import tag_with_dask

        if output == "-":
            raise typer.BadParameter("--engine dask writes to a file: give -o OUTPUT.jsonl")
        written, failed = tag_with_dask(inputs, output, errors_path=str(errors) if errors else None,
                                        scheduler=scheduler, components=chosen, progress=progress)
        typer.echo(f"{written} records written, {failed} failed", err=True)
        raise typer.Exit(0 if failed == 0 else 1)
    if engine != "local":
        raise typer.BadParameter(f"unknown engine {engine!r}; use local or dask")
    from vnnews_nlp.run.pool import WorkerCrashError

    try:
        summary = run_tag(inputs, output, errors_path=errors, workers=workers, progress=progress,
                          resume=resume, components=chosen, tones=_tones(tones))
    except WorkerCrashError as exc:  # the run stopped; records so far are kept for a resume
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1)
    raise typer.Exit(0 if summary.failed == 0 else 1)


@app.command(help="Show one article's result for a person to read.\n\n"
                  "Exit 0 done, 1 the article could not be analysed, 2 the file does not exist.")
def analyze(
    file: str = typer.Argument(..., help="an article: .txt, .html, or .jsonl(.gz) (first record), or - for stdin"),
    json_out: bool = typer.Option(False, "--json", help="print the record as JSON instead of tables"),
    tones: Optional[str] = TONES,
) -> None:
    from vnnews_nlp.cli.report import analyze_file

    raise typer.Exit(analyze_file(file, as_json=json_out, tones=_tones(tones)))


def _tones(value: Optional[str]) -> Optional[str]:
    if value not in (None, "new", "old"):
        raise typer.BadParameter(f"--tones takes new or old, not {value!r}")
    return value


def _register_optional() -> None:
    # Each stage with commands owns a `register(app)`; the CLI only collects them.
    import importlib

    for mod in ("vnnews_nlp.cli.categories", "vnnews_nlp.cli.index", "vnnews_nlp.cli.serve"):
        try:
            module = importlib.import_module(mod)
        except ModuleNotFoundError as exc:
            if exc.name != mod:
                raise
            continue
        module.register(app)


_register_optional()


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    app()
