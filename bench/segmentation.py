"""Word segmentation benchmark: our CRF vs underthesea and pyvi on two gold test sets.

    python bench/segmentation.py [--repeats 3] [--update-meta]

Reads UD Vietnamese-VTB test and VLSP 2013 test from ../shared by path, runs all three
systems on the same sentences in this one process and writes docs/segmentation.md.
Scores are word-level precision/recall/F1 over word spans; every system's output is mapped
back to character offsets of the gold text (spaces removed), so a system that splits or
merges syllables differently from the gold is simply scored wrong there, never crashes.
Speed is syllables per second over the whole test set, the best of --repeats passes
(the passes of the systems are interleaved so background load hits them alike).
"""
from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from vnnews_nlp.paths import models_dir, shared_dir  # noqa: E402
from vnnews_nlp.segment.wordseg import MODEL_NAME, load_segmenter  # noqa: E402
from training.wordseg import read_conllu, read_tsv, read_underscored  # noqa: E402

SETS = {
    "UD VTB test": ("data/ud_vtb/vi_vtb-ud-test.conllu", read_conllu),
    "VLSP 2013 test": ("data/vlsp2013_ws/test.tsv", read_tsv),
}


def char_spans(lengths) -> set[tuple[int, int]]:
    """Spans of consecutive pieces given their lengths in characters (spaces excluded)."""
    out, pos = set(), 0
    for n in lengths:
        out.add((pos, pos + n))
        pos += n
    return out


def score(gold: list[set], pred: list[set]) -> dict[str, float]:
    tp = sum(len(g & p) for g, p in zip(gold, pred))
    ng = sum(map(len, gold))
    np_ = sum(map(len, pred))
    p, r = tp / np_, tp / ng
    return {"p": p, "r": r, "f1": 2 * p * r / (p + r)}


def run_ours(texts: list[str], convention: str = "vlsp") -> list[list[int]]:
    seg = load_segmenter(convention=convention)
    out = []
    for text in texts:
        atoms = text.split()
        lens: list[int] = []
        for atom, join in zip(atoms, seg.join_flags(atoms)):
            if join:
                lens[-1] += len(atom)
            else:
                lens.append(len(atom))
        out.append(lens)
    return out


def run_underthesea(texts: list[str]) -> list[list[int]]:
    from underthesea import word_tokenize

    return [[len(w.replace(" ", "")) for w in word_tokenize(t)] for t in texts]


def run_pyvi(texts: list[str]) -> list[list[int]]:
    from pyvi import ViTokenizer

    return [[len(w.replace("_", "")) for w in ViTokenizer.tokenize(t).split()] for t in texts]


SYSTEMS = {"vnnews wordseg (ours, default convention=vlsp)": run_ours, "underthesea word_tokenize": run_underthesea,
           "pyvi ViTokenizer.tokenize": run_pyvi}
UD_ROW = "vnnews wordseg (ours, convention=ud)"
DEFAULT_ROW = "vnnews wordseg (ours, default convention=vlsp)"
BASELINES = ("underthesea word_tokenize", "pyvi ViTokenizer.tokenize")

NOTES = """
## Notes

- The two gold sets follow different segmentation standards: UD VTB splits many pairs
  that VLSP 2013 writes as one word ("người dân", "như vậy", "một số") and joins some that
  VLSP splits ("con gái", "người ta") (counted on the training splits). pyvi's scores fit
  the UD VTB habits and underthesea's the VLSP ones, so each baseline wins one set.
- The default segmentation (convention "vlsp", what `vnnews_nlp.load()` uses) is scored on
  both sets. A model trained with `--conventions` learns both standards side by side
  (shared features plus per-standard copies of the lexical ones) and can also decode with
  the UD habits (`load_segmenter(convention="ud")`); that row is scored on UD only and is
  labelled. Both rows come from the same shipped weights.
- A model trained with `--extra-lexicon viet74k` also gets dictionary features from
  Hồ Ngọc Đức's word list as installed with underthesea; the list is read from the
  installed package at load time and is not part of this repository.
- The second table scores the same systems on our tuning data (the VLSP train sentences
  held out from training). underthesea's model was presumably trained on all of VLSP
  train, so its number there is optimistic; it shows how much harder the test set is.
"""


