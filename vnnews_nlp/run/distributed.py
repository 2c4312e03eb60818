"""Tagging on Dask: the same pipeline, loaded once per worker, over a bag of articles.

Inputs are split into partitions on the client *by reference* (file path + line range), so
the client never holds the corpus; workers read their own slice, tag it with the pipeline
(cached per worker process by `pipeline.load`) and return records. The client writes the
partitions in input order, so the output is the same as `vnnews tag` on one machine.

    from vnnews_nlp.run.distributed import tag_with_dask
    tag_with_dask(["archive.jsonl.gz"], "out.jsonl", scheduler="tcp://10.0.0.5:8786")
"""
from __future__ import annotations

import contextlib
import gzip
import json
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Optional

from vnnews_nlp.text.article import InputError, _kind, iter_articles
from vnnews_nlp.pipeline import COMPONENTS


@dataclass(frozen=True)
class Slice:
    """A piece of input a worker reads itself: a whole file, or lines [start, stop) of a JSONL file."""

    path: str
    start: int = 0
    stop: Optional[int] = None


def plan_slices(inputs: list[str], lines_per_slice: int = 500) -> Iterator[Slice]:
    for inp in inputs:
        path = Path(inp)
        if not path.exists():  # read by iter_articles as a `not_found` error record
            yield Slice(str(path))
            continue
        files = sorted(p for p in path.rglob("*") if p.is_file() and _kind(p)) if path.is_dir() else [path]
        for f in files:
            if _kind(f) != "jsonl":
                yield Slice(str(f))
                continue
            n = _count_lines(f)
            for start in range(0, max(n, 1), lines_per_slice):
                yield Slice(str(f), start, start + lines_per_slice)


def _open(path: str):
    return gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb")


def _count_lines(path: Path) -> int:
    try:
        with _open(str(path)) as fh:
            return sum(1 for _ in fh)
    except (OSError, EOFError):
        return 1


def _read_slice(sl: Slice) -> list:
    if sl.stop is None:
        return list(iter_articles([sl.path]))
    import itertools

    from vnnews_nlp.text.article import _read_jsonl

    try:
        with _open(sl.path) as fh:
            lines = list(itertools.islice(fh, sl.start, sl.stop))
    except (OSError, EOFError) as exc:
        return [InputError(f"{Path(sl.path).name}:{sl.start + 1}", sl.path, "unreadable", f"cannot read {sl.path}: {exc}")]
    # Keep the line numbers (and so the default ids) the same as a single-machine run.
    data = b"\n" * sl.start + b"".join(lines)
    return list(_read_jsonl(data, sl.path, Path(sl.path).name))


def tag_slice(sl: Slice, components: tuple[str, ...] = COMPONENTS) -> list[dict]:
    """Runs on a worker: read the slice, tag every article (errors become error records)."""
    from vnnews_nlp.run.pool import _tag_chunk

    items = _read_slice(sl)
    # _tag_chunk tags the slice inside one spaCy memory zone (freeing the strings its docs
    # interned). A zone is vocab-wide, so slices of one worker process take turns: a worker
    # started with --nthreads > 1 gains nothing from the extra threads anyway, the pipeline
    # holds the GIL.
    with _SLICE_LOCK:
        return _tag_chunk((items, components))


_SLICE_LOCK = threading.Lock()


def tag_with_dask(
    inputs: list[str],
    output: str,
    errors_path: Optional[str] = None,
    scheduler: Optional[str] = None,
    components: tuple[str, ...] = COMPONENTS,
    lines_per_slice: int = 500,
    progress: bool = True,
) -> tuple[int, int]:
    """Tag with Dask. `scheduler` is a distributed scheduler address (`tcp://host:8786`);
    None starts a local cluster with one single-threaded worker process per core.
    Returns (records written, records failed)."""
    from dask.distributed import Client, LocalCluster, as_completed

    from vnnews_nlp.run.batch import OpenOnWrite
    from vnnews_nlp.run.record import ERROR_SCHEMA

    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
    slices = list(plan_slices(inputs, lines_per_slice))
    written = failed = 0
    out_path = Path(output)
    part = out_path.with_name(out_path.name + ".part")
    err_path = Path(errors_path) if errors_path else out_path.with_name(out_path.name + ".errors.jsonl")
    try:
        futures = client.map(tag_slice, slices, components=components, pure=False)
        results: dict[int, list] = {}
        index = {f.key: i for i, f in enumerate(futures)}
        next_i = 0
        bar = _bar(len(slices)) if progress else None
        if err_path.exists():
            err_path.unlink()  # this engine starts afresh; created again on the first error
        err = OpenOnWrite(err_path)
        with open(part, "w", encoding="utf-8") as out, contextlib.closing(err):
            for fut in as_completed(futures):
                results[index[fut.key]] = fut.result()
                fut.release()
                # Write in input order as soon as the next slice is complete.
                while next_i in results:
                    for rec in results.pop(next_i):
                        line = json.dumps(rec, ensure_ascii=False) + "\n"
                        if rec.get("schema") == ERROR_SCHEMA:
                            failed += 1
                            err.write(line)
                        else:
                            written += 1
                            out.write(line)
                    next_i += 1
                if bar:
                    bar.update(bar.task_ids[0], advance=1)
        if bar:
            bar.stop()
        part.replace(out_path)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    return written, failed


def _bar(total: int):
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    bar = Progress(TextColumn("[bold]dask slices"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                   console=Console(stderr=True))
    bar.add_task("slices", total=total)
    bar.start()
    return bar
