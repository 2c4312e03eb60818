"""Rebuild models/ner from ../shared: `python -m training.ner`.

Steps: (1) word clusters from unlabeled VNTC *train* text (PPMI context vectors -> SVD ->
k-means at three granularities), (2) an entity lexicon from VLSP 2018 NER train, (3) a CRF on
VLSP 2018 train, scored on dev. The lexicon features of each training document come from the
other folds only (jackknife), otherwise the CRF learns to trust a lexicon that is always right.
Test is never read here; bench/ner.py reports on it.
"""
from __future__ import annotations

import argparse
import collections
import gzip
import hashlib
import json
import sys
import time
import unicodedata
from pathlib import Path

import numpy as np

from vnnews_nlp.entities.model import (ATOM_RE, MAX_LEX, Featurizer, knowledge_features, load_ner,
                                  propagate, read_clusters, sequences, spans_from_bio, split_at_semicolons,
                                  split_run_ons,
                                  words_of,
                                  NerModel)
from vnnews_nlp.paths import models_dir, shared_dir

TYPE = {"PERSON": "PER", "LOCATION": "LOC", "ORGANIZATION": "ORG", "MISCELLANEOUS": "MISC"}
SCORED = ("PER", "LOC", "ORG")
NAME, VERSION = "vnnews-ner-crf", "0.2.0"
FEATURE_SET = 2  # 2: + curated-knowledge spans and organisation-head runs (ner_model)


def ner_path(split: str) -> Path:
    return shared_dir() / "data" / "vlsp2018_ner" / f"{split}.jsonl.gz"


def vntc_path() -> Path:
    return shared_dir() / "data" / "vntc" / "train.jsonl.gz"


def read_split(split: str) -> list[dict]:
    path = ner_path(split)
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing; the VLSP 2018 NER data lives in ../shared")
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def gold_spans(doc: dict) -> list[tuple[int, int, str]]:
    """Outermost-level entities (depth 0), the level scored in VLSP 2018."""
    return sorted((e["start"], e["end"], TYPE[e["type"]]) for e in doc["entities"] if e["depth"] == 0)


def sha256(*paths: Path) -> str:
    h = hashlib.sha256()
    for p in paths:
        h.update(p.read_bytes())
    return h.hexdigest()


# ---------------------------------------------------------------- scoring

def score(gold: list[list[tuple]], pred: list[list[tuple]], types=SCORED) -> dict:
    """Exact span + type micro/per-type P/R/F1 over documents."""
    tp = collections.Counter()
    ng = collections.Counter()
    npred = collections.Counter()
    for g, p in zip(gold, pred):
        g = {x for x in g if x[2] in types}
        p = {x for x in p if x[2] in types}
        for x in g:
            ng[x[2]] += 1
        for x in p:
            npred[x[2]] += 1
        for x in g & p:
            tp[x[2]] += 1

    def prf(t, nprd, ngld):
        prec = t / nprd if nprd else 0.0
        rec = t / ngld if ngld else 0.0
        f = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        return {"p": round(prec, 4), "r": round(rec, 4), "f1": round(f, 4), "support": ngld}

    out = {t: prf(tp[t], npred[t], ng[t]) for t in types}
    out["micro"] = prf(sum(tp.values()), sum(npred.values()), sum(ng.values()))
    return out


# ---------------------------------------------------------------- clusters

