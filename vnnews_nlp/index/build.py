"""Incremental, idempotent index build from tagged records or raw articles.

Articles stream through in batches; each batch is one transaction. An article whose content hash
is already stored is skipped (raw articles are skipped *before* tagging, so a rerun is cheap); a
changed article replaces its mentions, figures and categories. Entity counts, first/last seen and
alias counts are kept by deltas (what a batch added minus what it replaced) applied in the batch's
own transaction; `recompute_entities` derives them from scratch (tests check both agree).
"""
from __future__ import annotations

import bisect
import gzip
import hashlib
import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from collections import deque
from itertools import chain, islice
from pathlib import Path

from vnnews_nlp.index import keys, store
from vnnews_nlp.index.counts import Delta, recompute_entities, refresh_keys  # noqa: F401

RECORD_SCHEMA = "vnnews-record/"
ERROR_SCHEMA = "vnnews-error/"


@dataclass
class BuildStats:
    read: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    errors: list[dict] = field(default_factory=list)  # the first few failures, for the report

    def fail(self, error: dict) -> None:
        self.failed += 1
        if len(self.errors) < 20:
            self.errors.append(error)


def build_index(inputs: Iterable[str | Path], db_path: str | Path, *, tagged: bool | None = None,
                progress: bool = True, batch_size: int = 500, workers: int = 1,
                components: tuple[str, ...] | None = None, on_batch=None) -> BuildStats:
    """Add the articles of `inputs` (JSONL, optionally .gz) to the index at `db_path`.

    `tagged=None` looks at each file's first line: records from `vnnews tag` are stored as they
    are, anything else is read as raw articles and tagged through `vnnews_nlp.run.analyze`.
    `components` picks the pipeline stages for raw articles (default: all).
    `on_batch(stats)` is called after each committed batch (benchmarks sample memory there).
    """
    inputs = [Path(p) for p in inputs]
    for path in inputs:
        if not path.exists():
            raise FileNotFoundError(f"input {path} does not exist; give JSONL files (or folders of "
                                    ".txt/.html articles)")
    conn = store.connect(db_path)
    stats = BuildStats()
    now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    try:
        refresh_keys(conn)
        with _progress(progress) as show:
            for path in inputs:
                if path.is_file() and _is_jsonl(path) and (tagged if tagged is not None else is_tagged(path)):
                    batches = _record_batches(conn, _read_records(path, stats), stats, batch_size)
                else:
                    batches = _tagged_batches(conn, _read_raw(path, stats), stats, batch_size,
                                              workers, components)
                for batch in batches:
                    _write_batch(conn, batch, stats, now)
                    show(stats.added + stats.updated + stats.unchanged + stats.failed)
                    if on_batch is not None:
                        on_batch(stats)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    return stats


# ---- reading -------------------------------------------------------------------------------

def _open(path: Path):
    if not path.exists():
        raise FileNotFoundError(f"input {path} does not exist")
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8")
    return path.open(encoding="utf-8")


def is_tagged(path: Path) -> bool:
    """True when the file's first record is a `vnnews tag` record (or error record)."""
    with _open(path) as f:
        for line in f:
            if line.strip():
                try:
                    schema = json.loads(line).get("schema", "")
                except (ValueError, AttributeError):
                    return False
                return isinstance(schema, str) and schema.startswith((RECORD_SCHEMA, ERROR_SCHEMA))
    return True  # an empty file: nothing to tag either way


def _read_raw(path: Path, stats: BuildStats) -> Iterator[dict]:
    """Raw articles, streamed; unreadable ones are counted as failed."""
    if path.is_file() and _is_jsonl(path):
        yield from _read_articles(path, stats)
        return
    # folders, .txt, .html: one article per file, read by the pipeline's reader
    from vnnews_nlp.text.article import iter_articles
    for item in iter_articles([path]):
        stats.read += 1
        if isinstance(item, Mapping):
            yield dict(item)
        else:
            stats.fail(_error(item))


