"""Mine the verbs and adjectives that take a quantity ("nặng 87 kg", "hỗ trợ 343 triệu đồng")
from unlabeled VNTC *train* text -> models/figures/quantity_verbs.json.

    python -m training.quantity_verbs [--every 4] [--min-count 20] [--min-share 0.8]

Each sampled article is cut into the segmenter's words (the run-time tokenizer) and tagged
with underthesea's bundled part-of-speech CRF (its model file and CRF engine; the features
are computed here in linear time, and give the same tags as `underthesea.pos_tag` on the same
words). A word that stands right before a number at least --min-count times, tagged a verb or
an adjective there in at least --min-share of them, is listed. The figures stage reads the
list as predicates: the noun phrase before such a word is the figure's subject
("Khủng long bạo chúa T.rex | nặng | 87 kg"). VNTC test text is never read.
"""
from __future__ import annotations

import argparse
import collections
import gzip
import hashlib
import json
import sys
from pathlib import Path

from vnnews_nlp.paths import models_dir, shared_dir

# words before a number that are not predicates: prepositions, time and identifier words
# and words that qualify the number itself ("tròn 100 năm", "suốt 10 năm", "xấp xỉ 5%")
NOT_PREDICATES = set("""năm tháng ngày quý tuần giờ lúc số thứ lần khoảng gần hơn trên dưới
    từ đến tới với và của cho trong ngoài vào ra theo tại ở mỗi có là suốt đúng trọn tròn đủ
    đầy chừng ngót""".split()) | {"xấp xỉ", "tối đa", "tối thiểu"}


class POSTagger:
    """underthesea's POS CRF (bundled, offline) with its feature templates computed per
    sentence in one pass: `template2features` rebuilds the columns for every feature of every
    word, quadratic in the sentence length."""

    def __init__(self):
        from os.path import dirname, join

        import underthesea.pipeline.pos_tag as pos
        from underthesea_core import CRFTagger

        self.model = CRFTagger()
        self.model.load(join(dirname(pos.__file__), "pos_crf_2017_10_11.bin"))

    @staticmethod
    def _title(w: str) -> str:
        try:
            return str(all(s[0].istitle() for s in w.split(" ")))
        except IndexError:
            return "False"

    def features(self, toks: list[str]) -> list[list[str]]:
        n, low, tit = len(toks), [t.lower() for t in toks], [self._title(t) for t in toks]

        def at(col, j):
            return "BOS" if j < 0 else "EOS" if j >= n else col[j]

        def span(col, i, a, b):
            if i + a < 0:
                return "BOS"
            if i + a >= n or i + b >= n:
                return "EOS"
            return " ".join(col[i + a:i + b + 1])

        xs = ["X"] * n
        out = []
        for i in range(n):
            f = [f"T[{k}].lower=" + at(low, i + k) for k in (-2, -1, 0, 1, 2)]
            f += [f"T[{k}].istitle=" + at(tit, i + k) for k in (0, -1, 1)]
            f += [f"T[{k}]=" + at(toks, i + k) for k in (-2, -1, 0, 1, 2)]
            f += [f"T[{a},{b}]=" + span(toks, i, a, b) for a, b in ((-2, -1), (-1, 0), (0, 1), (1, 2))]
            f += [f"T[{k}][1]=" + at(xs, i + k) for k in (-3, -2, -1)]
            f += [f"T[{a},{b}][1]=" + span(xs, i, a, b) for a, b in ((-3, -2), (-2, -1))]
            out.append(f)
        return out

    def tag(self, toks: list[str]) -> list[str]:
        return self.model.tag(self.features(toks)) if toks else []


def tagged_sentences(path: Path, every: int):
    """(words, tags) for each sentence of every N-th article of `path`, cut by the run-time
    tokenizer and tagged by `POSTagger`, with progress on stderr."""
    from vnnews_nlp.run.analyze import make_doc
    from vnnews_nlp.pipeline import load

    nlp, tagger = load(components=()), POSTagger()
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for k, row in enumerate(f):
            if k % every:
                continue
            if k % (every * 500) == 0:
                print(f"{k} articles read", file=sys.stderr, flush=True)
            doc = make_doc(nlp, {"id": str(k), "text": json.loads(row)["text"]})
            for sent in doc.sents:
                toks = [t.text for t in sent if not t.is_space]
                yield toks, tagger.tag(toks)


def mine(path: Path, every: int, min_count: int, min_share: float, tags=("V", "A")) -> dict[str, float]:
    before: collections.Counter = collections.Counter()
    verb: collections.Counter = collections.Counter()
    for toks, pos in tagged_sentences(path, every):
        for i in range(1, len(toks)):
            if toks[i][:1].isdigit() and toks[i - 1][:1].isalpha():
                w = toks[i - 1].lower()
                if w in NOT_PREDICATES:
                    continue
                before[w] += 1
                verb[w] += pos[i - 1] in tags
    return {w: round(verb[w] / c, 3) for w, c in before.most_common()
            if c >= min_count and verb[w] / c >= min_share}


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(prog="python -m training.quantity_verbs", description=__doc__.splitlines()[0])
    ap.add_argument("--every", type=int, default=4, help="read every N-th article of VNTC train")
    ap.add_argument("--min-count", type=int, default=20)
    ap.add_argument("--min-share", type=float, default=0.8)
    ap.add_argument("--tags", default="A", help="underthesea tags that count as a predicate")
    ap.add_argument("--out", type=Path, default=models_dir() / "figures")
    a = ap.parse_args(argv)
    src = shared_dir() / "data" / "vntc" / "train.jsonl.gz"
    verbs = mine(src, a.every, a.min_count, a.min_share, tuple(a.tags.split(",")))
    (a.out / "quantity_verbs.json").write_text(json.dumps(verbs, ensure_ascii=False, indent=0), encoding="utf-8")
    meta_path = a.out / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["quantity_verbs"] = {
        "file": "quantity_verbs.json", "entries": len(verbs), "every": a.every, "min_count": a.min_count,
        "min_share": a.min_share, "tags": a.tags, "tagger": "underthesea pos_crf_2017_10_11.bin (bundled)",
        "data_sha256": hashlib.sha256(src.read_bytes()).hexdigest(),
        "command": f"python -m training.quantity_verbs --every {a.every} --min-count {a.min_count} "
                   f"--min-share {a.min_share} --tags {a.tags}"}
    meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(verbs)} quantity verbs -> {a.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