def learn_clusters(vocab_size=50000, n_context=3000, dims=100, ks=(64, 256, 1024),
                   max_docs=None, seed=0) -> dict:
    """Distributional word classes for atoms: PPMI(+-1, +-2 contexts) -> SVD -> k-means."""
    from scipy import sparse
    from sklearn.cluster import MiniBatchKMeans
    from sklearn.decomposition import TruncatedSVD

    t0 = time.time()
    counts = collections.Counter()
    docs = []
    with gzip.open(vntc_path(), "rt", encoding="utf-8") as f:
        for i, line in enumerate(f):
            if max_docs and i >= max_docs:
                break
            text = unicodedata.normalize("NFC", json.loads(line)["text"])
            # one list per line, so contexts never cross a paragraph break
            for para in text.split("\n"):
                toks = ATOM_RE.findall(para)
                if toks:
                    docs.append(toks)
                    counts.update(toks)
    vocab = [w for w, _ in counts.most_common(vocab_size)]
    index = {w: i for i, w in enumerate(vocab)}
    print(f"clusters: read {len(docs)} lines, {sum(counts.values())} atoms in {time.time()-t0:.0f}s",
          file=sys.stderr)
    ids = []
    for toks in docs:
        ids.extend(index.get(w, -1) for w in toks)
        ids.append(-2)  # line break
    del docs
    ids = np.asarray(ids, dtype=np.int64)
    rows, cols = [], []
    # context ids: the n_context most frequent atoms, one block per offset
    for b, off in enumerate((-2, -1, 1, 2)):
        if off < 0:
            w, c = ids[-off:], ids[:off]
        else:
            w, c = ids[:-off], ids[off:]
        ok = (w >= 0) & (c >= 0) & (c < n_context)
        # a line break between w and its context makes the pair invalid
        if abs(off) == 2:
            mid = ids[1:-1]
            ok &= mid != -2
        rows.append(w[ok])
        cols.append(c[ok] + b * n_context)
    rows = np.concatenate(rows)
    cols = np.concatenate(cols)
    m = sparse.coo_matrix((np.ones(len(rows), dtype=np.float64), (rows, cols)),
                          shape=(len(vocab), 4 * n_context)).tocsr()
    m.sum_duplicates()
    total = m.sum()
    rs = np.asarray(m.sum(axis=1)).ravel()
    cs = np.asarray(m.sum(axis=0)).ravel() ** 0.75  # context smoothing, as in word2vec
    cs = cs / cs.sum() * total
    m = m.tocoo()
    pmi = np.log(m.data * total / (rs[m.row] * cs[m.col] + 1e-12))
    keep = pmi > 0
    ppmi = sparse.csr_matrix((pmi[keep], (m.row[keep], m.col[keep])), shape=m.shape)
    print(f"clusters: PPMI matrix {ppmi.shape} nnz={ppmi.nnz} at {time.time()-t0:.0f}s", file=sys.stderr)
    vec = TruncatedSVD(n_components=dims, random_state=seed).fit_transform(ppmi)
    vec /= np.linalg.norm(vec, axis=1, keepdims=True) + 1e-9
    labels = []
    for k in ks:
        km = MiniBatchKMeans(n_clusters=k, random_state=seed, batch_size=4096, n_init=3)
        labels.append(km.fit_predict(vec))
        print(f"clusters: k={k} at {time.time()-t0:.0f}s", file=sys.stderr)
    id_str = [",".join(str(int(lab[i])) for lab in labels) for i in range(len(vocab))]
    return {"words": vocab, "ids": id_str, "ks": list(ks), "dims": dims, "n_context": n_context}


# ---------------------------------------------------------------- lexicon

def doc_entities(doc: dict) -> list[tuple[tuple[str, ...], str]]:
    text = doc["text"]
    out = []
    for s, e, label in gold_spans(doc):
        sub = [(s + m.start(), s + m.end()) for m in ATOM_RE.finditer(text[s:e])]
        words = tuple(words_of(text, sub))
        if 0 < len(words) <= MAX_LEX:
            out.append((words, label))
    return out


def build_lexicon(docs: list[dict]) -> dict[tuple[str, ...], str]:
    """Entity strings seen in `docs`, each with its most frequent type."""
    seen: dict[tuple[str, ...], collections.Counter] = collections.defaultdict(collections.Counter)
    for doc in docs:
        for words, label in doc_entities(doc):
            seen[words][label] += 1
    return {w: c.most_common(1)[0][0] for w, c in seen.items()}