def _is_jsonl(path: Path) -> bool:
    suffixes = [s.lower() for s in path.suffixes if s.lower() != ".gz"]
    return bool(suffixes) and suffixes[-1] in (".jsonl", ".ndjson")


def _error(item) -> dict:
    return {k: getattr(item, k, None) for k in ("id", "source", "error", "message")}


def _read_articles(path: Path, stats: BuildStats) -> Iterator[dict]:
    """Raw articles from JSONL, line by line (the corpus is never read whole), validated the way
    `vnnews_nlp.text.article.iter_articles` validates them."""
    from vnnews_nlp.text.article import ArticleError, validate
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as f:
        for n, raw in enumerate(f, 1):
            if not raw.strip():
                continue
            default_id = f"{path.name}:{n}"
            stats.read += 1
            try:
                obj = json.loads(raw.decode("utf-8", errors="replace"))
                yield validate(obj, default_id)
            except (ValueError, ArticleError) as e:  # JSONDecodeError is a ValueError
                stats.fail({"id": default_id, "source": f"{path}:{n}", "error": "invalid_article",
                            "message": f"{path} line {n}: {e}"})


def _read_records(path: Path, stats: BuildStats) -> Iterator[dict]:
    with _open(path) as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            stats.read += 1
            try:
                record = json.loads(line)
            except ValueError as e:
                stats.fail({"id": f"{path}:{n}", "error": "invalid JSON", "message": str(e)})
                continue
            if not isinstance(record, dict):
                stats.fail({"id": f"{path}:{n}", "error": "not a record", "message": "expected an object"})
            elif str(record.get("schema", "")).startswith(ERROR_SCHEMA):
                stats.fail(record)
            elif not record.get("id") or not isinstance(record.get("text"), str):
                stats.fail({"id": f"{path}:{n}", "error": "bad record",
                            "message": "a record needs 'id' and 'text' (see docs/record-schema.md)"})
            else:
                yield record


