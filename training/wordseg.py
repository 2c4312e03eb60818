"""Train the word segmentation CRF: `python -m training.wordseg`.

Reads the VLSP 2013 training set and the UD Vietnamese-VTB train split from ../shared by
path, holds out the last sentences of VLSP train and UD dev for scoring, trains with
crfsuite into `build/wordseg/model.crfsuite` (not shipped) and writes
`models/wordseg/{weights.npz,lexicon.txt,meta.json}`. Test splits are never read here.

`--export-only` rewrites weights.npz from an already trained crfsuite file.
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path

from vnnews_nlp.paths import models_dir, shared_dir
from vnnews_nlp.segment.wordseg import (CONVENTIONS, LABELS, MAX_WORD, MODEL_NAME, WEIGHTS_FILE, Segmenter,
                      _atom_info, external_lexicon, sentence_features)

VERSION = "1.0.0"

# A sentence is a list of words, a word a list of syllables (atoms).
Sentence = list[list[str]]


def read_underscored(path: Path):
    """VLSP 2013 training format: words joined by `_`, one sentence a line."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as f:
        for line in f:
            sent = [[s for s in w.split("_") if s] for w in line.split()]
            sent = [w for w in sent if w]
            if sent:
                yield sent


def read_conllu(path: Path):
    """UD CoNLL-U: one word a line, FORM column, syllables separated by spaces."""
    sent: Sentence = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                if sent:
                    yield sent
                sent = []
                continue
            if line.startswith("#"):
                continue
            cols = line.split("\t")
            if "-" in cols[0] or "." in cols[0]:  # multiword ranges / empty nodes
                continue
            sent.append(cols[1].split())
    if sent:
        yield sent


def read_tsv(path: Path):
    """VLSP 2013 test as shipped by underthesea: `word<TAB>pos…`, blank line between sentences."""
    sent: Sentence = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip():
                if sent:
                    yield sent
                sent = []
                continue
            sent.append(line.split("\t")[0].split())
    if sent:
        yield sent


def atoms_and_flags(sent: Sentence) -> tuple[list[str], list[bool]]:
    atoms, flags = [], []
    for word in sent:
        for k, syl in enumerate(word):
            atoms.append(syl)
            flags.append(k > 0)
    return atoms, flags


def spans(flags: list[bool]) -> set[tuple[int, int]]:
    """Word spans (start, end) over atom positions from join flags."""
    out, start = set(), 0
    for i in range(1, len(flags) + 1):
        if i == len(flags) or not flags[i]:
            out.add((start, i))
            start = i
    return out


def prf(gold: list[list[bool]], pred: list[list[bool]]) -> dict[str, float]:
    """Word-level precision/recall/F1 over word spans."""
    tp = ng = np_ = 0
    for g, p in zip(gold, pred):
        gs, ps = spans(g), spans(p)
        tp += len(gs & ps)
        ng += len(gs)
        np_ += len(ps)
    p = tp / np_ if np_ else 0.0
    r = tp / ng if ng else 0.0
    return {"p": p, "r": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def word_key(word: list[str]) -> str:
    return " ".join(_atom_info(s)[0] for s in word)


def build_lexicon(sents, min_count: int = 1) -> set[str]:
    counts = Counter(word_key(w) for s in sents for w in s if 2 <= len(w) <= MAX_WORD)
    return {k for k, c in counts.items() if c >= min_count}


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def export_weights(crf_path: Path, out_dir: Path, extra_lexicon: str = "") -> list[str]:
    """Write the non-zero weights of a crfsuite model to out_dir/weights.npz.

    Each convention's prefixed weights ("ud|w=...") are folded into the plain ones, so
    the decoder looks a feature up once whatever the convention. `extra_lexicon` names the
    general dictionary the model was trained with (see wordseg.external_lexicon).
    Returns the conventions.
    """
    import numpy as np
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(str(crf_path))
    info = tagger.info()
    tagger.close()
    plain: dict[str, list[float]] = {}
    prefixed: dict[str, dict[str, list[float]]] = {c: {} for c in CONVENTIONS}
    for (attr, label), wt in info.state_features.items():
        if not wt:
            continue
        head, bar, rest = attr.partition("|")
        table = plain
        if bar and head in CONVENTIONS:
            table, attr = prefixed[head], rest
        table.setdefault(attr, [0.0, 0.0])[LABELS.index(label)] += wt
    # a model trained without --conventions has no prefixed weights: it is the VLSP one
    conventions = [c for c in CONVENTIONS if prefixed[c] or c == "vlsp"]
    names = sorted(set(plain).union(*(prefixed[c] for c in conventions)))
    arrays = {}
    for c in conventions:
        rows = []
        for name in names:
            b, i = plain.get(name, (0.0, 0.0))
            pb, pi = prefixed[c].get(name, (0.0, 0.0))
            rows.append((b + pb, i + pi))
        arrays["weights_" + c] = np.asarray(rows, dtype=np.float32).reshape(-1, 2)
    arrays["transitions"] = np.asarray(
        [[info.transitions.get((p, q), 0.0) for q in LABELS] for p in LABELS], dtype=np.float64)
    if extra_lexicon:
        arrays["extra_lexicon"] = np.frombuffer(extra_lexicon.encode(), dtype=np.uint8)
    arrays["features"] = np.frombuffer("\n".join(names).encode("utf-8"), dtype=np.uint8)
    out_dir.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out_dir / WEIGHTS_FILE, **arrays)
    return conventions


