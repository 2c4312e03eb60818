"""Category classifier: weak labels, training of the shipped models, scores -> docs/categories.md.

    python bench/categories.py weak      # rules -> corpora/portal_weak/weak.jsonl (ids + offsets)
    python bench/categories.py portal-select  # settings on dev CV + held-out slices of labelled
    python bench/categories.py portal-vectors DIR  # try: the floret vectors (training/ner_cnn.py) as a second model
    python bench/categories.py portal [--plot]  # CV on portal dev, train + save portal_qt
                                      # (--plot: reliability diagram -> docs/categories_reliability.png)
    python bench/categories.py vntc-select  # choose VNTC settings on a held-out slice of train
    python bench/categories.py vntc      # train on VNTC train, score VNTC test, save models/.../vntc
    python bench/categories.py speed     # categories stage cost per article, now vs before
    python bench/categories.py docs      # latency + write docs/categories.md from the meta files
    python bench/categories.py all

Reads ../shared by path; copies no text into the repo.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import re
import statistics
import sys
import time
import unicodedata
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from vnnews_nlp.categories import model as classify  # noqa: E402
from vnnews_nlp.categories import train as trainer  # noqa: E402
from vnnews_nlp.paths import corpora_dir, models_dir, shared_dir  # noqa: E402
from vnnews_nlp.categories.taxonomy import load_taxonomy  # noqa: E402

DATA = shared_dir() / "data"
VNTC_TRAIN = DATA / "vntc" / "train.jsonl.gz"
VNTC_TEST = DATA / "vntc" / "test.jsonl.gz"
PORTAL_DEV = DATA / "portal" / "dev.jsonl"
LABELLED = DATA / "portal" / "train_labelled.jsonl"  # 300 VNTC train articles, read and labelled
WEAK_DIR = corpora_dir() / "portal_weak"
EXAMPLES = corpora_dir() / "portal_examples" / "examples.jsonl"
TAXONOMY = corpora_dir() / "taxonomy" / "portal_qt.json"
HEAD = 200  # headline zone: VNTC texts start with the title


def read_jsonl(path):
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def text_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def sha256(*paths) -> str:
    return trainer.files_sha256(paths)


# -- weak labels --------------------------------------------------------------------------

def _compile(rules):
    out = {}
    for code, rule in rules.items():
        pats = [(_phrase(p), w) for p, w in rule["phrases"].items()]
        needs = [_phrase(p) for p in rule.get("needs", [])]
        head = [_phrase(p) for p in rule.get("head", [])]
        out[code] = (pats, needs, head, rule["min"])
    return out


# "dịch vụ công", "tài sản công" must not match "dịch vụ công nghệ", "tài sản công dân"
_AFTER_CONG = r"(?! (?:nghệ|dân|an|cộng|ty|nhân|trình|việc|tác|nghiệp|khai|bố|ích|chúng|lý))"


def _phrase(p: str):
    tail = _AFTER_CONG if p.endswith("công") else ""
    return re.compile(r"(?<!\w)" + re.escape(p) + r"(?!\w)" + tail)


def score_text(text: str, compiled) -> dict:
    """{code: (score, [[start, end], ...])} for categories whose rule fires."""
    low = unicodedata.normalize("NFC", text).lower()
    if len(low) != len(text):  # offsets must stay valid for the original text
        low = text.lower()
    out = {}
    for code, (pats, needs, head, minimum) in compiled.items():
        if head and not any(h.search(low, 0, HEAD) for h in head):
            continue
        if needs and not any(n.search(low) for n in needs):
            continue
        score, spans = 0.0, []
        for pat, w in pats:
            for k, m in enumerate(pat.finditer(low)):
                if k >= 3:
                    break
                score += w * (2 if m.start() < HEAD else 1)
                spans.append([m.start(), m.end()])
        if score >= minimum:
            out[code] = (score, sorted(spans)[:8])
    return out


def weak():
    cfg = json.loads((WEAK_DIR / "rules.json").read_text(encoding="utf-8"))
    compiled = _compile(cfg["rules"])
    test_hashes = {text_hash(r["text"]) for r in read_jsonl(VNTC_TEST)}
    dev_ids = {r["id"] for r in read_jsonl(PORTAL_DEV)}
    picked = {code: [] for code in cfg["rules"]}
    for r in read_jsonl(VNTC_TRAIN):
        # anything that is also in the test split (where portal dev/held-out come from) stays out
        if r["label"] not in cfg["sources"] or r["id"] in dev_ids or \
                text_hash(r["text"]) in test_hashes:
            continue
        hits = score_text(r["text"], compiled)
        if not hits:
            continue
        ranked = sorted(hits.items(), key=lambda kv: -kv[1][0])
        code, (score, spans) = ranked[0]
        # a close second rule is a second menu; an unclear winner is dropped
        if len(ranked) > 1 and ranked[1][1][0] >= score:
            continue
        also = [c for c, (s, _) in ranked[1:3] if s >= 0.6 * score]
        picked[code].append({"id": r["id"], "label": code, "also": also, "score": score,
                             "evidence": spans, "sha1": text_hash(r["text"])})
    rows = []
    for code, items in picked.items():
        items.sort(key=lambda x: -x["score"])
        rows += items[:cfg["cap_per_category"]]
        print(f"{code:22s} matched {len(items):5d} kept {min(len(items), cfg['cap_per_category'])}")
    with open(WEAK_DIR / "weak.jsonl", "w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} weak labels to {WEAK_DIR / 'weak.jsonl'}")


def weak_records(train_texts: dict | None = None) -> list[dict]:
    rows = read_jsonl(WEAK_DIR / "weak.jsonl")
    if train_texts is None:
        train_texts = {r["id"]: r["text"] for r in read_jsonl(VNTC_TRAIN)}
    out = []
    for row in rows:
        text = train_texts[row["id"]]
        if text_hash(text) != row["sha1"]:
            raise SystemExit(f"VNTC text of {row['id']} changed; rerun `bench/categories.py weak`")
        out.append({"id": row["id"], "text": text, "labels": [row["label"]] + row["also"]})
    return out


def review(code: str, n: int = 8):
    """Print headlines of a sample of weak labels for one category (precision check)."""
    rows = [r for r in read_jsonl(WEAK_DIR / "weak.jsonl") if r["label"] == code]
    texts = {r["id"]: r["text"] for r in read_jsonl(VNTC_TRAIN)}
    rng = np.random.default_rng(0)
    for i in rng.permutation(len(rows))[:n]:
        row = rows[i]
        t = texts[row["id"]]
        ev = ", ".join(t[s:e] for s, e in row["evidence"][:5])
        print(f"- {row['score']:.0f} {row['also']} | {t[:110]!r} | {ev}")


# -- portal model -------------------------------------------------------------------------

# chosen with `bench/categories.py portal-select` (dev CV + held-out slices of labelled)
PORTAL_OPTIONS = {"algorithm": "svm", "C": 1.0, "max_features": 50_000, "min_df": 1,
                  "also_weight": 0.5}
DEV_WEIGHT = 2.0  # an editor's label counts more than a keyword rule's
LABELLED_WEIGHT = 2.0  # labelled by reading, like dev


def _texts_for(path, ids) -> dict:
    """Texts of some ids, parsing only the lines that hold them (the files are large)."""
    out = {}
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            m = re.search(r'"id": ?"((?:[^"\\]|\\.)*)"', line[:300])
            if m and json.loads(f'"{m.group(1)}"') in ids:
                r = json.loads(line)
                out[r["id"]] = r["text"]
    return out


def dev_records(train_texts=None) -> list[dict]:
    wanted = {r["id"]: r for r in read_jsonl(PORTAL_DEV)}
    texts = _texts_for(VNTC_TEST, set(wanted))
    missing = set(wanted) - set(texts)
    if missing:
        texts.update({i: train_texts[i] for i in missing} if train_texts is not None
                     else _texts_for(VNTC_TRAIN, missing))
    return [{"id": i, "text": texts[i], "labels": [d["primary"]] + d["also"],
             "confidence": d["confidence"]} for i, d in wanted.items()]


def labelled_records(train_texts) -> list[dict]:
    """The 300 VNTC train articles labelled by reading (../shared/data/portal/README)."""
    return [{"id": r["id"], "text": train_texts[r["id"]], "labels": [r["primary"]] + r["also"],
             "confidence": r["confidence"]} for r in read_jsonl(LABELLED)]


def portal_data(words: bool = True):
    """(base, labelled, dev, replaced): base = weak labels (minus articles a person
    labelled, whose label wins: `replaced`) + examples. With `words`, every record carries
    its segmented words."""
    train_texts = {r["id"]: r["text"] for r in read_jsonl(VNTC_TRAIN)}
    labelled = labelled_records(train_texts)
    read = {r["id"] for r in labelled}
    all_weak = weak_records(train_texts)
    weak_recs = [r for r in all_weak if r["id"] not in read]
    replaced = [r for r in all_weak if r["id"] in read]
    examples = trainer.read_corpus([EXAMPLES])
    dev = dev_records(train_texts)
    if words:
        from multiprocessing import Pool
        recs = all_weak + examples + labelled + dev
        with Pool(2) as pool:
            for r, ws in zip(recs, pool.map(classify.text_words, [r["text"] for r in recs],
                                            chunksize=20)):
                r["words"] = ws
    return weak_recs + examples, labelled, dev, replaced


def trusted(recs, weight):
    return [dict(r, weight=weight, trusted=True) for r in recs]


def cv_folds(base, held, held_weight, folds=5, seed=0):
    """(indices of `held` scored, training records) per fold: `base` and the other folds of
    `held` (trusted, weight `held_weight`), never the articles scored."""
    order = np.random.default_rng(seed).permutation(len(held))
    for f in range(folds):
        test_idx = order[f::folds]
        skip = set(test_idx.tolist())
        yield test_idx, base + trusted([held[i] for i in order if i not in skip], held_weight)


def held_out_cv(base, held, options, held_weight, folds=5, seed=0):
    """Out-of-fold probabilities on `held` (folds: `cv_folds`)."""
    classes = sorted({lab for r in base + held for lab in r["labels"]})
    proba = np.zeros((len(held), len(classes)))
    for test_idx, recs in cv_folds(base, held, held_weight, folds, seed):
        model = trainer.train(recs, **options)
        p = model.predict_proba([held[i]["text"] for i in test_idx]) if not model.words else \
            softmax_rows(model, [held[i] for i in test_idx])
        proba[np.ix_(test_idx, [classes.index(c) for c in model.classes])] = p
    return classes, proba


def doc_vectors(texts, vectors_dir) -> np.ndarray:
    """Each text's mean floret vector over its syllables (the entity tagger's static vectors,
    `python -m training.ner_cnn vectors`), L2-normalised: a try of vectors as document
    features."""
    import spacy

    vocab = spacy.load(vectors_dir).vocab
    cache, out = {}, np.zeros((len(texts), vocab.vectors.shape[1]), np.float32)
    for i, t in enumerate(texts):
        sy = classify.syllables(t)
        for w in sy:
            if w not in cache:
                cache[w] = vocab.get_vector(w)
        if sy:
            v = np.mean([cache[w] for w in sy], axis=0)
            out[i] = v / (np.linalg.norm(v) or 1.0)
    return out


def portal_vectors(vectors_dir: str, alphas=(0.0, 0.2, 0.35, 0.5)):
    """The shipped setting's out-of-fold probabilities fused with a logistic regression on
    `doc_vectors` (log-linear, weight alpha on the vector model), scored like portal-select
    on dev (5-fold, train_labelled in training) and on train_labelled (5-fold, dev in
    training)."""
    from sklearn.linear_model import LogisticRegression

    base, labelled, dev, _ = portal_data()
    options = dict(PORTAL_SELECT)[PORTAL_CHOSEN]
    options = dict(options, parents=_parents())
    opts = _train_options(options)
    base = _weighed(base, options)
    vec = dict(zip([r["text"] for r in base + labelled + dev],
                   doc_vectors([r["text"] for r in base + labelled + dev], vectors_dir)))

    def fused_cv(train_base, held, held_weight):
        classes, pt = held_out_cv(train_base, held, opts, held_weight)
        pv = np.full((len(held), len(classes)), 1e-6)
        for test_idx, recs in cv_folds(train_base, held, held_weight):  # the same folds
            X = np.array([vec[r["text"]] for r in recs])
            y = [r["labels"][0] for r in recs]
            w = [r.get("weight", 1.0) for r in recs]
            lr = LogisticRegression(C=10.0, max_iter=2000).fit(X, y, sample_weight=w)
            pv[np.ix_(test_idx, [classes.index(c) for c in lr.classes_])] = \
                lr.predict_proba(np.array([vec[held[i]["text"]] for i in test_idx]))
        return classes, pt, pv

    dcls, dpt, dpv = fused_cv(base + trusted(labelled, LABELLED_WEIGHT), dev, DEV_WEIGHT)
    lcls, lpt, lpv = fused_cv(base + trusted(dev, DEV_WEIGHT), labelled, LABELLED_WEIGHT)
    rows = {}
    for a in alphas:
        out = {}
        for name, cls, held, pt, pv in (("dev", dcls, dev, dpt, dpv), ("labelled", lcls, labelled, lpt, lpv)):
            logp = (1 - a) * np.log(np.clip(pt, 1e-9, 1)) + a * np.log(np.clip(pv, 1e-9, 1))
            p = np.exp(logp - logp.max(1, keepdims=True))
            p /= p.sum(1, keepdims=True)
            sc = trainer.evaluate_proba(cls, held, p)
            out[name] = {k: round(float(sc[k]), 4) for k in ("accuracy", "top3_accuracy", "macro_f1", "ece")}
        rows[f"alpha {a}"] = out
        print(f"alpha {a}: " + " | ".join(f"{n} top-1 {o['accuracy']:.3f} top-3 {o['top3_accuracy']:.3f} "
                                          f"F1 {o['macro_f1']:.3f} ECE {o['ece']:.3f}" for n, o in out.items()), flush=True)
    (models_dir() / "categories" / "portal_vectors.json").write_text(json.dumps(rows, indent=1))


def softmax_rows(model, recs):
    """Probabilities of a word model for records that carry their words (no re-segmenting)."""
    X = model.transform([r["text"] for r in recs], words=[r["words"] for r in recs])
    return model.predict_proba(X)


def portal_scores(base, labelled, dev, options, replaced=()):
    """(dev CV, labelled CV, dev probabilities): dev scored 5-fold with labelled in training,
    and labelled scored 5-fold with dev in training. Option labelled=False: the training set
    before train_labelled (every weak label, `replaced` too), dev CV only."""
    opts = _train_options(options)
    base = _weighed(base, options)
    use = options.get("labelled", True)
    lab = trusted(labelled, LABELLED_WEIGHT) if use else list(replaced)
    dev_cls, dev_p = held_out_cv(base + lab, dev, opts, DEV_WEIGHT)
    dev_cv = trainer.evaluate_proba(dev_cls, dev, dev_p)
    lab_cv = None
    if use:
        cls, p = held_out_cv(base + trusted(dev, DEV_WEIGHT), labelled, opts, LABELLED_WEIGHT)
        lab_cv = trainer.evaluate_proba(cls, labelled, p)
    return dev_cv, lab_cv, (dev_cls, dev_p)


def _parents():
    return load_taxonomy(TAXONOMY).parents()


PORTAL_SELECT = [  # (name, options): each row of the selection table in docs/categories.md
    ("syllables, without train_labelled (before)", dict(PORTAL_OPTIONS, labelled=False)),
    ("syllables", dict(PORTAL_OPTIONS)),
    ("syllables + words", dict(PORTAL_OPTIONS, words=True)),
    ("syllables + words, hierarchy 0.5", dict(PORTAL_OPTIONS, words=True, parent_weight=0.5)),
    ("syllables + words, hierarchy 1.0", dict(PORTAL_OPTIONS, words=True, parent_weight=1.0)),
    ("syllables + words, C=0.5", dict(PORTAL_OPTIONS, words=True, C=0.5)),
    ("syllables + words, C=3", dict(PORTAL_OPTIONS, words=True, C=3.0)),
    ("syllables + words, hierarchy 0.5, C=3", dict(PORTAL_OPTIONS, words=True, C=3.0,
                                                   parent_weight=0.5)),
    ("syllables + words, hierarchy 0.5, smoothed calibration",
     dict(PORTAL_OPTIONS, words=True, parent_weight=0.5, smooth=True)),
    ("syllables + words, hierarchy 0.5, weak labels weigh 0.5",
     dict(PORTAL_OPTIONS, words=True, parent_weight=0.5, weak_weight=0.5)),
    ("syllables + words, hierarchy 0.5, weak labels weigh 0.25",
     dict(PORTAL_OPTIONS, words=True, parent_weight=0.5, weak_weight=0.25)),
    ("syllables + words + entities and figures, hierarchy 0.5, weak labels weigh 0.25",
     dict(PORTAL_OPTIONS, words=True, parent_weight=0.5, weak_weight=0.25, entities=True)),
]
SELECT_OUT = models_dir() / "categories" / "portal_select.json"


def portal_select(only=None):
    base, labelled, dev, replaced = portal_data()
    print(f"base {len(base)}, labelled {len(labelled)}, dev {len(dev)}")
    rows = json.loads(SELECT_OUT.read_text()) if SELECT_OUT.is_file() else {}
    for name, opt in PORTAL_SELECT:
        if only and not any(o in name for o in only):
            continue
        if opt.get("parent_weight"):
            opt = dict(opt, parents=_parents())
        t0 = time.perf_counter()
        if opt.get("entities"):
            eb, el, ed, er = with_entity_terms(base, labelled, dev, replaced)
            dev_cv, lab_cv, _ = portal_scores(eb, el, ed, opt, er)
        else:
            dev_cv, lab_cv, _ = portal_scores(base, labelled, dev, opt, replaced)
        keep = ("accuracy", "top3_accuracy", "macro_f1", "ece", "brier")
        rows[name] = {"dev": {k: dev_cv[k] for k in keep},
                      "labelled": {k: lab_cv[k] for k in keep} if lab_cv else None}
        print(f"{name}: dev acc {dev_cv['accuracy']:.3f} top3 {dev_cv['top3_accuracy']:.3f} "
              f"F1 {dev_cv['macro_f1']:.3f} ECE {dev_cv['ece']:.3f}" +
              (f" | labelled acc {lab_cv['accuracy']:.3f} top3 {lab_cv['top3_accuracy']:.3f} "
               f"F1 {lab_cv['macro_f1']:.3f} ECE {lab_cv['ece']:.3f}" if lab_cv else "") +
              f" ({time.perf_counter() - t0:.0f} s)", flush=True)
        SELECT_OUT.write_text(json.dumps(rows, indent=1, ensure_ascii=False))


# the PORTAL_SELECT row shipped: top-1 on dev is the same for every row with train_labelled
# (0.873), so the larger train_labelled CV decides: best top-3 there (0.933), top-1 one
# article short of the best (0.737 against 0.740 for weak labels at 0.5)
PORTAL_CHOSEN = "syllables + words, hierarchy 0.5, weak labels weigh 0.25"
RELIABILITY_PNG = ROOT / "docs" / "categories_reliability.png"


def portal(plot: bool = False):
    base, labelled, dev, _ = portal_data()
    print(f"base {len(base)}, labelled {len(labelled)}, dev {len(dev)}")
    options = dict(PORTAL_SELECT)[PORTAL_CHOSEN]
    if options.get("parent_weight"):
        options = dict(options, parents=_parents())
    cv, lab_cv, (dev_classes, dev_proba) = portal_scores(base, labelled, dev, options)
    print(f"dev 5-fold CV: acc {cv['accuracy']:.3f} top3 {cv['top3_accuracy']:.3f} "
          f"macro-F1 {cv['macro_f1']:.3f} accepted {cv['accepted_accuracy']:.3f} "
          f"Brier {cv['brier']:.3f} ECE {cv['ece']:.3f}")
    print(f"labelled 5-fold CV: acc {lab_cv['accuracy']:.3f} top3 {lab_cv['top3_accuracy']:.3f}"
          f" macro-F1 {lab_cv['macro_f1']:.3f} ECE {lab_cv['ece']:.3f}")
    cv["ece_if_calibrated"] = ece_floor(dev_proba)
    print(f"ECE a perfectly calibrated model with these confidences would show on "
          f"{len(dev)} articles: median {cv['ece_if_calibrated']['median']:.3f}, 90% below "
          f"{cv['ece_if_calibrated']['p90']:.3f}")
    if plot:
        reliability_plot(dev_classes, dev, dev_proba, RELIABILITY_PNG)
        print("wrote", RELIABILITY_PNG)
    # the rules alone, as a baseline: top-1 = the strongest firing rule
    cfg = json.loads((WEAK_DIR / "rules.json").read_text(encoding="utf-8"))
    compiled = _compile(cfg["rules"])
    hits = [score_text(r["text"], compiled) for r in dev]
    rule_acc = np.mean([bool(h) and max(h, key=lambda c: h[c][0]) == r["labels"][0]
                        for h, r in zip(hits, dev)])
    print(f"rules alone: top-1 {rule_acc:.3f}, fire on {np.mean([bool(h) for h in hits]):.2f}")
    out = models_dir() / "categories" / "portal_qt"
    model = trainer.train(_weighed(base, options) + trusted(labelled, LABELLED_WEIGHT) +
                          trusted(dev, DEV_WEIGHT),
                          **_train_options(options))
    model.save(out)
    tax = load_taxonomy(TAXONOMY)
    (out / "taxonomy.json").write_text(json.dumps(tax.to_dict(), ensure_ascii=False, indent=1),
                                       encoding="utf-8")
    counts = {}
    for r in base + labelled + dev:
        counts[r["labels"][0]] = counts.get(r["labels"][0], 0) + 1
    shown = {k: v for k, v in options.items() if k != "parents"}
    trainer.write_meta(
        out, model, name="portal_qt",
        data=[WEAK_DIR / "weak.jsonl", EXAMPLES, LABELLED, PORTAL_DEV, VNTC_TRAIN, VNTC_TEST],
        command="python bench/categories.py portal",
        scores={"portal_dev_5fold_cv": cv, "train_labelled_5fold_cv": lab_cv,
                "rules_alone_top1": float(rule_acc),
                "training_calibration_cv": model.info.get("cross_validated")},
        extra={"training_records": {"weak_and_examples": len(base),
                                    "train_labelled": len(labelled), "portal_dev": len(dev)},
               "records_per_label": counts, "setting": PORTAL_CHOSEN, "options": shown,
               "dev_weight": DEV_WEIGHT, "labelled_weight": LABELLED_WEIGHT})
    print("saved", out)


def ece_floor(proba, bins=10, draws=2000, seed=0) -> dict:
    """The ECE a perfectly calibrated model would show with these top-1 probabilities on so
    few articles: each top-1 is right with exactly its probability, drawn `draws` times.
    On 63 articles, ten bins hold a handful each and ECE measures their noise as well."""
    rng = np.random.default_rng(seed)
    conf = proba.max(axis=1)
    edges = np.linspace(0, 1, bins + 1)
    which = np.clip(np.searchsorted(edges, conf, side="left") - 1, 0, bins - 1)
    out = []
    for _ in range(draws):
        hit = rng.random(len(conf)) < conf
        out.append(sum(abs(hit[which == b].mean() - conf[which == b].mean()) * (which == b).mean()
                       for b in range(bins) if (which == b).any()))
    return {"median": float(np.median(out)), "p90": float(np.percentile(out, 90))}


def _train_options(options):
    return {k: v for k, v in options.items() if k not in ("labelled", "weak_weight", "entities")}


def entity_terms(text: str) -> list[str]:
    """What the entity and figures stages find in a text, as extra terms for a try of entity
    and figure features: the linked entity ("@ent_org:bo-noi-vu"), its kind ("@kind_ministry"),
    each official's role ("@role_phó chủ tịch"), each figure's kind and unit ("@fig_money",
    "@unit_VND")."""
    from vnnews_nlp.pipeline import load
    from vnnews_nlp.run.analyze import analyze

    doc = analyze(text, load(components=("vnnews_entities", "vnnews_figures")))
    out = []
    for e in doc.ents:
        out.append(f"@ent_{e._.entity_id}" if e._.entity_id else f"@{e.label_}")
        if e._.kind:
            out.append(f"@kind_{e._.kind}")
        out += [f"@role_{p.role.lower()}" for p in (e._.positions or ())]
    for sp in doc.spans.get("figures", []):
        out += [f"@fig_{sp._.figure.kind}"] + ([f"@unit_{sp._.figure.unit}"] if sp._.figure.unit else [])
    return out


def with_entity_terms(*groups):
    """Copies of the record lists whose words carry `entity_terms` (computed once per text)."""
    from multiprocessing import Pool

    recs = [r for g in groups for r in g]
    texts = sorted({r["text"] for r in recs})
    with Pool(2) as pool:
        terms = dict(zip(texts, pool.map(entity_terms, texts, chunksize=10)))
    return [[dict(r, words=r.get("words", []) + terms[r["text"]]) for r in g] for g in groups]


def _weighed(base, options):
    """Weak labels and examples at `weak_weight` (1 by default) against 2 for articles a
    person read: the weak labels are the keyword rules' view, and the model learns it."""
    w = options.get("weak_weight", 1.0)
    return base if w == 1.0 else [dict(r, weight=r.get("weight", 1.0) * w) for r in base]


