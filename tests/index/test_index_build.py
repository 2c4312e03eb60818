"""vnnews_nlp.index.build: idempotent, incremental, crash-safe builds."""
import copy
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from vnnews_nlp.index import build, counts, query, store

sys.path.insert(0, str(Path(__file__).parents[1] / "fixtures"))
import index_make as fx  # noqa: E402

REPO = Path(__file__).resolve().parents[1]


def _records_file(tmp_path, records, name="in.jsonl"):
    path = tmp_path / name
    fx.write_jsonl(path, records)
    return path


def test_build_twice_changes_nothing(tmp_path):
    src = _records_file(tmp_path, fx.small_records() + list(fx.synthetic_records(300)))
    db = tmp_path / "i.db"
    first = build.build_index([src], db, progress=False, batch_size=50)
    before = fx.dump(db)
    second = build.build_index([src], db, progress=False, batch_size=50)
    assert (first.added, second.added, second.updated, second.unchanged) == (303, 0, 0, 303)
    assert fx.dump(db) == before
    fx.check_consistent(db)


def test_changed_article_replaces_its_mentions(tmp_path):
    records = fx.small_records()
    db = tmp_path / "i.db"
    build.build_index([_records_file(tmp_path, records)], db, progress=False)
    changed = copy.deepcopy(records)
    changed[0] = fx.make_record("qt-01", [
        f"[[Quảng Trị|LOC|province|{fx.QT}]] khai trương trung tâm điều hành thông minh.",
        "Trung tâm kết nối {{45 sở, ngành|45|sở|count|đơn vị kết nối}}.",
    ], title="Quảng Trị khai trương trung tâm", published="2024-02-01")
    stats = build.build_index([_records_file(tmp_path, changed, "v2.jsonl")], db, progress=False)
    assert (stats.updated, stats.unchanged, stats.added) == (1, 2, 0)
    fx.check_consistent(db)
    bo = query.entity(db, "org:bo-tttt")
    assert bo["mention_count"] == 1 and bo["first_seen"] == "2024-01-05"
    assert [a["surface"] for a in bo["aliases"]] == ["Bộ Thông tin và Truyền thông"]
    assert query.find_entities(db, "Nguyễn Mạnh Hùng") == []  # its only mention went
    qt = query.entity(db, "loc:quang-tri")
    assert (qt["first_seen"], qt["last_seen"]) == ("2024-01-05", "2024-02-01")
    assert {f["subject"] for f in query.figures(db) if f["article_id"] == "qt-01"} == {"đơn vị kết nối"}
    assert [r["id"] for r in query.search_text(db, "khai trương")] == ["qt-01"]
    assert query.search_text(db, "BTS") == []
    # the same state as building the new versions from scratch
    fresh = tmp_path / "fresh.db"
    build.build_index([tmp_path / "v2.jsonl"], fresh, progress=False)
    assert _without_seen(fx.dump(db)) == _without_seen(fx.dump(fresh))


def _without_seen(d):
    # ha-03 has no published date: its first/last seen is the build time, which differs
    d = dict(d)
    d["entities"] = [e for e in d["entities"] if not e[0].startswith("u:")]
    return d


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, 11), st.integers(0, 3)), min_size=1, max_size=30),
       st.integers(1, 7))
def test_deltas_equal_a_fresh_build(tmp_path_factory, edits, batch_size):
    """Any sequence of added and re-added (changed) articles ends where a fresh build would."""
    tmp = tmp_path_factory.mktemp("d")
    variants = {(i, v): r for v in range(4)
                for i, r in enumerate(fx.synthetic_records(12, seed=v, long=v))}
    db = tmp / "i.db"
    final = {}
    for k, chunk in enumerate(range(0, len(edits), 5)):
        recs = [variants[e] for e in edits[chunk:chunk + 5]]
        final.update((r["id"], r) for r in recs)
        build.build_index([_records_file(tmp, recs, f"b{k}.jsonl")], db, progress=False,
                          batch_size=batch_size)
        fx.check_consistent(db)
    fresh = tmp / "fresh.db"
    build.build_index([_records_file(tmp, list(final.values()), "final.jsonl")], fresh, progress=False)
    assert fx.dump(db) == fx.dump(fresh)


def test_recompute_entities_agrees_with_deltas(tmp_path):
    db = tmp_path / "i.db"
    build.build_index([_records_file(tmp_path, fx.small_records() + list(fx.synthetic_records(80)))],
                      db, progress=False, batch_size=7)
    before = fx.dump(db)
    conn = store.connect(db)
    conn.execute("BEGIN")
    counts.recompute_entities(conn)
    conn.execute("COMMIT")
    conn.close()
    assert fx.dump(db) == before


