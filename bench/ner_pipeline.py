"""VLSP 2018 NER through the whole pipeline, the way `vnnews tag` runs it -> docs/ner-pipeline.md.

    python bench/ner_pipeline.py               # test: the number issue 13 reports (once, at the end)
    python bench/ner_pipeline.py --split dev   # dev (seen by the shipped CRF: shows only that nothing broke)

Each document goes through `run.analyze.analyze` (normalization, title line, segmentation,
entity stage with the knowledge), and every entity of `doc.ents` is mapped back to the input's
character offsets with `doc._.offsets`. Scored like bench/ner.py: outermost level, PER/LOC/ORG,
exact span and type. `--tagger` as in bench/entities_gold.py.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from training.ner import gold_spans, read_split, score  # noqa: E402
from vnnews_nlp.pipeline import load  # noqa: E402
from vnnews_nlp.run.analyze import analyze  # noqa: E402

OUT = ROOT / "docs" / "ner-pipeline.md"


def predict(nlp, doc: dict) -> list[tuple[int, int, str]]:
    d = analyze({"id": doc["id"], "text": doc["text"]}, nlp)
    return [(*d._.offsets.span_to_original(e.start_char, e.end_char), e.label_) for e in d.ents]


def use_tagger(nlp, spec: str | None, crf_path: str | None) -> None:
    """spec: None (the CRF), a CNN model dir, or HOW:CNN_DIR (combined with the CRF);
    crf_path: another CRF model dir (a train-only one, to compare on dev)."""
    from vnnews_nlp.entities.combine import CombinedTagger
    from vnnews_nlp.entities.model import NerModel, load_ner
    from vnnews_nlp.entities.tagger import CnnTagger

    crf = NerModel(Path(crf_path)) if crf_path else load_ner()
    if spec is None:
        model = crf
    else:
        how, _, path = spec.rpartition(":")
        model = CombinedTagger(CnnTagger(path), crf, how) if how else CnnTagger(path)
    nlp.get_pipe("vnnews_entities")._model = model


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", default="test", choices=("dev", "test"))
    ap.add_argument("--tagger", help="a CNN model dir, or HOW:CNN_DIR (cnn-first, crf-first, agree)")
    ap.add_argument("--crf", help="a CRF model dir instead of models/ner (a train-only one for dev)")
    ap.add_argument("--no-write", action="store_true")
    a = ap.parse_args(argv)
    docs = read_split(a.split)
    nlp = load()
    if a.tagger or a.crf:
        use_tagger(nlp, a.tagger, a.crf)
    t0 = time.time()
    pred = [predict(nlp, d) for d in docs]
    secs = time.time() - t0
    res = score([gold_spans(d) for d in docs], pred)
    print(json.dumps(res), file=sys.stderr)
    rows = [f"| {t} | {res[t]['p']:.4f} | {res[t]['r']:.4f} | **{res[t]['f1']:.4f}** | {res[t]['support']} |"
            for t in ("PER", "LOC", "ORG", "micro")]
    text = "\n".join([
        f"# VLSP 2018 NER {a.split} through the whole pipeline", "",
        f"{len(docs)} documents, outermost PER/LOC/ORG, exact span and type on the input's offsets; "
        f"every document analysed as `vnnews tag` does ({secs:.0f} s on this machine).",
        "Tagger: " + (a.tagger or "CRF") + ", CRF: " + (a.crf or "the shipped one (models/ner)") + ".", "",
        "| type | P | R | F1 | gold |", "|---|---:|---:|---:|---:|", *rows, "",
        f"Command: `python bench/ner_pipeline.py --split {a.split}" + (f" --tagger {a.tagger}" if a.tagger else "")
        + (f" --crf {a.crf}" if a.crf else "") + "`", ""])
    print(text)
    if not a.no_write and not a.tagger and not a.crf:
        (OUT if a.split == "test" else OUT.with_name(f"ner-pipeline-{a.split}.md")).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
