"""Tagging many articles: records in input order, over worker processes that may die.

`tag_records` is what `vnnews tag`, the entity index and the benchmarks call; each worker
loads the pipeline once (`Spec`: its stages and tokenizer setting) and tags chunks of
articles inside spaCy memory zones. A worker that dies (segfault, out-of-memory kill) costs
one `worker_crashed` error record, never the run.
"""
from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Iterable, Iterator, Optional, Union

from spacy.language import Language

from vnnews_nlp.pipeline import COMPONENTS, load
from vnnews_nlp.run.analyze import analyze_record
from vnnews_nlp.run.record import error_record
from vnnews_nlp.text.article import ArticleError, InputError, iter_articles


@dataclass(frozen=True)
class Spec:
    """Which pipeline a worker loads: its stages and the tokenizer's tone-mark setting."""

    components: tuple[str, ...] = COMPONENTS
    tones: Optional[str] = None


def _pipeline(spec) -> Language:
    """The process's shared pipeline for a `Spec` (or a plain tuple of stage names)."""
    if isinstance(spec, Spec):
        return load(tuple(spec.components), tones=spec.tones)
    return load(tuple(spec))


def _tag_one(item, components=COMPONENTS) -> dict:
    if isinstance(item, InputError):
        return error_record(item.id, item.source, item.error, item.message)
    try:
        return analyze_record(item, _pipeline(components))
    except ArticleError as exc:
        return error_record(item.get("id"), item.get("id"), "invalid_article", str(exc))
    except Exception as exc:  # one broken article must not stop the batch
        return error_record(item.get("id"), item.get("id"), "processing_failed",
                            f"{type(exc).__name__}: {exc}")


def _tag_chunk(args, tag_one=_tag_one) -> list[dict]:
    items, components = args
    # Strings that spaCy interns for these docs are freed when the zone closes; without it
    # the vocab grows with every new token string (~25 MB per 1,000 articles).
    with _pipeline(components).memory_zone():
        return [tag_one(it, components) for it in items]


# --- worker processes -----------------------------------------------------------------
#
# A worker process that dies (segfault in a C extension, out-of-memory kill, os._exit)
# breaks a ProcessPoolExecutor: every unfinished chunk fails with BrokenProcessPool and
# nothing says which article did it. tag_records then keeps the chunks that finished,
# re-runs the unfinished ones one article at a time in a single worker process (so a death
# points at exactly one article, which becomes a `worker_crashed` error record), and goes
# on with a new pool.

MAX_RESTARTS = 5  # worker deaths in a row, with no article tagged in between, before giving up
CRASH_HOOK_ENV = "VNNEWS_TEST_CRASH_ON_ID"


class WorkerCrashError(RuntimeError):
    """Worker processes keep dying before they tag anything: the run cannot go on."""


def _crash_hook(item) -> None:
    """Test hook, worker processes only: exit like a crashed worker (os._exit(1)) on the
    article whose id is in the environment variable VNNEWS_TEST_CRASH_ON_ID. Unset in normal
    use; tests/test_issue7_worker_crash.py sets it."""
    target = os.environ.get(CRASH_HOOK_ENV)
    if target and _item_id(item) == target:
        os._exit(1)


def _worker_one(item, components) -> dict:
    _crash_hook(item)
    return _tag_one(item, components)


ZONE_ARTICLES = 256  # articles a worker process tags inside one spaCy memory zone
SINGLE_ZONE = 64  # articles per zone (and per batch) when tagging in the calling process