def test_bad_lines_are_counted_not_fatal(tmp_path):
    good = fx.small_records()
    lines = [json.dumps(good[0], ensure_ascii=False), "{not json",
             json.dumps({"schema": "vnnews-error/1", "id": "x", "source": "x", "error": "e", "message": "m"}),
             json.dumps({"schema": "vnnews-record/1", "id": "no-text"}),
             json.dumps(good[1], ensure_ascii=False)]
    src = tmp_path / "mixed.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    stats = build.build_index([src], tmp_path / "i.db", progress=False)
    assert (stats.read, stats.added, stats.failed) == (5, 2, 3)
    assert {e["error"] for e in stats.errors} == {"invalid JSON", "e", "bad record"}


def test_gzip_input_and_detection(tmp_path):
    import gzip
    src = tmp_path / "in.jsonl.gz"
    with gzip.open(src, "wt", encoding="utf-8") as f:
        for r in fx.small_records():
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    assert build.is_tagged(src)
    assert build.build_index([src], tmp_path / "i.db", progress=False).added == 3


def test_missing_input_says_so(tmp_path):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        build.build_index([tmp_path / "nope.jsonl"], tmp_path / "i.db", progress=False)


# ---- interrupted builds: a real process, really killed ------------------------------------------

_CHILD = """
import sys
sys.path.insert(0, {repo!r})
from vnnews_nlp.index import build, counts
{patch}
build.build_index([{src!r}], {db!r}, progress=False, batch_size={batch})
"""

# dies inside the third batch's transaction: rows written, counts applied, COMMIT never reached
_DIE_IN_BATCH_3 = """
import os, signal
_apply, calls = counts.Delta.apply, []
def apply(self, conn):
    calls.append(1)
    _apply(self, conn)
    if len(calls) == 3:
        os.kill(os.getpid(), signal.SIGKILL)
counts.Delta.apply = apply
"""


def _run_child(src, db, batch, patch=""):
    code = _CHILD.format(repo=str(REPO), src=str(src), db=str(db), batch=batch, patch=patch)
    return subprocess.Popen([sys.executable, "-c", code], stderr=subprocess.PIPE)


def _articles(db):
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.OperationalError:  # not created yet
        return 0


def _resume_and_check(src, db, n, tmp_path):
    stats = build.build_index([src], db, progress=False, batch_size=100)
    fx.check_consistent(db)
    conn = sqlite3.connect(db)
    ids = [r[0] for r in conn.execute("SELECT id FROM articles")]
    conn.close()
    assert len(ids) == n == len(set(ids))
    fresh = tmp_path / "fresh.db"
    build.build_index([src], fresh, progress=False, batch_size=100)
    assert fx.dump(db) == fx.dump(fresh)
    return stats


@pytest.mark.slow
def test_kill_inside_a_transaction_then_resume(tmp_path):
    n = 1000
    src = _records_file(tmp_path, fx.synthetic_records(n, seed=3))
    db = tmp_path / "i.db"
    child = _run_child(src, db, batch=100, patch=_DIE_IN_BATCH_3)
    child.wait(timeout=120)
    assert child.returncode == -signal.SIGKILL
    assert _articles(db) == 200  # the two committed batches, nothing of the third
    fx.check_consistent(db)
    stats = _resume_and_check(src, db, n, tmp_path)
    assert (stats.unchanged, stats.added) == (200, n - 200)


@pytest.mark.slow
def test_sigkill_at_a_random_moment_then_resume(tmp_path):
    n = 3000
    src = _records_file(tmp_path, fx.synthetic_records(n, seed=4))
    db = tmp_path / "i.db"
    child = _run_child(src, db, batch=100)
    deadline = time.time() + 120
    while _articles(db) < 300 and child.poll() is None and time.time() < deadline:
        time.sleep(0.005)
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    done = _articles(db)
    assert 0 < done < n, f"the child was not killed mid-way ({done} of {n} articles)"
    fx.check_consistent(db)
    stats = _resume_and_check(src, db, n, tmp_path)
    assert stats.unchanged == done and stats.added == n - done


# ---- raw articles go through vnnews_nlp.run.pool, and are skipped before tagging when unchanged ------

