"""Lookups on an index database (a path or an open connection from `store.connect`)."""
from __future__ import annotations

import sqlite3
import unicodedata
import warnings
from contextlib import contextmanager
from pathlib import Path

from vnnews_nlp.index import keys, store

# how a name matched, best first
MATCHES = ("exact", "folded", "plain", "prefix")


@contextmanager
def _db(db):
    if isinstance(db, sqlite3.Connection):
        yield db
        return
    conn = store.connect(db, create=False)
    try:
        if store.get_meta(conn, "keys_version") not in (None, keys.KEYS_VERSION):
            warnings.warn(f"{db} was built with other name-key functions; rerun "
                          f"`vnnews index build --db {db}` to refresh its search keys", stacklevel=3)
        yield conn
    finally:
        conn.close()


def _rows(cur) -> list[dict]:
    return [dict(r) for r in cur.fetchall()]


def find_entities(db, name: str, limit: int = 10, *, label: str | None = None) -> list[dict]:
    """Entities whose name or any alias matches `name`, ranked exact > folded > plain > prefix.

    "Quang Tri", "Quảng Trị" (any tone placement) and "quảng trị" all find the same entity; ties
    are broken by mention count.
    """
    exact, fold, plain = keys.exact_key(name), keys.fold_key(name), keys.plain_key(name)
    if not plain and not exact:
        return []
    # the upper bound of a prefix range on the plain key (keeps the index usable, unlike LIKE)
    sql = """
    WITH hits(entity_id, surface, rank) AS (
        SELECT entity_id, surface, 0 FROM aliases WHERE key_exact = :exact
        UNION ALL SELECT entity_id, surface, 1 FROM aliases WHERE key_fold = :fold
        UNION ALL SELECT entity_id, surface, 2 FROM aliases WHERE key_plain = :plain
        UNION ALL SELECT entity_id, surface, 3 FROM aliases
            WHERE key_plain >= :plain AND key_plain < :plain || char(1114111) AND :plain != ''
    ), best AS (
        SELECT entity_id, min(rank) AS rank FROM hits GROUP BY entity_id
    )
    SELECT e.id, e.name, e.label, e.kind, e.mention_count, e.article_count, e.first_seen,
           e.last_seen, e.successor_id, e.successor_name, best.rank,
           (SELECT h.surface FROM hits h WHERE h.entity_id = e.id AND h.rank = best.rank LIMIT 1)
               AS matched
    FROM best JOIN entities e ON e.id = best.entity_id
    WHERE :label IS NULL OR e.label = :label
    ORDER BY best.rank, e.mention_count DESC, e.id
    LIMIT :limit
    """
    with _db(db) as conn:
        rows = _rows(conn.execute(sql, dict(exact=exact, fold=fold, plain=plain, label=label,
                                            limit=limit)))
    for r in rows:
        r["match"] = MATCHES[r.pop("rank")]
    return rows


def entity(db, entity_id: str) -> dict | None:
    with _db(db) as conn:
        row = conn.execute("SELECT * FROM entities WHERE id = ?", (entity_id,)).fetchone()
        if row is None:
            return None
        out = dict(row)
        out["aliases"] = _rows(conn.execute(
            "SELECT surface, count FROM aliases WHERE entity_id = ? ORDER BY count DESC, surface",
            (entity_id,)))
    return out


def mentions(db, entity_id: str, limit: int | None = 100, offset: int = 0) -> list[dict]:
    """The entity's mentions, newest article first, each with its sentence."""
    sql = """
    SELECT a.id AS article_id, a.title AS article_title, a.published, m.start, m."end",
           m.surface, m.title, m.sentence,
           substr(a.text, m.sent_start + 1, m.sent_end - m.sent_start) AS sentence_text
    FROM mentions m JOIN articles a ON a.rowid = m.article
    WHERE m.entity_id = ?
    ORDER BY m.seen DESC, m.article DESC, m.start
    LIMIT ? OFFSET ?
    """
    with _db(db) as conn:
        return _rows(conn.execute(sql, (entity_id, -1 if limit is None else limit, offset)))


def articles_for(db, entity_id: str, limit: int | None = 100) -> list[dict]:
    """Articles mentioning the entity, with how often, newest first."""
    # grouped in the order of the mentions index, so the newest articles come without a sort
    sql = """
    SELECT a.id, a.title, a.url, a.published, g.mentions
    FROM (SELECT article, seen, count(*) AS mentions FROM mentions WHERE entity_id = ?
          GROUP BY seen, article ORDER BY seen DESC, article DESC LIMIT ?) g
    JOIN articles a ON a.rowid = g.article
    ORDER BY g.seen DESC, g.article DESC
    """
    with _db(db) as conn:
        return _rows(conn.execute(sql, (entity_id, -1 if limit is None else limit)))


def cooccurring(db, entity_id: str, label: str | None = None, kind: str | None = None,
                limit: int = 20) -> list[dict]:
    """Entities appearing in the same articles, by number of shared articles.

    `cooccurring(db, ministry_id, label="LOC", kind="province")`: the provinces reported with a
    ministry.
    """
    sql = """
    SELECT e.id, e.name, e.label, e.kind, count(DISTINCT m2.article) AS articles
    FROM (SELECT DISTINCT article FROM mentions WHERE entity_id = :id) a
    JOIN mentions m2 ON m2.article = a.article
    JOIN entities e ON e.id = m2.entity_id
    WHERE m2.entity_id != :id AND (:label IS NULL OR e.label = :label)
          AND (:kind IS NULL OR e.kind = :kind)
    GROUP BY e.id ORDER BY articles DESC, e.mention_count DESC, e.id LIMIT :limit
    """
    with _db(db) as conn:
        return _rows(conn.execute(sql, dict(id=entity_id, label=label, kind=kind, limit=limit)))


