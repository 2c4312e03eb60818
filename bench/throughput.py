"""Throughput of `vnnews tag` (the full pipeline) against the underthesea baseline -> docs/throughput.md.

    python bench/throughput.py                      # N=500 articles, workers 1 and 2, baseline on 60
    python bench/throughput.py --n 200 --baseline-n 30 --workers 1,2 --no-write

Articles are a seeded random sample of ../shared/data/vntc/test.jsonl.gz (the file is sorted by
topic, so its head would be one topic only). Each worker count runs in a fresh child process so
that peak memory is measured per configuration: the child loads the pipeline and warms it up
on a few articles outside the timed part, then times `api.tag_records(..., workers=W)`. With
W >= 2 the pool is forked from the warmed child (Linux default), so the timed part includes
starting the pool but not loading models. Peak RSS per worker is VmHWM of the child itself
(W = 1) or `getrusage(RUSAGE_CHILDREN).ru_maxrss` (the largest pool process, W >= 2).

The baseline is underthesea's `sent_tokenize`, then `word_tokenize` and `ner` per sentence, on
the first `--baseline-n` articles of the same sample, in the same run. Reads ../shared by
path; copies no text into the repo.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from vnnews_nlp.paths import shared_dir  # noqa: E402

TEST = shared_dir() / "data" / "vntc" / "test.jsonl.gz"
DOC = ROOT / "docs" / "throughput.md"
SEED = 7
WARM = 5  # articles run before timing so lazy models are loaded


def sample(n: int, seed: int = SEED) -> list[dict]:
    with gzip.open(TEST, "rb") as fh:
        lines = fh.readlines()
    order = list(range(len(lines)))
    random.Random(seed).shuffle(order)  # a prefix of one fixed order: smaller samples are heads
    picked = order[: n + WARM]
    return [{"id": r["id"], "text": r["text"]} for r in map(json.loads, (lines[i] for i in picked))]


def vm_hwm_mib(pid: int | str = "self") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds() -> float:
    """User + system time of this process and of its reaped children (pool workers)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def child(workers: int, n: int) -> dict:
    """One timed configuration (runs in its own process); prints a JSON result line."""
    from vnnews_nlp.run import pool as api
    from vnnews_nlp.text.article import validate
    from vnnews_nlp.pipeline import load

    arts = [validate(a, a["id"]) for a in sample(n)]
    warm, arts = arts[:WARM], arts[WARM:]
    t0 = time.perf_counter()
    load()
    list(api.tag_records(warm, workers=1))
    load_s = time.perf_counter() - t0
    rss_loaded = vm_hwm_mib()
    cpu0 = cpu_seconds()
    t0 = time.perf_counter()
    first = None
    failed = []
    for rec in api.tag_records(arts, workers=workers):
        first = first or time.perf_counter()
        if rec.get("schema") != "vnnews-record/2":
            failed.append(f"{rec['id']}: {rec['error']}: {rec['message'][:300]}")
    wall = time.perf_counter() - t0
    cpu = cpu_seconds() - cpu0  # the pool is shut down (workers reaped) when the loop ends
    if workers <= 1:
        worker_rss = vm_hwm_mib()
    else:
        worker_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    chars = sum(len(a["text"]) for a in arts)
    return {"workers": workers, "n": len(arts), "chars": chars, "wall": wall, "cpu": cpu, "failed": failed,
            "first_record_s": (first or t0) - t0, "load_s": load_s, "parent_rss_after_load": rss_loaded,
            "worker_rss": worker_rss, "loadavg": os.getloadavg()}