class _FakeApi:
    """Stands in for the pipeline: turns an article into a record with one entity per capitalised
    word pair, and counts what it was asked to tag."""

    def __init__(self):
        self.tagged = []

    def tag_records(self, articles, workers=1):
        for a in articles:
            self.tagged.append(a["id"])
            if "hỏng" in a["text"]:
                yield {"schema": "vnnews-error/1", "id": a["id"], "source": a["id"],
                       "error": "processing_failed", "message": "test failure"}
                continue
            yield fx.make_record(a["id"], [f"[[Quảng Trị|LOC|province|{fx.QT}]] " + a["text"]],
                                 title=a.get("title"), published="2024-03-0" + a["id"][-1])


def test_raw_articles_are_tagged_once(tmp_path, monkeypatch):
    pytest.importorskip("vnnews_nlp.text.article")
    fake = _FakeApi()
    import vnnews_nlp.run
    monkeypatch.setitem(sys.modules, "vnnews_nlp.run.pool", fake)
    monkeypatch.setattr(vnnews_nlp.run, "pool", fake, raising=False)
    arts = [{"id": "a1", "text": "mở rộng vùng phủ sóng 5G."},
            {"id": "a2", "text": "tổ chức hội nghị chuyển đổi số."},
            {"id": "a3", "text": "bản tin hỏng."}]
    src = tmp_path / "raw.jsonl"
    src.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in arts), encoding="utf-8")
    db = tmp_path / "i.db"
    assert not build.is_tagged(src)
    first = build.build_index([src], db, progress=False)
    assert (first.added, first.failed, sorted(fake.tagged)) == (2, 1, ["a1", "a2", "a3"])
    arts[1]["text"] = "tổ chức hội nghị về chính quyền số."
    src.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in arts), encoding="utf-8")
    fake.tagged.clear()
    second = build.build_index([src], db, progress=False)
    # a1 unchanged: not tagged again; a3 failed before, so it is retried
    assert sorted(fake.tagged) == ["a2", "a3"]
    assert (second.unchanged, second.updated) == (1, 1)
    assert query.entity(db, "loc:quang-tri")["article_count"] == 2
    fx.check_consistent(db)


def test_last_version_in_a_batch_wins(tmp_path):
    """v1 indexed; then a batch holding v0 then v1 of the same article must end at v1."""
    v0, v1 = (next(fx.synthetic_records(1, seed=s)) for s in (0, 1))
    db = tmp_path / "i.db"
    build.build_index([_records_file(tmp_path, [v1], "a.jsonl")], db, progress=False)
    build.build_index([_records_file(tmp_path, [v0, v1], "b.jsonl")], db, progress=False)
    fresh = tmp_path / "fresh.db"
    build.build_index([tmp_path / "a.jsonl"], fresh, progress=False)
    assert fx.dump(db) == fx.dump(fresh)


@pytest.mark.issue(13)
def test_entities_keep_todays_successor(tmp_path):
    rec = fx.make_record("ht-01", ["[[UBND tỉnh Hà Tây|ORG|peoples_committee|org:ubnd-tinh-ha-tay|Ủy ban nhân dân tỉnh Hà Tây]] họp."])
    rec["entities"][0]["successor"] = {"id": "org:ubnd-thanh-pho-ha-noi", "name": "Ủy ban nhân dân thành phố Hà Nội"}
    old = fx.make_record("old-01", ["[[Bộ Y tế|ORG|ministry|org:bo-y-te|Bộ Y tế]] họp."])
    old["schema"] = "vnnews-record/1"  # records written before the successor field still index
    db = tmp_path / "i.db"
    build.build_index([_records_file(tmp_path, [rec, old])], db, progress=False)
    conn = sqlite3.connect(db)
    rows = dict((r[0], r[1:]) for r in conn.execute("SELECT id, successor_id, successor_name FROM entities"))
    assert rows["org:ubnd-tinh-ha-tay"] == ("org:ubnd-thanh-pho-ha-noi", "Ủy ban nhân dân thành phố Hà Nội")
    assert rows["org:bo-y-te"] == (None, None)


@pytest.mark.issue(13)
def test_entity_search_shows_the_successor(tmp_path):
    rec = fx.make_record("ht-02", ["[[UBND tỉnh Hà Tây|ORG|peoples_committee|org:ubnd-tinh-ha-tay|Ủy ban nhân dân tỉnh Hà Tây]] họp."])
    rec["entities"][0]["successor"] = {"id": "org:ubnd-thanh-pho-ha-noi", "name": "Ủy ban nhân dân thành phố Hà Nội"}
    db = tmp_path / "i.db"
    build.build_index([_records_file(tmp_path, [rec])], db, progress=False)
    (hit,) = query.find_entities(db, "UBND tỉnh Hà Tây")
    assert (hit["successor_id"], hit["successor_name"]) == ("org:ubnd-thanh-pho-ha-noi", "Ủy ban nhân dân thành phố Hà Nội")
