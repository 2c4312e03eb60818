"""Load test of the web service on loopback: N requests, C at a time, against `vnnews serve`.

    python bench/web_load.py                      # 200 requests, 8 concurrent, writes docs/web.md

Articles are the first N texts of ../shared/data/vntc/train.jsonl.gz (read by path, never
copied), or one built-in article repeated when ../shared is absent. The server runs in its own
process, as deployed. A sequential run of the same articles first gives the baseline latency
(one request at a time), and /healthz is polled during the load to show the server stays
responsive while the pipeline threads are busy.
"""
from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import re
import statistics
import sys
import time
from pathlib import Path

import httpx

from vnnews_nlp.paths import shared_dir
from vnnews_nlp.web.limits import Limits
from vnnews_nlp.web.server import server_process

DOC = Path(__file__).resolve().parent.parent / "docs" / "web.md"
START, END = "<!-- load-test:start -->", "<!-- load-test:end -->"
BUILTIN = ("Đà Nẵng khởi công cầu vượt nút giao phía Tây\n"
           "Sáng 2/9/2025, UBND thành phố Đà Nẵng khởi công cầu vượt tại nút giao phía Tây với tổng "
           "mức đầu tư khoảng 720 tỷ đồng. Giám đốc Sở Xây dựng cho biết công trình dài 1,2 km, dự "
           "kiến hoàn thành trong 18 tháng, giảm 30% thời gian đi lại qua khu vực.")


def articles(n: int) -> tuple[list[dict], str]:
    path = shared_dir() / "data" / "vntc" / "train.jsonl.gz"
    if not path.exists():
        return [{"id": f"builtin-{i}", "text": BUILTIN} for i in range(n)], "built-in article (no ../shared)"
    out = []
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            out.append({"id": rec["id"], "text": rec["text"]})
            if len(out) == n:
                break
    return out, f"first {len(out)} texts of vntc/train.jsonl.gz"


async def run(url: str, items: list[dict], concurrency: int, endpoint: str, timeout: float) -> dict:
    gate = asyncio.Semaphore(concurrency)
    lat, failures, health = [], [], []
    done = asyncio.Event()

    async with httpx.AsyncClient(base_url=url, timeout=timeout,
                                 limits=httpx.Limits(max_connections=concurrency + 2)) as client:
        async def one(item):
            async with gate:
                t = time.perf_counter()
                try:
                    r = await client.post(endpoint, json=item)
                    ok = r.status_code == 200 and r.json().get("id") == str(item["id"])
                    if not ok:
                        failures.append(f"{item['id']}: HTTP {r.status_code} {r.text[:120]}")
                except httpx.HTTPError as exc:
                    failures.append(f"{item['id']}: {type(exc).__name__}: {exc}")
                lat.append(time.perf_counter() - t)

        async def poll_health():
            while not done.is_set():
                t = time.perf_counter()
                r = await client.get("/healthz")
                if r.status_code == 200:
                    health.append(time.perf_counter() - t)
                await asyncio.sleep(0.5)

        poller = asyncio.create_task(poll_health())
        t0 = time.perf_counter()
        await asyncio.gather(*(one(it) for it in items))
        wall = time.perf_counter() - t0
        done.set()
        await poller
    return {"lat": lat, "failures": failures, "wall": wall, "health": health}


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def row(name: str, res: dict, n: int, concurrency: int) -> str:
    lat = res["lat"]
    return (f"| {name} | {n} | {concurrency} | {1000 * statistics.median(lat):.0f} | "
            f"{1000 * pct(lat, 95):.0f} | {1000 * max(lat):.0f} | {n / res['wall']:.2f} | "
            f"{len(res['failures'])} |")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--baseline", type=int, default=40, help="requests sent one at a time first")
    ap.add_argument("--endpoint", default="/v1/analyze")
    ap.add_argument("--workers", default=str(Limits().workers),
                    help="pipeline threads of the server; a comma list runs one server per value")
    ap.add_argument("--time-limit", type=float, default=1200, help="give up after this many seconds")
    ap.add_argument("--out", type=Path, default=DOC)
    args = ap.parse_args(argv)

    items, source = articles(args.requests)
    chars = [len(it["text"]) for it in items]
    rows, failures, health = [], [], []
    for workers in [int(w) for w in args.workers.split(",")]:
        with server_process(workers=workers) as url:
            async def both():
                base = await run(url, items[: args.baseline], 1, args.endpoint, 120)
                load = await run(url, items, args.concurrency, args.endpoint, 120)
                return base, load

            base, load = asyncio.run(asyncio.wait_for(both(), args.time_limit))
        rows += [row(f"{workers} thread(s): baseline, one at a time", base, len(base["lat"]), 1),
                 row(f"{workers} thread(s): load", load, args.requests, args.concurrency)]
        failures += base["failures"] + load["failures"]
        health.append((workers, load["health"]))
    lines = [
        f"Measured {time.strftime('%Y-%m-%d')} on this machine ({_cpus()} CPU cores), server and "
        "client on 127.0.0.1, server in its own process (`vnnews serve`, default limits but the "
        f"pipeline threads shown), requests to `{args.endpoint}`. Articles: {source}, "
        f"{statistics.median(chars):,.0f} characters median, {max(chars):,} max.",
        "",
        "| run | requests | concurrent | median ms | p95 ms | max ms | requests/s | failed |",
        "|---|---|---|---|---|---|---|---|",
        *rows,
        "",
    ]
    for workers, h in health:
        lines.append(f"- {workers} thread(s): `GET /healthz` polled every 0.5 s during the load: "
                     + (f"{len(h)} answers, median {1000 * statistics.median(h):.0f} ms, max "
                        f"{1000 * max(h):.0f} ms." if h else "no answer."))
    lines += ["", "Command: `" + " ".join(["python bench/web_load.py", *(argv if argv is not None else sys.argv[1:])]) + "`"]
    if failures:
        lines += ["", "Failures:", ""] + [f"- {f}" for f in failures[:20]]
    text = "\n".join(lines)
    print(text)
    _write(args.out, text)
    return 1 if failures else 0


def _cpus() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


def _write(path: Path, text: str) -> None:
    """Replace the section between the markers (the rest of the page is written by hand)."""
    doc = path.read_text(encoding="utf-8") if path.exists() else f"# Web service\n\n{START}\n{END}\n"
    if START not in doc:
        doc += f"\n## Load test\n\n{START}\n{END}\n"
    new = re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _: f"{START}\n{text}\n{END}", doc, flags=re.S)
    path.write_text(new, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
