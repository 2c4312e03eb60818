"""Entity and alias counts: kept by per-batch deltas, or recomputed from the mentions.

A batch records what it added and what it replaced (`Delta`) and applies it inside its own
transaction, so counts, first/last seen and aliases never disagree with the mentions table;
`recompute_entities` derives them from scratch (a repair tool, and what the tests compare with).
"""
from __future__ import annotations

import json
import sqlite3
from functools import lru_cache

from vnnews_nlp.index import keys, store


class Delta:
    """What a batch changes in entity and alias counts, applied in one go before COMMIT."""

    def __init__(self):
        self.aliases: dict[tuple[str, str], int] = {}
        self.mentions: dict[str, int] = {}
        self.articles: dict[str, int] = {}
        self.first: dict[str, str] = {}
        self.last: dict[str, str] = {}
        self.removed_seen: dict[str, set[str]] = {}

    def add(self, pairs, seen: str) -> None:
        ents = set()
        for eid, surface in pairs:
            self.aliases[eid, surface] = self.aliases.get((eid, surface), 0) + 1
            self.mentions[eid] = self.mentions.get(eid, 0) + 1
            ents.add(eid)
        for eid in ents:
            self.articles[eid] = self.articles.get(eid, 0) + 1
            self.first[eid] = min(self.first.get(eid, seen), seen)
            self.last[eid] = max(self.last.get(eid, seen), seen)

    def remove(self, rows, seen: str) -> None:
        ents = set()
        for eid, surface, n in rows:
            self.aliases[eid, surface] = self.aliases.get((eid, surface), 0) - n
            self.mentions[eid] = self.mentions.get(eid, 0) - n
            ents.add(eid)
        for eid in ents:
            self.articles[eid] = self.articles.get(eid, 0) - 1
            self.removed_seen.setdefault(eid, set()).add(seen)

    def apply(self, conn: sqlite3.Connection) -> None:
        if not self.mentions:
            return
        conn.executemany(
            """UPDATE entities SET mention_count = mention_count + ?1, article_count = article_count + ?2,
                   first_seen = CASE WHEN ?3 IS NOT NULL AND (first_seen IS NULL OR ?3 < first_seen)
                                THEN ?3 ELSE first_seen END,
                   last_seen = CASE WHEN ?4 IS NOT NULL AND (last_seen IS NULL OR ?4 > last_seen)
                               THEN ?4 ELSE last_seen END
               WHERE id = ?5""",
            [(self.mentions[e], self.articles.get(e, 0), self.first.get(e), self.last.get(e), e)
             for e in self.mentions])
        conn.executemany(
            "INSERT INTO aliases(entity_id, surface, count, key_exact, key_fold, key_plain) "
            "VALUES (?,?,?,?,?,?) ON CONFLICT(entity_id, surface) DO UPDATE SET count = count + excluded.count",
            [(e, s, n, *_keys(s)) for (e, s), n in self.aliases.items() if n])
        # a removed article may have held an entity's first or last sighting: look again
        reseen = [e for e, seen in self.removed_seen.items()
                  if conn.execute("SELECT 1 FROM entities WHERE id = ? AND (first_seen IN (SELECT value FROM json_each(?)) "
                                  "OR last_seen IN (SELECT value FROM json_each(?)))",
                                  (e, json.dumps(sorted(seen)), json.dumps(sorted(seen)))).fetchone()]
        conn.executemany(
            """UPDATE entities SET (first_seen, last_seen) = (SELECT min(seen), max(seen)
                   FROM mentions WHERE entity_id = ?1) WHERE id = ?1""", [(e,) for e in reseen])
        ids = [(e,) for e in self.mentions]
        conn.executemany("DELETE FROM entities WHERE id = ? AND mention_count <= 0", ids)
        _finish_names(conn, ids)


def _finish_names(conn: sqlite3.Connection, ids: list[tuple[str]]) -> None:
    # an unlinked entity is named by its most frequent surface
    conn.executemany("""UPDATE entities SET name = (SELECT surface FROM aliases WHERE entity_id = ?1
                                                    ORDER BY count DESC, surface LIMIT 1)
                        WHERE id = ?1 AND linked = 0""", ids)
    # surfaces no longer seen go, except the name, which stays searchable even if never written so
    conn.executemany("DELETE FROM aliases WHERE entity_id = ?1 AND count <= 0 AND "
                     "surface != (SELECT name FROM entities WHERE id = ?1)", ids)
    rows = []
    for i in ids:
        found = conn.execute("SELECT id, name FROM entities WHERE id = ?", i).fetchone()
        if found is not None:
            rows.append((found[0], found[1], 0, *_keys(found[1])))
    conn.executemany("INSERT OR IGNORE INTO aliases(entity_id, surface, count, key_exact, key_fold, "
                     "key_plain) VALUES (?,?,?,?,?,?)", rows)


@lru_cache(maxsize=65536)
def _keys(surface: str) -> tuple[str, str, str]:
    return keys.exact_key(surface), keys.fold_key(surface), keys.plain_key(surface)


def _register_keys(conn: sqlite3.Connection) -> None:
    conn.create_function("vn_exact", 1, keys.exact_key, deterministic=True)
    conn.create_function("vn_fold", 1, keys.fold_key, deterministic=True)
    conn.create_function("vn_plain", 1, keys.plain_key, deterministic=True)


def recompute_entities(conn: sqlite3.Connection) -> None:
    """Derive every entity's counts, first/last seen and aliases from the mentions (a repair tool;
    the build keeps them by deltas). Call inside a transaction."""
    for sql in (
        """UPDATE entities SET (mention_count, article_count, first_seen, last_seen) =
             (SELECT count(*), count(DISTINCT m.article), min(a.seen), max(a.seen)
              FROM mentions m JOIN articles a ON a.rowid = m.article WHERE m.entity_id = entities.id)""",
        "DELETE FROM entities WHERE mention_count = 0",
        "DELETE FROM aliases",
        """INSERT INTO aliases(entity_id, surface, count, key_exact, key_fold, key_plain)
           SELECT entity_id, surface, count(*), '', '', '' FROM mentions GROUP BY entity_id, surface""",
    ):
        conn.execute(sql)
    _finish_names(conn, [(e,) for (e,) in conn.execute("SELECT id FROM entities").fetchall()])
    conn.executemany("UPDATE aliases SET key_exact = ?, key_fold = ?, key_plain = ? WHERE entity_id = ? AND surface = ?",
                     [(*_keys(s), e, s) for e, s in conn.execute("SELECT entity_id, surface FROM aliases").fetchall()])


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
