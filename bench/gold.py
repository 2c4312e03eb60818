"""Held-out gold sets of real news, annotated by reading: selection, import, display.

    python bench/gold.py select entities --per-topic 5      # -> corpora/gold/entities_ids.txt
    python bench/gold.py select figures --per-topic 13      # -> corpora/gold/figures_ids.txt
    python bench/gold.py text ID                            # an article's text with its id, to read
    python bench/gold.py import entities ANNOT.jsonl        # reader's file -> ids and offsets
    python bench/gold.py import figures ANNOT.jsonl
    python bench/gold.py select figures-train --per-topic 6   # VNTC *train*, for training models
    python bench/gold.py import figures-train ANNOT.jsonl   # -> corpora/gold/figures-train.jsonl
    python bench/gold.py show entities ID                   # gold spans printed against the text

Articles come from VNTC **test** (its text is never used for training): all ten topics, texts
that do not also occur in train, not in the portal dev set, 600-3,500 characters, picked with a
fixed seed. The entity and figure sets are disjoint, and each is split into a `tune` and a
`heldout` half by a hash of the id, decided here, before anyone looks at the pipeline's output.

A reader writes mentions as the surface string in document order (`text`); `import` finds each
one in the article after the previous one and stores only offsets, so the repo holds ids and
offsets, never article text. Labels (types, canonical names, units, values) are ours.

`figures-train` is a training set, not a held-out one: VNTC **train** articles (texts not also
in test), 600-2,500 characters with at least six numbers in digits (so a reader's hour yields
many figures), same conventions, `half` = "train". Models may be fitted on it. The first 7 a
topic were annotated first; a larger --per-topic keeps them and adds others.
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "corpora" / "gold"
SHARED = Path(__import__("os").environ.get("VNNEWS_SHARED", ROOT.parent / "shared")) / "data"
VNTC = SHARED / "vntc"
SEED = 20261205


def _read(split: str):
    with gzip.open(VNTC / f"{split}.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)


def texts(ids: set[str]) -> dict[str, str]:
    split = {i.split("/", 1)[0] for i in ids}
    out = {}
    for s in split:
        for d in _read(s):
            if d["id"] in ids:
                out[d["id"]] = d["text"]
    missing = ids - out.keys()
    if missing:
        raise SystemExit(f"ids not found in {VNTC}: {sorted(missing)[:3]}")
    return out


def half(doc_id: str) -> str:
    """`tune` or `heldout`, fixed by the id alone."""
    return "tune" if hashlib.sha256(doc_id.encode()).digest()[0] % 2 == 0 else "heldout"


def select(kind: str, per_topic: int) -> list[str]:
    if kind == "figures-train":
        return select_train(per_topic)
    train_texts = {hashlib.sha1(d["text"].strip().encode()).digest() for d in _read("train")}
    taken = set()
    for path in GOLD.glob("*_ids.txt"):
        if not path.name.startswith(kind):
            taken |= set(path.read_text(encoding="utf-8").split("\n")) - {""}
    dev = {json.loads(x)["id"] for x in (SHARED / "portal" / "dev.jsonl").open(encoding="utf-8")}
    by_topic: dict[str, list[str]] = {}
    for d in _read("test"):
        if d["id"] in taken or d["id"] in dev or not 600 <= len(d["text"]) <= 3500:
            continue
        if hashlib.sha1(d["text"].strip().encode()).digest() in train_texts:
            continue
        by_topic.setdefault(d["label"], []).append(d["id"])
    rng = random.Random(f"{SEED}-{kind}")
    chosen = []
    for topic in sorted(by_topic):
        chosen += rng.sample(sorted(by_topic[topic]), per_topic)
    return chosen


def select_train(per_topic: int) -> list[str]:
    test_texts = {hashlib.sha1(d["text"].strip().encode()).digest() for d in _read("test")}
    dev = {json.loads(x)["id"] for x in (SHARED / "portal" / "dev.jsonl").open(encoding="utf-8")}
    by_topic: dict[str, list[str]] = {}
    for d in _read("train"):
        t = d["text"]
        if d["id"] in dev or not 600 <= len(t) <= 2500 or len(re.findall(r"\d+", t)) < 6:
            continue
        if hashlib.sha1(t.strip().encode()).digest() in test_texts:
            continue
        by_topic.setdefault(d["label"], []).append(d["id"])
    rng = random.Random(f"{SEED}-figures-train")
    chosen = [i for topic in sorted(by_topic) for i in rng.sample(sorted(by_topic[topic]), min(7, per_topic))]
    # later rounds keep every article already listed and add a seeded draw from the rest
    listed = GOLD / "figures-train_ids.txt"
    chosen += [i for i in (listed.read_text(encoding="utf-8").splitlines() if listed.is_file() else [])
               if i not in chosen]
    chosen = [i for i in chosen if i.startswith("train/")]
    have = {t: sum(i.startswith(f"train/{t}/") for i in chosen) for t in by_topic}
    rng = random.Random(f"{SEED}-figures-train-{len(chosen)}")
    for topic in sorted(by_topic):
        rest = [i for i in sorted(by_topic[topic]) if i not in chosen]
        chosen += rng.sample(rest, max(0, per_topic - have[topic]))
    return chosen


def locate(text: str, items: list[dict], key: str = "text") -> list[tuple[int, int]]:
    """Offsets of each item's surface, searched in order after the previous item's end."""
    spans, cursor = [], 0
    for it in items:
        surface = it[key]
        at = it.get("start", -1)
        if at >= 0 and text[at:at + len(surface)] != surface:
            raise ValueError(f"{surface!r} is not at its given start {at}")
        if at < 0:  # no start given: the first occurrence after the previous item
            at = text.find(surface, cursor)
        if at < 0:
            at = text.find(surface)  # out of order: take the first occurrence, but say so
            if at < 0:
                raise ValueError(f"not in the text: {surface!r}")
            print(f"  note: {surface!r} found before the previous mention", file=sys.stderr)
        spans.append((at, at + len(surface)))
        cursor = at + len(surface)
    return spans


def _inside(text: str, outer: tuple[int, int], surface: str | None) -> tuple[int, int] | None:
    """A span for `surface` near `outer`: the nearest occurrence ending within 120 characters
    before it or inside it, else the first one starting within 120 characters after it."""
    if not surface:
        return None
    lo = max(0, outer[0] - 120)
    at = text.rfind(surface, lo, outer[1])
    if at < 0:
        at = text.find(surface, outer[0], outer[1] + 120 + len(surface))
    if at < 0:
        raise ValueError(f"{surface!r} not found near {text[outer[0]:outer[1]]!r}")
    return at, at + len(surface)


def import_entities(rec: dict, text: str) -> dict:
    spans = locate(text, rec["entities"])
    out = []
    for (s, e), m in zip(spans, rec["entities"]):
        g = {"start": s, "end": e, "type": m["type"], "canonical": m.get("canonical")}
        if m.get("title"):
            ts, te = _inside(text, (s, e), m["title"])
            g["title_start"], g["title_end"] = ts, te
        if m.get("positions"):
            g["positions"] = [{"role": p["role"], "organisation": p.get("organisation")} for p in m["positions"]]
        out.append(g)
    return {"id": rec["id"], "half": half(rec["id"]), "entities": out}


def import_figures(rec: dict, text: str) -> dict:
    figs = []
    for (s, e), f in zip(locate(text, rec.get("figures", [])), rec.get("figures", [])):
        g = {"start": s, "end": e, "value": str(f["value"]), "unit": f.get("unit"), "kind": f["kind"]}
        for k in ("high", "approx"):
            if f.get(k) is not None:
                g[k] = f[k]
        subj = _inside(text, (s, e), f.get("subject")) if f.get("subject") else None
        g["subject_start"], g["subject_end"] = subj if subj else (None, None)
        figs.append(g)
    dates = []
    for (s, e), d in zip(locate(text, rec.get("dates", [])), rec.get("dates", [])):
        g = {"start": s, "end": e, "value": d.get("value"), "end_value": d.get("end_value")}
        for k in ("year_inferred", "relative"):
            if d.get(k):
                g[k] = True
        dates.append(g)
    part = "train" if rec["id"].startswith("train/") else half(rec["id"])
    return {"id": rec["id"], "half": part, "figures": figs, "dates": dates}


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("select")
    p.add_argument("kind", choices=["entities", "figures", "figures-train"])
    p.add_argument("--per-topic", type=int, required=True)
    p = sub.add_parser("text")
    p.add_argument("ids", nargs="+")
    p = sub.add_parser("import")
    p.add_argument("kind", choices=["entities", "figures", "figures-train"])
    p.add_argument("files", nargs="+", type=Path)
    p.add_argument("--check", action="store_true", help="only check that every mention is found")
    p = sub.add_parser("show")
    p.add_argument("kind", choices=["entities", "figures"])
    p.add_argument("id")
    a = ap.parse_args(argv)

    if a.cmd == "select":
        ids = select(a.kind, a.per_topic)
        GOLD.mkdir(parents=True, exist_ok=True)
        (GOLD / f"{a.kind}_ids.txt").write_text("\n".join(ids) + "\n", encoding="utf-8")
        print(f"{len(ids)} ids -> {GOLD / f'{a.kind}_ids.txt'}", file=sys.stderr)
    elif a.cmd == "text":
        for i, t in texts(set(a.ids)).items():
            print(f"=== {i}\n{t}\n")
    elif a.cmd == "import":
        recs = [json.loads(x) for f in a.files for x in f.open(encoding="utf-8") if x.strip()]
        tx = texts({r["id"] for r in recs})
        fn = import_entities if a.kind == "entities" else import_figures  # figures-train too
        out_path = GOLD / f"{a.kind}.jsonl"
        done = {}
        if out_path.exists():
            done = {json.loads(x)["id"]: x.rstrip("\n") for x in out_path.open(encoding="utf-8") if x.strip()}
        bad = 0
        for r in recs:
            try:
                done[r["id"]] = json.dumps(fn(r, tx[r["id"]]), ensure_ascii=False)
            except (ValueError, KeyError) as exc:
                bad += 1
                print(f"{r['id']}: {exc}", file=sys.stderr)
        if a.check:
            print(f"{len(recs) - bad} ok, {bad} failed (nothing written)", file=sys.stderr)
            sys.exit(1 if bad else 0)
        order = (GOLD / f"{a.kind}_ids.txt").read_text(encoding="utf-8").splitlines()
        rank = {i: n for n, i in enumerate(order)}
        lines = sorted(done.values(), key=lambda x: rank.get(json.loads(x)["id"], 10**9))
        out_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"{len(recs) - bad} imported, {bad} failed -> {out_path}", file=sys.stderr)
        sys.exit(1 if bad else 0)
    elif a.cmd == "show":
        gold = {json.loads(x)["id"]: json.loads(x) for x in (GOLD / f"{a.kind}.jsonl").open(encoding="utf-8")}
        g = gold[a.id]
        t = texts({a.id})[a.id]
        for m in g.get("entities", []) + g.get("figures", []) + g.get("dates", []):
            print(t[m["start"]:m["end"]], {k: v for k, v in m.items() if k not in ("start", "end")})


if __name__ == "__main__":
    main()
