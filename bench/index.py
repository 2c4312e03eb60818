"""Benchmark the entity index: build over VNTC test articles, then query latency.

    python bench/index.py --n 5000            # tag N raw articles through the pipeline and index them
    python bench/index.py --tagged FILE.jsonl # index already tagged records (index cost only)
    python bench/index.py --synthetic 50373   # index generated records (tests/fixtures/index_make.py)

Reports articles/s, database size, peak and sampled RSS (memory must stay flat: the corpus is
streamed), the rerun speed (every article unchanged), and the median/p95 latency of a name
lookup and of an entity's mentions. Results go to docs/index.md between the bench markers.
"""
from __future__ import annotations

import argparse
import gzip
import os
import random
import resource
import shlex
import statistics
import sys
import tempfile
import time
from itertools import islice
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from vnnews_nlp.index import build, keys, query, store  # noqa: E402
from vnnews_nlp.paths import shared_dir  # noqa: E402



def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def subset(src: Path, n: int | None, tmp: Path) -> Path:
    """The first `n` lines of the corpus in a temporary file (outside the repo), streamed."""
    if n is None:
        return src
    out = tmp / f"vntc-test-first{n}.jsonl.gz"
    with gzip.open(src, "rt", encoding="utf-8") as f, gzip.open(out, "wt", encoding="utf-8") as g:
        g.writelines(islice(f, n))
    return out


