"""Data for the noun-phrase chunker of the figures stage (`spacy train training/configs/chunker.cfg`).

    python -m training.chunker corpus DIR     # UD Vietnamese-VTB train/dev/test -> DIR/{train,dev,test}.spacy

Each word of the treebank gets one tag, its part of speech and its place in a base noun
phrase, joined: "NOUN|B" (a noun opening a noun phrase), "ADJ|I" (an adjective inside one),
"VERB|O" (a verb outside any). Base noun phrases are read off the dependency trees: a noun,
proper noun, pronoun or number heads one, and takes in the words that hang from it by
compound, nmod (without a preposition of its own), amod, nummod, classifier, determiner and
flat relations, as long as they stay next to it. Relative clauses, prepositional phrases
and coordinated nouns are left out, so "Tăng trưởng GDP | trong | quý I | đạt | 6 %" cuts the
time phrase away from the noun phrase a figure's subject is read from.

Words are the treebank's (multi-syllable words written with spaces), like the segmenter's
tokens the component tags at run time. The test split is only scored, never trained on.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from vnnews_nlp.paths import shared_dir

HEADS = {"NOUN", "PROPN", "PRON", "NUM"}
INSIDE = ("compound", "nmod", "amod", "nummod", "clf", "det", "flat", "nmod:poss", "appos:nmod")


def read_conllu(path: Path):
    """Sentences as lists of (form, xpos, head, deprel), multi-word token lines skipped."""
    sent = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if sent:
                yield sent
            sent = []
        elif not line.startswith("#"):
            cols = line.split("\t")
            if cols[0].isdigit():
                sent.append((cols[1], cols[4], int(cols[6]), cols[7], cols[3]))
    if sent:
        yield sent


def chunk_tags(sent) -> list[str]:
    """B/I/O of the base noun phrases of one sentence (see the module's docstring)."""
    n = len(sent)
    kids = [[] for _ in range(n + 1)]
    for i, (_, _, head, rel, _) in enumerate(sent, 1):
        kids[head].append((i, rel))
    has_case = {i for i in range(1, n + 1) if any(sent[k - 1][3] == "case" for k, _ in kids[i])}

    def inside(i: int) -> bool:
        form, xpos, head, rel, upos = sent[i - 1]
        return head > 0 and sent[head - 1][4] in HEADS and rel.split(":")[0] in {r.split(":")[0] for r in INSIDE} \
            and i not in has_case

    tags = ["O"] * n
    for h in range(1, n + 1):
        if sent[h - 1][4] not in HEADS or inside(h):
            continue
        members, todo = {h}, [h]
        while todo:
            k = todo.pop()
            for c, _ in kids[k]:
                if inside(c):
                    members.add(c)
                    todo.append(c)
        a = b = h
        while a - 1 in members:
            a -= 1
        while b + 1 in members:
            b += 1
        if any(tags[i - 1] != "O" for i in range(a, b + 1)):
            continue
        tags[a - 1] = "B"
        for i in range(a + 1, b + 1):
            tags[i - 1] = "I"
    return tags


def pos_of(upos: str) -> str:
    """The universal part of speech: the treebank's own tags are spelled differently in its
    train and dev files ("Adv"/"ADV", "SC"/"C") and dev has no classifier tag at all."""
    return upos


def to_docbin(path: Path):
    import spacy
    from spacy.tokens import Doc, DocBin

    vocab = spacy.blank("vi").vocab
    db = DocBin(attrs=["TAG"])
    for sent in read_conllu(path):
        doc = Doc(vocab, words=[w[0] for w in sent])
        for tok, w, c in zip(doc, sent, chunk_tags(sent)):
            tok.tag_ = f"{pos_of(w[4])}|{c}"
        db.add(doc)
    return db


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(prog="python -m training.chunker", description=__doc__.splitlines()[0])
    ap.add_argument("what", choices=["corpus"])
    ap.add_argument("out", type=Path)
    a = ap.parse_args(argv)
    src = shared_dir() / "data" / "ud_vtb"
    a.out.mkdir(parents=True, exist_ok=True)
    for split in ("train", "dev", "test"):
        db = to_docbin(src / f"vi_vtb-ud-{split}.conllu")
        db.to_disk(a.out / f"{split}.spacy")
        print(split, len(db), "sentences", flush=True)


if __name__ == "__main__":
    main()