class _Zone:
    """One spaCy memory zone kept open across a worker's chunks.

    Strings spaCy interns for the docs of a zone are freed when it closes (without zones the
    vocab grows by ~25 MB per 1,000 articles), but each new zone starts from a cold vocab:
    one zone per 16-article chunk cost about a fifth of the throughput. A worker process
    runs only our code and keeps no Doc past its chunk, so its zone can span chunks."""

    def __init__(self):
        self._stack, self._nlp, self._count = None, None, 0

    def roll(self, nlp, n: int) -> None:
        if self._stack is not None and (nlp is not self._nlp or self._count >= ZONE_ARTICLES):
            self._stack.close()
            self._stack = None
        if self._stack is None:
            self._stack = ExitStack()
            self._stack.enter_context(nlp.memory_zone())
            self._nlp, self._count = nlp, 0
        self._count += n


_WORKER_ZONE = _Zone()


def _worker_chunk(args) -> list[dict]:
    items, components = args
    _WORKER_ZONE.roll(_pipeline(components), len(items))
    return [_worker_one(it, components) for it in items]


def _item_id(item):
    if isinstance(item, InputError):
        return item.id
    return item.get("id") if isinstance(item, dict) else None


def _how_it_died(exitcode) -> str:
    if exitcode is None:
        return "exit code unknown"
    if exitcode < 0:
        import signal

        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = "unknown signal"
        hint = ", often the out-of-memory killer" if name == "SIGKILL" else ""
        return f"killed by signal {-exitcode}, {name}{hint}"
    return f"exit code {exitcode}"


def _crash_record(item, exitcode) -> dict:
    art_id = _item_id(item)
    return error_record(art_id, art_id, "worker_crashed",
                        f"the worker process died while tagging this article ({_how_it_died(exitcode)}); "
                        "it was skipped. Re-run it alone with `vnnews analyze` to see the cause")


class _WorkerDied(Exception):
    def __init__(self, exitcode):
        super().__init__(_how_it_died(exitcode))
        self.exitcode = exitcode


def _solo_loop(conn, components) -> None:
    """A single worker process: one article in, one record out, until told to stop."""
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    while True:
        try:
            item = conn.recv()
        except EOFError:
            return
        if item is None:
            return
        try:
            reply = ("ok", _worker_chunk(([item], components))[0])
        except Exception as exc:  # e.g. the pipeline cannot load: the parent re-raises it
            reply = ("exc", exc)
        try:
            conn.send(reply)
        except Exception:  # an exception that cannot be pickled
            conn.send(("exc", RuntimeError(f"{type(reply[1]).__name__}: {reply[1]}")))


class _Solo:
    """One worker process with exactly one article in flight, so a death has one culprit
    and an exit code (a ProcessPoolExecutor reports neither)."""

    def __init__(self, components):
        import multiprocessing as mp

        ctx = mp.get_context()
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_solo_loop, args=(child, components), daemon=True)
        self.proc.start()
        child.close()  # else recv() would wait forever for a dead child

    def tag(self, item) -> dict:
        try:
            self.conn.send(item)
            while not self.conn.poll(0.5):
                if not self.proc.is_alive() and not self.conn.poll(0):
                    raise EOFError
            kind, value = self.conn.recv()
        except (EOFError, OSError):
            self.close()
            raise _WorkerDied(self.proc.exitcode) from None
        if kind == "exc":
            raise value
        return value

    def close(self) -> None:
        try:
            if self.proc.is_alive():
                self.conn.send(None)
        except OSError:
            pass
        self.conn.close()
        self.proc.join(timeout=10)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join()


def tag_records(
    items: Iterable[Union[dict, InputError]],
    workers: int = 1,
    components: tuple[str, ...] = COMPONENTS,
    chunk_size: int = 16,
    max_restarts: int = MAX_RESTARTS,
    tones: Optional[str] = None,
) -> Iterator[dict]:
    """Records (or error records) for articles, in input order, exactly one per article.
    With workers > 1 the work is spread over processes, each loading the pipeline once.

    If a worker process dies, the chunks it may have been working on are re-run one
    article at a time; the article that kills a worker becomes a `worker_crashed` error
    record and the run goes on with a new pool. After `max_restarts` worker deaths in a row
    with no article tagged in between, WorkerCrashError is raised (the records yielded so
    far are complete; `vnnews tag` resumes from them). `tones`: the tokenizer's tone-mark
    placement rewrite ("new", "old"; None keeps it as written)."""
    components = Spec(tuple(components), tones) if tones else tuple(components)
    if workers <= 1:
        # the zone closes before the records are yielded: the caller's own Docs, made
        # between two records, never live in a zone that we close
        for chunk in _chunks(items, max(chunk_size, SINGLE_ZONE)):
            yield from _tag_chunk((chunk, components))
        return
    yield from _tag_parallel(items, workers, components, chunk_size, max_restarts)