def reliability_plot(classes, records, proba, png, bins=10):
    """Reliability diagram of the top-1 probability (needs matplotlib: the `plot` extra)."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as err:
        raise SystemExit("--plot needs matplotlib: `pip install -e .[plot]`") from err
    conf = proba.max(axis=1)
    hit = np.array([classes[i] == r["labels"][0] for i, r in zip(proba.argmax(1), records)])
    edges = np.linspace(0, 1, bins + 1)
    mids, accs, ns = [], [], []
    for lo, hi in zip(edges[:-1], edges[1:]):
        m = (conf > lo) & (conf <= hi)
        if m.any():
            mids.append(conf[m].mean())
            accs.append(hit[m].mean())
            ns.append(int(m.sum()))
    ece = trainer.evaluate_proba(classes, records, proba, bins)["ece"]
    fig, ax = plt.subplots(figsize=(4.5, 4.5))
    ax.plot([0, 1], [0, 1], "--", color="grey", lw=1, label="perfect calibration")
    ax.plot(mids, accs, "o-", label=f"portal dev, 5-fold CV (ECE {ece:.3f})")
    for x, y, n in zip(mids, accs, ns):
        ax.annotate(str(n), (x, y), textcoords="offset points", xytext=(4, -10), fontsize=7)
    ax.set_xlabel("top-1 probability (mean in bin)")
    ax.set_ylabel("top-1 accuracy in bin")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    fig.savefig(png, dpi=110)
    plt.close(fig)


# -- VNTC 10 topics -----------------------------------------------------------------------

# chosen on a held-out 20% of VNTC train (`bench/categories.py vntc-select`), never on test
VNTC_OPTIONS = {"algorithm": "svm", "C": 1.0, "max_features": 150_000, "min_df": 2,
                "calibrate_folds": 3}


def vntc_split():
    """(texts, labels, fit, held) of VNTC train: a stratified 80/20 split, the held-out part
    without the texts that also occur in the 80% (as the test is scored without texts also in
    train). Every VNTC setting is chosen on it; test is never read."""
    from sklearn.model_selection import train_test_split
    rows = read_jsonl(VNTC_TRAIN)
    texts, y = [r["text"] for r in rows], np.array([r["label"] for r in rows])
    fit, held = train_test_split(np.arange(len(rows)), test_size=0.2, stratify=y,
                                 random_state=0)
    seen = {text_hash(texts[i]) for i in fit}
    return texts, y, fit, np.array([i for i in held if text_hash(texts[i]) not in seen])


def vntc_select(configs=((2, 150_000), (3, 400_000)), Cs=(0.25, 0.5, 1.0)):
    """Model choice on VNTC train only: fit on 80%, score the other 20% without the texts that
    also occur in the 80% (as the test is scored without texts also in train)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import SGDClassifier
    from sklearn.svm import LinearSVC
    texts, y, fit, held = vntc_split()
    print(f"fit {len(fit)}, held out {len(held)}")
    for n, max_features in configs:
        vec = TfidfVectorizer(analyzer=lambda t, n=n: classify.ngrams(classify.syllables(t), n),
                              sublinear_tf=True, min_df=2, max_features=max_features,
                              dtype=np.float32)
        X = vec.fit_transform(texts)  # no labels used: vocabulary and idf only
        fits = [(f"LinearSVC C={C}", LinearSVC(C=C)) for C in Cs]
        fits.append(("SGD modified_huber averaged", SGDClassifier(
            loss="modified_huber", alpha=2e-5, average=True, max_iter=20, tol=None,
            random_state=0)))
        for name, est in fits:
            est.fit(X[fit], y[fit])
            acc = float(np.mean(est.predict(X[held]) == y[held]))
            print(f"syllable 1-{n} grams, {X.shape[1]} features, {name}: held-out acc {acc:.4f}")


