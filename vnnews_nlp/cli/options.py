"""Checks shared by the `vnnews` commands: missing inputs, the output path and its old name."""
from __future__ import annotations

from pathlib import Path
from typing import Iterable, Optional

import typer


def missing_inputs(inputs: Iterable) -> list[str]:
    """The inputs that are neither `-` (stdin) nor an existing file or folder."""
    return [str(i) for i in inputs if str(i) != "-" and not Path(i).exists()]


def not_found_message(path: str) -> str:
    return (f"error: no such file or folder: {path}; give an article file (.txt, .html, .jsonl, "
            ".jsonl.gz), a folder, or - for stdin")


def output_path(output: Optional[Path], old: Optional[Path], *, required: str | None = None) -> Optional[Path]:
    """`-o/--output`, or the hidden old name `--out` (with a warning on stderr). `required`:
    what the output is, for the error when neither is given (a usage error, exit 2)."""
    if output is not None and old is not None:
        usage_error("give -o/--output only (--out is its old name)")
    if old is not None:
        typer.echo("warning: --out is deprecated; use -o/--output", err=True)
        output = old
    if output is None and required:
        usage_error(f"missing option -o/--output: {required}")
    return output


def usage_error(message: str) -> None:
    """Say what went wrong on stderr and exit 2, as for any other usage error."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)
