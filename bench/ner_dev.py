"""Choose the entity tagger on VLSP 2018 dev: CRF, CNN and their combinations side by side.

    python bench/ner_dev.py --crf /tmp/ner-trainonly --cnn models/ner_cnn [--cnn other ...]

Every model compared must have been trained on VLSP 2018 train only (the shipped CRF has seen
dev, so pass a train-only one: `python -m training.ner --out DIR` without --final). Scores
are the tagger's own spans on the dev text (outermost PER/LOC/ORG, exact span and type);
`bench/ner.py --pipeline` scores the whole entity stage. Writes docs/ner-dev.md. Test is
never read here.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from training.ner import gold_spans, read_split, score  # noqa: E402
from vnnews_nlp.entities.combine import combine  # noqa: E402
from vnnews_nlp.entities.model import NerModel  # noqa: E402
from vnnews_nlp.entities.tagger import CnnTagger  # noqa: E402

OUT = ROOT / "docs" / "ner-dev.md"


def timed(model, docs) -> tuple[list, float]:
    t0 = time.process_time()
    pred = [model.predict(d["text"]) for d in docs]
    return pred, time.process_time() - t0


def row(name: str, gold, pred, cpu: float | None, chars: int) -> str:
    r = score(gold, pred)
    speed = f"{chars / cpu:,.0f}" if cpu else "sum of both"
    print(name, json.dumps(r), file=sys.stderr)
    m = r["micro"]
    return (f"| {name} | {m['p']:.4f} | {m['r']:.4f} | **{m['f1']:.4f}** | {r['PER']['f1']:.4f} | "
            f"{r['LOC']['f1']:.4f} | {r['ORG']['f1']:.4f} | {speed} |")


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--crf", type=Path, required=True, help="a CRF model dir trained on train only")
    ap.add_argument("--cnn", type=Path, action="append", default=[], help="CNN tagger dir(s)")
    ap.add_argument("--out", type=Path, default=OUT)
    a = ap.parse_args(argv)
    dev = read_split("dev")
    gold = [gold_spans(d) for d in dev]
    chars = sum(len(d["text"]) for d in dev)
    crf_pred, crf_cpu = timed(NerModel(a.crf), dev)
    rows = [row(f"CRF ({a.crf.name})", gold, crf_pred, crf_cpu, chars)]
    for path in a.cnn:
        pred, cpu = timed(CnnTagger(path), dev)
        rows.append(row(f"CNN ({path})", gold, pred, cpu, chars))
        for how in ("cnn-first", "crf-first", "agree"):
            both = [combine(d["text"], p, c, how) for d, p, c in zip(dev, pred, crf_pred)]
            rows.append(row(f"CNN + CRF, {how}", gold, both, None, chars))
    lines = ["# Choosing the entity tagger on VLSP 2018 dev", "",
             "VLSP 2018 NER dev (260 documents), outermost PER/LOC/ORG, exact span and type; every",
             "model trained on train only. Speed: characters per CPU second on one core.", "",
             "| tagger | P | R | F1 | PER F1 | LOC F1 | ORG F1 | chars/s |", "|---|---:|---:|---:|---:|---:|---:|---:|"]
    lines += rows
    lines += ["", "Combinations (`vnnews_nlp.entities.combine`): *cnn-first* keeps every CNN span and adds",
              "the CRF's spans that overlap none; *crf-first* the other way round; *agree* keeps the",
              "spans both give.", "", "Command: `python bench/ner_dev.py " + " ".join(argv or sys.argv[1:]) + "`", ""]
    text = "\n".join(lines)
    print(text)
    a.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
