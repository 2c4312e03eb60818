"""Entities on our own held-out news: mentions, links and titles against corpora/gold -> docs/entities-gold.md.

    python bench/entities_gold.py                 # scores of both halves, writes the page
    python bench/entities_gold.py --errors        # also list the errors of the `tune` half
    python bench/entities_gold.py --tune-only --errors positions   # only the tune half, only its
                                                  # title and position errors (writes nothing)

Gold: corpora/gold/entities.jsonl (50 VNTC test articles, conventions in docs/entities.md),
read with their text from ../shared by id. Each article goes through the full pipeline as
`vnnews tag` runs it (`run.analyze.analyze`: title line cut off, normalization), and each
predicted entity is mapped back to the input's offsets with `doc._.offsets`.

Scores, PER/LOC/ORG (MISC is neither scored nor counted as an error):
- mentions: exact span and type;
- linked: exact span and type and the same entity: the gold canonical is looked up in our
  knowledge base (as written, or for a place with "thành phố"/"tỉnh" in front), and a
  prediction linked to that entity id counts; otherwise the canonical names must be equal
  (compared by `fold_key`, spaces collapsed). So "Kiên Giang" in the gold and the pipeline's
  "Tỉnh Kiên Giang" (loc:tinh-kien-giang) are the same entity. Over gold mentions that have a
  canonical and predictions that have one;
- titles: for gold persons with a title, the predicted person at the same span carries the
  same title text (compared by `fold_key`).
Errors are printed for the `tune` half only: the `heldout` half is for reporting, and nobody
reads its errors while changing the entity stage.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from gold import GOLD, texts  # noqa: E402
from vnnews_nlp.pipeline import load  # noqa: E402
from vnnews_nlp.run.analyze import analyze  # noqa: E402
from vnnews_nlp.text.normalize import fold_key  # noqa: E402

OUT = ROOT / "docs" / "entities-gold.md"
TYPES = ("PER", "LOC", "ORG")


_IDS: dict = {}


def gold_id(canonical: str | None, label: str) -> str | None:
    """The knowledge-base id a gold canonical name denotes, when the knowledge knows it."""
    if not canonical:
        return None
    if (canonical, label) not in _IDS:
        from vnnews_nlp.entities.knowledge import find_known, load_knowledge, tokenize

        kb, found = load_knowledge(), None
        forms = [canonical] + ([f"thành phố {canonical}", f"tỉnh {canonical}"] if label == "LOC" else [])
        for form in forms:
            toks = tokenize(form)
            ms = [m for m in find_known(form, toks, kb=kb)
                  if m.i == 0 and m.j == len(toks) and m.label == label and m.entity_id]
            if ms:
                found = ms[0].entity_id
                break
        if found is None:  # "Anh", "Nhật": names the knowledge links only where the tagger saw a place
            short = kb.short_names.map.get(tuple(t.key for t in tokenize(canonical)), [])
            ids = [a.target for a in short if kb.get(a.target) and kb.get(a.target).label == label]
            found = ids[0] if len(set(ids)) == 1 else None
        _IDS[(canonical, label)] = found
    return _IDS[(canonical, label)]


def key(s: str | None) -> str | None:
    return " ".join(fold_key(s).split()) if s else None


_PREDS: dict = {}


def predict(nlp, doc_id: str, text: str) -> list[dict]:
    """Predicted entities on the input's offsets, computed once per article per run."""
    if doc_id not in _PREDS:
        _PREDS[doc_id] = _predict(nlp, doc_id, text)
    return _PREDS[doc_id]


def _predict(nlp, doc_id: str, text: str) -> list[dict]:
    doc = analyze({"id": doc_id, "text": text}, nlp)
    out = []
    for e in doc.ents:
        s, t = doc._.offsets.span_to_original(e.start_char, e.end_char)
        out.append({"start": s, "end": t, "type": e.label_, "canonical": e._.canonical, "title": e._.title,
                    "entity_id": e._.entity_id, "positions": [p.to_dict() for p in e._.positions or ()]})
    return out