def figures(db, subject: str | None = None, unit: str | None = None, kind: str | None = None,
            limit: int | None = 100) -> list[dict]:
    """Figures whose subject contains the words of `subject` (accent-insensitive), by unit and/or kind.

    `unit` is the stored unit or one of its usual names (`figures.component.normalize_unit`):
    "đồng", "VNĐ", "đ" and "tỷ đồng" find "VND"; "đô la" finds "USD"; "phần trăm" finds "%".
    """
    where, args = [], []
    if subject:
        # whole words: "gia" must not match "giáo"
        where.append("(' ' || f.subject_key || ' ') LIKE ? ESCAPE '\\'")
        key = keys.plain_key(subject).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        args.append(f"% {key} %")
    if unit:
        # "đồng", "VNĐ", "tỷ đồng" all mean the stored "VND" (and older records' "đồng")
        from vnnews_nlp.figures.component import unit_names

        names = unit_names(unit)
        where.append(f"f.unit IN ({', '.join('?' * len(names))})")
        args.extend(names)
    if kind:
        where.append("f.kind = ?")
        args.append(kind)
    sql = f"""
    SELECT a.id AS article_id, a.title AS article_title, a.published, f.start, f."end", f.text,
           f.value_text, f.value, f.range_low, f.range_high, f.unit, f.kind, f.approx, f.change,
           f.subject
    FROM figures f JOIN articles a ON a.rowid = f.article
    {'WHERE ' + ' AND '.join(where) if where else ''}
    ORDER BY a.seen DESC, a.rowid DESC, f.start LIMIT ?
    """
    with _db(db) as conn:
        return _rows(conn.execute(sql, (*args, -1 if limit is None else limit)))


def search_text(db, fts_query: str, limit: int = 20) -> list[dict]:
    """Full-text search (FTS5 syntax) over titles and texts; diacritics are significant."""
    sql = """
    SELECT a.id, a.title, a.published,
           snippet(articles_fts, 1, '[', ']', '…', 12) AS snippet, bm25(articles_fts) AS score
    FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid
    WHERE articles_fts MATCH ? ORDER BY score LIMIT ?
    """
    with _db(db) as conn:
        try:
            return _rows(conn.execute(sql, (unicodedata.normalize("NFC", fts_query), limit)))
        except sqlite3.OperationalError as e:
            raise ValueError(f"bad full-text query {fts_query!r}: {e}; see "
                             "https://sqlite.org/fts5.html#full_text_query_syntax "
                             '(quote phrases: \'"Quảng Trị"\')') from e


def stats(db) -> dict:
    with _db(db) as conn:
        return store.table_counts(conn)


def officials(db, org: str, at: str | None = None, limit: int = 50, evidence: int = 3) -> list[dict]:
    """Who held which role in an organisation, newest evidence first: one row per (person, role,
    body) with first and last seen dates and up to `evidence` article ids. `org`: a name as
    written, with or without diacritics (matched like `find_entities`, and against the bodies
    positions name without an id); `at`: only articles up to that date (ISO), so the first row
    is the latest known holder at that date."""
    with _db(db) as conn:
        ids = [e["id"] for e in find_entities(conn, org, limit=20) if e["label"] in ("ORG", "LOC")] + [org]
        plain = keys.plain_key(org)
        where = ["(org_id IN ({}) OR org_key = ?)".format(",".join("?" * len(ids)) or "NULL")]
        params: list = [*ids, plain]
        if at:
            where.append("seen <= ?")
            params.append(at)
        sql = f"""
        SELECT person_id, person, role, org_id, org, min(seen) AS first_seen, max(seen) AS last_seen,
               count(DISTINCT article) AS articles, group_concat(DISTINCT article) AS article_rows
        FROM positions WHERE {' AND '.join(where)}
        GROUP BY person_id, role, coalesce(org_id, org)
        ORDER BY last_seen DESC, articles DESC, person LIMIT ?"""
        rows = _rows(conn.execute(sql, (*params, limit)))
        return _with_evidence(conn, rows, evidence)


def person_positions(db, name: str, limit: int = 50, evidence: int = 3) -> list[dict]:
    """One person's positions over time (the best-matching person of that name)."""
    with _db(db) as conn:
        found = [e for e in find_entities(conn, name, limit=10, label="PER")]
        if not found:
            return []
        sql = """
        SELECT person_id, person, role, org_id, org, min(seen) AS first_seen, max(seen) AS last_seen,
               count(DISTINCT article) AS articles, group_concat(DISTINCT article) AS article_rows
        FROM positions WHERE person_id = ?
        GROUP BY role, coalesce(org_id, org) ORDER BY last_seen DESC, articles DESC LIMIT ?"""
        rows = _rows(conn.execute(sql, (found[0]["id"], limit)))
        return _with_evidence(conn, rows, evidence)


def _with_evidence(conn, rows: list[dict], evidence: int) -> list[dict]:
    for r in rows:
        article_rows = [int(x) for x in (r.pop("article_rows") or "").split(",") if x][:evidence]
        r["evidence"] = [a for (a,) in conn.execute(
            f"SELECT id FROM articles WHERE rowid IN ({','.join('?' * len(article_rows))}) "
            "ORDER BY seen DESC", article_rows)] if article_rows else []
    return rows