def time_ms(fn, args_list) -> list[float]:
    out = []
    for args in args_list:
        t = time.perf_counter()
        fn(*args)
        out.append((time.perf_counter() - t) * 1000)
    return out


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=None, help="first N articles (default: all 50,373)")
    ap.add_argument("--tagged", type=Path, default=None, help="index these tagged records instead")
    ap.add_argument("--synthetic", type=int, default=None,
                    help="index N generated tagged records (the index's own cost, no pipeline)")
    ap.add_argument("--db", type=Path, default=Path(tempfile.gettempdir()) / "vnnews-index-bench.db")
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--batch-size", type=int, default=500)
    ap.add_argument("--components", default=None, help="comma-separated pipeline stages (default: all)")
    ap.add_argument("--queries", type=int, default=200, help="lookups per latency measurement")
    ap.add_argument("--keep", action="store_true", help="build on an existing --db instead of a fresh one")
    ap.add_argument("--out", type=Path, default=REPO / "docs" / "index.md")
    args = ap.parse_args(argv)

    if not args.keep:
        for suffix in ("", "-wal", "-shm"):
            Path(str(args.db) + suffix).unlink(missing_ok=True)
    with tempfile.TemporaryDirectory() as tmpdir:
        if args.synthetic:
            sys.path.insert(0, str(REPO / "tests" / "fixtures"))
            import index_make
            src = Path(tmpdir) / "synthetic.jsonl"
            index_make.write_jsonl(src, index_make.synthetic_records(args.synthetic, long=8))
            what = "generated tagged records (tests/fixtures/index_make.py: index cost only, no pipeline)"
            args.tagged = src
        elif args.tagged:
            src, what = args.tagged, f"tagged records `{args.tagged.name}`"
        else:
            corpus = shared_dir() / "data" / "vntc" / "test.jsonl.gz"
            if not corpus.exists():
                sys.exit(f"{corpus} not found: this benchmark reads ../shared (see ../shared/README.md)")
            src = subset(corpus, args.n, Path(tmpdir))
            what = ("raw VNTC test articles, tagged by the pipeline ("
                    + (f"components: {args.components}" if args.components else "all components") + ")")
        samples = []
        t0 = time.perf_counter()

        def on_batch(stats):
            done = stats.added + stats.updated + stats.unchanged + stats.failed
            samples.append((done, time.perf_counter() - t0, rss_mb()))
            print(f"  {done} articles  {samples[-1][1]:.0f}s  RSS {samples[-1][2]:.0f} MB", file=sys.stderr)

        stages = None if args.components is None else tuple(c for c in args.components.split(",") if c)
        stats = build.build_index([src], args.db, progress=False, batch_size=args.batch_size,
                                  workers=args.workers, components=stages, on_batch=on_batch)
        build_s = time.perf_counter() - t0
        t1 = time.perf_counter()
        rerun = build.build_index([src], args.db, progress=False, batch_size=args.batch_size,
                                  workers=args.workers, components=stages)
        rerun_s = time.perf_counter() - t1
    peak_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    peak_children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    size_mb = sum(os.path.getsize(str(args.db) + s) for s in ("", "-wal")
                  if os.path.exists(str(args.db) + s)) / 2**20

    conn = store.connect(args.db, create=False)
    counts = store.table_counts(conn)
    rnd = random.Random(0)
    ents = conn.execute("SELECT id, name FROM entities").fetchall()
    picks = [tuple(e) for e in rnd.sample(ents, min(args.queries, len(ents)))] if ents else []
    top = conn.execute("SELECT id, name, mention_count FROM entities ORDER BY mention_count DESC LIMIT 1").fetchone()
    jobs = {}
    if picks:
        jobs["name lookup, as written"] = (lambda n: query.find_entities(conn, n), [(n,) for _, n in picks])
        jobs["name lookup, no diacritics"] = (lambda n: query.find_entities(conn, n),
                                              [(keys.plain_key(n),) for _, n in picks])
        jobs["entity's mentions (first 100, with sentences)"] = (lambda e: query.mentions(conn, e),
                                                                 [(e,) for e, _ in picks])
        jobs[f"mentions of the most frequent entity ({top[2]} mentions)"] = (
            lambda e: query.mentions(conn, e), [(top[0],)] * 50)
        jobs["articles_for (first 100)"] = (lambda e: query.articles_for(conn, e), [(e,) for e, _ in picks])
    orgs = [r for r in conn.execute("SELECT DISTINCT org FROM positions WHERE org IS NOT NULL").fetchall()] \
        if "positions" in counts else []
    if orgs:  # issue 17: who held which role in a body, by the body's name
        org_picks = [tuple(o) for o in rnd.sample(orgs, min(args.queries, len(orgs)))]
        jobs[f"officials of a body, by name ({len(org_picks)} bodies)"] = (
            lambda o: query.officials(conn, o), org_picks)
        jobs["officials of a body, no diacritics"] = (
            lambda o: query.officials(conn, keys.plain_key(o)), org_picks)
    # first pass: each entity's pages not yet in SQLite's cache; second pass: repeated lookups
    lat = {name: (time_ms(fn, a), time_ms(fn, a)) for name, (fn, a) in jobs.items()}
    conn.close()

    n_done = stats.added + stats.updated + stats.unchanged
    lines = [
        f"Measured on {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, input: {what}, "
        f"N = {stats.read} articles read ({n_done} indexed, {stats.failed} failed in the pipeline), "
        f"workers = {args.workers}, batch = {args.batch_size}.",
        "",
        "| build | value |", "|---|---|",
        f"| articles/s ({'index only' if args.tagged else 'tag + index'}) | {n_done / build_s:.1f} ({build_s:.0f} s) |",
        f"| rerun, all unchanged: articles/s | {rerun.unchanged / rerun_s:.0f} ({rerun_s:.1f} s) |",
        f"| database size | {size_mb:.1f} MB ({size_mb * 1024 / max(n_done, 1):.1f} kB/article) |",
        f"| rows | " + ", ".join(f"{k} {v:,}" for k, v in counts.items()) + " |",
        f"| peak RSS (build process) | {peak_self:.0f} MB |",
        f"| peak RSS (tagging workers) | {peak_children:.0f} MB |" if args.workers > 1 else None,
        ("| RSS during the build (articles: MB) | " + ", ".join(
            f"{d}: {r:.0f}" for d, _, r in _spread(samples, 6)) + " |") if samples else None,
        "",
        f"| query ({len(picks)} random entities; one open connection) | median ms | p95 ms | median ms, repeated |",
        "|---|---|---|---|",
    ]
    for name, (ms, again) in lat.items():
        ms = sorted(ms)
        lines.append(f"| {name} | {statistics.median(ms):.2f} | {ms[max(0, int(len(ms) * 0.95) - 1)]:.2f} "
                     f"| {statistics.median(again):.2f} |")
    cmd = "python bench/index.py " + " ".join(shlex.quote(a) for a in (argv or sys.argv[1:]))
    lines += ["", f"Command: `{cmd}`"]
    report = "\n".join(l for l in lines if l is not None)
    print(report)
    write_section(args.out, "index-only" if args.tagged else "pipeline", report)


def _spread(samples: list, k: int) -> list:
    """k samples evenly spread over the build, always including the last."""
    idx = sorted({round(i * (len(samples) - 1) / (k - 1)) for i in range(k)}) if len(samples) > 1 else [0]
    return [samples[i] for i in idx]


def write_section(path: Path, section: str, report: str) -> None:
    """Replace the text between this section's bench markers in `path` (appended if missing)."""
    start, end = f"<!-- bench:{section}:start -->", f"<!-- bench:{section}:end -->"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Entity index\n"
    if start not in text:
        text += f"\n{start}\n{end}\n"
    head, rest = text.split(start, 1)
    tail = rest.split(end, 1)[1] if end in rest else ""
    path.write_text(f"{head}{start}\n{report}\n{end}{tail}", encoding="utf-8")


if __name__ == "__main__":
    main()
