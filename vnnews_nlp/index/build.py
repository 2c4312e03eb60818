"""Incremental, idempotent index build from tagged records or raw articles.

Articles stream through in batches; each batch is one transaction. An article whose content hash
is already stored is skipped (raw articles are skipped *before* tagging, so a rerun is cheap); a
changed article replaces its mentions, figures and categories. Entity counts, first/last seen and
aliases are recomputed from the mentions for every entity a batch touched, inside the same
transaction, so they can never drift from the mentions table.
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
from itertools import islice
from pathlib import Path

from . import keys, store

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
                on_batch=None) -> BuildStats:
    """Add the articles of `inputs` (JSONL, optionally .gz) to the index at `db_path`.

    `tagged=None` looks at each file's first line: records from `vnnews tag` are stored as they
    are, anything else is read as raw articles and tagged through `vnnews_nlp.api`.
    `on_batch(stats)` is called after each committed batch (benchmarks sample memory there).
    """
    conn = store.connect(db_path)
    stats = BuildStats()
    now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    try:
        refresh_keys(conn)
        items = _items([Path(p) for p in inputs], tagged, stats)
        with _progress(progress) as advance:
            while batch := list(islice(items, batch_size)):
                _write_batch(conn, batch, stats, now, workers)
                advance(len(batch))
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


def _items(paths: list[Path], tagged: bool | None, stats: BuildStats) -> Iterator[tuple[str, dict]]:
    """("record", record) or ("article", article) pairs, streamed."""
    for path in paths:
        if tagged if tagged is not None else is_tagged(path):
            yield from (("record", r) for r in _read_records(path, stats))
        else:
            from vnnews_nlp import api  # the pipeline loads only when raw articles need tagging
            for article in api.iter_articles([path]):
                yield "article", _as_dict(article)


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


def _as_dict(article) -> dict:
    if isinstance(article, Mapping):
        return dict(article)
    if hasattr(article, "to_dict"):
        return article.to_dict()
    return dict(vars(article))


def content_hash(obj: dict, salt: str = "") -> str:
    data = json.dumps(obj, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256((salt + data).encode()).hexdigest()


def _pipeline_version() -> str:
    try:
        from importlib.metadata import version
        return version("vnnews-nlp")
    except Exception:  # not installed: a source checkout
        return "source"


# ---- writing -------------------------------------------------------------------------------

def _write_batch(conn: sqlite3.Connection, batch: list[tuple[str, dict]], stats: BuildStats,
                 now: str, workers: int) -> None:
    salt = "raw:" + _pipeline_version()
    hashed = []
    for kind, obj in batch:
        if kind == "article":
            stats.read += 1
        hashed.append((kind, obj, content_hash(obj, salt if kind == "article" else "")))
    ids = [str(o["id"]) for _, o, _ in hashed if o.get("id")]
    known = dict(conn.execute(f"SELECT id, hash FROM articles WHERE id IN ({','.join('?' * len(ids))})",
                              ids).fetchall()) if ids else {}
    todo = []
    for kind, obj, h in hashed:
        if obj.get("id") and known.get(str(obj["id"])) == h:
            stats.unchanged += 1
        else:
            todo.append((kind, obj, h))
    records = _tag(todo, workers, stats)
    if not records:
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        touched: set[str] = set()
        for record, h in records:
            if known.get(str(record["id"])) == h:  # a raw article without id, seen before
                stats.unchanged += 1
                continue
            replaced = _write_record(conn, record, h, now, touched)
            if replaced:
                stats.updated += 1
            else:
                stats.added += 1
            known[str(record["id"])] = h
        _refresh_entities(conn, touched)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _tag(todo: list[tuple[str, dict, str]], workers: int, stats: BuildStats) -> list[tuple[dict, str]]:
    """(record, hash) in input order; raw articles go through the pipeline, failures are counted."""
    raw = [obj for kind, obj, _ in todo if kind == "article"]
    tagged = iter(())
    if raw:
        from vnnews_nlp import api
        tagged = iter(list(api.tag_records(raw, workers=workers)))
    out = []
    for kind, obj, h in todo:
        record = obj if kind == "record" else next(tagged, None)
        if record is None:
            raise RuntimeError(f"vnnews_nlp.api.tag_records returned fewer results than the "
                               f"{len(raw)} articles given; expected one record or error record each")
        if str(record.get("schema", "")).startswith(ERROR_SCHEMA):
            stats.fail(record)
        else:
            # a raw article keeps its own hash, so an unchanged article is skipped before tagging
            out.append((record, h))
    return out


def _write_record(conn: sqlite3.Connection, r: dict, h: str, now: str, touched: set[str]) -> bool:
    """Insert or replace one article with its mentions, figures and categories."""
    aid = str(r["id"])
    published = r.get("published")
    seen = str(published) if published else now
    row = conn.execute("SELECT rowid FROM articles WHERE id = ?", (aid,)).fetchone()
    values = (r.get("title"), r.get("url"), published and str(published), seen, h, r["text"], now)
    if row is not None:
        rowid = row[0]
        touched.update(e for (e,) in conn.execute(
            "SELECT DISTINCT entity_id FROM mentions WHERE article = ?", (rowid,)))
        for table in ("mentions", "figures", "categories"):
            conn.execute(f"DELETE FROM {table} WHERE article = ?", (rowid,))
        conn.execute("UPDATE articles SET title=?, url=?, published=?, seen=?, hash=?, text=?, "
                     "indexed_at=? WHERE rowid=?", (*values, rowid))
    else:
        rowid = conn.execute("INSERT INTO articles(id, title, url, published, seen, hash, text, "
                             "indexed_at) VALUES (?,?,?,?,?,?,?,?)", (aid, *values)).lastrowid
    _write_mentions(conn, rowid, r, touched)
    _write_figures(conn, rowid, r.get("figures") or [])
    cats = sorted((r.get("categories") or {}).items(), key=lambda kv: (-kv[1], kv[0]))
    conn.executemany("INSERT INTO categories(article, code, probability, rank) VALUES (?,?,?,?)",
                     [(rowid, code, float(p), i) for i, (code, p) in enumerate(cats, 1)])
    return row is not None


def entity_key(ent: dict) -> str:
    """The entity id of a mention: the linked id, or one derived from label and surface."""
    if ent.get("entity_id"):
        return str(ent["entity_id"])
    # unlinked: same label and same tone-folded surface are taken to be the same entity
    return f"u:{ent.get('label') or 'MISC'}:{keys.id_key(ent['text'])}"


def _write_mentions(conn, rowid: int, r: dict, touched: set[str]) -> None:
    sents = r.get("sentences") or []
    starts = [s["start"] for s in sents]
    rows, ents = [], {}
    for ent in r.get("entities") or []:
        eid = entity_key(ent)
        linked = bool(ent.get("entity_id"))
        name = ent.get("canonical") if linked and ent.get("canonical") else ent["text"]
        ents.setdefault(eid, (eid, name, ent.get("label") or "MISC", ent.get("kind"), int(linked)))
        i = bisect.bisect_right(starts, ent["start"]) - 1
        sent = sents[i] if i >= 0 and ent["start"] < sents[i]["end"] else None
        rows.append((rowid, eid, ent["start"], ent["end"], ent["text"],
                     i if sent else None, sent and sent["start"], sent and sent["end"],
                     ent.get("title")))
    conn.executemany("INSERT INTO entities(id, name, label, kind, linked) VALUES (?,?,?,?,?) "
                     "ON CONFLICT(id) DO UPDATE SET kind = coalesce(entities.kind, excluded.kind)",
                     list(ents.values()))
    conn.executemany('INSERT INTO mentions(article, entity_id, start, "end", surface, sentence, '
                     'sent_start, sent_end, title) VALUES (?,?,?,?,?,?,?,?,?)', rows)
    touched.update(ents)


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


def _register_keys(conn: sqlite3.Connection) -> None:
    conn.create_function("vn_exact", 1, keys.exact_key, deterministic=True)
    conn.create_function("vn_fold", 1, keys.fold_key, deterministic=True)
    conn.create_function("vn_plain", 1, keys.plain_key, deterministic=True)


def _refresh_entities(conn: sqlite3.Connection, touched: set[str]) -> None:
    if not touched:
        return
    _register_keys(conn)
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS touched (id TEXT PRIMARY KEY)")
    conn.execute("DELETE FROM temp.touched")
    conn.executemany("INSERT INTO temp.touched VALUES (?)", [(e,) for e in touched])
    for sql in (
        """UPDATE entities SET (mention_count, article_count, first_seen, last_seen) =
             (SELECT count(*), count(DISTINCT m.article), min(a.seen), max(a.seen)
              FROM mentions m JOIN articles a ON a.rowid = m.article WHERE m.entity_id = entities.id)
           WHERE id IN temp.touched""",
        "DELETE FROM entities WHERE id IN temp.touched AND mention_count = 0",
        "DELETE FROM aliases WHERE entity_id IN temp.touched",
        """INSERT INTO aliases(entity_id, surface, count, key_exact, key_fold, key_plain)
           SELECT entity_id, surface, count(*), vn_exact(surface), vn_fold(surface), vn_plain(surface)
           FROM mentions WHERE entity_id IN temp.touched GROUP BY entity_id, surface""",
        # an unlinked entity is named by its most frequent surface
        """UPDATE entities SET name = (SELECT surface FROM aliases WHERE entity_id = entities.id
                                       ORDER BY count DESC, surface LIMIT 1)
           WHERE linked = 0 AND id IN temp.touched""",
        # the canonical name is searchable even if never written that way
        """INSERT OR IGNORE INTO aliases(entity_id, surface, count, key_exact, key_fold, key_plain)
           SELECT id, name, 0, vn_exact(name), vn_fold(name), vn_plain(name)
           FROM entities WHERE id IN temp.touched""",
    ):
        conn.execute(sql)


def refresh_keys(conn: sqlite3.Connection) -> None:
    """Recompute search keys if the index was built with other key functions."""
    if store.get_meta(conn, "keys_version") == keys.KEYS_VERSION:
        return
    _register_keys(conn)
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute("UPDATE aliases SET key_exact = vn_exact(surface), key_fold = vn_fold(surface), "
                     "key_plain = vn_plain(surface)")
        conn.execute("UPDATE figures SET subject_key = vn_plain(subject) WHERE subject IS NOT NULL")
        store.set_meta(conn, "keys_version", keys.KEYS_VERSION)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


class _progress:
    """A rich progress line on stderr (articles and rate); a no-op when disabled."""

    def __init__(self, enabled: bool):
        self.enabled = enabled

    def __enter__(self):
        if not self.enabled:
            return lambda n: None
        from rich.console import Console
        from rich.progress import Progress, SpinnerColumn, TaskProgressColumn, TextColumn, TimeElapsedColumn
        self.bar = Progress(SpinnerColumn(), TextColumn("indexing"),
                            TextColumn("{task.completed} articles"),
                            TaskProgressColumn(show_speed=True), TimeElapsedColumn(),
                            console=Console(stderr=True), transient=False)
        self.bar.__enter__()
        task = self.bar.add_task("index", total=None)
        return lambda n: self.bar.advance(task, n)

    def __exit__(self, *exc):
        if self.enabled:
            self.bar.__exit__(*exc)
        return False