def build_cues(docs: list[dict], min_count=3, min_share=0.25) -> dict[str, str]:
    """Lowercase atoms that often come right before an entity of one type (ông -> PER)."""
    total = collections.Counter()
    before: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for doc in docs:
        text = doc["text"]
        spans = [m.span() for m in ATOM_RE.finditer(text)]
        starts = {s: label for s, _, label in gold_spans(doc)}
        for i, (s, e) in enumerate(spans):
            w = text[s:e].lower()
            total[w] += 1
            if i + 1 < len(spans) and spans[i + 1][0] in starts:
                before[w][starts[spans[i + 1][0]]] += 1
    cues = {}
    for w, c in before.items():
        label, n = c.most_common(1)[0]
        if n >= min_count and n / total[w] >= min_share:
            cues[unicodedata.normalize("NFC", w)] = label
    return cues


def admin_gazetteer() -> dict[tuple[str, ...], str]:
    """Province and district names from the vietnamadminunits package (pre-2025 units)."""
    import vietnamadminunits

    path = Path(vietnamadminunits.__file__).parent / "data" / "parser_legacy.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    names = set()
    for prov in data["DICT_PROVINCE"].values():
        names.add(prov["provinceShort"])
    for dists in data["DICT_PROVINCE_DISTRICT"].values():
        for d in dists.values():
            names.add(d["districtShort"])
    out = {}
    for name in names:
        name = name.split("(")[0]  # "Kỳ Anh (Huyện)" -> "Kỳ Anh"
        words = tuple(unicodedata.normalize("NFC", w) for w in ATOM_RE.findall(name))
        # bare numbers ("Quận 1" -> "1") would fire everywhere
        if words and not all(w.isdigit() for w in words):
            out[words] = "LOC"
    return out


# ---------------------------------------------------------------- CRF

def bio_tags(spans: list[tuple[int, int]], ents: list[tuple[int, int, str]]) -> list[str]:
    tags = ["O"] * len(spans)
    starts = {s: i for i, (s, _) in enumerate(spans)}
    for s, e, label in ents:
        i = starts.get(s)
        if i is None:
            continue  # entity starting mid-atom (a handful in VLSP); cannot be represented
        tags[i] = "B-" + label
        j = i + 1
        while j < len(spans) and spans[j][1] <= e:
            tags[j] = "I-" + label
            j += 1
    return tags


def doc_items(feat: Featurizer, doc: dict):
    """(atom spans, features, BIO tags) per tagging sequence of one document."""
    text = doc["text"]
    ents = gold_spans(doc)
    seqs = sequences(text)
    feats = feat.doc_features([words_of(text, spans) for spans in seqs],
                              knowledge_features(text, seqs))
    for spans, x in zip(seqs, feats):
        yield spans, x, bio_tags(spans, ents)


def training_items(docs: list[dict], folds: int = 5):
    """(features, tags) per sequence; lexicon hits for fold k come from the other folds."""
    for k in range(folds):
        held = [d for i, d in enumerate(docs) if i % folds == k]
        rest = [d for i, d in enumerate(docs) if i % folds != k]
        feat = Featurizer(CLUSTERS, build_lexicon(rest), GAZETTEER, build_cues(rest))
        for doc in held:
            for _, x, y in doc_items(feat, doc):
                yield x, y


CLUSTERS: dict[str, str] = {}
GAZETTEER: dict[tuple[str, ...], str] = {}


def train_crf(items, path: Path, c1: float, c2: float, max_iter: int) -> None:
    """Fit one CRF on already featurized (features, tags) pairs and write it to `path`."""
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for x, y in items:
        trainer.append(x, y)
    trainer.set_params({"c1": c1, "c2": c2, "max_iterations": max_iter,
                        "feature.possible_transitions": True})
    t0 = time.time()
    trainer.train(str(path))
    print(f"crf: {len(items)} sequences, c1={c1} c2={c2} iters={max_iter}, {time.time()-t0:.0f}s",
          file=sys.stderr)


