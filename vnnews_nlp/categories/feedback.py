"""Editors' menu choices, kept to train the next model: a small SQLite file.

Each row is one decision on one article: the menu the editor chose, whether it was the first
suggestion (accepted) or another one (corrected), the suggestions shown, the model version that
made them, the article's id, text and text hash, and the time. `export` writes the choices as
training JSONL (`{"id", "text", "labels", "weight", "source"}`) that `vnnews train` reads beside
any other corpus; the latest choice per article wins.
"""
from __future__ import annotations

import hashlib
import json
import sqlite3
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Iterator

SCHEMA = """
CREATE TABLE IF NOT EXISTS choices (
    id INTEGER PRIMARY KEY,
    article_id TEXT NOT NULL,
    text_hash TEXT NOT NULL,
    text TEXT NOT NULL,
    chosen TEXT NOT NULL,
    accepted INTEGER NOT NULL,      -- 1: the first suggestion was right; 0: the editor picked another
    suggested TEXT NOT NULL,        -- JSON list of the codes shown, best first
    model_version TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS choices_article ON choices(text_hash, created_at);
"""
EDITOR_WEIGHT = 3.0  # an editor's decision counts for more than a weak label


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class FeedbackStore:
    """Opens (and creates) the SQLite file; one connection per call, so threads can share it."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as conn:
            conn.executescript(SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=10)
        conn.execute("PRAGMA journal_mode=WAL")
        return conn

    def record(self, article_id: str, text: str, chosen: str, suggested: list[str],
               model_version: str | None = None, codes: Iterable[str] | None = None) -> dict:
        """Store one choice; `codes`: the menus that exist (a choice outside them is refused)."""
        if not text or not text.strip():
            raise ValueError("the article text is empty; send the text the suggestions were made for")
        if codes is not None and chosen not in set(codes):
            raise ValueError(f"unknown menu {chosen!r}; choose one of the taxonomy's codes")
        row = {"article_id": article_id or "unnamed", "text_hash": text_hash(text), "chosen": chosen,
               "accepted": bool(suggested) and suggested[0] == chosen, "model_version": model_version,
               "created_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")}
        with self._connect() as conn:
            cur = conn.execute(
                "INSERT INTO choices(article_id, text_hash, text, chosen, accepted, suggested, "
                "model_version, created_at) VALUES (?,?,?,?,?,?,?,?)",
                (row["article_id"], row["text_hash"], text, chosen, int(row["accepted"]),
                 json.dumps(list(suggested)), model_version, row["created_at"]))
            row["id"] = cur.lastrowid
        return row

    def choices(self) -> list[dict]:
        with self._connect() as conn:
            conn.row_factory = sqlite3.Row
            return [dict(r) for r in conn.execute("SELECT * FROM choices ORDER BY id")]

    def training_records(self) -> Iterator[dict]:
        """The latest choice per article text, as a training record."""
        latest: dict[str, dict] = {}
        for r in self.choices():
            latest[r["text_hash"]] = r
        for r in latest.values():
            yield {"id": f"editor:{r['article_id']}", "text": r["text"], "labels": [r["chosen"]],
                   "weight": EDITOR_WEIGHT, "source": "editor", "accepted": bool(r["accepted"])}

    def export(self, out: str | Path) -> int:
        """Write the training JSONL; returns how many records."""
        n = 0
        with open(out, "w", encoding="utf-8") as f:
            for rec in self.training_records():
                f.write(json.dumps(rec, ensure_ascii=False) + "\n")
                n += 1
        return n