def _timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--update-meta", action="store_true",
                    help="record our test scores in models/wordseg/meta.json")
    ap.add_argument("--out", type=Path, default=REPO / "docs" / "segmentation.md")
    args = ap.parse_args()

    data = {}
    for name, (rel, reader) in SETS.items():
        path = shared_dir() / rel
        if not path.is_file():
            sys.exit(f"missing gold file {path}; the shared data folder must sit beside the repo")
        sents = list(reader(path))
        texts = [" ".join(" ".join(w) for w in s) for s in sents]
        gold = [char_spans(len("".join(w)) for w in s) for s in sents]
        nsyl = sum(len(w) for s in sents for w in s)
        data[name] = (texts, gold, nsyl)

    meta = json.loads((models_dir() / MODEL_NAME / "meta.json").read_text(encoding="utf-8"))
    heldout = meta["params"]["heldout"]
    tune = list(read_underscored(shared_dir() / "data" / "vlsp2013_ws" / "train.txt.gz"))[-heldout:]
    tune_texts = [" ".join(" ".join(w) for w in s) for s in tune]
    tune_gold = [char_spans(len("".join(w)) for w in s) for s in tune]
    systems = dict(SYSTEMS)
    if "ud" in meta.get("conventions", []):
        systems[UD_ROW] = lambda texts: run_ours(texts, "ud")
    from vnnews_nlp.segment.wordseg import Segmenter, external_lexicon

    def cold_load():  # the general word list is cached per process; a cold load reads it too
        external_lexicon.cache_clear()
        Segmenter.from_dir(models_dir() / MODEL_NAME)

    load_s = min(_timed(cold_load) for _ in range(3))
    for run in systems.values():  # load models outside the timed passes
        run(["Hà Nội là thủ đô của Việt Nam ."])

    results = {}
    for name, (texts, gold, nsyl) in data.items():
        names = [s for s in systems if s != UD_ROW or name.startswith("UD")]
        best = {s: float("inf") for s in names}
        preds = {}
        for _ in range(args.repeats):
            for sname in names:
                run = systems[sname]
                t0 = time.perf_counter()
                lens = run(texts)
                best[sname] = min(best[sname], time.perf_counter() - t0)
                preds[sname] = lens
        for sname in names:
            lens = preds[sname]
            bad = sum(sum(ln) != len(t.replace(" ", "")) for ln, t in zip(lens, texts))
            sc = score(gold, [char_spans(ln) for ln in lens])
            sc.update(sps=nsyl / best[sname], misaligned=bad)
            results[(name, sname)] = sc
            print(f"{name:15s} {sname:27s} F1 {sc['f1']:.4f} P {sc['p']:.4f} R {sc['r']:.4f} "
                  f"{sc['sps']:9,.0f} syl/s  misaligned {bad}", file=sys.stderr)

    lines = [
        "# Word segmentation benchmark",
        "",
        "Produced by `python bench/segmentation.py"
        + (f" --repeats {args.repeats}" if args.repeats != 3 else "")
        + (" --update-meta" if args.update_meta else "") + "` "
        f"(Python {platform.python_version()}, {platform.machine()}, 2 cores shared with other jobs).",
        "",
        "Word-level precision/recall/F1 over word spans against the gold segmentation; speed in",
        "syllables per second over the whole test set (best of "
        f"{args.repeats} interleaved passes, same process). Every system gets the sentence",
        "text (gold syllables joined by spaces); ours splits it on spaces into atoms, the",
        "baselines run their own syllable splitting. Ratio = syllables/s ÷ pyvi's in the same run.",
        "",
        "| test set | system | F1 | P | R | syllables/s | × pyvi |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, (_, gold, nsyl) in data.items():
        ref = results[(name, "pyvi ViTokenizer.tokenize")]["sps"]
        for sname in systems:
            if (name, sname) not in results:
                continue
            sc = results[(name, sname)]
            lines.append(f"| {name} ({len(gold)} sent., {nsyl} syl.) | {sname} | {sc['f1']:.4f} | "
                         f"{sc['p']:.4f} | {sc['r']:.4f} | {sc['sps']:,.0f} | "
                         f"{sc['sps'] / ref:.2f} |")
    lines += ["", "Summary (default convention=vlsp unless a row says otherwise): " + "; ".join(
        f"{name}: ours {results[(name, DEFAULT_ROW)]['f1']:.4f} vs best baseline "
        f"{max(results[(name, b)]['f1'] for b in BASELINES):.4f} "
        f"({'ahead' if results[(name, DEFAULT_ROW)]['f1'] > max(results[(name, b)]['f1'] for b in BASELINES) else 'behind'})"
        for name in data)]
    lines += ["", f"Tuning data, not test: last {heldout} sentences of VLSP 2013 train "
              "(held out from our training; one pass, F1 only):", "",
              "| system | F1 |", "|---|---|"]
    for sname in SYSTEMS:
        sc = score(tune_gold, [char_spans(ln) for ln in systems[sname](tune_texts)])
        lines.append(f"| {sname} | {sc['f1']:.4f} |")
    misaligned = {k: v["misaligned"] for k, v in results.items() if v["misaligned"]}
    if misaligned:
        lines += ["", "Sentences whose output characters did not add up to the input's (scored as "
                  "they are): " + ", ".join(f"{s} on {n}: {c}" for (n, s), c in misaligned.items())]
    lines += [
        "",
        "## Model",
        "",
        f"`models/{MODEL_NAME}/` version {meta['version']}: {meta['kind']}; "
        f"{meta['features']:,} weighted features, lexicon of {meta['lexicon_size']:,} words; "
        f"{sum(f.stat().st_size for f in (models_dir() / MODEL_NAME).iterdir()) / 1e6:.1f} MB "
        f"on disk, loads in {load_s:.2f} s (best of 3, this run). "
        f"Trained on: {meta.get('training_data_notes', 'VLSP 2013 train and UD VTB train')}; "
        "the test sets above were never used for training or tuning.",
        "",
        f"Rebuild: `{meta['command']}`",
        "",
        "Dev scores (tuning data): " + "; ".join(
            f"{k} F1 {v['f1']:.4f} (P {v['p']:.4f}, R {v['r']:.4f})"
            for k, v in meta["scores_dev"].items()),
    ] + NOTES.splitlines()
    args.out.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {args.out}", file=sys.stderr)

    if args.update_meta:
        meta_path = models_dir() / MODEL_NAME / "meta.json"
        meta["scores_test"] = {
            f"{name} ({'convention=ud' if sname == UD_ROW else 'default'})":
                {k: round(v, 4) for k, v in sc.items() if k in ("f1", "p", "r")}
            for (name, sname), sc in results.items() if "ours" in sname}
        meta["scores_test"]["measured_by"] = "python bench/segmentation.py (docs/segmentation.md)"
        meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n",
                             encoding="utf-8")


if __name__ == "__main__":
    main()