def score_held_out(path: Path, dev_items: list[list[tuple]], docs: list[dict],
                   spread: bool = True) -> dict:
    """Dev scores of a CRF file on dev documents featurized once (train lexicon and cues),
    decoded as NerModel.predict does."""
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(str(path))
    pred = []
    for doc, items in zip(docs, dev_items):
        found = [e for spans, x, _ in items for e in spans_from_bio(spans, tagger.tag(x))]
        found = split_run_ons(doc["text"], split_at_semicolons(doc["text"], found))
        if spread:
            seqs = [spans for spans, _, _ in items]
            found = propagate(doc["text"], seqs, [words_of(doc["text"], sp) for sp in seqs], found)
        pred.append(found)
    return score([gold_spans(d) for d in docs], pred)


def evaluate(model: NerModel, docs: list[dict]) -> dict:
    return score([gold_spans(d) for d in docs], [model.predict(d["text"]) for d in docs])


def _version(pkg: str) -> str:
    from importlib.metadata import version
    return version(pkg)


def knowledge_sha256() -> str:
    from vnnews_nlp.entities.knowledge import knowledge_dir

    d = knowledge_dir()
    return sha256(*sorted(p for p in d.iterdir() if p.suffix in (".json", ".tsv", ".txt")))


def write_meta(out: Path, args, dev: dict, c1: float, c2: float, grid: dict) -> None:
    inputs = [ner_path("train"), ner_path("dev"), vntc_path()]
    command = "python -m training.ner --reuse-clusters"
    command += f" --grid '{args.grid}' --max-iter {args.max_iter}" + (" --final" if args.final else "")
    command += "" if args.propagate else " --no-propagate"
    meta = {
        "name": NAME, "version": VERSION, "feature_set": FEATURE_SET,
        "propagate": args.propagate,
        "kind": ("python-crfsuite BIO CRF over syllables + VNTC word clusters + train-set entity "
                 "lexicon and cue words + vietnamadminunits province/district gazetteer + "
                 "curated knowledge spans (vnnews_nlp.entities.knowledge) + organisation-head runs"),
        "labels": ["PER", "LOC", "ORG", "MISC"],
        "training_data": {str(p.relative_to(shared_dir())): sha256(p) for p in inputs},
        "trained_on": "VLSP 2018 train + dev" if args.final else "VLSP 2018 train",
        # the knowledge features read corpora/knowledge at train and predict time; a change
        # there shifts the features, so the hash says which version the CRF was fitted to
        "knowledge_sha256": knowledge_sha256(),
        "gazetteer_source": f"vietnamadminunits {_version('vietnamadminunits')} parser_legacy.json",
        "params": {"c1": c1, "c2": c2, "max_iterations": args.max_iter},
        "scores": {
            # with --final these are the scores of the same settings trained on train only:
            # the shipped model has seen dev, so its own dev score would mean nothing
            "vlsp2018_dev_depth0": dev,
            "dev_micro_f1_by_c1_c2": grid,
        },
        "command": command,
    }
    old = out / "meta.json"
    if old.is_file():  # keep earlier ablation numbers; test scores are rewritten by bench/ner.py
        prev = json.loads(old.read_text(encoding="utf-8")).get("scores", {})
        prev.pop("vlsp2018_test_depth0", None)
        meta["scores"] = {**prev, **meta["scores"]}
    (out / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n",
                                   encoding="utf-8")


def parse_grid(text: str) -> list[tuple[float, float]]:
    try:
        return [tuple(float(v) for v in pair.split(",")) for pair in text.split(";") if pair]
    except ValueError as err:
        raise SystemExit(f"--grid wants 'c1,c2;c1,c2;...', got {text!r}: {err}")


