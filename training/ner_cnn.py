"""Data and vectors for the spaCy NER tagger (`spacy train training/configs/ner.cfg`).

    python -m training.ner_cnn text    OUT.txt      # VNTC train + VLSP train/dev text, one line per paragraph
    python -m training.ner_cnn vectors OUT.txt DIR  # floret vectors on that text -> spaCy vectors in DIR
    python -m training.ner_cnn corpus  DIR          # VLSP 2018 train/dev/test as DocBins in DIR

Tokens are the atoms' units (`Atoms.units()`: syllables, numbers, single marks), the same
units the CRF tags and the entity stage hands to the tagger at run time, so training and
running see one tokenization and no word can swallow an entity edge. VNTC *test* text is
never read: the held-out gold sets are drawn from it.
"""
from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import unicodedata
from pathlib import Path

from vnnews_nlp.segment.atoms import scan
from vnnews_nlp.paths import shared_dir

from training.ner import TYPE, read_split, vntc_path


def units_doc(vocab, text: str):
    """A Doc of the text's units, made as the tagger makes it at run time, and their spans."""
    from vnnews_nlp.entities.tagger import UnitsTokenizer

    spans = scan(text).units()
    return UnitsTokenizer(vocab).make(text, spans), spans


def write_text(out: Path) -> None:
    n = 0
    with out.open("w", encoding="utf-8") as f:
        def emit(text: str) -> None:
            nonlocal n
            for line in unicodedata.normalize("NFC", text).splitlines():
                spans = scan(line).units()
                if len(spans) > 3:
                    f.write(" ".join(line[s:e] for s, e in spans) + "\n")
                    n += 1
        with gzip.open(vntc_path(), "rt", encoding="utf-8") as g:
            for row in g:
                emit(json.loads(row)["text"])
        for split in ("train", "dev"):
            for doc in read_split(split):
                emit(doc["text"])
    print(f"{out}: {n} lines", file=sys.stderr)


def train_vectors(text: Path, out: Path, dim: int, bucket: int, epochs: int, threads: int) -> None:
    import floret

    out.mkdir(parents=True, exist_ok=True)
    model = floret.train_unsupervised(str(text), model="cbow", mode="floret", hashCount=2, bucket=bucket,
                                      minn=2, maxn=4, minCount=3, dim=dim, epoch=epochs, thread=threads)
    model.save_floret_vectors(str(out / "vectors.floret"))
    subprocess.run([sys.executable, "-m", "spacy", "init", "vectors", "vi", str(out / "vectors.floret"),
                    str(out / "spacy"), "--mode", "floret"], check=True)


def write_corpus(out: Path) -> None:
    import spacy
    from spacy.tokens import DocBin, Span

    nlp = spacy.blank("vi")
    out.mkdir(parents=True, exist_ok=True)
    for split in ("train", "dev", "test"):
        db, lost, kept = DocBin(), 0, 0
        for row in read_split(split):
            text = unicodedata.normalize("NFC", row["text"])
            doc, spans = units_doc(nlp.vocab, text)
            starts = {s: i for i, (s, _) in enumerate(spans)}
            ends = {e: i for i, (_, e) in enumerate(spans)}
            ents = []
            for e in sorted(row["entities"], key=lambda e: e["start"]):
                if e["depth"] != 0:
                    continue
                i, j = starts.get(e["start"]), ends.get(e["end"])
                if i is None or j is None:
                    lost += 1
                    continue
                ents.append(Span(doc, i, j + 1, label=TYPE[e["type"]]))
                kept += 1
            doc.ents = ents
            db.add(doc)
        db.to_disk(out / f"{split}.spacy")
        print(f"{split}: {len(db)} docs, {kept} entities, {lost} not on unit edges", file=sys.stderr)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(prog="python -m training.ner_cnn", description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("text")
    t.add_argument("out", type=Path)
    v = sub.add_parser("vectors")
    v.add_argument("text", type=Path)
    v.add_argument("out", type=Path)
    v.add_argument("--dim", type=int, default=100)
    v.add_argument("--bucket", type=int, default=50000)
    v.add_argument("--epochs", type=int, default=5)
    v.add_argument("--threads", type=int, default=1)
    c = sub.add_parser("corpus")
    c.add_argument("out", type=Path)
    a = ap.parse_args(argv)
    if a.cmd == "text":
        write_text(a.out)
    elif a.cmd == "vectors":
        train_vectors(a.text, a.out, a.dim, a.bucket, a.epochs, a.threads)
    else:
        write_corpus(a.out)


if __name__ == "__main__":
    main()
