"""vnnews_nlp.index.export: parquet, CSV and JSONL files of every table."""
import builtins
import csv
import json
import sys
from pathlib import Path

import pytest

from vnnews_nlp.index import build, export, store

sys.path.insert(0, str(Path(__file__).parents[1] / "fixtures"))
import index_make as fx  # noqa: E402


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("e")
    fx.write_jsonl(tmp / "in.jsonl", fx.small_records())
    build.build_index([tmp / "in.jsonl"], tmp / "i.db", progress=False)
    return tmp / "i.db"


def _counts(db):
    conn = store.connect(db, create=False)
    try:
        return store.table_counts(conn)
    finally:
        conn.close()


def test_jsonl_and_csv_hold_every_row(db, tmp_path):
    counts = _counts(db)
    export.export_index(db, tmp_path / "j", "jsonl")
    export.export_index(db, tmp_path / "c", "csv")
    for table, n in counts.items():
        rows = [json.loads(l) for l in (tmp_path / "j" / f"{table}.jsonl").open(encoding="utf-8")]
        with (tmp_path / "c" / f"{table}.csv").open(encoding="utf-8", newline="") as f:
            crow = list(csv.DictReader(f))
        assert len(rows) == len(crow) == n
    mention = next(r for r in (json.loads(l) for l in (tmp_path / "j" / "mentions.jsonl").open(encoding="utf-8"))
                   if r["entity_id"] == "per:nguyen-manh-hung")
    assert (mention["article_id"], mention["title"]) == ("qt-01", "Bộ trưởng")


def test_parquet_types_and_values(db, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    export.export_index(db, tmp_path, "parquet")
    figs = pq.read_table(tmp_path / "figures.parquet")
    assert str(figs.schema.field("value").type) == "double"
    assert sorted(figs.column("value").to_pylist()) == [78.5, 96.0, 1250.0, 12e9]
    ents = pq.read_table(tmp_path / "entities.parquet").to_pylist()
    assert {e["id"]: e["mention_count"] for e in ents}["org:bo-tttt"] == 2
    for table, n in _counts(db).items():
        assert pq.read_table(tmp_path / f"{table}.parquet").num_rows == n


def test_missing_pyarrow_gives_install_hint(db, tmp_path, monkeypatch):
    real_import = builtins.__import__

    def no_pyarrow(name, *a, **k):
        if name.startswith("pyarrow"):
            raise ImportError("no pyarrow")
        return real_import(name, *a, **k)

    monkeypatch.setattr(builtins, "__import__", no_pyarrow)
    with pytest.raises(RuntimeError, match=r"vnnews-nlp\[export\]"):
        export.export_index(db, tmp_path, "parquet")


def test_unknown_format(db, tmp_path):
    with pytest.raises(ValueError, match="parquet, csv, jsonl"):
        export.export_index(db, tmp_path, "xlsx")
