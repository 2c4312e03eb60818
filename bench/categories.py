"""Category classifier: weak labels, training of the shipped models, scores -> docs/categories.md.

    python bench/categories.py weak      # rules -> corpora/portal_weak/weak.jsonl (ids + offsets)
    python bench/categories.py portal    # CV on portal dev, train + save models/categories/portal_qt
    python bench/categories.py vntc      # train on VNTC train, score VNTC test, save models/.../vntc
    python bench/categories.py docs      # latency + write docs/categories.md from the meta files
    python bench/categories.py all

Reads ../shared by path; copies no text into the repo.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import re
import statistics
import sys
import time
import unicodedata
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from vnnews_nlp import classify  # noqa: E402
from vnnews_nlp.paths import corpora_dir, models_dir, shared_dir  # noqa: E402
from vnnews_nlp.taxonomy import load_taxonomy  # noqa: E402

DATA = shared_dir() / "data"
VNTC_TRAIN = DATA / "vntc" / "train.jsonl.gz"
VNTC_TEST = DATA / "vntc" / "test.jsonl.gz"
PORTAL_DEV = DATA / "portal" / "dev.jsonl"
WEAK_DIR = corpora_dir() / "portal_weak"
EXAMPLES = corpora_dir() / "portal_examples" / "examples.jsonl"
TAXONOMY = corpora_dir() / "taxonomy" / "portal_qt.json"
HEAD = 200  # headline zone: VNTC texts start with the title


def read_jsonl(path):
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def text_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def sha256(*paths) -> str:
    return classify.files_sha256(paths)


# -- weak labels --------------------------------------------------------------------------

def _compile(rules):
    out = {}
    for code, rule in rules.items():
        pats = [(_phrase(p), w) for p, w in rule["phrases"].items()]
        needs = [_phrase(p) for p in rule.get("needs", [])]
        head = [_phrase(p) for p in rule.get("head", [])]
        out[code] = (pats, needs, head, rule["min"])
    return out


# "dịch vụ công", "tài sản công" must not match "dịch vụ công nghệ", "tài sản công dân"
_AFTER_CONG = r"(?! (?:nghệ|dân|an|cộng|ty|nhân|trình|việc|tác|nghiệp|khai|bố|ích|chúng|lý))"


def _phrase(p: str):
    tail = _AFTER_CONG if p.endswith("công") else ""
    return re.compile(r"(?<!\w)" + re.escape(p) + r"(?!\w)" + tail)


def score_text(text: str, compiled) -> dict:
    """{code: (score, [[start, end], ...])} for categories whose rule fires."""
    low = unicodedata.normalize("NFC", text).lower()
    if len(low) != len(text):  # offsets must stay valid for the original text
        low = text.lower()
    out = {}
    for code, (pats, needs, head, minimum) in compiled.items():
        if head and not any(h.search(low, 0, HEAD) for h in head):
            continue
        if needs and not any(n.search(low) for n in needs):
            continue
        score, spans = 0.0, []
        for pat, w in pats:
            for k, m in enumerate(pat.finditer(low)):
                if k >= 3:
                    break
                score += w * (2 if m.start() < HEAD else 1)
                spans.append([m.start(), m.end()])
        if score >= minimum:
            out[code] = (score, sorted(spans)[:8])
    return out


def weak():
    cfg = json.loads((WEAK_DIR / "rules.json").read_text(encoding="utf-8"))
    compiled = _compile(cfg["rules"])
    test_hashes = {text_hash(r["text"]) for r in read_jsonl(VNTC_TEST)}
    dev_ids = {r["id"] for r in read_jsonl(PORTAL_DEV)}
    picked = {code: [] for code in cfg["rules"]}
    for r in read_jsonl(VNTC_TRAIN):
        # anything that is also in the test split (where portal dev/held-out come from) stays out
        if r["label"] not in cfg["sources"] or r["id"] in dev_ids or \
                text_hash(r["text"]) in test_hashes:
            continue
        hits = score_text(r["text"], compiled)
        if not hits:
            continue
        ranked = sorted(hits.items(), key=lambda kv: -kv[1][0])
        code, (score, spans) = ranked[0]
        # a close second rule is a second menu; an unclear winner is dropped
        if len(ranked) > 1 and ranked[1][1][0] >= score:
            continue
        also = [c for c, (s, _) in ranked[1:3] if s >= 0.6 * score]
        picked[code].append({"id": r["id"], "label": code, "also": also, "score": score,
                             "evidence": spans, "sha1": text_hash(r["text"])})
    rows = []
    for code, items in picked.items():
        items.sort(key=lambda x: -x["score"])
        rows += items[:cfg["cap_per_category"]]
        print(f"{code:22s} matched {len(items):5d} kept {min(len(items), cfg['cap_per_category'])}")
    with open(WEAK_DIR / "weak.jsonl", "w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} weak labels to {WEAK_DIR / 'weak.jsonl'}")


def weak_records(train_texts: dict | None = None) -> list[dict]:
    rows = read_jsonl(WEAK_DIR / "weak.jsonl")
    if train_texts is None:
        train_texts = {r["id"]: r["text"] for r in read_jsonl(VNTC_TRAIN)}
    out = []
    for row in rows:
        text = train_texts[row["id"]]
        if text_hash(text) != row["sha1"]:
            raise SystemExit(f"VNTC text of {row['id']} changed; rerun `bench/categories.py weak`")
        out.append({"id": row["id"], "text": text, "labels": [row["label"]] + row["also"]})
    return out


def review(code: str, n: int = 8):
    """Print headlines of a sample of weak labels for one category (precision check)."""
    rows = [r for r in read_jsonl(WEAK_DIR / "weak.jsonl") if r["label"] == code]
    texts = {r["id"]: r["text"] for r in read_jsonl(VNTC_TRAIN)}
    rng = np.random.default_rng(0)
    for i in rng.permutation(len(rows))[:n]:
        row = rows[i]
        t = texts[row["id"]]
        ev = ", ".join(t[s:e] for s, e in row["evidence"][:5])
        print(f"- {row['score']:.0f} {row['also']} | {t[:110]!r} | {ev}")


if __name__ == "__main__":
    cmd = sys.argv[1] if len(sys.argv) > 1 else "all"
    if cmd == "weak":
        weak()
    elif cmd == "review":
        for c in sys.argv[2:]:
            print("##", c)
            review(c)