def profile(n: int, top: int = 30) -> str:
    """Time per stage (make_doc and its cheap parts, each component, the record) on n articles
    in this process, then a second pass under cProfile: a markdown report."""
    import cProfile
    import io
    import pstats

    from vnnews_nlp.run import pool as api
    from vnnews_nlp.text.article import validate
    from vnnews_nlp.text.normalize import normalize
    from vnnews_nlp.pipeline import load
    from vnnews_nlp.run.record import doc_to_record

    nlp = load()
    arts = [validate(a, a["id"]) for a in sample(n)]
    list(api.tag_records(arts[:WARM]))
    arts = arts[WARM:]
    cost: dict[str, float] = {}

    def timed(name, fn, *args):
        t = time.perf_counter()
        out = fn(*args)
        cost[name] = cost.get(name, 0.0) + time.perf_counter() - t
        return out

    def run_all():
        for art in arts:
            doc = timed("make_doc: portal cleaning, normalize, atoms, segmentation, Doc", api.make_doc, nlp, art)
            for name, proc in nlp.pipeline:
                doc = timed(name, proc, doc)
            doc._.pipe_names = tuple(nlp.pipe_names)
            timed("doc_to_record", doc_to_record, doc)

    for art in arts:  # the cheap parts of make_doc on their own
        prep = timed("  of which prepare (portal cleaning, title)", api.prepare, art)
        timed("  of which normalize", normalize, prep.body)
    run_all()  # stage times without the profiler's overhead
    part = {k: v for k, v in cost.items() if k.startswith("  ")}
    whole = {k: v for k, v in cost.items() if not k.startswith("  ")}
    total = sum(whole.values())
    chars = sum(len(a["text"]) for a in arts)
    lines = [f"{len(arts)} articles, {chars:,} characters, {total:.1f} s in the pipeline "
             f"({len(arts) / total:.1f} articles/s, {chars / total:,.0f} characters/s, one process).", "",
             "| stage | seconds | share | characters/s |", "|---|---:|---:|---:|"]
    for name, v in list(whole.items())[:1] + list(part.items()) + list(whole.items())[1:]:
        lines.append(f"| {name} | {v:.2f} | {v / total:.0%} | {chars / v:,.0f} |")
    prof = cProfile.Profile()
    prof.enable()
    run_all()
    prof.disable()
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("tottime").print_stats(top)
    body = buf.getvalue()
    body = body[body.index("ncalls"):] if "ncalls" in body else body
    lines += ["", "cProfile (a second pass), top functions by own time:", "", "```", body.rstrip().replace(str(ROOT) + "/", ""), "```"]
    return "\n".join(lines)


def baseline(n: int) -> dict:
    import underthesea

    arts = sample(n)
    warm, arts = arts[:WARM], arts[WARM:]
    for s in underthesea.sent_tokenize(warm[0]["text"])[:3]:  # load models untimed
        underthesea.word_tokenize(s)
        underthesea.ner(s)
    cpu0 = cpu_seconds()
    t0 = time.perf_counter()
    sents = 0
    for a in arts:
        for s in underthesea.sent_tokenize(a["text"]):
            underthesea.word_tokenize(s)
            underthesea.ner(s)
            sents += 1
    wall = time.perf_counter() - t0
    return {"n": len(arts), "chars": sum(len(a["text"]) for a in arts), "wall": wall, "cpu": cpu_seconds() - cpu0,
            "sentences": sents, "rss": vm_hwm_mib(), "loadavg": os.getloadavg()}


