"""Fit the figures stage's subject ranker -> models/figures/subjects.json.

    python -m training.subjects --eval          # fit on figures-train, score the gold's tune half
    python -m training.subjects --cv 5          # 5-fold CV by article over figures-train + tune
    python -m training.subjects                 # fit on both, write the model and its meta

Data: articles annotated by reading under docs/figures-annotation.md, ids and offsets only:
corpora/gold/figures-train.jsonl (VNTC train) and the `tune` half of corpora/gold/figures.jsonl.
The `heldout` half is never read here. Each figure the rules find is matched to a gold figure by
overlap; its gold subject (or "no subject") is the target among the ranker's candidates
(vnnews_nlp/figures/subjects.py). The loss is the softmax over candidates, fitted by Adagrad with
an L2 penalty. Scores are computed as bench/figures.py does: on figures whose value and unit are
right, a subject is right when its text equals the gold's after normalization. Counts keep
the rules' subject, as in the stage (the ranker is fitted on them too: they teach what is not a
subject).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from figures import norm  # noqa: E402  (the bench's comparison of subjects)
from gold import GOLD, texts  # noqa: E402
from vnnews_nlp.doc import article_of, doc_text  # noqa: E402
from vnnews_nlp.figures.component import _Finder, _WordEnds  # noqa: E402
from vnnews_nlp.figures.subjects import SubjectRanker, candidates  # noqa: E402
from vnnews_nlp.paths import models_dir  # noqa: E402
from vnnews_nlp.pipeline import load  # noqa: E402
from vnnews_nlp.run.analyze import analyze  # noqa: E402
from vnnews_nlp.segment.atoms import atoms_of  # noqa: E402

OUT = models_dir() / "figures" / "subjects.json"


def records(parts: tuple[str, ...]) -> list[dict]:
    out = []
    if "train" in parts:
        out += [json.loads(x) for x in (GOLD / "figures-train.jsonl").open(encoding="utf-8") if x.strip()]
    if "tune" in parts:
        out += [r for r in (json.loads(x) for x in (GOLD / "figures.jsonl").open(encoding="utf-8") if x.strip())
                if r["half"] == "tune"]
    assert all(r["half"] != "heldout" for r in out)
    return out


def rules_pass(recs: list[dict], nlp):
    """(record, normalized text, finder after its rules ran, map to raw offsets) per article:
    the figures stage as the pipeline runs it, without a ranker."""
    tx = texts({r["id"] for r in recs})
    for rec in recs:
        doc = analyze({"id": rec["id"], "text": tx[rec["id"]]}, nlp)
        text = doc_text(doc)
        original = doc._.original
        finder = _Finder(text, _WordEnds(doc, text), atoms_of(doc), article_of(doc).published,
                         original if isinstance(original, str) and original != text else None, None)
        finder.run()
        yield rec, tx[rec["id"]], text, finder, doc._.offsets.span_to_original


def examples(recs: list[dict], nlp) -> list[dict]:
    """One example per figure the rules find that overlaps a gold figure."""
    out = []
    for rec, raw, text, finder, to_raw in rules_pass(recs, nlp):
        used = set()
        for f in finder.figures:
            a, b = to_raw(f.start, f.end)
            hits = [k for k, g in enumerate(rec["figures"]) if k not in used and g["start"] < b and a < g["end"]]
            if not hits:
                continue
            used.add(hits[0])
            g = rec["figures"][hits[0]]
            gold = raw[g["subject_start"]:g["subject_end"]] if g["subject_start"] is not None else None
            cands, none = candidates(finder, f, f.subject)
            target = 0 if gold is None else None
            for k, c in enumerate(cands):
                if gold is not None and to_raw(c.start, c.end) == (g["subject_start"], g["subject_end"]):
                    target = k + 1
                    break
            if target is None and gold is not None:  # same text, other offsets (normalization)
                target = next((k + 1 for k, c in enumerate(cands) if norm(text[c.start:c.end]) == norm(gold)), None)
            out.append(dict(id=rec["id"], feats=[none] + [c.features for c in cands],
                            texts=[None] + [text[c.start:c.end] for c in cands], target=target,
                            gold=norm(gold), rule=norm(text[f.subject[0]:f.subject[1]]) if f.subject else None,
                            kind=f.kind,
                            scored=f.value == Decimal(g["value"]) and f.unit == g["unit"]))
    return out


def fit(exs: list[dict], epochs: int = 15, lr: float = 0.1, l2: float = 1e-3, seed: int = 0) -> dict[str, float]:
    vocab: dict[str, int] = {}
    data = []
    for ex in exs:
        if ex["target"] is None:
            continue  # the gold subject is not a candidate (across a sentence break, too long)
        ids, seg = [], []
        for k, feats in enumerate(ex["feats"]):
            for x in feats:
                if x:
                    ids.append(vocab.setdefault(x, len(vocab)))
                    seg.append(k)
        ids, seg = np.array(ids), np.array(seg)
        data.append((ids, seg, len(ex["feats"]), ids[seg == ex["target"]]))
    w = np.zeros(len(vocab))
    total = np.zeros(len(vocab))  # the weights after each epoch, averaged: steadier than the last
    hist = np.full(len(vocab), 1e-6)
    rng = random.Random(seed)
    for _ in range(epochs):
        rng.shuffle(data)
        for ids, seg, n, gold_ids in data:
            s = np.bincount(seg, weights=w[ids], minlength=n)
            p = np.exp(s - s.max())
            p /= p.sum()
            uniq, inv = np.unique(np.concatenate([ids, gold_ids]), return_inverse=True)
            grad = np.bincount(inv[:len(ids)], weights=p[seg], minlength=len(uniq))
            grad -= np.bincount(inv[len(ids):], minlength=len(uniq))
            grad += l2 * w[uniq]
            hist[uniq] += grad ** 2
            w[uniq] -= lr * grad / np.sqrt(hist[uniq])
        total += w
    w = total / epochs
    return {x: round(float(w[i]), 4) for x, i in vocab.items() if abs(w[i]) >= 1e-4}


def predict(model: SubjectRanker, ex: dict) -> str | None:
    if ex["kind"] == "count":  # as the stage does: counts keep the rules' subject
        return ex["rule"]
    scores = [model.score(f) for f in ex["feats"]]
    k = int(np.argmax(scores))
    return norm(ex["texts"][k]) if k else None


def score(exs: list[dict], pick) -> dict:
    c = dict(gold=0, pred=0, ok=0)
    for ex in exs:
        if not ex["scored"]:
            continue
        p = pick(ex)
        c["gold"] += ex["gold"] is not None
        c["pred"] += p is not None
        c["ok"] += p is not None and p == ex["gold"]
    c["P"] = c["ok"] / c["pred"] if c["pred"] else 0.0
    c["R"] = c["ok"] / c["gold"] if c["gold"] else 0.0
    return c


def show(name: str, c: dict) -> str:
    return f"{name}: P {c['P']:.3f} R {c['R']:.3f} ({c['ok']} right, {c['pred']} given, {c['gold']} gold)"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--eval", action="store_true", help="fit on figures-train, score the tune half")
    ap.add_argument("--cv", type=int, default=0, help="K-fold CV by article over both sets")
    ap.add_argument("--epochs", type=int, default=15)  # chosen by --cv 5 among 15-50
    ap.add_argument("--lr", type=float, default=0.1)
    ap.add_argument("--l2", type=float, default=1e-3)
    a = ap.parse_args()
    nlp = load()
    t0 = time.time()
    train = examples(records(("train",)), nlp)
    tune = examples(records(("tune",)), nlp)
    print(f"{len(train)} + {len(tune)} figures matched; gold subject not a candidate in "
          f"{sum(e['target'] is None for e in train + tune)}; {time.time() - t0:.0f} s", file=sys.stderr)
    kw = dict(epochs=a.epochs, lr=a.lr, l2=a.l2)
    rules = lambda ex: ex["rule"]  # noqa: E731
    if a.eval:
        model = SubjectRanker(fit(train, **kw))
        print(show("rules, tune half", score(tune, rules)))
        print(show("ranker fitted on figures-train, tune half", score(tune, lambda ex: predict(model, ex))))
        return
    if a.cv:
        ids = sorted({e["id"] for e in train + tune})
        fold = {i: int(hashlib.sha256(i.encode()).hexdigest(), 16) % a.cv for i in ids}
        got = []
        for k in range(a.cv):
            model = SubjectRanker(fit([e for e in train + tune if fold[e["id"]] != k], **kw))
            got += [dict(e, cv=predict(model, e)) for e in train + tune if fold[e["id"]] == k]
        print(show("rules, both sets", score(train + tune, rules)))
        print(show(f"ranker, {a.cv}-fold CV", score(got, lambda ex: ex["cv"])))
        return
    weights = fit(train + tune, **kw)
    OUT.write_text(json.dumps({"weights": weights}, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
    meta_path = OUT.parent / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    data_hash = hashlib.sha256(b"".join((GOLD / n).read_bytes() for n in ("figures-train.jsonl", "figures.jsonl"))).hexdigest()
    meta["subjects"] = {"file": OUT.name, "features": len(weights), "figures": len(train) + len(tune),
                        "data": {"corpora/gold/figures-train.jsonl + tune half of figures.jsonl": data_hash},
                        "settings": kw, "command": "python -m training.subjects"}
    meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(weights)} weights -> {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
