"""Mine the nouns news counts with digits, from unlabeled VNTC *train* text -> models/figures/counted_nouns.json.

    python -m training.counted_nouns [--min-count 30]

For every number written in digits and followed by a word, the first syllable after it (and,
after a classifier such as "chiếc", the one after that) is counted; a syllable that follows
digits at least --min-count times and is not a function word, unit or date word is a counted
noun when at least --min-share of its lower-case occurrences follow a number (which keeps
out function words such as "để", "bị", frequent everywhere). The figures stage reads the list to accept a written-out cardinal with a noun ("hai
cơ quan", "bốn tỉnh") and to look through classifiers. VNTC test text is never read.
"""
from __future__ import annotations

import argparse
import collections
import gzip
import hashlib
import json
import re
import sys
from pathlib import Path

from vnnews_nlp.paths import models_dir, shared_dir

AFTER_DIGITS = re.compile(r"(?<![\w.,/])\d+(?:[.,]\d+)*\s+([^\W\d_]+)(?:\s+([^\W\d_]+))?")
CLASSIFIERS = ("chiếc", "con", "cái", "quả", "tấm", "bức", "cuốn", "quyển", "tờ", "bản")
# not nouns a figure counts: time words, units written as words, function words
NOT_NOUNS = set("""năm tháng ngày tuần quý giờ phút giây tuổi lần triệu tỷ nghìn ngàn trăm vạn đồng
    và với của là có được đã sẽ đến tới từ trong ngoài trên dưới theo cho về tại ở khi thì mà này đó
    hơn gần khoảng nhưng hay hoặc cũng đều vẫn chỉ rồi tăng giảm đạt chiếm gồm qua sau trước nay mỗi
    một hai ba bốn năm sáu bảy tám chín mười độ km m cm mm kg g tấn ha usd vnd euro phần thứ số giải
    điểm bàn""".split())


SYLLABLE = re.compile(r"[^\W\d_]+")
AFTER_DIGITS_3 = re.compile(r"(?<![\w.,/])\d+(?:[.,]\d+)*\s+([^\W\d_]+)\s+([^\W\d_]+)(?:\s+([^\W\d_]+))?")
# not the second syllable of a counted noun: passives, prepositions, adjectives of size and age
NOT_SECOND = NOT_NOUNS | set("bị được cho ở tại vào ra lên xuống đi về từ nhất này khác mới cũ lớn nhỏ".split())


def count(path: Path) -> dict[str, collections.Counter]:
    """One pass over the corpus, counting what both lists are chosen from: lower-case
    syllables (`total`), syllables after a number (`after`), and the first two syllables after
    a number (`head`, `pair`), a classifier looked through in both."""
    c = {k: collections.Counter() for k in ("total", "after", "head", "pair")}
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for row in f:
            text = json.loads(row)["text"]
            c["total"].update(w for w in SYLLABLE.findall(text) if w.islower())
            for m in AFTER_DIGITS.finditer(text):
                w = m.group(1)
                if w.lower() in CLASSIFIERS and m.group(2):
                    w = m.group(2)
                if w.islower():
                    c["after"][w] += 1
            for m in AFTER_DIGITS_3.finditer(text):
                ws = list(m.groups())
                if ws[0].lower() in CLASSIFIERS and ws[2]:
                    ws = ws[1:]
                if not ws[0].islower() or ws[0] in NOT_NOUNS:
                    continue
                c["head"][ws[0]] += 1
                if ws[1].islower() and ws[1] not in NOT_SECOND:
                    c["pair"][ws[0], ws[1]] += 1
    return c


def nouns_of(c: dict, min_count: int, min_share: float) -> dict[str, float]:
    """Syllable -> share of its lower-case occurrences that follow a number in digits."""
    after, total = c["after"], c["total"]
    return {w: round(n / total[w], 4) for w, n in after.most_common()
            if n >= min_count and w not in NOT_NOUNS and len(w) > 1 and n / total[w] >= min_share}


def phrases_of(c: dict, min_count: int, min_share: float) -> dict[str, int]:
    """Two-syllable counted nouns ("làn xe", "chỗ ngồi", "phòng học"): a pair that follows a
    number in digits at least `min_count` times, in at least `min_share` of the times its first
    syllable does. The figures stage runs a counted noun on over the next word when the pair
    it starts with is listed, so the pair decides, the segmenter's word gives the end."""
    head = c["head"]
    return {f"{a} {b}": n for (a, b), n in c["pair"].most_common()
            if n >= min_count and n / head[a] >= min_share}


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(prog="python -m training.counted_nouns", description=__doc__.splitlines()[0])
    ap.add_argument("--min-count", type=int, default=30)
    ap.add_argument("--min-share", type=float, default=0.05,
                    help="least share of a syllable's occurrences that follow a number")
    ap.add_argument("--phrase-min-count", type=int, default=5)
    ap.add_argument("--phrase-min-share", type=float, default=0.1)
    ap.add_argument("--out", type=Path, default=models_dir() / "figures")
    a = ap.parse_args(argv)
    src = shared_dir() / "data" / "vntc" / "train.jsonl.gz"
    counts = count(src)
    nouns = nouns_of(counts, a.min_count, a.min_share)
    a.out.mkdir(parents=True, exist_ok=True)
    (a.out / "counted_nouns.json").write_text(json.dumps(nouns, ensure_ascii=False, indent=0), encoding="utf-8")
    phrases = phrases_of(counts, a.phrase_min_count, a.phrase_min_share)
    (a.out / "counted_phrases.json").write_text(json.dumps(phrases, ensure_ascii=False, indent=0), encoding="utf-8")
    meta_path = a.out / "meta.json"
    # the meta file is shared with training/quantity_verbs.py: keep its section
    old = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.is_file() else {}
    meta = {"name": "vnnews-counted-nouns", "version": "1.1.0",
            "kind": "syllables (counted_nouns.json) and two-syllable pairs (counted_phrases.json) that follow numbers in digits",
            "data": {"data/vntc/train.jsonl.gz": hashlib.sha256(src.read_bytes()).hexdigest()},
            "min_count": a.min_count, "min_share": a.min_share, "entries": len(nouns),
            "phrase_min_count": a.phrase_min_count, "phrase_min_share": a.phrase_min_share,
            "phrases": len(phrases),
            "classifiers": list(CLASSIFIERS),
            "command": f"python -m training.counted_nouns --min-count {a.min_count} --min-share {a.min_share} "
                       f"--phrase-min-count {a.phrase_min_count} --phrase-min-share {a.phrase_min_share}"}
    if "quantity_verbs" in old:
        meta["quantity_verbs"] = old["quantity_verbs"]
    meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(nouns)} counted nouns, {len(phrases)} pairs -> {a.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
