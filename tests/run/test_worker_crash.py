"""Issue 7 ("lose nothing"): a worker process that dies (segfault, out-of-memory kill,
os._exit) must not stop `tag_records(..., workers=N)` or `vnnews tag --workers N`. The pool
is restarted, the article that killed the worker becomes a `worker_crashed` error record,
and every other article comes out exactly once, in input order.

The crash comes from the test hook in vnnews_nlp.run.analyze: a worker process calls os._exit(1) on
the article whose id is in VNNEWS_TEST_CRASH_ON_ID. Segmentation only (components=()) keeps
the tests fast, as in tests/test_batch.py.
"""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from vnnews_nlp.run import pool as api
from vnnews_nlp.cli.main import app
from vnnews_nlp.run.record import ERROR_SCHEMA, SCHEMA

pytestmark = pytest.mark.issue(7)

SEG_ONLY = ()


def _articles(n, prefix="a"):
    # Written for these tests (not taken from any corpus).
    return [{"id": f"{prefix}{i}", "text": f"Bài số {i}. Hội nghị tổ chức tại Hà Nội ngày 28/12/2019."}
            for i in range(n)]


def _crash_on(monkeypatch, art_id):
    monkeypatch.setenv(api.CRASH_HOOK_ENV, art_id)


@pytest.mark.parametrize("culprit", ["a0", "a21", "a39"])  # first chunk, middle, last article
def test_dead_worker_costs_only_its_article(monkeypatch, culprit):
    _crash_on(monkeypatch, culprit)
    arts = _articles(40)
    recs = list(api.tag_records(arts, workers=2, components=SEG_ONLY))
    assert [r["id"] for r in recs] == [a["id"] for a in arts]  # each once, in input order
    for rec in recs:
        if rec["id"] == culprit:
            assert rec["schema"] == ERROR_SCHEMA
            assert set(rec) == {"schema", "id", "source", "error", "message"}  # api.error_record
            assert rec["error"] == "worker_crashed" and rec["source"] == culprit
            assert "exit code 1" in rec["message"] and "vnnews analyze" in rec["message"]
        else:
            assert rec["schema"] == SCHEMA, rec


def test_same_output_as_a_run_without_crash_apart_from_the_culprit(monkeypatch):
    arts = _articles(40)
    clean = list(api.tag_records(arts, workers=2, components=SEG_ONLY))
    _crash_on(monkeypatch, "a5")
    crashed = list(api.tag_records(arts, workers=2, components=SEG_ONLY))
    assert [r for r in crashed if r["id"] != "a5"] == [r for r in clean if r["id"] != "a5"]


def test_restarts_are_bounded_and_innocent_articles_are_not_blamed(monkeypatch):
    # Every article has the hook's id: a machine on which every worker dies.
    _crash_on(monkeypatch, "x")
    arts = [{"id": "x", "text": "Hội nghị tại Đông Hà."}] * 10
    got = []
    with pytest.raises(api.WorkerCrashError, match="died 3 times in a row"):
        for rec in api.tag_records(arts, workers=2, components=SEG_ONLY, max_restarts=2):
            got.append(rec)
    assert got == []  # no article is written off as crashed: a resumed run tries them again


def test_pipeline_that_cannot_load_is_an_error_not_a_crash():
    # A load failure in the worker (here an unknown stage) reaches the caller as itself
    # instead of breaking the pool and being blamed on articles.
    with pytest.raises(Exception) as info:
        list(api.tag_records(_articles(3), workers=2, components=("no_such_stage",)))
    assert not isinstance(info.value, api.WorkerCrashError)
    assert "BrokenProcessPool" not in type(info.value).__name__


def test_cli_run_finishes_with_the_crash_in_the_errors_file(tmp_path, monkeypatch):
    _crash_on(monkeypatch, "a9")
    arts = _articles(30)
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in arts), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    res = CliRunner().invoke(app, ["tag", str(src), "-o", str(out), "--workers", "2",
                                   "--no-progress", "--components", ""])
    assert res.exit_code == 1, res.output  # 1: some records failed
    ids = [json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines()]
    assert ids == [a["id"] for a in arts if a["id"] != "a9"]
    errors = [json.loads(line) for line in
              (tmp_path / "out.jsonl.errors.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(e["id"], e["error"]) for e in errors] == [("a9", "worker_crashed")]
    assert not (tmp_path / "out.jsonl.part").exists()  # the run completed


def test_cli_stops_with_a_clear_message_when_every_worker_dies(tmp_path, monkeypatch):
    import os

    # Workers fork from this process, so they inherit the patched hook: every article kills one.
    monkeypatch.setattr(api, "_crash_hook", lambda item: os._exit(1))
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in _articles(20)), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    res = CliRunner().invoke(app, ["tag", str(src), "-o", str(out), "--workers", "2",
                                   "--no-progress", "--components", ""])
    assert res.exit_code == 1
    assert "died 6 times in a row" in res.output and "resume" in res.output
    assert not isinstance(res.exception, api.WorkerCrashError)  # a message, not a traceback
    assert not out.exists()  # the run did not complete
    # nothing was tagged, so there is nothing to resume from: no empty .part is left (issue 16)
    assert not (tmp_path / "out.jsonl.part").exists()
    assert not (tmp_path / "out.jsonl.errors.jsonl").exists()  # nobody blamed (made on the first error)