def prf(tp: int, n_pred: int, n_gold: int) -> dict:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return {"p": p, "r": r, "f": 2 * p * r / (p + r) if p + r else 0.0, "tp": tp, "pred": n_pred, "gold": n_gold}


def score(records: list[dict], tx: dict, nlp, errors: list | None = None) -> dict:
    c = Counter()
    for rec in records:
        text = tx[rec["id"]]
        gold = [g for g in rec["entities"] if g["type"] in TYPES]
        pred = [p for p in predict(nlp, rec["id"], text) if p["type"] in TYPES]
        g_at = {(g["start"], g["end"], g["type"]): g for g in gold}
        p_at = {(p["start"], p["end"], p["type"]): p for p in pred}
        for t in TYPES:
            c[f"gold {t}"] += sum(1 for g in gold if g["type"] == t)
            c[f"pred {t}"] += sum(1 for p in pred if p["type"] == t)
            c[f"tp {t}"] += sum(1 for k in p_at if k in g_at and k[2] == t)
        c["gold linked"] += sum(1 for g in gold if g.get("canonical"))
        c["pred linked"] += sum(1 for p in pred if p.get("canonical"))
        for k, g in g_at.items():
            p = p_at.get(k)
            gid = gold_id(g.get("canonical"), k[2])
            ok_link = bool(p and g.get("canonical") and (
                (gid is not None and p.get("entity_id") == gid) or key(p.get("canonical")) == key(g["canonical"])))
            c["tp linked"] += ok_link
            if g.get("title_start") is not None:
                want = text[g["title_start"]:g["title_end"]]
                c["gold titles"] += 1
                ok_title = bool(p and key(p.get("title")) == key(want))
                c["tp titles"] += ok_title
                if errors is not None and not ok_title:
                    errors.append((rec["id"], "title", text[k[0]:k[1]], want, p.get("title") if p else None))
            if errors is not None and p is None:
                errors.append((rec["id"], "missed", text[k[0]:k[1]], k[2]))
            elif errors is not None and g.get("canonical") and not ok_link:
                errors.append((rec["id"], "link", text[k[0]:k[1]], g["canonical"], p.get("canonical")))
        for k, g in g_at.items():  # positions: (person span, role, organisation)
            want = [(key(x["role"]), x.get("organisation")) for x in g.get("positions") or []]
            got = [(key(x["role"]), x.get("organisation"), x.get("organisation_id"))
                   for x in (p_at[k].get("positions") or [] if k in p_at else [])]
            c["gold positions"] += len(want)
            used = set()
            for role, org in want:
                hit = next((i for i, (r, o, oid) in enumerate(got) if i not in used and r == role and (
                    (org is None and o is None) or (org is not None and o is not None and (
                        key(o) == key(org) or (oid is not None and oid == gold_id(org, "ORG")))))), None)
                if hit is not None:
                    used.add(hit)
                    c["tp positions"] += 1
                elif errors is not None:
                    errors.append((rec["id"], "position", text[k[0]:k[1]], role, org, got))
        c["pred positions"] += sum(len(p.get("positions") or []) for p in p_at.values() if p["type"] == "PER")
        if errors is not None:  # predicted positions of persons the gold gives none
            for k, p in p_at.items():
                if p["type"] == "PER" and p.get("positions") and not (g_at.get(k) or {}).get("positions"):
                    errors.append((rec["id"], "position", text[k[0]:k[1]], "(none in gold)", None,
                                   [(x["role"], x.get("organisation")) for x in p["positions"]]))
        for k, p in p_at.items():
            if k in g_at:
                c["pred titles"] += p.get("title") is not None and g_at[k].get("title_start") is not None
            elif errors is not None:
                errors.append((rec["id"], "spurious", text[k[0]:k[1]], k[2]))
        c["articles"] += 1
    out = {t: prf(c[f"tp {t}"], c[f"pred {t}"], c[f"gold {t}"]) for t in TYPES}
    out["micro"] = prf(sum(c[f"tp {t}"] for t in TYPES), sum(c[f"pred {t}"] for t in TYPES),
                       sum(c[f"gold {t}"] for t in TYPES))
    out["linked"] = prf(c["tp linked"], c["pred linked"], c["gold linked"])
    out["titles"] = prf(c["tp titles"], c["gold titles"], c["gold titles"])
    out["positions"] = prf(c["tp positions"], c["pred positions"], c["gold positions"])
    out["articles"] = c["articles"]
    return out