def content_hash(obj: dict, salt: str = "") -> str:
    data = json.dumps(obj, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256((salt + data).encode()).hexdigest()


def _pipeline_version() -> str:
    from vnnews_nlp import __version__
    return __version__


# ---- writing -------------------------------------------------------------------------------

def _unchanged(conn: sqlite3.Connection, hashed: list[tuple[dict, str]], stats: BuildStats):
    """The (obj, hash) pairs whose article is new or changed, in order; the rest are counted."""
    ids = [str(o["id"]) for o, _ in hashed if o.get("id")]
    known: dict[str, str] = {}
    for i in range(0, len(ids), 900):  # below SQLite's bound-parameter limit
        chunk = ids[i:i + 900]
        known.update(conn.execute(f"SELECT id, hash FROM articles WHERE id IN ({','.join('?' * len(chunk))})",
                                  chunk).fetchall())
    out = []
    for obj, h in hashed:
        aid = str(obj["id"]) if obj.get("id") else None
        if aid is not None and known.get(aid) == h:
            stats.unchanged += 1
        else:
            out.append((obj, h))
            if aid is not None:
                known[aid] = h  # a later copy in the same chunk compares with this one
    return out


def _record_batches(conn, records: Iterator[dict], stats: BuildStats, batch_size: int):
    while chunk := list(islice(records, batch_size)):
        yield _unchanged(conn, [(r, content_hash(r)) for r in chunk], stats)


def _tagged_batches(conn, articles: Iterator[dict], stats: BuildStats, batch_size: int, workers: int,
                    components: tuple[str, ...] | None):
    """Tag the new or changed articles in one stream (one worker pool for the whole input) and
    yield (record, raw article hash) batches; failures are counted."""
    # a raw article's hash covers what tagged it: another version or stage list re-tags it
    salt = f"raw:{_pipeline_version()}:{','.join(components) if components is not None else 'all'}"
    hashes: deque[str] = deque()  # of the articles handed to the tagger and not yet back

    def todo():
        while chunk := list(islice(articles, batch_size)):
            for article, h in _unchanged(conn, [(a, content_hash(a, salt)) for a in chunk], stats):
                hashes.append(h)
                yield article

    pending = todo()
    first = next(pending, None)
    if first is None:  # nothing to tag: do not load the pipeline
        yield []
        return
    from vnnews_nlp.run import pool as api
    batch = []
    extra = {} if components is None else {"components": tuple(components)}
    for record in api.tag_records(chain([first], pending), workers=workers, **extra):
        if not hashes:
            raise RuntimeError("vnnews_nlp.run.pool.tag_records returned more results than articles given")
        h = hashes.popleft()
        if str(record.get("schema", "")).startswith(ERROR_SCHEMA):
            stats.fail(record)
        else:
            # a raw article keeps its own hash, so an unchanged article is skipped before tagging
            batch.append((record, h))
        if len(batch) >= batch_size:
            yield batch
            batch = []
    if hashes:
        raise RuntimeError(f"vnnews_nlp.run.pool.tag_records returned {len(hashes)} fewer results than "
                           "articles given; expected one record or error record each")
    yield batch


def _write_batch(conn: sqlite3.Connection, batch: list[tuple[dict, str]], stats: BuildStats,
                 now: str) -> None:
    """One transaction: the whole batch is stored, or (killed, failed) none of it."""
    if not batch:
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        delta = Delta()
        for record, h in batch:
            status = _write_record(conn, record, h, now, delta)
            setattr(stats, status, getattr(stats, status) + 1)
        delta.apply(conn)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _write_record(conn: sqlite3.Connection, r: dict, h: str, now: str, delta: "Delta") -> str:
    """Insert or replace one article with its mentions, figures and categories; returns
    "added", "updated" or "unchanged"."""
    aid = str(r["id"])
    published = r.get("published")
    seen = str(published) if published else now
    row = conn.execute("SELECT rowid, seen, hash FROM articles WHERE id = ?", (aid,)).fetchone()
    if row is not None and row[2] == h:  # written since it was checked (a repeated article)
        return "unchanged"
    values = (r.get("title"), r.get("url"), published and str(published), seen, h, r["text"], now)
    if row is not None:
        rowid = row[0]
        delta.remove(conn.execute("SELECT entity_id, surface, count(*) FROM mentions "
                                  "WHERE article = ? GROUP BY entity_id, surface", (rowid,)), row[1])
        for table in ("mentions", "figures", "categories", "positions"):
            conn.execute(f"DELETE FROM {table} WHERE article = ?", (rowid,))
        conn.execute("UPDATE articles SET title=?, url=?, published=?, seen=?, hash=?, text=?, "
                     "indexed_at=? WHERE rowid=?", (*values, rowid))
    else:
        rowid = conn.execute("INSERT INTO articles(id, title, url, published, seen, hash, text, "
                             "indexed_at) VALUES (?,?,?,?,?,?,?,?)", (aid, *values)).lastrowid
    _write_mentions(conn, rowid, r, delta, seen)
    _write_figures(conn, rowid, r.get("figures") or [])
    cats = sorted((r.get("categories") or {}).items(), key=lambda kv: (-kv[1], kv[0]))
    conn.executemany("INSERT INTO categories(article, code, probability, rank) VALUES (?,?,?,?)",
                     [(rowid, code, float(p), i) for i, (code, p) in enumerate(cats, 1)])
    return "added" if row is None else "updated"


def entity_key(ent: dict) -> str:
    """The entity id of a mention: the linked id, or one derived from label and surface."""
    if ent.get("entity_id"):
        return str(ent["entity_id"])
    # unlinked: same label and same tone-folded canonical (the surface with abbreviations
    # written out, "Cty X" = "Công ty X") are taken to be the same entity
    return f"u:{ent.get('label') or 'MISC'}:{keys.id_key(ent.get('canonical') or ent['text'])}"


def _write_mentions(conn, rowid: int, r: dict, delta: "Delta", seen: str) -> None:
    sents = r.get("sentences") or []
    starts = [s["start"] for s in sents]
    rows, ents = [], {}
    for ent in r.get("entities") or []:
        eid = entity_key(ent)
        linked = bool(ent.get("entity_id"))
        name = ent.get("canonical") or ent["text"]
        succ = ent.get("successor") if isinstance(ent.get("successor"), dict) else {}
        ents.setdefault(eid, (eid, name, ent.get("label") or "MISC", ent.get("kind"), int(linked),
                              succ.get("id"), succ.get("name")))
        i = bisect.bisect_right(starts, ent["start"]) - 1
        sent = sents[i] if i >= 0 and ent["start"] < sents[i]["end"] else None
        rows.append((rowid, eid, seen, ent["start"], ent["end"], ent["text"],
                     i if sent else None, sent and sent["start"], sent and sent["end"],
                     ent.get("title")))
    conn.executemany("INSERT INTO entities(id, name, label, kind, linked, successor_id, successor_name) "
                     "VALUES (?,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET "
                     "kind = coalesce(entities.kind, excluded.kind), "
                     "successor_id = coalesce(entities.successor_id, excluded.successor_id), "
                     "successor_name = coalesce(entities.successor_name, excluded.successor_name)",
                     list(ents.values()))
    conn.executemany('INSERT INTO mentions(article, entity_id, seen, start, "end", surface, sentence, '
                     'sent_start, sent_end, title) VALUES (?,?,?,?,?,?,?,?,?,?)', rows)
    delta.add(((row[1], row[5]) for row in rows), seen)
    positions = []
    for ent in r.get("entities") or []:
        for p in ent.get("positions") or []:
            if isinstance(p, dict) and p.get("role"):
                org = p.get("organisation")
                positions.append((rowid, entity_key(ent), ent.get("canonical") or ent["text"], p["role"],
                                  p.get("organisation_id"), org, keys.plain_key(org) if org else None,
                                  ", ".join(p.get("qualifiers") or []) or None, seen))
    conn.executemany("INSERT INTO positions(article, person_id, person, role, org_id, org, org_key, "
                     "qualifiers, seen) VALUES (?,?,?,?,?,?,?,?,?)", positions)


def _number(v) -> float | None:
    try:
        return None if v is None or isinstance(v, bool) else float(v)
    except (TypeError, ValueError):
        return None


def _write_figures(conn, rowid: int, figs: list[dict]) -> None:
    rows = []
    for f in figs:
        v = f.get("value")
        value_text = v if isinstance(v, str) or v is None else json.dumps(v)
        low, high = (f.get("range") or [None, None])[:2]
        subject = f.get("subject")
        rows.append((rowid, f["start"], f["end"], f.get("text"), value_text, _number(v),
                     _number(low), _number(high), f.get("unit"), f.get("kind"), f.get("approx"),
                     f.get("change"), subject, keys.plain_key(subject) if subject else None))
    conn.executemany('INSERT INTO figures(article, start, "end", text, value_text, value, '
                     'range_low, range_high, unit, kind, approx, change, subject, subject_key) '
                     'VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)', rows)


class _progress:
    """A rich progress line on stderr (articles and rate); a no-op when disabled."""

    def __init__(self, enabled: bool):
        self.enabled = enabled

    def __enter__(self):
        if not self.enabled:
            return lambda done: None
        from rich.console import Console
        from rich.progress import Progress, SpinnerColumn, TaskProgressColumn, TextColumn, TimeElapsedColumn
        self.bar = Progress(SpinnerColumn(), TextColumn("indexing"),
                            TextColumn("{task.completed} articles"),
                            TaskProgressColumn(show_speed=True), TimeElapsedColumn(),
                            console=Console(stderr=True), transient=False)
        self.bar.__enter__()
        task = self.bar.add_task("index", total=None)
        return lambda done: self.bar.update(task, completed=done)

    def __exit__(self, *exc):
        if self.enabled:
            self.bar.__exit__(*exc)
        return False
