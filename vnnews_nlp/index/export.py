"""Export the index tables to JSONL, CSV or parquet files (one file per table), streamed.

JSONL and CSV need nothing beyond the standard library; parquet needs pyarrow
(`pip install "vnnews-nlp[export]"`).
"""
from __future__ import annotations

import csv
import json
from pathlib import Path

from vnnews_nlp.index import store

FORMATS = ("parquet", "csv", "jsonl")
_CHUNK = 10_000

# articles.rowid is internal; exports refer to articles by their id
_QUERIES = {
    "articles": "SELECT id, title, url, published, seen, hash, text, indexed_at FROM articles ORDER BY rowid",
    "entities": "SELECT * FROM entities ORDER BY id",
    "aliases": "SELECT * FROM aliases ORDER BY entity_id, surface",
    "mentions": 'SELECT a.id AS article_id, m.entity_id, m.start, m."end", m.surface, m.sentence, '
                "m.sent_start, m.sent_end, m.title FROM mentions m "
                "JOIN articles a ON a.rowid = m.article ORDER BY m.id",
    "figures": 'SELECT a.id AS article_id, f.start, f."end", f.text, f.value_text, f.value, '
               "f.range_low, f.range_high, f.unit, f.kind, f.approx, f.change, f.subject "
               "FROM figures f JOIN articles a ON a.rowid = f.article ORDER BY f.id",
    "categories": "SELECT a.id AS article_id, c.code, c.probability, c.rank FROM categories c "
                  "JOIN articles a ON a.rowid = c.article ORDER BY a.rowid, c.rank",
    "positions": "SELECT a.id AS article_id, p.person_id, p.person, p.role, p.org_id, p.org, p.qualifiers, "
                 "p.seen FROM positions p JOIN articles a ON a.rowid = p.article ORDER BY p.id",
}


def export_index(db_path: str | Path, out_dir: str | Path, fmt: str = "jsonl",
                 tables: tuple[str, ...] = store.TABLES) -> list[Path]:
    """Write each table to `out_dir/<table>.<fmt>`; returns the files written."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    writer = {"parquet": _parquet, "csv": _csv, "jsonl": _jsonl}[fmt]
    if fmt == "parquet":
        _need_pyarrow()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    conn = store.connect(db_path, create=False)
    written = []
    try:
        for table in tables:
            cur = conn.execute(_QUERIES[table])
            path = out_dir / f"{table}.{fmt}"
            writer(cur, [d[0] for d in cur.description], path)
            written.append(path)
    finally:
        conn.close()
    return written


def _chunks(cur):
    while rows := cur.fetchmany(_CHUNK):
        yield rows


def _csv(cur, columns, path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(columns)
        for rows in _chunks(cur):
            w.writerows(tuple(r) for r in rows)


def _jsonl(cur, columns, path: Path) -> None:
    with path.open("w", encoding="utf-8") as f:
        for rows in _chunks(cur):
            f.writelines(json.dumps(dict(zip(columns, r)), ensure_ascii=False) + "\n" for r in rows)


def _need_pyarrow():
    try:
        import pyarrow  # noqa: F401
    except ImportError as e:
        raise RuntimeError('parquet export needs pyarrow, which is not installed: '
                           'pip install "vnnews-nlp[export]" (or export with --format jsonl '
                           'or csv, which need nothing more)') from e


# column types from the schema, so an all-null chunk does not change a column's type
_INT = {"start", "end", "sentence", "sent_start", "sent_end", "linked", "mention_count",
        "article_count", "count", "rank"}
_REAL = {"value", "range_low", "range_high", "probability"}


def _parquet(cur, columns, path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq
    schema = pa.schema([(c, pa.int64() if c in _INT else pa.float64() if c in _REAL else pa.string())
                        for c in columns])
    with pq.ParquetWriter(path, schema) as w:
        for rows in _chunks(cur):
            cols = list(zip(*rows))
            w.write_table(pa.table([pa.array(col, type=f.type) for col, f in zip(cols, schema)],
                                   schema=schema))
        # an empty table still gets a valid file with its schema (ParquetWriter writes it on close)
