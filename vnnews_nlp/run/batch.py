"""Batch tagging: inputs -> JSONL records + error records, with a progress bar on stderr."""
from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from vnnews_nlp.run.pool import tag_records
from vnnews_nlp.text.article import iter_articles
from vnnews_nlp.pipeline import COMPONENTS
from vnnews_nlp.run.record import ERROR_SCHEMA


@dataclass
class Summary:
    written: int = 0
    failed: int = 0
    skipped: int = 0  # already in the output from an earlier, interrupted run


def _recover(path: Path) -> set[str]:
    """Ids of the complete records in a JSONL file; a torn last line (the run was killed
    mid-write) is cut off so appending continues from a clean line boundary."""
    ids: set[str] = set()
    if not path.exists():
        return ids
    good = 0
    with open(path, "rb") as fh:
        for line in fh:
            if not line.endswith(b"\n"):
                break
            try:
                ids.add(str(json.loads(line)["id"]))
            except (ValueError, KeyError, TypeError):
                break
            good += len(line)
    if good < path.stat().st_size:
        with open(path, "r+b") as fh:
            fh.truncate(good)
    return ids


def _skip_done(items, done: set[str], summary: Summary):
    from vnnews_nlp.text.article import InputError

    seen: set[str] = set()
    for it in items:
        art_id = it.id if isinstance(it, InputError) else it["id"]
        if art_id in done:
            summary.skipped += 1
            continue
        if art_id in seen:
            # Ids key the resume logic and downstream indexes, so a second article with the
            # same id is reported instead of silently overwriting or dropping the first.
            yield InputError(art_id, art_id, "duplicate_id",
                             f"id {art_id!r} occurs more than once in the input; give each article a unique id")
            continue
        seen.add(art_id)
        yield it


def count_inputs(inputs: Iterable[str]) -> Optional[int]:
    """A cheap pre-count of articles for the progress bar's ETA (None for stdin)."""
    total = 0
    for inp in inputs:
        if inp == "-":
            return None
        path = Path(inp)
        if not path.exists():  # read as one `not_found` error record
            total += 1
            continue
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for f in files:
            name = f.name.lower()
            if name.endswith((".jsonl", ".ndjson")):
                try:
                    with open(f, "rb") as fh:
                        total += sum(1 for line in fh if line.strip())
                except OSError:  # unreadable: one `unreadable` error record
                    total += 1
            elif name.endswith((".jsonl.gz", ".ndjson.gz")):
                import gzip

                try:
                    with gzip.open(f, "rb") as fh:
                        total += sum(1 for line in fh if line.strip())
                except (OSError, EOFError):
                    total += 1
            else:
                total += 1
    return total


def _write(fh, rec: dict) -> None:
    try:
        fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    except UnicodeEncodeError:
        # A lone surrogate (e.g. from a file name that is not UTF-8) has no UTF-8 form; JSON's
        # \u escapes keep it lossless. The failed write wrote nothing: encoding comes first.
        fh.write(json.dumps(rec) + "\n")


class OpenOnWrite:
    """A text file opened (appending) on its first write, so a run without errors leaves no
    empty errors file behind."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._fh = None

    def write(self, s: str) -> int:
        if self._fh is None:
            self._fh = open(self.path, "a", encoding="utf-8")
        return self._fh.write(s)

    def flush(self) -> None:
        if self._fh is not None:
            self._fh.flush()

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None


def _progress(console: Console) -> Progress:
    return Progress(
        TextColumn("[bold]tagging"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]} articles/s"),
        TextColumn("[red]{task.fields[failed]} failed"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=console,
        transient=False,
    )


def run_tag(
    inputs: list[str],
    output: str = "-",
    errors_path: Optional[Path] = None,
    workers: int = 1,
    progress: bool = True,
    components: tuple[str, ...] = COMPONENTS,
    resume: bool = True,
    tones: Optional[str] = None,
) -> Summary:
    """Tag `inputs` into `output` (JSONL, `-` = stdout). Failed records go to the errors file,
    which is created only when a record fails. A missing input is a `not_found` error record.

    A file output is written to `OUTPUT.part` and renamed when complete, so a reader never
    sees a half-written file under the final name. With `resume`, records already in
    `OUTPUT.part` (an interrupted run), in `OUTPUT` or in the errors file are kept and their
    ids skipped, so every input id ends up exactly once in the output or the errors file.
    A run that stops before writing anything leaves no `OUTPUT.part` behind. Without `resume`,
    the output and errors files of an earlier run are replaced.
    """
    summary = Summary()
    to_stdout = output == "-"
    out_path = None if to_stdout else Path(output)
    part_path = None if to_stdout else out_path.with_name(out_path.name + ".part")
    if errors_path is None and out_path is not None:
        errors_path = out_path.with_name(out_path.name + ".errors.jsonl")
    done: set[str] = set()
    if not to_stdout:
        if resume and out_path.exists() and not part_path.exists():
            os.replace(out_path, part_path)
        if resume:
            done = _recover(part_path) | (_recover(Path(errors_path)) if errors_path else set())
        elif part_path.exists():
            part_path.unlink()
    if not resume and errors_path and Path(errors_path).exists():
        Path(errors_path).unlink()  # starting afresh: the earlier run's errors go too
    mode = "a" if resume else "w"
    out = sys.stdout if to_stdout else open(part_path, mode, encoding="utf-8")
    err = OpenOnWrite(errors_path) if errors_path else sys.stderr
    console = Console(stderr=True)
    bar = _progress(console) if progress else None
    complete = False
    try:
        total = count_inputs(inputs) if progress else None
        if total is not None:
            total = max(total - len(done), 0)
        task = bar.add_task("tag", total=total, rate="-", failed=0) if bar else None
        if bar:
            bar.start()
        items = _skip_done(iter_articles(inputs), done, summary)
        for rec in tag_records(items, workers=workers, components=components, tones=tones):
            if rec.get("schema") == ERROR_SCHEMA:
                summary.failed += 1
                _write(err, rec)
            else:
                summary.written += 1
                _write(out, rec)
            out.flush()
            if bar:
                done = summary.written + summary.failed
                elapsed = bar.tasks[0].elapsed or 1e-9
                bar.update(task, advance=1, rate=f"{done / elapsed:.1f}", failed=summary.failed)
        complete = True
    finally:
        if bar:
            bar.stop()
        if not to_stdout:
            out.close()
            if complete:  # an interrupted run leaves only the .part file behind
                os.replace(part_path, out_path)
            elif part_path.exists() and part_path.stat().st_size == 0:
                part_path.unlink()  # nothing to resume from
        else:
            out.flush()
        if errors_path:
            err.close()
    if progress:
        console.print(f"{summary.written} records written, {summary.failed} failed"
                      + (f", {summary.skipped} already done" if summary.skipped else "")
                      + (f" (see {errors_path})" if summary.failed and errors_path else ""))
    return summary