def _title_twice(text: str) -> list[str]:
    """Syllable 1-2 grams, the first line (VNTC's title) counted twice: titles name the topic."""
    title = text.split("\n", 1)[0][:300]
    return classify.ngrams(classify.syllables(title), 2) + \
        classify.ngrams(classify.syllables(text), 2)


def vntc_select_more():
    """Two cheap ideas, same split as vntc_select (train only): all syllable 1-2 grams seen
    twice (no 150k cap), and the title counted twice."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC
    texts, y, fit, held = vntc_split()
    for name, analyzer, cap in [
            ("syllable 1–2 grams, no cap", lambda t: classify.ngrams(classify.syllables(t), 2),
             None),
            ("syllable 1–2 grams, title twice, 150k", _title_twice, 150_000)]:
        X = TfidfVectorizer(analyzer=analyzer, sublinear_tf=True, min_df=2, max_features=cap,
                            dtype=np.float32).fit_transform(texts)
        for C in (0.5, 1.0):
            acc = float(np.mean(LinearSVC(C=C).fit(X[fit], y[fit]).predict(X[held]) == y[held]))
            print(f"{name}, {X.shape[1]} features, LinearSVC C={C}: held-out acc {acc:.4f}",
                  flush=True)


def _segmented_words(text: str) -> list[str]:
    from vnnews_nlp.pipeline import load

    doc = load(()).make_doc(text)  # the project's tokenizer: normalization + word segmentation
    return [t.text.lower().replace(" ", "_") for t in doc
            if not t.is_space and (t.is_alpha or t.text[0].isalnum() or " " in t.text)]


def vntc_words():
    """Held-out check (same split as vntc_select) of word-segmented features: words 1-2 grams
    alone and added to the shipped syllable 1-2 grams. Train only; test is never read."""
    from multiprocessing import Pool

    import scipy.sparse as sp
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC
    texts, y, fit, held = vntc_split()
    t0 = time.perf_counter()
    with Pool(2) as pool:
        words = pool.map(_segmented_words, texts, chunksize=200)
    print(f"segmented {len(words)} texts in {time.perf_counter() - t0:.0f} s")

    def tfidf(analyzer, docs, **kw):
        return TfidfVectorizer(analyzer=analyzer, sublinear_tf=True, min_df=2, dtype=np.float32,
                               **kw).fit_transform(docs)
    syl = tfidf(lambda t: classify.ngrams(classify.syllables(t), 2), texts, max_features=150_000)
    w12 = tfidf(lambda ws: ws + [a + " " + b for a, b in zip(ws, ws[1:])], words,
                max_features=150_000)
    w1 = tfidf(lambda ws: ws, words)
    for name, X in [("words 1–2 grams", w12),
                    ("syllable 1–2 + words 1–2 grams", sp.hstack([syl, w12]).tocsr() / np.sqrt(2)),
                    ("syllable 1–2 grams + words", sp.hstack([syl, w1]).tocsr() / np.sqrt(2))]:
        for C in (0.5, 1.0):
            acc = float(np.mean(LinearSVC(C=C).fit(X[fit], y[fit]).predict(X[held]) == y[held]))
            print(f"{name}, {X.shape[1]} features, LinearSVC C={C}: held-out acc {acc:.4f}")


def vntc():
    train = [{"id": r["id"], "text": r["text"], "labels": [r["label"]]}
             for r in read_jsonl(VNTC_TRAIN)]
    t0 = time.perf_counter()
    model = trainer.train(train, **VNTC_OPTIONS)
    train_s = time.perf_counter() - t0
    out = models_dir() / "categories" / "vntc"
    model.save(out)
    model = classify.TextClassifier.load(out)  # score what is shipped (float16 coefficients)
    seen = {text_hash(r["text"]) for r in train}
    test = [{"id": r["id"], "text": r["text"], "labels": [r["label"]]}
            for r in read_jsonl(VNTC_TEST)]
    proba = model.predict_proba([r["text"] for r in test])
    fresh = np.array([text_hash(r["text"]) not in seen for r in test])
    full = trainer.evaluate_proba(model.classes, test, proba)
    dedup = trainer.evaluate_proba(model.classes, [r for r, f in zip(test, fresh) if f],
                                    proba[fresh])
    print(f"VNTC test: acc {full['accuracy']:.4f} macro-F1 {full['macro_f1']:.4f}; "
          f"without the {int((~fresh).sum())} texts also in train: acc {dedup['accuracy']:.4f}")
    trainer.write_meta(out, model, name="vntc", data=[VNTC_TRAIN],
                        command="python bench/categories.py vntc",
                        scores={"vntc_test": full, "vntc_test_without_train_texts": dedup,
                                "training_calibration_cv": model.info.get("cross_validated")},
                        extra={"options": VNTC_OPTIONS, "train_seconds": round(train_s),
                               "test_texts_also_in_train": int((~fresh).sum())})


# -- latency + docs -----------------------------------------------------------------------

def latency(texts, repeat=3):
    """Median seconds per article: one suggestion (model loaded) vs a blank spaCy tokenization."""
    import spacy
    from vnnews_nlp.run.suggest import suggest_text
    blank = spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})
    suggest_text(texts[0])  # load the model first: we time answers, not loading

    def med(fn):
        out = []
        for t in texts:
            for _ in range(repeat):
                t0 = time.perf_counter()
                fn(t)
                out.append(time.perf_counter() - t0)
        return statistics.median(out)
    return med(suggest_text), med(blank)


STAGE_BEFORE = "5e0889b"  # the commit before reasons were limited to the top classes


def stage_cost(texts, repeat=3):
    """Per-article cost of the categories stage (features, probabilities, reasons), this code
    vs the code of STAGE_BEFORE (loaded from git), same model, same process: (now, before)."""
    import importlib.util
    import subprocess
    import tempfile
    src = subprocess.run(["git", "show", f"{STAGE_BEFORE}:vnnews_nlp/classify.py"], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as fh:
        fh.write(src)
    spec = importlib.util.spec_from_file_location("classify_before", fh.name)
    old_mod = importlib.util.module_from_spec(spec)
    sys.modules["classify_before"] = old_mod  # dataclasses look their module up
    spec.loader.exec_module(old_mod)
    Path(fh.name).unlink()
    now = classify.load_model()

    def per_article(fn):
        best = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            for t in texts:
                fn(t)
            best.append((time.perf_counter() - t0) / len(texts))
        return min(best)

    if now.words:  # the old code reads syllable models only: time this code alone, with the
        # words segmented beforehand (the pipeline takes them from the Doc it already has)
        words = {t: classify.text_words(t) for t in texts}

        def word_stage(t):
            row = now.transform([classify.syllables(t)], split=False, words=[words[t]])
            now.predict_proba(row)
            return now.reasons(classify.syllables(t), 5, row=row, top=5, split=False)
        return per_article(word_stage), None
    old = old_mod.TextClassifier(now.classes, now.vocab, now.idf, now.coef, now.intercept,
                                 now.temperature, now.ngram, now.sublinear)

    def new_stage(t):
        row = now.transform([t])
        now.predict_proba(row)
        return now.reasons(t, 5, row=row, top=5)

    def old_stage(t):
        row = old.transform([t])
        old.predict_proba(row)
        return old.reasons(t, 5, row=row)
    for t in texts:  # the phrases of the suggested menus must not change
        a, b = old_stage(t), new_stage(t)
        assert all(a[c] == b[c] for c in b), "reasons changed"
    return per_article(new_stage), per_article(old_stage)


def _stage_lines(stage_now, stage_before) -> list[str]:
    if stage_before is None:  # a word model: the code of STAGE_BEFORE cannot read it
        return ["Categories stage alone (features, probabilities, reasons; the words come "
                "from the Doc), per article, best of 3 passes over the dev articles: "
                f"**{stage_now * 1000:.1f} ms** (`python bench/categories.py speed`). "
                f"The comparison with the code of commit {STAGE_BEFORE} made before issue 15 "
                "needs a syllable-only model, which the shipped one no longer is."]
    return ["Categories stage alone (features, probabilities, reasons), per article, best of 3 "
            f"passes over the dev articles: **{stage_now * 1000:.1f} ms** now vs "
            f"{stage_before * 1000:.1f} ms with the code of commit {STAGE_BEFORE} in the same "
            f"process (**{stage_before / stage_now:.1f}× cheaper**; the reasons of the "
            "suggested menus are identical, the script checks it): "
            "`python bench/categories.py speed`."]


def _fmt(x):
    return f"{x:.3f}" if isinstance(x, float) else str(x)


# measured by the model-selection run on VNTC train (80% fit / 20% held out, see above)
VNTC_SELECTION = [
    ("syllable 1–2 grams, 150k", "LinearSVC C=0.25", 0.9287),
    ("syllable 1–2 grams, 150k", "LinearSVC C=0.5", 0.9323),
    ("syllable 1–2 grams, 150k", "**LinearSVC C=1.0** (shipped)", 0.9348),
    ("syllable 1–2 grams, 150k", "SGD modified_huber, averaged", 0.9329),
    ("syllable 1–2 grams, 150k", "NB-SVM (log-count ratio, LinearSVC C=0.3)", 0.9314),
    ("syllable 1–3 grams, 400k", "LinearSVC C=0.25", 0.9295),
    ("syllable 1–3 grams, 400k", "LinearSVC C=0.5", 0.9327),
    ("syllable 1–3 grams, 400k", "LinearSVC C=1.0", 0.9344),
    # `python bench/categories.py vntc-words` (words from the project's segmenter)
    ("words 1–2 grams, 150k", "LinearSVC C=0.5", 0.9338),
    ("words 1–2 grams, 150k", "LinearSVC C=1.0", 0.9339),
    ("syllable 1–2 + words 1–2 grams, 300k", "LinearSVC C=0.5", 0.9351),
    ("syllable 1–2 + words 1–2 grams, 300k", "LinearSVC C=1.0", 0.9358),
    ("syllable 1–2 grams + words, 219k", "LinearSVC C=0.5", 0.9351),
    ("syllable 1–2 grams + words, 219k", "LinearSVC C=1.0", 0.9360),
    # `python bench/categories.py vntc-select-more` (issue 15)
    ("syllable 1–2 grams, no cap, 786k", "LinearSVC C=0.5", 0.9321),
    ("syllable 1–2 grams, no cap, 786k", "LinearSVC C=1.0", 0.9342),
    ("syllable 1–2 grams, title counted twice, 150k", "LinearSVC C=0.5", 0.9342),
    ("syllable 1–2 grams, title counted twice, 150k", "LinearSVC C=1.0", 0.9356),
]


def _selection_lines() -> list[str]:
    """The portal settings measured by `portal-select`, as a table."""
    if not SELECT_OUT.is_file():
        return []
    rows = json.loads(SELECT_OUT.read_text())
    out = ["Settings tried (`python bench/categories.py portal-select`, results kept in "
           f"`models/categories/{SELECT_OUT.name}`): dev = portal dev 5-fold CV, lab = "
           "train_labelled 5-fold CV (the row *before* has no train_labelled, so no lab "
           "column; its ECE is 0.097 rather than the 0.106 measured before issue 15 because "
           "the temperature is now fitted on the person-labelled records of each training set). "
           "All rows: LinearSVC, 50,000 features, syllable 1–2 grams. Every row with "
           "train_labelled gets 55 of the 63 dev articles right, so dev top-1 cannot choose "
           "between them; train_labelled (300) does.", "",
           "| setting | dev top-1 | dev top-3 | dev macro-F1 | dev ECE | lab top-1 | lab top-3 "
           "| lab macro-F1 | lab ECE |", "|---|---|---|---|---|---|---|---|---|"]
    for name, _ in PORTAL_SELECT:
        r = rows.get(name)
        if r is None:
            continue
        d, lb = r["dev"], r["labelled"]
        cells = [f"{d[k]:.3f}" for k in ("accuracy", "top3_accuracy", "macro_f1", "ece")]
        cells += [f"{lb[k]:.3f}" if lb else "-" for k in ("accuracy", "top3_accuracy",
                                                           "macro_f1", "ece")]
        shown = f"**{name}** (shipped)" if name == PORTAL_CHOSEN else name
        out.append(f"| {shown} | " + " | ".join(cells) + " |")
    return out


HAND_WRITTEN = "<!-- written by hand below: kept by `bench/categories.py docs` -->"


def write_docs():
    portal_meta = json.loads((models_dir() / "categories" / "portal_qt" / "meta.json").read_text())
    vntc_path = models_dir() / "categories" / "vntc" / "meta.json"
    vntc_meta = json.loads(vntc_path.read_text()) if vntc_path.is_file() else None
    dev = dev_records()
    sug, base = latency([r["text"] for r in dev])
    stage_now, stage_before = stage_cost([r["text"] for r in dev])
    cv = portal_meta["scores"]["portal_dev_5fold_cv"]
    tax = load_taxonomy(TAXONOMY)
    lines = ["# Category suggestions: scores", "",
             "Produced by `python bench/categories.py all` (sections: `portal`, `vntc`, `docs`); "
             "every number below was measured by that script. Data read from `../shared` by path.",
             "", "## Portal menu (`models/categories/portal_qt`)", "",
             f"Setting: **{portal_meta['setting']}** (options "
             f"`{json.dumps(portal_meta['options'])}`), chosen in the table below. Training "
             f"data: {portal_meta['training_records']['weak_and_examples']} records of weak "
             "labels over VNTC train (`corpora/portal_weak/`) and examples written for the "
             "project (`corpora/portal_examples/`), weight "
             f"{portal_meta['options'].get('weak_weight', 1.0)}; the "
             f"{portal_meta['training_records']['train_labelled']} VNTC train articles labelled "
             "by reading (`../shared/data/portal/train_labelled.jsonl`, weight "
             f"{portal_meta['labelled_weight']}; their label replaces a weak label of the same "
             f"article) and the {len(dev)} portal dev articles (weight "
             f"{portal_meta['dev_weight']}). Scores on portal dev are **5-fold "
             "cross-validated**: each dev article is scored by a model that did not see it "
             "(everything else is in every fold's training set, and the calibration is fitted "
             "inside that training set, never on the fold scored). The same is done the other "
             "way round on train_labelled (5 folds, dev in training): a second, larger held-out "
             "measure.", "", "| measure | portal dev (63) | train_labelled (300) |",
             "|---|---|---|"]
    lab = portal_meta["scores"].get("train_labelled_5fold_cv") or {}
    for key, name in [("accuracy", "top-1 accuracy (primary menu)"),
                      ("accepted_accuracy", "top-1 is the primary or an `also` menu"),
                      ("top3_accuracy", "top-3 accuracy (primary among 3 suggestions)"),
                      ("macro_f1", "macro-F1 (over the primary menus present)"),
                      ("brier", "Brier score (multi-class, lower is better)"),
                      ("ece", "expected calibration error (10 bins)")]:
        lines.append(f"| {name} | {cv[key]:.3f} | {lab[key]:.3f} |" if key in lab
                     else f"| {name} | {cv[key]:.3f} | - |")
    lines += [f"| keyword rules alone, top-1 | {portal_meta['scores']['rules_alone_top1']:.3f} "
              "| - |", "", "Targets: top-1 ≥ 0.85, top-3 ≥ 0.95, macro-F1 ≥ 0.8, ECE ≤ 0.05 "
              "(portal dev, cross-validated).", ""]
    if RELIABILITY_PNG.is_file():
        lines += [f"Reliability diagram (dev, cross-validated; `python bench/categories.py "
                  f"portal --plot`): ![reliability](./{RELIABILITY_PNG.name})", ""]
    lines += _selection_lines()
    lines += ["", "Per category (dev, cross-validated):", "",
              "| code | menu | precision | recall | F1 | support |", "|---|---|---|---|---|---|"]
    for code, s in sorted(cv["per_category"].items(), key=lambda kv: -kv[1]["support"]):
        label = tax.label(code) if code in tax else code
        lines.append(f"| {code} | {label} | {s['precision']:.2f} | {s['recall']:.2f} | "
                     f"{s['f1']:.2f} | {s['support']} |")
    lines += ["", "## VNTC 10 topics (`models/categories/vntc`)", ""]
    if vntc_meta is None:
        lines += ["Not measured yet: run `python bench/categories.py vntc`.", ""]
        vntc_meta = {"features": 0, "size_bytes": 0, "algorithm": "-", "scores": {}}
    lines += [

              "Same machinery (syllable 1–2-gram TF-IDF, sublinear tf, "
              f"{vntc_meta['features']:,} features, {vntc_meta['algorithm']} "
              f"C={vntc_meta.get('options', {}).get('C')}, temperature-scaled "
              "softmax), trained on VNTC train, scored once on VNTC test with the shipped "
              "(float16) model: `python bench/categories.py vntc`.", "",
              "| test set | n | accuracy | macro-F1 | Brier | ECE |", "|---|---|---|---|---|---|"]
    for key, name in [("vntc_test", "VNTC test"),
                      ("vntc_test_without_train_texts", "VNTC test without texts also in train")]:
        s = vntc_meta["scores"].get(key)
        if s is None:
            continue
        lines.append(f"| {name} | {s['n']} | {s['accuracy']:.4f} | {s['macro_f1']:.4f} | "
                     f"{s['brier']:.3f} | {s['ece']:.3f} |")
    lines += ["", "Reference numbers (not measured here): TF-IDF syllable 1–2 grams + LinearSVC "
              "measured by the team 0.9317; underthesea publishes 0.9249. Target 0.95.", "",
              "Settings were chosen on VNTC **train** only: fit on 80%, accuracy on the other "
              "20% without texts that also occur in the 80% "
              "(`python bench/categories.py vntc-select`, the word rows from `vntc-words`, the "
              "last four from `vntc-select-more`; the NB-SVM row came from a one-off script "
              "with the same split):", "",
              "| features | model | held-out accuracy |", "|---|---|---|",
              *[f"| {f} | {m} | {a:.4f} |" for f, m, a in VNTC_SELECTION], "",
              "Word-segmented features (the project's segmenter; the 33,759 train texts took "
              "126 s on two processes) add 0.12 points at best on the held-out slice (0.9360 "
              "against 0.9348), too little to justify a second feature path, so the shipped "
              "model stays on syllables. Syllable 1–3 grams did not beat 1–2 grams either, nor "
              "did NB-SVM or averaged SGD: a bag-of-n-grams linear model sits near 0.935 here, "
              "and the 0.95 target needs a different model (e.g. a fine-tuned encoder). Two "
              "more cheap ideas (issue 15) agree: keeping every n-gram seen twice (786k "
              "features) is worse (0.9342), and counting the title twice adds 0.08 points "
              "(0.9356), within what a second split would move; the shipped model is unchanged, "
              "so its test score above was not measured again.", "",
              "## Latency", "",
              f"Median over the {len(dev)} portal dev articles × 3, models already loaded: one "
              "suggestion through the **full pipeline** (`vnnews suggest` = "
              "`vnnews_nlp.pipeline.load()` + `vnnews_nlp.run.analyze.analyze`, the code path of "
              "`vnnews tag`: normalization, word segmentation, entities, figures, categories; "
              f"top 3 + reasons) **{sug * 1000:.1f} ms**; a blank spaCy tokenization "
              f"of the same article {base * 1000:.2f} ms (ratio {sug / base:.0f}×).", "",
              *_stage_lines(stage_now, stage_before), "",
              "## Model sizes", "", "| model | features | size on disk |", "|---|---|---|",
              f"| portal_qt | {portal_meta['features']:,} | {portal_meta['size_bytes'] / 1e6:.1f} MB |",
              f"| vntc | {vntc_meta['features']:,} | {vntc_meta['size_bytes'] / 1e6:.1f} MB |", "",
              "## How it works", "",
              "- Features: lower-cased syllable 1–2 grams of the plain text, and in the portal "
              "model the segmenter's multi-syllable words (`hội_nghị`; from the Doc's tokens in "
              "the pipeline, so no second segmentation), TF-IDF with sublinear tf, vocabulary "
              "cut to the most frequent terms (`max_features`). Such a model is stored as "
              "format `vnnews-linear-text/2`, which older readers refuse.",
              "- Model: a linear classifier (LinearSVC by default; `--algorithm logreg|sgd`). "
              "With the hierarchy (`parent_weight`), a second model learns the top level of the "
              "menu (every `cchc-*` article counts as `cchc`) and each sub-menu's row adds "
              "parent_weight × its parent's row: still one linear model, stored the same way. "
              "Probabilities are a softmax of its scores divided by a temperature fitted on "
              "3-fold out-of-fold scores of the training set (temperature scaling), on the "
              "records a person labelled (train_labelled and dev) when there are 20 or more: "
              "keyword labels are easier than real articles and made the model overconfident. "
              "Brier and ECE above measure it.",
              "- `doc.cats` holds every taxonomy code; a parent (`cchc`) holds the sum of its "
              "sub-menus. `suggestions(doc, k)` ranks menus without sub-menus and names the "
              "parent each implies; several menus per article are allowed (top k, optional "
              "`min_probability`).",
              "- Reasons: for the 5 most likely categories (component setting `reason_top`; "
              "the others get an empty list), the n-grams of this article with the largest "
              "coefficient × tf-idf, picked with one vectorized pass over the article's sparse "
              "row; overlapping n-grams are merged into the longer phrase of the "
              "article (\"thủ tục\" + \"tục hành\" + \"hành chính\" → \"thủ tục hành chính\").",
              "- Storage: `model.npz` (vocabulary as UTF-8 bytes, idf, float16 coefficients, "
              "intercepts; loaded with `allow_pickle=False`), `model.json` (classes, "
              "temperature, settings), `taxonomy.json`, `meta.json`. Prediction is numpy only; "
              "loading checks the format version and the scikit-learn major version (read "
              "from the package metadata: only training and evaluation, "
              "`vnnews_nlp/categories/train.py`, import scikit-learn).",
              "- Another portal: `vnnews train ARCHIVE.jsonl --taxonomy MENU.json -o DIR` "
              "(or a folder per category), then `vnnews eval HELDOUT.jsonl --model DIR`.", ""]
    doc = ROOT / "docs" / "categories.md"
    old = doc.read_text(encoding="utf-8") if doc.is_file() else ""
    if HAND_WRITTEN in old:
        lines += [HAND_WRITTEN + old.split(HAND_WRITTEN, 1)[1]]
    doc.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    cmd = sys.argv[1] if len(sys.argv) > 1 else "all"
    if cmd == "weak":
        weak()
    elif cmd == "portal":
        portal(plot="--plot" in sys.argv)
    elif cmd == "portal-vectors":
        portal_vectors(sys.argv[2])  # the spaCy vectors folder of `python -m training.ner_cnn vectors`
    elif cmd == "portal-select":
        portal_select(sys.argv[2:])  # optional: parts of the names of the rows to (re)run
    elif cmd == "vntc":
        vntc()
    elif cmd == "vntc-select":
        vntc_select()
    elif cmd == "vntc-select-more":
        vntc_select_more()
    elif cmd == "vntc-words":
        vntc_words()
    elif cmd == "speed":
        now, before = stage_cost([r["text"] for r in dev_records()])
        print(f"categories stage per article: {now * 1000:.1f} ms" + (
            f", before {before * 1000:.1f} ms (ratio {before / now:.1f}x)" if before else ""))
    elif cmd == "docs":
        write_docs()
    elif cmd == "all":
        weak()
        portal()
        vntc()
        write_docs()
    elif cmd == "review":
        for c in sys.argv[2:]:
            print("##", c)
            review(c)
