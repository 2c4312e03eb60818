import json
import os
import signal
import subprocess
import sys
import time

from vnnews_nlp.run.batch import run_tag

SEG_ONLY = ()


def _articles(path, n, bad_every=0):
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            if bad_every and i % bad_every == 0:
                fh.write('{"id": "bad-%d", "text": 42}\n' % i)
            else:
                fh.write(json.dumps({"id": f"a{i}", "text": f"Bài số {i}. Hội nghị tổ chức tại Hà Nội ngày 28/12/2019."},
                                    ensure_ascii=False) + "\n")


def _ids(path):
    return [json.loads(line)["id"] for line in open(path, encoding="utf-8")]


def test_bad_records_go_to_errors_and_batch_goes_on(tmp_path):
    src = tmp_path / "in.jsonl"
    _articles(src, 10, bad_every=4)
    out = tmp_path / "out.jsonl"
    summary = run_tag([str(src)], str(out), workers=1, progress=False, components=SEG_ONLY)
    assert (summary.written, summary.failed) == (7, 3)
    assert sorted(_ids(out)) == sorted(f"a{i}" for i in range(10) if i % 4)
    errors = [json.loads(line) for line in open(tmp_path / "out.jsonl.errors.jsonl", encoding="utf-8")]
    assert {e["id"] for e in errors} == {"bad-0", "bad-4", "bad-8"}
    assert all("text" in e["message"] for e in errors)
    assert not (tmp_path / "out.jsonl.part").exists()


def test_rerun_is_idempotent_and_duplicates_are_reported(tmp_path):
    src = tmp_path / "in.jsonl"
    _articles(src, 5)
    with open(src, "a", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "a1", "text": "Trùng mã bài."}, ensure_ascii=False) + "\n")
    out = tmp_path / "out.jsonl"
    first = run_tag([str(src)], str(out), progress=False, components=SEG_ONLY)
    assert (first.written, first.failed) == (5, 1)
    second = run_tag([str(src)], str(out), progress=False, components=SEG_ONLY)
    assert (second.written, second.failed, second.skipped) == (0, 0, 6)
    assert sorted(_ids(out)) == [f"a{i}" for i in range(5)]


def test_workers_keep_order_and_records(tmp_path):
    src = tmp_path / "in.jsonl"
    _articles(src, 40)
    out1, out2 = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    run_tag([str(src)], str(out1), workers=1, progress=False, components=SEG_ONLY)
    run_tag([str(src)], str(out2), workers=2, progress=False, components=SEG_ONLY)
    assert out1.read_text(encoding="utf-8") == out2.read_text(encoding="utf-8")


def test_killed_run_resumes_with_each_id_exactly_once(tmp_path):
    src = tmp_path / "in.jsonl"
    n = 3000
    _articles(src, n, bad_every=97)
    out = tmp_path / "out.jsonl"
    part = tmp_path / "out.jsonl.part"
    cmd = [sys.executable, "-m", "vnnews_nlp.cli.main", "tag", str(src), "-o", str(out), "--no-progress", "--components", ""]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.time() + 120
    while time.time() < deadline and (not part.exists() or part.stat().st_size < 20_000):
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert part.exists() and not out.exists(), "the run should have been killed mid-way"
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert done.returncode == 1  # some input records are bad by design
    ids = _ids(out) + _ids(tmp_path / "out.jsonl.errors.jsonl")
    assert len(ids) == len(set(ids)) == n