def choose(args, out: Path, train: list[dict], dev: list[dict]):
    """Train one CRF per --grid pair on train only and score it on dev; keep the best file
    as out/ner.crfsuite.best. Returns (dev scores, c1, c2, {pair: dev micro-F1})."""
    t0 = time.time()
    items = list(training_items(train))
    feat = Featurizer(CLUSTERS, build_lexicon(train), GAZETTEER, build_cues(train))
    dev_items = [list(doc_items(feat, d)) for d in dev]
    print(f"features: {time.time()-t0:.0f}s", file=sys.stderr)
    grid = {}
    best = None
    for c1, c2 in parse_grid(args.grid):
        path = out / "ner.crfsuite.tmp"
        train_crf(items, path, c1, c2, args.max_iter)
        res = score_held_out(path, dev_items, dev, args.propagate)
        grid[f"c1={c1} c2={c2}"] = res["micro"]["f1"]
        print(f"dev c1={c1} c2={c2}: {json.dumps(res)}", file=sys.stderr)
        if best is None or res["micro"]["f1"] > best[0]["micro"]["f1"]:
            best = (res, c1, c2)
            path.replace(out / "ner.crfsuite.best")
    path.unlink(missing_ok=True)
    return best + (grid,)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(prog="python -m training.ner",
                                 description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=models_dir() / "ner")
    ap.add_argument("--grid", default="0.05,0.01",
                    help="c1,c2 pairs separated by ';', each trained on train and scored on dev; "
                         "the best pair is kept")
    ap.add_argument("--max-iter", type=int, default=150)
    ap.add_argument("--final", action="store_true",
                    help="after choosing c1/c2 on dev, retrain on train+dev and ship that model")
    ap.add_argument("--no-propagate", dest="propagate", action="store_false",
                    help="do not spread a name the CRF found to its other mentions in the text")
    ap.add_argument("--dev-scores", type=Path,
                    help="skip choosing: a JSON file with the dev scores (of a train-only model) "
                         "an earlier run measured for the single --grid pair; needs --final")
    ap.add_argument("--reuse-clusters", action="store_true",
                    help="keep an existing clusters.json in --out instead of relearning it")
    args = ap.parse_args(argv)
    if args.dev_scores and not args.final:
        raise SystemExit("--dev-scores only makes sense with --final (nothing is chosen)")
    out = args.out
    out.mkdir(parents=True, exist_ok=True)
    cl_path = out / "clusters.json"
    if not (args.reuse_clusters and cl_path.is_file()):
        cl_path.write_text(json.dumps(learn_clusters(), ensure_ascii=False), encoding="utf-8")
    CLUSTERS.update(read_clusters(cl_path))
    GAZETTEER.update(admin_gazetteer())
    train, dev = read_split("train"), read_split("dev")

    # 1. choose c1/c2 on dev (the model is trained on train only here)
    if args.dev_scores:
        (c1, c2), = parse_grid(args.grid)
        dev_res = json.loads(args.dev_scores.read_text(encoding="utf-8"))
        grid = {f"c1={c1} c2={c2}": dev_res["micro"]["f1"]}
    else:
        dev_res, c1, c2, grid = choose(args, out, train, dev)

    # 2. the shipped model: the chosen settings, on train (+ dev with --final)
    docs = train + dev if args.final else train
    lex = build_lexicon(docs)
    (out / "lexicon.json").write_text(json.dumps(
        {"entries": {" ".join(k): v for k, v in sorted(lex.items())},
         "gazetteer": {" ".join(k): v for k, v in sorted(GAZETTEER.items())},
         "cues": dict(sorted(build_cues(docs).items()))}, ensure_ascii=False,
        indent=0), encoding="utf-8")
    if args.final:
        train_crf(list(training_items(docs)), out / "ner.crfsuite", c1, c2, args.max_iter)
        (out / "ner.crfsuite.best").unlink(missing_ok=True)
    else:
        (out / "ner.crfsuite.best").replace(out / "ner.crfsuite")
    load_ner.cache_clear()
    write_meta(out, args, dev_res, c1, c2, grid)


if __name__ == "__main__":
    main()
