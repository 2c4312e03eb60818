"""Key figures: precision/recall against hand-annotated gold -> docs/figures.md.

    python bench/figures.py

Gold: corpora/figures_gold/*.jsonl, `{"id", "figures": [{start, end, value, unit, kind,
subject_start, subject_end}]}` (offsets into the VNTC text with that id; no text is stored).
The texts are read from ../shared/data/vntc/train.jsonl.gz by id.
A predicted figure matches a gold one when their spans overlap and value and unit are equal.
Subjects are scored on matched figures: exact text after collapsing whitespace.
The gold is split in two halves by file order: `dev` (looked at while writing the rules) and
`held-out` (read only to annotate); both are reported.
"""
from __future__ import annotations

import gzip
import json
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from vnnews_nlp.figures import find_figures  # noqa: E402
from vnnews_nlp.paths import corpora_dir, shared_dir  # noqa: E402

VNTC_TRAIN = shared_dir() / "data" / "vntc" / "train.jsonl.gz"
OUT = ROOT / "docs" / "figures.md"


def load_gold() -> list[dict]:
    gold = []
    for path in sorted((corpora_dir() / "figures_gold").glob("*.jsonl")):
        gold += [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
    return gold


def load_texts(ids: set[str], limit_extra: int = 0) -> tuple[dict, list]:
    texts, extra = {}, []
    with gzip.open(VNTC_TRAIN, "rt", encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            if d["id"] in ids:
                texts[d["id"]] = d["text"]
            elif len(extra) < limit_extra:
                extra.append(d["text"])
    missing = ids - texts.keys()
    if missing:
        raise SystemExit(f"gold ids not found in {VNTC_TRAIN}: {sorted(missing)[:5]}")
    return texts, extra


def norm(s: str | None) -> str | None:
    return " ".join(s.split()).lower() if s else None


def score(gold: list[dict], texts: dict) -> dict:
    c = dict(gold=0, pred=0, hit=0, span_hit=0, kind_ok=0, s_gold=0, s_pred=0, s_ok=0)
    misses = []
    for doc in gold:
        text = texts[doc["id"]]
        preds = find_figures(text)
        golds = doc["figures"]
        c["gold"] += len(golds)
        c["pred"] += len(preds)
        used = set()
        for g in golds:
            gval = Decimal(g["value"])
            cands = [i for i, p in enumerate(preds) if i not in used and p.start < g["end"] and g["start"] < p.end]
            if cands:
                c["span_hit"] += 1
            ok = [i for i in cands if preds[i].value == gval and preds[i].unit == g["unit"]]
            if not ok:
                got = preds[cands[0]] if cands else None
                misses.append((doc["id"], text[g["start"]:g["end"]], g["value"], g["unit"],
                               (str(got.value), got.unit) if got else None))
                continue
            i = ok[0]
            used.add(i)
            p = preds[i]
            c["hit"] += 1
            c["kind_ok"] += p.kind == g["kind"]
            gs = text[g["subject_start"]:g["subject_end"]] if g["subject_start"] is not None else None
            ps = text[p.subject[0]:p.subject[1]] if p.subject else None
            c["s_gold"] += gs is not None
            c["s_pred"] += ps is not None
            c["s_ok"] += gs is not None and norm(gs) == norm(ps)
        for i, p in enumerate(preds):
            if i not in used and not any(p.start < g["end"] and g["start"] < p.end for g in golds):
                misses.append((doc["id"], "FALSE POSITIVE", text[p.start:p.end], str(p.value), p.unit))
    c["misses"] = misses
    return c


def ratios(c: dict) -> dict:
    div = lambda a, b: a / b if b else 0.0  # noqa: E731
    return {
        "P": div(c["hit"], c["pred"]), "R": div(c["hit"], c["gold"]),
        "kind": div(c["kind_ok"], c["hit"]),
        "subj_P": div(c["s_ok"], c["s_pred"]), "subj_R": div(c["s_ok"], c["s_gold"]),
    }


def speed(texts: list[str]) -> float:
    find_figures(texts[0])
    times = []
    for t in texts:
        t0 = time.perf_counter()
        find_figures(t)
        times.append(time.perf_counter() - t0)
    return statistics.mean(times) * 1000, statistics.median(len(t) for t in texts)


def main() -> None:
    if not VNTC_TRAIN.exists():
        raise SystemExit(f"{VNTC_TRAIN} is missing: this benchmark needs ../shared beside the repo")
    gold = load_gold()
    texts, extra = load_texts({d["id"] for d in gold}, limit_extra=500)
    half = len(gold) // 2
    parts = {"dev": gold[:half], "held-out": gold[half:], "all": gold}
    rows = []
    for name, part in parts.items():
        c = score(part, texts)
        r = ratios(c)
        rows.append((name, len(part), c["gold"], c["pred"], r))
        if name == "all":
            misses = c["misses"]
    ms, median_len = speed(extra)
    lines = [
        "# Key figures: scores",
        "",
        "Gold: figures annotated by hand in real VNTC articles (`Kinh doanh`, train split), kept as",
        "ids and offsets in `corpora/figures_gold/`. Guideline: see the end of this page.",
        "A prediction counts when its span overlaps a gold figure and value (exact decimal) and",
        "unit are equal. Subject: exact text (whitespace collapsed, case folded) on matched figures.",
        "",
        "| split | articles | gold figures | predicted | P value+unit | R value+unit | kind acc. | subject P | subject R |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, n, g, p, r in rows:
        lines.append(f"| {name} | {n} | {g} | {p} | {r['P']:.3f} | {r['R']:.3f} | {r['kind']:.3f} | "
                     f"{r['subj_P']:.3f} | {r['subj_R']:.3f} |")
    lines += [
        "",
        f"Speed: `find_figures` (dates included) takes {ms:.2f} ms per article on average over the",
        f"first 500 other VNTC train articles (median {median_len:.0f} characters), one core.",
        "",
        "Produced by: `python bench/figures.py`",
        "",
        "## Errors on the gold (all)",
        "",
    ]
    lines += [f"- {m}" for m in misses] or ["- none"]
    lines += ["", GUIDELINE]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for name, n, g, p, r in rows:
        print(name, n, g, p, {k: round(v, 3) for k, v in r.items()})
    print(f"{ms:.2f} ms/article; {len(misses)} errors listed in {OUT}")


GUIDELINE = """## Annotation guideline

- A figure is a quantity written in digits, or a written-out number that contains a multiplier
  (`hai mươi`, `ba trăm`, `năm triệu`) or is a fraction (`một nửa`, `một phần ba`). A lone
  written-out digit word (`hai dự án`, `ba ngày`) is not annotated: in news it is mostly a
  determiner or part of an idiom (`một số`, `hai bên`).
- Not figures: dates and times of day, years, ordinals (`lần thứ 30`, `thứ 4`), identifiers
  (document numbers, `quận 5`, `giai đoạn 1`, model names, `5G`, `4.0`), phone numbers.
- Span: from the first digit to the end of the unit (`470.000 tỷ đồng`, `400.000 tấn/năm`).
  A range is one figure; its value is the lower bound (`795.000-807.000 đồng/chỉ` -> 795000).
- Unit: ISO code for money (`VND`, `USD`, `RUB`, `MYR`, `USD/thùng`, `VND/kg`); `%` (`%/tháng`);
  measures as written, abbreviations normalized (`m2` -> `m²`); durations `năm/tháng/ngày`
  are measures; for counts the counted noun as one word (`doanh nghiệp`, `chiếc`, `máy` in
  `400 máy ATM`); none when the sentence gives none. Cents are converted to USD.
- Kind: money, percent, measure, count, rank (`đứng thứ 6`, `tăng 10 bậc`), ratio (`gấp 4 lần`,
  `một nửa`).
- Subject: the phrase the figure measures where the sentence says it, usually the noun phrase
  before `đạt/là/chiếm/tăng/giảm/ở mức/lên`, without time modifiers (`Tăng trưởng GDP` from
  `Tăng trưởng GDP trong quý I`); for a count without one, the counted noun phrase
  (`doanh nghiệp công nghệ`); none where the sentence does not name it."""


if __name__ == "__main__":
    main()
