"""vnnews_nlp.index.store: schema creation, versioning, WAL."""
import sqlite3

import pytest

from vnnews_nlp.index import store


def test_new_index_has_schema_and_wal(tmp_path):
    conn = store.connect(tmp_path / "i.db")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.get_meta(conn, "schema_version") == str(store.SCHEMA_VERSION)
    assert store.table_counts(conn) == {t: 0 for t in store.TABLES}
    conn.close()
    conn = store.connect(tmp_path / "i.db")  # reopening changes nothing
    assert store.get_meta(conn, "schema_version") == str(store.SCHEMA_VERSION)


def test_newer_schema_is_refused(tmp_path):
    conn = store.connect(tmp_path / "i.db")
    store.set_meta(conn, "schema_version", store.SCHEMA_VERSION + 1)
    conn.close()
    with pytest.raises(store.IndexSchemaError, match="upgrade vnnews-nlp"):
        store.connect(tmp_path / "i.db")


def test_foreign_database_is_refused(tmp_path):
    other = sqlite3.connect(tmp_path / "other.db")
    other.execute("CREATE TABLE articles (x)")
    other.commit()
    other.close()
    with pytest.raises(store.IndexSchemaError, match="new --db path"):
        store.connect(tmp_path / "other.db")


def test_migrations_run_in_order(tmp_path, monkeypatch):
    conn = store.connect(tmp_path / "i.db")
    store.set_meta(conn, "schema_version", store.SCHEMA_VERSION - 1)
    conn.close()
    monkeypatch.setitem(store._MIGRATIONS, store.SCHEMA_VERSION - 1,
                        "CREATE TABLE added_by_migration (x INTEGER);")
    conn = store.connect(tmp_path / "i.db")
    assert store.get_meta(conn, "schema_version") == str(store.SCHEMA_VERSION)
    assert conn.execute("SELECT name FROM sqlite_master WHERE name='added_by_migration'").fetchone()


def test_statement_splitter_keeps_triggers_whole():
    stmts = store._statements(store._SCHEMA)
    triggers = [s for s in stmts if s.lstrip().startswith("CREATE TRIGGER")]
    assert len(triggers) == 3 and all(s.rstrip().endswith("END;") for s in triggers)
    assert all(sqlite3.complete_statement(s) for s in stmts)


def test_opening_an_index_during_a_write_needs_no_lock(tmp_path):
    writer = store.connect(tmp_path / "i.db")
    writer.execute("BEGIN IMMEDIATE")  # a build in the middle of a batch
    writer.execute("INSERT INTO meta(key, value) VALUES ('x', 'y')")
    reader = store.connect(tmp_path / "i.db", create=False)  # would wait, then fail, if it locked
    assert reader.execute("SELECT count(*) FROM articles").fetchone()[0] == 0
    writer.execute("ROLLBACK")


@pytest.mark.issue(13)
def test_a_version_1_index_gains_the_successor_columns(tmp_path):
    conn = store.connect(tmp_path / "i.db")
    conn.execute("ALTER TABLE entities DROP COLUMN successor_id")
    conn.execute("ALTER TABLE entities DROP COLUMN successor_name")
    conn.execute("DROP TABLE positions")
    store.set_meta(conn, "schema_version", 1)
    conn.commit()
    conn.close()
    conn = store.connect(tmp_path / "i.db")
    cols = {r[1] for r in conn.execute("PRAGMA table_info(entities)")}
    assert {"successor_id", "successor_name"} <= cols
    assert conn.execute("SELECT name FROM sqlite_master WHERE name = 'positions'").fetchone()  # issue 17
    assert store.get_meta(conn, "schema_version") == str(store.SCHEMA_VERSION)