def evaluate(seg: Segmenter, sents) -> dict[str, float]:
    pairs = [atoms_and_flags(s) for s in sents]
    pred = seg.join_flags_batch([a for a, _ in pairs])
    return prf([f for _, f in pairs], pred)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m training.wordseg",
                                 description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=models_dir() / MODEL_NAME)
    ap.add_argument("--crf", type=Path, default=Path("build") / MODEL_NAME / "model.crfsuite",
                    help="where crfsuite's own model file is written (not shipped)")
    ap.add_argument("--export-only", action="store_true",
                    help="only rewrite weights.npz in --out from an existing --crf model")
    ap.add_argument("--c1", type=float, default=0.05)
    ap.add_argument("--c2", type=float, default=0.01)
    ap.add_argument("--minfreq", type=float, default=2)
    ap.add_argument("--iterations", type=int, default=150)
    ap.add_argument("--heldout", type=int, default=2000,
                    help="last N VLSP train sentences kept out for scoring")
    ap.add_argument("--ud-repeat", type=int, default=3,
                    help="copies of UD train added (it is small and follows the UD conventions)")
    ap.add_argument("--folds", type=int, default=5,
                    help="lexicon seen by training features is built from the other folds (0 = all)")
    ap.add_argument("--lex-min", type=int, default=1, help="min count of a lexicon word")
    ap.add_argument("--conventions", action=argparse.BooleanOptionalAction, default=False,
                    help="learn VLSP and UD segmentation standards side by side "
                    "(the shipped model is trained with it)")
    ap.add_argument("--ud-dev-train", action=argparse.BooleanOptionalAction, default=False,
                    help="train on the first half of UD dev, score on the second")
    ap.add_argument("--extra-lexicon", default="", choices=["", "viet74k"],
                    help="also give dictionary features from a general word list "
                    "(viet74k: read from the installed underthesea package)")
    ap.add_argument("--limit", type=int, default=0, help="use only N VLSP sentences (quick runs)")
    args = ap.parse_args(argv)

    if args.export_only:
        if not args.crf.is_file():
            sys.exit(f"no crfsuite model at {args.crf}; train one first or pass --crf PATH")
        conventions = export_weights(args.crf, args.out, args.extra_lexicon)
        print(f"wrote {args.out / WEIGHTS_FILE} (conventions {conventions})", file=sys.stderr)
        return

    data = shared_dir() / "data"
    vlsp_path = data / "vlsp2013_ws" / "train.txt.gz"
    ud_train_path = data / "ud_vtb" / "vi_vtb-ud-train.conllu"
    ud_dev_path = data / "ud_vtb" / "vi_vtb-ud-dev.conllu"
    for p in (vlsp_path, ud_train_path, ud_dev_path):
        if not p.is_file():
            sys.exit(f"missing training data {p}; the shared data folder must sit beside the repo "
                     "(or set VNNEWS_SHARED)")

    vlsp = list(read_underscored(vlsp_path))
    if args.limit:
        vlsp = vlsp[: args.limit + args.heldout]
    vlsp_train, vlsp_dev = vlsp[: -args.heldout], vlsp[-args.heldout:]
    ud_train = list(read_conllu(ud_train_path))
    ud_dev = list(read_conllu(ud_dev_path))
    if args.ud_dev_train:
        # UD train is small; its conventions are learnt better with the first half of dev
        # too. The second half stays out for scoring.
        half = len(ud_dev) // 2
        ud_train, ud_dev = ud_train + ud_dev[:half], ud_dev[half:]
    train = vlsp_train + ud_train * args.ud_repeat
    conv = ["vlsp"] * len(vlsp_train) + ["ud"] * (len(ud_train) * args.ud_repeat)
    if not args.conventions:
        conv = [None] * len(train)
    print(f"train: {len(vlsp_train)} VLSP + {len(ud_train)}x{args.ud_repeat} UD sentences",
          file=sys.stderr)

    lexicon = build_lexicon(vlsp_train + ud_train, args.lex_min)
    import pycrfsuite

    trainer = pycrfsuite.Trainer(algorithm="lbfgs", verbose=False)
    trainer.set_params({"c1": args.c1, "c2": args.c2, "max_iterations": args.iterations,
                        "feature.minfreq": args.minfreq, "feature.possible_transitions": True})
    rng = random.Random(13)
    # copies of a UD sentence share a fold, so a fold never sees its own words via a copy
    base_fold = [rng.randrange(args.folds) if args.folds else 0 for _ in vlsp_train + ud_train]
    fold_of = base_fold[: len(vlsp_train)] + base_fold[len(vlsp_train):] * args.ud_repeat
    if args.folds:
        # Each fold sees a lexicon without its own words, so the model learns how far a
        # dictionary hit can be trusted on unseen text instead of trusting it blindly.
        fold_counts = [Counter() for _ in range(args.folds)]
        for s, k in zip(train, fold_of):
            fold_counts[k].update(word_key(w) for w in s if 2 <= len(w) <= MAX_WORD)
        total = sum(fold_counts, Counter())
        fold_lex = [{w for w, c in (total - fc).items() if c >= args.lex_min} for fc in fold_counts]
    else:
        fold_lex = [lexicon]
    extra = external_lexicon(args.extra_lexicon)
    t0 = time.time()
    for s, k, c in zip(train, fold_of, conv):
        atoms, flags = atoms_and_flags(s)
        trainer.append(sentence_features(atoms, fold_lex[k], c, extra), [LABELS[f] for f in flags])
    print(f"features built in {time.time() - t0:.0f}s; training …", file=sys.stderr)
    args.out.mkdir(parents=True, exist_ok=True)
    args.crf.parent.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    trainer.train(str(args.crf))
    print(f"trained in {time.time() - t0:.0f}s", file=sys.stderr)
    conventions = export_weights(args.crf, args.out, args.extra_lexicon)
    (args.out / "lexicon.txt").write_text("\n".join(sorted(lexicon)) + "\n", encoding="utf-8")

    seg = Segmenter.from_dir(args.out)
    dev_name = "ud_vtb_dev_2nd_half" if args.ud_dev_train else "ud_vtb_dev"
    scores = {"vlsp2013_train_heldout": evaluate(seg, vlsp_dev), dev_name: evaluate(seg, ud_dev)}
    if "ud" in conventions:
        ud_seg = Segmenter.from_dir(args.out, "ud")
        scores[dev_name + " (convention=ud)"] = evaluate(ud_seg, ud_dev)
        scores["vlsp2013_train_heldout (convention=ud)"] = evaluate(ud_seg, vlsp_dev)
    for name, sc in scores.items():
        print(f"{name}: F1 {sc['f1']:.4f} P {sc['p']:.4f} R {sc['r']:.4f}", file=sys.stderr)
    meta_path = args.out / "meta.json"
    old = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.is_file() else {}
    meta = {
        "name": MODEL_NAME,
        "version": VERSION,
        "kind": "linear-chain CRF (crfsuite, L-BFGS) over atom B/I labels + lexicon features; "
                "non-zero weights exported to weights.npz (float32)",
        "labels": list(LABELS),
        "conventions": conventions,
        "files": [WEIGHTS_FILE, "lexicon.txt", "meta.json"],
        "training_data": {
            str(p.relative_to(shared_dir())): sha256(p)
            for p in (vlsp_path, ud_train_path) + ((ud_dev_path,) if args.ud_dev_train else ())
        },
        "training_data_notes": f"VLSP train minus its last {args.heldout} sentences; UD train"
        + (" + first half of UD dev" if args.ud_dev_train else "") + f", UD x{args.ud_repeat}",
        "tuning_data": {"vlsp2013 train held-out": f"last {args.heldout} sentences",
                        "ud_vtb dev": "second half" if args.ud_dev_train else "all"},
        "params": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()
                   if k not in ("out", "crf", "export_only")},
        "features": len(seg.weights),
        "crfsuite_model": f"{args.crf} (not shipped; weights.npz is exported from it)",
        "lexicon_size": len(lexicon),
        "extra_lexicon": (f"{args.extra_lexicon}: {len(extra)} words read at load time from the "
                          "installed underthesea package (not copied here)") if extra else None,
        "scores_dev": {k: {m: round(v, 4) for m, v in sc.items()} for k, sc in scores.items()},
        # Test scores are written by bench/segmentation.py, never used here.
        "scores_test": old.get("scores_test", {}),
        "command": "python -m training.wordseg " + " ".join(argv if argv is not None
                                                                    else sys.argv[1:]),
    }
    meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