def run_child(args: list[str], python: str = sys.executable, script: str = __file__) -> dict:
    out = subprocess.run([python, script, *args], capture_output=True, text=True, check=False,
                         cwd=str(Path(script).resolve().parents[1]))
    if out.returncode != 0:
        raise SystemExit(f"benchmark child {args} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def rate(r: dict) -> tuple[float, float]:
    return r["n"] / r["wall"], r["chars"] / r["wall"]


def report(runs: list[dict], base: dict, command: str, load_before: tuple, before: list | None = None) -> str:
    b_art, b_chr = rate(base)
    one = next((r for r in runs if r["workers"] == 1), None)
    lines = [
        "# Throughput: `vnnews tag` vs the underthesea baseline",
        "",
        "Full default pipeline (`vnnews_nlp.pipeline.load()`: normalize, portal cleaning, segmentation, "
        "entities, figures, dates, categories) through `vnnews_nlp.run.pool.tag_records(..., workers=W)`, "
        "on a seeded random sample of VNTC test articles; the baseline is underthesea "
        "`sent_tokenize` + `word_tokenize` + `ner` per sentence on the first articles of the same sample, "
        "in the same run. Models are loaded and warmed up before timing.",
        "",
        "| run | articles | articles/s | characters/s | × baseline (articles/s) | × baseline (characters/s) | scaling vs 1 worker | articles per CPU-second | peak RSS per worker (MiB) | failed |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| underthesea baseline | {base['n']} | {b_art:.2f} | {b_chr:,.0f} | 1.0 | 1.0 | – | {base['n'] / base['cpu']:.2f} | {base['rss']:.0f} | – |",
    ]
    for r in runs:
        a, c = rate(r)
        scale = f"{a / rate(one)[0]:.2f}×" if one else "–"
        lines.append(f"| vnnews, {r['workers']} worker{'s' if r['workers'] > 1 else ''} | {r['n']} | {a:.1f} | "
                     f"{c:,.0f} | {a / b_art:.1f} | {c / b_chr:.1f} | {scale} | {r['n'] / r['cpu']:.1f} | {r['worker_rss']:.0f} | {len(r['failed'])} |")
    for r in before or []:
        a, c = rate(r)
        lines.append(f"| before ({r['rev']}), {r['workers']} worker{'s' if r['workers'] > 1 else ''} | {r['n']} | {a:.1f} | "
                     f"{c:,.0f} | {a / b_art:.1f} | {c / b_chr:.1f} | – | {r['n'] / r['cpu']:.1f} | {r['worker_rss']:.0f} | {len(r['failed'])} |")
    if before:
        pairs = [(r, b) for r in runs for b in before if b["workers"] == r["workers"]]
        lines.append("")
        lines.append("Against the other checkout in the same run (runs alternate, after then before): " + "; ".join(
            f"{r['workers']} worker(s) {rate(r)[0] / rate(b)[0]:.2f}× the articles/s, "
            f"{(r['n'] / r['cpu']) / (b['n'] / b['cpu']):.2f}× the articles per CPU-second, "
            f"peak RSS {r['worker_rss']:.0f} vs {b['worker_rss']:.0f} MiB" for r, b in pairs) + ".")
    for msg in sorted({m for r in runs for m in r["failed"]}):
        lines.append(f"\nFailed: `{msg}`")
    lines += [
        "",
        f"Mean article length: {runs[0]['chars'] / runs[0]['n']:,.0f} characters (pipeline sample), "
        f"{base['chars'] / base['n']:,.0f} (baseline sample; the character rate is the fairer comparison "
        "when the two samples differ in length).",
        f"Code measured: commit {_commit()}. Pipeline load + warm-up (not timed above): {runs[0]['load_s']:.1f} s.",
        "Articles per CPU-second (user + system time of the process and its workers over the timed "
        "part) does not depend on what else runs on the machine; wall-clock rates do: with W "
        "workers on W otherwise idle cores the rate can reach about W × that figure.",
        f"Load average (1, 5, 15 min) before the run: {', '.join(f'{x:.2f}' for x in load_before)}; "
        + "; ".join(f"after {r['workers']} worker(s): {r['loadavg'][0]:.2f}" for r in runs)
        + f"; after the baseline: {base['loadavg'][0]:.2f}. The machine has {os.cpu_count()} cores; other "
        "jobs running at the same time lower every number here, the 2-worker run most.",
        "",
        "Command:",
        "",
        "```",
        command,
        "```",
        "",
    ]
    return "\n".join(lines)


def _commit() -> str:
    out = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--", "vnnews_nlp", "models"],
                           capture_output=True, text=True).stdout.strip()
    return (out.stdout.strip() or "unknown") + (" (with uncommitted changes in vnnews_nlp/ or models/)" if dirty else "")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=500, help="articles for the pipeline runs")
    p.add_argument("--baseline-n", type=int, default=60, help="articles for the underthesea baseline")
    p.add_argument("--workers", default="1,2", help="comma-separated worker counts")
    p.add_argument("--no-write", action="store_true", help=f"print only; do not write {DOC.name}")
    p.add_argument("--profile", type=int, metavar="N", help="profile the pipeline stage by stage on N articles, print markdown, exit")
    p.add_argument("--before", metavar="PYTHON,ROOT", help="also time another checkout in the same run "
                   "(its interpreter and repo root, e.g. a venv with an older commit installed)")
    p.add_argument("--child", type=int, help=argparse.SUPPRESS)
    p.add_argument("--baseline-child", action="store_true", help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.profile:
        print(profile(a.profile))
        return
    if a.child is not None:
        print(json.dumps(child(a.child, a.n)))
        return
    if a.baseline_child:
        print(json.dumps(baseline(a.baseline_n)))
        return
    if not TEST.exists():
        raise SystemExit(f"{TEST} not found: the benchmark reads the shared VNTC test split")
    load_before = os.getloadavg()
    runs, before = [], []
    for w in (int(x) for x in a.workers.split(",")):
        runs.append(run_child(["--child", str(w), "--n", str(a.n)]))
        print(f"{w} worker(s): {rate(runs[-1])[0]:.1f} articles/s, {runs[-1]['worker_rss']:.0f} MiB/worker",
              file=sys.stderr)
        if a.before:
            python, root = a.before.split(",", 1)
            r = run_child(["--child", str(w), "--n", str(a.n)], python, str(Path(root) / "bench" / "throughput.py"))
            r["rev"] = subprocess.run(["git", "-C", root, "rev-parse", "--short", "HEAD"],
                                      capture_output=True, text=True).stdout.strip()
            before.append(r)
            print(f"  before ({r['rev']}): {rate(r)[0]:.1f} articles/s", file=sys.stderr)
    base = run_child(["--baseline-child", "--baseline-n", str(a.baseline_n)])
    print(f"baseline: {rate(base)[0]:.2f} articles/s", file=sys.stderr)
    command = "python bench/throughput.py " + " ".join(sys.argv[1:])
    text = report(runs, base, command.strip(), load_before, before)
    print(text)
    if not a.no_write:
        DOC.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
