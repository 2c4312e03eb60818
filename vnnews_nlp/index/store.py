"""The index database: one SQLite file in WAL mode, versioned schema.

Every batch of articles is written in one transaction, so a build killed at any point leaves the
file at the last committed batch (WAL makes the commit atomic) and a rerun carries on from there.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path

SCHEMA_VERSION = 3

# `articles.seen` is the published date when known, else the build time: what first/last seen use
# officials' positions (issue 17): in the schema of a new index and added by migration 2
_POSITIONS = """CREATE TABLE positions (
    id INTEGER PRIMARY KEY,
    article INTEGER NOT NULL REFERENCES articles(rowid) ON DELETE CASCADE,
    person_id TEXT NOT NULL,   -- the mention's entity key (as in mentions.entity_id)
    person TEXT NOT NULL,      -- the person's canonical name
    role TEXT NOT NULL,
    org_id TEXT,               -- the body's entity id when the knowledge knows it
    org TEXT,                  -- the body's canonical name
    org_key TEXT,              -- org folded for lookups without diacritics
    qualifiers TEXT,
    seen TEXT NOT NULL         -- the article's date
);
CREATE INDEX positions_org ON positions(org_id, seen DESC);
CREATE INDEX positions_org_key ON positions(org_key, seen DESC);
CREATE INDEX positions_person ON positions(person_id, seen DESC);
CREATE INDEX positions_article ON positions(article);"""

_SCHEMA = """
CREATE TABLE articles (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    title TEXT, url TEXT, published TEXT,
    seen TEXT NOT NULL,
    hash TEXT NOT NULL,
    text TEXT NOT NULL,
    indexed_at TEXT NOT NULL
);
CREATE TABLE entities (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    label TEXT NOT NULL,
    kind TEXT,
    linked INTEGER NOT NULL,
    successor_id TEXT, successor_name TEXT,  -- today's unit, for a place or body renamed or merged
    first_seen TEXT, last_seen TEXT,
    mention_count INTEGER NOT NULL DEFAULT 0,
    article_count INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE aliases (
    entity_id TEXT NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    surface TEXT NOT NULL,
    count INTEGER NOT NULL,
    key_exact TEXT NOT NULL, key_fold TEXT NOT NULL, key_plain TEXT NOT NULL,
    PRIMARY KEY (entity_id, surface)
) WITHOUT ROWID;
CREATE INDEX aliases_exact ON aliases(key_exact);
CREATE INDEX aliases_fold ON aliases(key_fold);
CREATE INDEX aliases_plain ON aliases(key_plain);
CREATE TABLE mentions (
    id INTEGER PRIMARY KEY,
    article INTEGER NOT NULL REFERENCES articles(rowid) ON DELETE CASCADE,
    entity_id TEXT NOT NULL,
    seen TEXT NOT NULL,  -- the article's, copied so an entity's mentions come newest first from the index
    start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    surface TEXT NOT NULL,
    sentence INTEGER, sent_start INTEGER, sent_end INTEGER,
    title TEXT
);
CREATE INDEX mentions_entity ON mentions(entity_id, seen DESC, article DESC, start);
CREATE INDEX mentions_article ON mentions(article);
CREATE TABLE figures (
    id INTEGER PRIMARY KEY,
    article INTEGER NOT NULL REFERENCES articles(rowid) ON DELETE CASCADE,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    text TEXT,
    value_text TEXT, value REAL,
    range_low REAL, range_high REAL,
    unit TEXT, kind TEXT, approx TEXT, change TEXT,
    subject TEXT, subject_key TEXT
);
CREATE INDEX figures_article ON figures(article);
CREATE INDEX figures_unit ON figures(unit);
CREATE TABLE categories (
    article INTEGER NOT NULL REFERENCES articles(rowid) ON DELETE CASCADE,
    code TEXT NOT NULL,
    probability REAL NOT NULL,
    rank INTEGER NOT NULL,
    PRIMARY KEY (article, code)
) WITHOUT ROWID;
CREATE INDEX categories_code ON categories(code, rank);
-- remove_diacritics 0: "ba" must not match "bá"
CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, text, content='articles', content_rowid='rowid',
    tokenize='unicode61 remove_diacritics 0'
);
CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
END;
CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text)
    VALUES ('delete', old.rowid, old.title, old.text);
END;
CREATE TRIGGER articles_au AFTER UPDATE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text)
    VALUES ('delete', old.rowid, old.title, old.text);
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
END;
""" + _POSITIONS

# migrations[v] upgrades a database at version v to v + 1
_MIGRATIONS: dict[int, str] = {
    1: """ALTER TABLE entities ADD COLUMN successor_id TEXT;
ALTER TABLE entities ADD COLUMN successor_name TEXT;""",
    # positions of officials (issue 17); articles indexed before keep none until rebuilt
    2: _POSITIONS,
}

TABLES = ("articles", "entities", "aliases", "mentions", "figures", "categories", "positions")


class IndexSchemaError(RuntimeError):
    """The database cannot be used as an index (wrong file, newer schema)."""


def connect(db_path: str | Path, *, create: bool = True) -> sqlite3.Connection:
    """Open (and create or migrate) the index at `db_path`.

    With `create=False` a missing file is an error instead of a new empty index.
    """
    db_path = Path(db_path)
    if not create and not db_path.exists():
        raise FileNotFoundError(
            f"no index database at {db_path}; build one with `vnnews index build INPUT --db {db_path}`"
        )
    conn = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode=WAL")
    # NORMAL is durable against process kills (WAL is synced at checkpoints); only an OS crash
    # could lose the last batches, which a rerun redoes
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA busy_timeout=10000")
    conn.execute("PRAGMA cache_size=-32768")  # 32 MB of page cache: bounded, whatever the corpus
    _migrate(conn, db_path)
    return conn


def _migrate(conn: sqlite3.Connection, db_path: Path) -> None:
    # the common case, an up-to-date index, takes no write lock (queries run beside a build)
    try:
        if get_meta(conn, "schema_version") == str(SCHEMA_VERSION):
            return
    except sqlite3.OperationalError:  # no meta table yet
        pass
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
        row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if row is None:
            if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'articles'").fetchone():
                raise IndexSchemaError(f"{db_path} has an 'articles' table but no index schema version; "
                                  "is it a vnnews index? Use a new --db path.")
            for stmt in _statements(_SCHEMA):
                conn.execute(stmt)
            set_meta(conn, "schema_version", SCHEMA_VERSION)
        else:
            version = int(row[0])
            if version > SCHEMA_VERSION:
                raise IndexSchemaError(f"{db_path} has index schema {version}, newer than this vnnews "
                                  f"({SCHEMA_VERSION}); upgrade vnnews-nlp to read it.")
            while version < SCHEMA_VERSION:
                for stmt in _statements(_MIGRATIONS[version]):
                    conn.execute(stmt)
                version += 1
                set_meta(conn, "schema_version", version)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _statements(script: str) -> list[str]:
    # split on ";" at line ends while keeping trigger bodies (which contain ";") whole
    out, buf = [], []
    for line in script.splitlines():
        if line.strip().startswith("--") or not line.strip():
            continue
        buf.append(line)
        if line.rstrip().endswith(";") and sqlite3.complete_statement("\n".join(buf)):
            out.append("\n".join(buf))
            buf = []
    return out


def get_meta(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return None if row is None else row[0]


def set_meta(conn: sqlite3.Connection, key: str, value) -> None:
    conn.execute("INSERT INTO meta(key, value) VALUES (?, ?) "
                 "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, str(value)))


def table_counts(conn: sqlite3.Connection) -> dict[str, int]:
    return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
