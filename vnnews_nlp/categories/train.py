"""Training and evaluation of the category classifiers (`vnnews_nlp.categories.model`).

Used only by `vnnews train` / `vnnews eval` (vnnews_nlp/cli/categories.py) and by
bench/categories.py, which rebuilds the shipped models; the pipeline never imports it.
scikit-learn is imported here and nowhere else in the package: it fits TF-IDF + a linear
model, whose arrays `TextClassifier` then stores and applies with numpy alone.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import math
from collections import Counter
from pathlib import Path

import numpy as np

try:
    import sklearn
except ImportError as err:  # a dependency of vnnews-nlp, but an install may lack it
    raise ImportError("training and evaluating category models needs scikit-learn: "
                      "`pip install scikit-learn`") from err

from vnnews_nlp.categories.model import (FORMAT, WORDS_FORMAT, TextClassifier, features,
                                         load_model, softmax, syllables, text_words)


# -- corpora ------------------------------------------------------------------------------

def read_corpus(paths) -> list[dict]:
    """Records {"text", "labels", "id"} from JSONL(.gz) files or folders of category folders."""
    out = []
    for p in map(Path, paths):
        if p.is_dir():
            for sub in sorted(q for q in p.iterdir() if q.is_dir()):
                for f in sorted(q for q in sub.rglob("*") if q.is_file()):
                    text = f.read_bytes().decode("utf-8", errors="replace")
                    out.append({"id": str(f), "text": text, "labels": [sub.name]})
            continue
        if not p.is_file():
            raise FileNotFoundError(f"corpus {p} not found; pass JSONL(.gz) files or a folder "
                                    "with one sub-folder per category")
        opener = gzip.open if p.suffix == ".gz" else open
        with opener(p, "rt", encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                out.append(_record(json.loads(line), f"{p}:{n}"))
    return out


def _record(r: dict, where: str) -> dict:
    labels = r.get("labels")
    if labels is None:
        first = r.get("label", r.get("primary"))
        labels = ([first] if first else []) + list(r.get("also") or [])
    if isinstance(labels, str):
        labels = [labels]
    if not isinstance(r.get("text"), str) or not labels:
        raise ValueError(f'{where}: needs "text" and "label" or "labels" '
                         f"(got keys {sorted(r)})")
    out = {"id": r.get("id", where), "text": r["text"], "labels": [str(x) for x in labels]}
    if r.get("trusted"):
        out["trusted"] = True  # labelled by a person who read it: the temperature is fitted on these
    if isinstance(r.get("weight"), (int, float)) and r["weight"] > 0:
        out["weight"] = float(r["weight"])  # editors' choices (categories.feedback) weigh more
    return out


def files_sha256(paths) -> str:
    h = hashlib.sha256()
    for p in sorted(map(Path, paths)):
        files = sorted(q for q in p.rglob("*") if q.is_file()) if p.is_dir() else [p]
        for f in files:
            h.update(f.read_bytes())
    return h.hexdigest()


# -- training -----------------------------------------------------------------------------

def _expand(records, also_weight):
    """One row per (document, label): the first label weighs 1, further labels less."""
    rows, ys, ws = [], [], []
    for i, r in enumerate(records):
        for j, lab in enumerate(r["labels"]):
            rows.append(i)
            ys.append(lab)
            ws.append(r.get("weight", 1.0) * (1.0 if j == 0 else also_weight))
    return np.array(rows), np.array(ys), np.array(ws)


def _estimator(algorithm: str, C: float, seed: int):
    from sklearn.linear_model import LogisticRegression, SGDClassifier
    from sklearn.svm import LinearSVC
    if algorithm == "logreg":
        return LogisticRegression(C=C, max_iter=1000)
    if algorithm == "svm":
        return LinearSVC(C=C)
    if algorithm == "sgd":
        return SGDClassifier(loss="modified_huber", alpha=C, max_iter=50, tol=None,
                             random_state=seed)
    raise ValueError(f"unknown algorithm {algorithm!r}; use logreg, svm or sgd")


def _fit_linear(X, y, w, classes, algorithm, C, seed, parents=None, parent_weight=0.0):
    """Coefficients (classes × features) and intercepts, rows in the order of `classes`.

    With `parents` ({sub-menu: parent}) and parent_weight > 0, a second model learns the
    top level (every sub-menu of `cchc` counts as `cchc`) and each class adds parent_weight ×
    its top-level row: the many `cchc-*` articles teach what all of them share, which a
    sub-menu with a few examples cannot learn alone. The sum is still one linear model."""
    coef, icpt = _fit_flat(X, y, w, classes, algorithm, C, seed)
    if not parents or parent_weight <= 0:
        return coef, icpt
    top = np.array([parents.get(lab, lab) for lab in y])
    top_classes = sorted(set(top))
    if len(top_classes) < 2 or len(top_classes) == len(classes):
        return coef, icpt
    tcoef, ticpt = _fit_flat(X, top, w, top_classes, algorithm, C, seed)
    rows = [top_classes.index(parents.get(c, c)) for c in classes]
    return coef + parent_weight * tcoef[rows], icpt + parent_weight * ticpt[rows]


def _fit_flat(X, y, w, classes, algorithm, C, seed):
    est = _estimator(algorithm, C, seed).fit(X, y, sample_weight=w)
    coef, icpt = est.coef_, est.intercept_
    if len(est.classes_) == 2:  # scikit-learn keeps one row for two classes
        coef, icpt = np.vstack([-coef[0], coef[0]]) / 2, np.array([-icpt[0], icpt[0]]) / 2
    order = [list(est.classes_).index(c) for c in classes]
    return np.asarray(coef[order], np.float32), np.asarray(icpt[order], np.float32)


def fit_temperature(scores: np.ndarray, y_idx: np.ndarray) -> float:
    """The softmax temperature that minimises the log-loss of held-out scores."""
    from scipy.optimize import minimize_scalar

    def nll(logt):
        p = softmax(scores / math.exp(logt))
        return -np.mean(np.log(p[np.arange(len(y_idx)), y_idx] + 1e-12))
    return float(math.exp(minimize_scalar(nll, bounds=(-5, 5), method="bounded").x))


def fit_calibration(scores: np.ndarray, y_idx: np.ndarray) -> tuple[float, float]:
    """(temperature, smoothing) minimising the log-loss of held-out scores, where the
    probabilities are (1 - smoothing) × softmax(scores / temperature) + smoothing / classes.
    The smoothing term lets the surest answers stay below 1 when some of them are wrong,
    which one temperature cannot do without flattening every other answer too."""
    from scipy.optimize import minimize
    k = scores.shape[1]
    rows = np.arange(len(y_idx))

    def nll(x):
        eps = 1 / (1 + math.exp(-x[1]))
        p = (1 - eps) * softmax(scores / math.exp(x[0])) + eps / k
        return -np.mean(np.log(p[rows, y_idx] + 1e-12))
    t0 = math.log(fit_temperature(scores, y_idx))
    best = minimize(nll, [t0, -4.0], method="Nelder-Mead",
                    options={"xatol": 1e-4, "fatol": 1e-7, "maxiter": 400})
    return float(math.exp(best.x[0])), float(1 / (1 + math.exp(-best.x[1])))


def train(records: list[dict], *, algorithm: str = "svm", C: float = 1.0, ngram: int = 2,
          min_df: int = 2, max_features: int | None = 100_000, also_weight: float = 0.5,
          calibrate_folds: int = 3, seed: int = 0, words: bool = False,
          parents: dict | None = None, parent_weight: float = 0.0,
          smooth: bool = False) -> TextClassifier:
    """Fit TF-IDF + a linear model; the temperature comes from out-of-fold scores.

    `words`: the segmenter's multi-syllable words are features too (records may carry them
    as "words", see `model.text_words`, else the texts are segmented here). `parents`,
    `parent_weight`: see `_fit_linear`. `smooth`: calibrate with `fit_calibration` rather
    than a temperature alone. When some records are "trusted" (labelled by a person
    who read them), the temperature is fitted on their out-of-fold scores only: keyword
    labels are easier to predict than the articles an editor sees, and calibrating on them
    made the model overconfident."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    if not records:
        raise ValueError("no training records; check the corpus paths")
    texts = [r["text"] for r in records]
    docs = list(range(len(records)))
    word_lists = ([r["words"] if "words" in r else text_words(r["text"]) for r in records]
                  if words else None)
    vec = TfidfVectorizer(
        analyzer=lambda i: features(syllables(texts[i]), word_lists[i] if words else None, ngram),
        sublinear_tf=True, min_df=min(min_df, max(1, len(texts) // 10)),
        max_features=max_features, dtype=np.float32)
    X = vec.fit_transform(docs)
    rows, y, w = _expand(records, also_weight)
    classes = sorted(set(y))
    if len(classes) < 2:
        raise ValueError(f"need at least two categories to train, got {classes}")
    hier = {"parents": parents, "parent_weight": parent_weight}
    coef, icpt = _fit_linear(X[rows], y, w, classes, algorithm, C, seed, **hier)
    temperature, smoothing, cv = 1.0, 0.0, None
    if calibrate_folds > 1:
        scores, truth = oof_scores(X, records, classes, algorithm, C, calibrate_folds,
                                   also_weight, seed, hier)
        trusted = np.array([bool(r.get("trusted")) for r in records])
        on = trusted if trusted.sum() >= 20 else np.ones(len(records), bool)
        if smooth:
            temperature, smoothing = fit_calibration(scores[on], truth[on])
        else:
            temperature = fit_temperature(scores[on], truth[on])
        p = softmax(scores[on] / temperature)
        cv = evaluate_proba(classes, [r for r, t in zip(records, on) if t],
                            (1 - smoothing) * p + smoothing / p.shape[1])
        cv["calibrated_on"] = "trusted" if on is trusted else "all"
        cv = {k: v for k, v in cv.items() if k not in ("per_category", "confusion")}
        cv["folds"] = calibrate_folds
    vocab = [None] * len(vec.vocabulary_)
    for term, i in vec.vocabulary_.items():
        vocab[i] = term
    info = {"algorithm": algorithm, "C": C, "min_df": min_df, "max_features": max_features,
            "also_weight": also_weight, "sklearn_version": sklearn.__version__,
            "cross_validated": cv}
    if parents and parent_weight > 0:
        info["parent_weight"] = parent_weight
    return TextClassifier(classes, vocab, vec.idf_.astype(np.float32), coef, icpt,
                          temperature, ngram, True, info, words, smoothing)


def oof_scores(X, records, classes, algorithm, C, folds, also_weight, seed, hier=None):
    """Out-of-fold decision scores for each document, and the index of its first label."""
    from sklearn.model_selection import StratifiedKFold, KFold
    first = np.array([r["labels"][0] for r in records])
    counts = Counter(first)
    splitter = (StratifiedKFold(folds, shuffle=True, random_state=seed)
                if min(counts.values()) >= folds else KFold(folds, shuffle=True,
                                                            random_state=seed))
    scores = np.zeros((len(records), len(classes)), np.float32)
    for tr, te in splitter.split(np.zeros(len(first)), first):
        rows, y, w = _expand([records[i] for i in tr], also_weight)
        seen = sorted(set(y))
        coef, icpt = _fit_linear(X[tr[rows]], y, w, seen, algorithm, C, seed, **(hier or {}))
        part = np.full((len(te), len(classes)), -1e3, np.float32)  # unseen class: never picked
        part[:, [classes.index(c) for c in seen]] = np.asarray(X[te] @ coef.T) + icpt
        scores[te] = part
    return scores, np.array([classes.index(c) for c in first])


# -- evaluation ---------------------------------------------------------------------------

def evaluate(model: TextClassifier, records: list[dict]) -> dict:
    """Scores of a model on labelled records (see evaluate_proba)."""
    return evaluate_proba(model.classes, records,
                          model.predict_proba([r["text"] for r in records]))


def evaluate_proba(cls: list[str], records: list[dict], proba: np.ndarray,
                   bins: int = 10) -> dict:
    """Accuracy (first label), macro-F1, top-3, accepted (top-1 among any label), Brier, ECE."""
    from sklearn.metrics import confusion_matrix, f1_score, precision_recall_fscore_support

    gold = [r["labels"][0] for r in records]
    rank = np.argsort(-proba, axis=1)
    pred = [cls[i] for i in rank[:, 0]]
    top3 = [g in {cls[i] for i in row[:3]} for g, row in zip(gold, rank)]
    accepted = [p in r["labels"] for p, r in zip(pred, records)]
    labels = sorted(set(gold) | set(pred))
    onehot = np.array([[1.0 if c == g else 0.0 for c in cls] for g in gold])
    conf = proba.max(axis=1)
    hit = np.array([p == g for p, g in zip(pred, gold)], dtype=float)
    ece = 0.0
    edges = np.linspace(0, 1, bins + 1)
    for lo, hi in zip(edges[:-1], edges[1:]):
        m = (conf > lo) & (conf <= hi)
        if m.any():
            ece += m.mean() * abs(hit[m].mean() - conf[m].mean())
    p, r, f, s = precision_recall_fscore_support(gold, pred, labels=labels, zero_division=0)
    return {
        "n": len(records),
        "accuracy": float(hit.mean()),
        "macro_f1": float(f1_score(gold, pred, labels=sorted(set(gold)), average="macro",
                                   zero_division=0)),
        "top3_accuracy": float(np.mean(top3)),
        "accepted_accuracy": float(np.mean(accepted)),
        "brier": float(np.mean(np.sum((proba - onehot) ** 2, axis=1))),
        "ece": float(ece),
        "per_category": {lab: {"precision": float(p[i]), "recall": float(r[i]),
                               "f1": float(f[i]), "support": int(s[i])}
                         for i, lab in enumerate(labels)},
        "confusion": {"labels": labels,
                      "matrix": confusion_matrix(gold, pred, labels=labels).tolist()},
    }


# -- one-call entry points (used by the CLI) ----------------------------------------------

def train_paths(corpus, *, taxonomy=None, out=None, name: str | None = None,
                command: str = "", **options) -> dict:
    """Train on corpus files/folders, write model + taxonomy.json + meta.json; return meta."""
    from vnnews_nlp.paths import models_dir
    from vnnews_nlp.categories.taxonomy import load_taxonomy

    records = read_corpus(corpus)
    tax = load_taxonomy(taxonomy) if taxonomy else None
    if tax is None and out is None:
        tax = load_taxonomy()  # the shipped model's place goes with the shipped menu
    if tax is not None:
        unknown = sorted({lab for r in records for lab in r["labels"]} - set(tax.codes))
        if unknown:
            raise ValueError(f"labels not in taxonomy {tax.name!r}: {', '.join(unknown[:10])}; "
                             "fix the corpus or pass the right --taxonomy")
    out = Path(out) if out else models_dir() / "categories" / (tax.name if tax else "custom")
    if options.get("parent_weight") and "parents" not in options:
        parents = tax.parents() if tax is not None else {}
        if not parents:
            raise ValueError("--parent-weight needs a taxonomy whose menus have parents; pass --taxonomy "
                             "or leave --parent-weight at 0")
        options["parents"] = parents
    model = train(records, **options)
    model.save(out)
    if tax is not None:
        (out / "taxonomy.json").write_text(json.dumps(tax.to_dict(), ensure_ascii=False,
                                                      indent=1), encoding="utf-8")
    meta = write_meta(out, model, name=name or out.name, data=corpus, command=command,
                      scores={"cross_validated": model.info.get("cross_validated")})
    load_model.cache_clear()
    return meta


def write_meta(folder, model: TextClassifier, *, name, data, command, scores, extra=None):
    folder = Path(folder)
    size = sum(f.stat().st_size for f in folder.iterdir() if f.is_file())
    meta = {"name": name, "version": "1", "format": WORDS_FORMAT if model.words else FORMAT,
            "training_data_sha256": files_sha256(data),
            "training_data": [_relative(p) for p in data],
            "labels": model.classes, "features": len(model.vocab),
            "algorithm": model.info.get("algorithm"), "temperature": model.temperature,
            "sklearn_version": model.info.get("sklearn_version"),
            "scores": scores, "command": command, "size_bytes": size, **(extra or {})}
    (folder / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1),
                                      encoding="utf-8")
    return meta


def _relative(path) -> str:
    """Paths in meta.json relative to the repository (../shared/... for shared data)."""
    import os
    from vnnews_nlp.paths import models_dir
    path = Path(path).resolve()
    root = models_dir().resolve().parent
    return os.path.relpath(path, root) if root.parent in path.parents else str(path)


def evaluate_paths(corpus, model=None) -> dict:
    """Score a model folder (default: the shipped portal model) on labelled corpus files."""
    clf = load_model(str(model) if model else None)
    records = read_corpus(corpus)
    unknown = sorted({r["labels"][0] for r in records} - set(clf.classes))
    result = evaluate(clf, records)
    result["unknown_labels"] = unknown
    return result


def plot_confusion(result: dict, png) -> Path:
    """Write the confusion matrix as a PNG (needs matplotlib: `pip install matplotlib`)."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as err:
        raise RuntimeError("plotting needs matplotlib: `pip install matplotlib`") from err
    labels, m = result["confusion"]["labels"], np.array(result["confusion"]["matrix"])
    fig, ax = plt.subplots(figsize=(1 + 0.45 * len(labels), 1 + 0.4 * len(labels)))
    ax.imshow(m, cmap="Blues")
    ax.set_xticks(range(len(labels)), labels, rotation=90, fontsize=7)
    ax.set_yticks(range(len(labels)), labels, fontsize=7)
    ax.set_xlabel("predicted")
    ax.set_ylabel("gold")
    for i, j in zip(*np.nonzero(m)):
        ax.text(j, i, str(m[i, j]), ha="center", va="center", fontsize=6)
    fig.tight_layout()
    fig.savefig(png, dpi=120)
    plt.close(fig)
    return Path(png)