def _tag_parallel(items, workers, components, chunk_size, max_restarts) -> Iterator[dict]:
    from collections import deque
    from concurrent.futures.process import BrokenProcessPool

    chunks = _chunks(items, chunk_size)
    crashes = 0  # worker deaths since the last article a worker tagged
    # Crash records wait for the next tagged article (or the end of the input): if the bound
    # is hit first, the machine rather than those articles is to blame, and they are left
    # out so that a resumed run tags them again.
    held: list[dict] = []

    def died(what: str) -> None:
        nonlocal crashes
        crashes += 1
        if crashes > max_restarts:
            raise WorkerCrashError(
                f"worker processes died {crashes} times in a row without tagging an article in "
                f"between (last: {what}); the machine may be out of memory or killing processes. "
                "Try fewer --workers or a machine with more memory; run the same `vnnews tag` "
                "command again to resume from the records already written")

    def new_pool():
        return ProcessPoolExecutor(max_workers=workers, initializer=_warm, initargs=(components,))

    pool = new_pool()
    pending = deque()  # (chunk, future or None when the pool broke before it was submitted)
    more = True
    try:
        while True:
            # Bounded look-ahead keeps memory flat on large inputs while keeping workers busy.
            broken = False
            while more and len(pending) < workers * 4:
                chunk = next(chunks, None)
                if chunk is None:
                    more = False
                    break
                try:
                    pending.append((chunk, pool.submit(_worker_chunk, (chunk, components))))
                except BrokenProcessPool:
                    pending.append((chunk, None))
                    broken = True
                    break
            if not pending:
                yield from held
                return
            if not broken:
                chunk, fut = pending[0]
                try:
                    records = fut.result()
                except BrokenProcessPool:
                    broken = True
                else:
                    pending.popleft()
                    crashes = 0
                    yield from held
                    held.clear()
                    yield from records
                    continue
            # The pool is dead. Keep what finished; re-run the rest one article at a time.
            pool.shutdown(wait=True, cancel_futures=True)
            died("a worker in the pool")
            solo = None
            try:
                while pending:
                    chunk, fut = pending.popleft()
                    if fut is not None and fut.done() and not fut.cancelled() and fut.exception() is None:
                        crashes = 0
                        yield from held
                        held.clear()
                        yield from fut.result()
                        continue
                    for item in chunk:
                        if solo is None:
                            solo = _Solo(components)
                        try:
                            rec = solo.tag(item)
                        except _WorkerDied as exc:
                            solo = None
                            died(f"{_how_it_died(exc.exitcode)} on article {_item_id(item)!r}")
                            held.append(_crash_record(item, exc.exitcode))
                            continue
                        crashes = 0
                        yield from held
                        held.clear()
                        yield rec
            finally:
                if solo is not None:
                    solo.close()
            pool = new_pool()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _warm(components) -> None:
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    try:
        _pipeline(components)
    except Exception:
        # A failure here would only break the pool with no reason given; the first chunk
        # loads again and its exception (a missing model, say) reaches the caller as is.
        pass


def _chunks(items, n):
    chunk = []
    for it in items:
        chunk.append(it)
        if len(chunk) >= n:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def tag_paths(paths, workers: int = 1, components: tuple[str, ...] = COMPONENTS) -> Iterator[dict]:
    return tag_records(iter_articles(paths), workers=workers, components=components)