def table(results: dict) -> list[str]:
    lines = ["| half | articles | mentions P | R | F1 | PER F1 | LOC F1 | ORG F1 | linked P | R | F1 | titles right "
             "| positions P | R |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for half, r in results.items():
        m, ln, ti, po = r["micro"], r["linked"], r["titles"], r["positions"]
        lines.append(f"| {half} | {r['articles']} | {m['p']:.3f} | {m['r']:.3f} | **{m['f']:.3f}** | "
                     f"{r['PER']['f']:.3f} | {r['LOC']['f']:.3f} | {r['ORG']['f']:.3f} | {ln['p']:.3f} | "
                     f"{ln['r']:.3f} | **{ln['f']:.3f}** | {ti['tp']}/{ti['gold']} ({ti['r']:.3f}) | "
                     f"{po['p']:.3f} | {po['r']:.3f} |")
    return lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--errors", nargs="?", const="all", choices=("all", "positions"),
                    help="print the errors of the tune half (`positions`: title and position errors only)")
    ap.add_argument("--tune-only", action="store_true",
                    help="score the tune half only (no heldout numbers while tuning); implies --no-write")
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--tagger", help="compare another tagger: a CNN model dir, or HOW:CNN_DIR to combine it with "
                                     "the shipped CRF (HOW: cnn-first, crf-first, agree); implies --no-write")
    a = ap.parse_args()
    records = [json.loads(x) for x in (GOLD / "entities.jsonl").open(encoding="utf-8") if x.strip()]
    if a.tune_only:
        records = [r for r in records if r["half"] == "tune"]
        a.no_write = True
    tx = texts({r["id"] for r in records})
    nlp = load()
    if a.tagger:
        from ner_pipeline import use_tagger

        use_tagger(nlp, a.tagger, None)
        a.no_write = True
    errs: list = []
    results = {}
    for half in ("tune",) if a.tune_only else ("tune", "heldout"):
        part = [r for r in records if r["half"] == half]
        results[half] = score(part, tx, nlp, errs if (a.errors and half == "tune") else None)
    if not a.tune_only:
        results["all"] = score(records, tx, nlp)
    lines = ["# Entities on our own held-out news", "",
             "Gold: `corpora/gold/entities.jsonl`, 50 VNTC test articles from all ten topics, annotated by",
             "reading (conventions: docs/entities.md). PER/LOC/ORG, exact span on the input text, through",
             "the full pipeline. Targets (issue 13): mentions F1 ≥ 0.92, linked F1 ≥ 0.9, titles ≥ 0.9.", ""]
    lines += table(results)
    lines += ["", "Positions (issue 17): a gold (person span, role, organisation) is found when the predicted",
              "person at that span has a position with the same role and the same organisation (same",
              "knowledge-base id, or equal canonical names; both null counts too). Predicted positions",
              "are counted over every predicted person.", "", "Command: `python bench/entities_gold.py`", ""]
    text = "\n".join(lines)
    print(text)
    for e in errs:
        if a.errors == "all" or e[1] in ("title", "position"):
            print(*e, sep="\t", file=sys.stderr)
    if not a.no_write:
        OUT.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
