"""Each word's usual part of speech, from unlabeled VNTC *train* text -> models/figures/word_tags.json.

    python -m training.word_tags [--every 8] [--min-count 3]

Every N-th article of VNTC train is cut into the run-time tokenizer's words and tagged with
underthesea's bundled part-of-speech CRF (training/quantity_verbs.py). A word seen
at least --min-count times gets the tag it has most often. The figures stage's subject ranker
(vnnews_nlp/figures/subjects.py) reads the list: the tags of the words at a candidate's edges
say whether it is a noun phrase, which 431 annotated figures cannot teach word by word. VNTC
test text is never read.
"""
from __future__ import annotations

import argparse
import collections
import hashlib
import json
import sys

from training.quantity_verbs import tagged_sentences
from vnnews_nlp.paths import models_dir, shared_dir


def count(every: int) -> dict[str, collections.Counter]:
    tags: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for toks, pos in tagged_sentences(shared_dir() / "data" / "vntc" / "train.jsonl.gz", every):
        for w, p in zip(toks, pos):
            if w[:1].isalpha():
                tags[w.lower()][p] += 1
    return tags


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(prog="python -m training.word_tags", description=__doc__.splitlines()[0])
    ap.add_argument("--every", type=int, default=8, help="read every N-th article of VNTC train")
    ap.add_argument("--min-count", type=int, default=3)
    a = ap.parse_args(argv)
    tags = count(a.every)
    out = {w: c.most_common(1)[0][0] for w, c in sorted(tags.items()) if sum(c.values()) >= a.min_count}
    path = models_dir() / "figures" / "word_tags.json"
    path.write_text(json.dumps(out, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    meta_path = path.parent / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    src = shared_dir() / "data" / "vntc" / "train.jsonl.gz"
    meta["word_tags"] = {"file": path.name, "entries": len(out), "every": a.every, "min_count": a.min_count,
                         "labels": sorted(set(out.values())),
                         "tagger": "underthesea pos_crf_2017_10_11.bin (bundled)",
                         "data_sha256": hashlib.sha256(src.read_bytes()).hexdigest(),
                         "command": f"python -m training.word_tags --every {a.every} --min-count {a.min_count}"}
    meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(out)} words -> {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
