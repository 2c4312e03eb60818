"""Text classifier for portal categories (and any labelled archive): TF-IDF + a linear model.

Features are syllable n-grams of the plain text, so the model works without the pipeline.
Training uses scikit-learn; the trained model is stored as plain arrays (vocabulary, idf,
coefficients) in a compressed `.npz` plus JSON, never pickle, and prediction is numpy only.
Probabilities are a softmax over the decision scores with a temperature fitted on
out-of-fold scores (temperature scaling), so 0.9 means more than 0.6.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import scipy.sparse as sp

FORMAT = "vnnews-linear-text/1"
MODEL_FILE = "model.npz"
_SYLLABLE = re.compile(r"\w+")


def syllables(text: str) -> list[str]:
    """Lower-cased syllables (and numbers) of a text, in order."""
    return _SYLLABLE.findall(unicodedata.normalize("NFC", text).lower())


def ngrams(sylls: list[str], n: int = 2) -> list[str]:
    out = list(sylls)
    for k in range(2, n + 1):  # zip of shifted lists: the n-grams in order, at C speed
        out += map(" ".join, zip(*(sylls[i:] for i in range(k))))
    return out


@dataclass
class TextClassifier:
    classes: list[str]
    vocab: list[str]
    idf: np.ndarray
    coef: np.ndarray  # (classes, features)
    intercept: np.ndarray
    temperature: float = 1.0
    ngram: int = 2
    sublinear: bool = True
    info: dict = field(default_factory=dict)

    def __post_init__(self):
        self.index = {term: i for i, term in enumerate(self.vocab)}
        self.coef = np.asarray(self.coef, dtype=np.float32)
        # features × classes, contiguous: sparse row @ dense without copying the matrix per call
        self._coef_t = np.ascontiguousarray(self.coef.T)

    # -- features -------------------------------------------------------------------------
    def transform(self, texts: list[str]) -> sp.csr_matrix:
        """TF-IDF rows, identical to scikit-learn's TfidfVectorizer(sublinear_tf, norm='l2')."""
        indptr, indices, data = [0], [], []
        for text in texts:
            # count the n-gram strings first (C speed), then look up each distinct one once
            counts = {i: c for g, c in Counter(ngrams(syllables(text), self.ngram)).items()
                      if (i := self.index.get(g)) is not None}
            cols = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
            tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
            if self.sublinear:
                tf = 1.0 + np.log(tf)
            vals = tf * self.idf[cols]
            norm = math.sqrt(float(vals @ vals)) or 1.0
            indices.append(cols)
            data.append(vals / norm)
            indptr.append(indptr[-1] + len(cols))
        cat = (lambda xs, dt: np.concatenate(xs).astype(dt)) if indices else (
            lambda xs, dt: np.zeros(0, dt))
        return sp.csr_matrix((cat(data, np.float32), cat(indices, np.int64), indptr),
                             shape=(len(texts), len(self.vocab)))

    # -- prediction -----------------------------------------------------------------------
    def decision(self, X) -> np.ndarray:
        if not sp.issparse(X):
            X = self.transform(list(X))
        return np.asarray(X @ self._coef_t) + self.intercept

    def predict_proba(self, X) -> np.ndarray:
        return softmax(self.decision(X) / self.temperature)

    def predict(self, X) -> list[str]:
        return [self.classes[i] for i in self.decision(X).argmax(axis=1)]

    def reasons(self, text: str, k: int = 5, row=None, top: int | None = None
                ) -> dict[str, list[list]]:
        """Per class: the n-grams of this text with the largest positive coef × tf-idf.

        `top` limits the work to the `top` most likely classes (the others get no entry): an
        editor reads the reasons of a few suggestions, and phrase merging is the costly part.
        """
        x = self.transform([text]) if row is None else row
        cols, vals = x.indices, x.data
        if top is None or top >= len(self.classes):
            picked_cls = np.arange(len(self.classes))
        else:
            picked_cls = np.argsort(-self.decision(x)[0], kind="stable")[:max(top, 0)]
        if not len(cols) or not len(picked_cls):
            return {self.classes[c]: [] for c in picked_cls}
        contrib = self._coef_t[cols][:, picked_cls].T * vals  # (picked classes, n-grams present)
        m = min(4 * k, contrib.shape[1])
        # the 4k strongest n-grams per class, strongest first, without sorting the whole row
        best = np.argpartition(-contrib, m - 1, axis=1)[:, :m] if m < contrib.shape[1] \
            else np.broadcast_to(np.arange(m), (len(picked_cls), m))
        best = np.take_along_axis(best, np.argsort(-np.take_along_axis(contrib, best, 1),
                                                   axis=1, kind="stable"), 1)
        weights = np.take_along_axis(contrib, best, 1).tolist()
        terms = cols[best]
        joined = f" {' '.join(syllables(text))} "
        out = {}
        for r, c in enumerate(picked_cls):
            picked: list[list] = []
            for j, w in zip(terms[r].tolist(), weights[r]):
                if w <= 0:
                    break
                _add_phrase(picked, self.vocab[j], w, joined)
            out[self.classes[c]] = [[p, round(w, 4)] for p, w, *_ in picked[:k]]
        return out

    # -- storage --------------------------------------------------------------------------
    def save(self, folder: str | Path) -> Path:
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        vocab = np.frombuffer("\n".join(self.vocab).encode("utf-8"), dtype=np.uint8)
        np.savez_compressed(folder / MODEL_FILE, vocab=vocab, idf=self.idf.astype(np.float32),
                            coef=self.coef.astype(np.float16),
                            intercept=self.intercept.astype(np.float32))
        config = {"format": FORMAT, "classes": self.classes, "temperature": self.temperature,
                  "ngram": self.ngram, "sublinear": self.sublinear,
                  "features": len(self.vocab), **self.info}
        (folder / "model.json").write_text(json.dumps(config, ensure_ascii=False, indent=1),
                                           encoding="utf-8")
        return folder

    @classmethod
    def load(cls, folder: str | Path) -> "TextClassifier":
        folder = Path(folder)
        cfg_path, arr_path = folder / "model.json", folder / MODEL_FILE
        if not cfg_path.is_file() or not arr_path.is_file():
            raise FileNotFoundError(f"no classifier in {folder} (needs model.json and {MODEL_FILE});"
                                    " train one with `vnnews train CORPUS --out DIR`")
        cfg = json.loads(cfg_path.read_text(encoding="utf-8"))
        check_compatible(cfg, folder)
        with np.load(arr_path, allow_pickle=False) as z:
            vocab = z["vocab"].tobytes().decode("utf-8").split("\n")
            arrays = {k: z[k] for k in ("idf", "coef", "intercept")}
        n_cls = len(cfg["classes"])
        if arrays["coef"].shape != (n_cls, len(vocab)) or arrays["idf"].shape != (len(vocab),):
            raise ValueError(f"model in {folder} is damaged: coefficient shape "
                             f"{arrays['coef'].shape} does not match {n_cls} classes × "
                             f"{len(vocab)} features; retrain it")
        info = {k: v for k, v in cfg.items() if k not in
                ("format", "classes", "temperature", "ngram", "sublinear", "features")}
        return cls(cfg["classes"], vocab, arrays["idf"].astype(np.float32), arrays["coef"],
                   arrays["intercept"].astype(np.float32), float(cfg["temperature"]),
                   int(cfg["ngram"]), bool(cfg["sublinear"]), info)


def _add_phrase(picked: list, term: str, w: float, joined: str) -> None:
    """Add an n-gram to the reasons, merging it with an overlapping phrase of the text.

    "thủ tục" + "tục hành" read better as "thủ tục hành"; a syllable inside a listed phrase
    adds nothing for the reader. Items are [phrase, weight, syllables, " phrase "].
    """
    words = term.split()
    padded = f" {term} "
    for item in picked:
        _, _, have, around = item
        if padded in around:
            return
        # cheap syllable checks first: the text is searched only for a possible merge
        for merged in (" ".join(have + words[1:]) if have[-1] == words[0] else None,
                       " ".join(words[:-1] + have) if have[0] == words[-1] else None,
                       term if len(words) > len(have) and around in padded else None):
            if merged and merged.count(" ") < 4 and f" {merged} " in joined:
                item[:] = merged, item[1] + w, merged.split(), f" {merged} "
                return
    picked.append([term, w, words, padded])
    picked.sort(key=lambda it: -it[1])


def check_compatible(cfg: dict, where) -> None:
    """Refuse models this code (and the installed scikit-learn) cannot read, with a clear why."""
    if cfg.get("format") != FORMAT:
        raise ValueError(f"model in {where} has format {cfg.get('format')!r}, this vnnews-nlp "
                         f"reads {FORMAT!r}; retrain it with `vnnews train` or upgrade vnnews-nlp")
    need = cfg.get("sklearn_version")
    if need:
        import sklearn
        have = tuple(int(p) for p in re.findall(r"\d+", sklearn.__version__)[:2])
        want = tuple(int(p) for p in re.findall(r"\d+", need)[:2])
        # arrays are plain numpy, but retraining/evaluation uses sklearn: a major version
        # behind the trainer's may lack the estimators the model was built with
        if have[:1] < want[:1]:
            raise RuntimeError(f"model in {where} was trained with scikit-learn {need}, installed"
                               f" is {sklearn.__version__}; run `pip install -U scikit-learn`")


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


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
    return {"id": r.get("id", where), "text": r["text"], "labels": [str(x) for x in labels]}


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


def _fit_linear(X, y, w, classes, algorithm, C, seed):
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


def train(records: list[dict], *, algorithm: str = "svm", C: float = 1.0, ngram: int = 2,
          min_df: int = 2, max_features: int | None = 100_000, also_weight: float = 0.5,
          calibrate_folds: int = 3, seed: int = 0) -> TextClassifier:
    """Fit TF-IDF + a linear model; the temperature comes from out-of-fold scores."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    import sklearn

    if not records:
        raise ValueError("no training records; check the corpus paths")
    texts = [r["text"] for r in records]
    vec = TfidfVectorizer(analyzer=lambda t: ngrams(syllables(t), ngram), sublinear_tf=True,
                          min_df=min(min_df, max(1, len(texts) // 10)),
                          max_features=max_features, dtype=np.float32)
    X = vec.fit_transform(texts)
    rows, y, w = _expand(records, also_weight)
    classes = sorted(set(y))
    if len(classes) < 2:
        raise ValueError(f"need at least two categories to train, got {classes}")
    coef, icpt = _fit_linear(X[rows], y, w, classes, algorithm, C, seed)
    temperature, cv = 1.0, None
    if calibrate_folds > 1:
        scores, truth = oof_scores(X, records, classes, algorithm, C, calibrate_folds,
                                   also_weight, seed)
        temperature = fit_temperature(scores, truth)
        cv = evaluate_proba(classes, records, softmax(scores / temperature))
        cv = {k: v for k, v in cv.items() if k not in ("per_category", "confusion")}
        cv["folds"] = calibrate_folds
    vocab = [None] * len(vec.vocabulary_)
    for term, i in vec.vocabulary_.items():
        vocab[i] = term
    info = {"algorithm": algorithm, "C": C, "min_df": min_df, "max_features": max_features,
            "also_weight": also_weight, "sklearn_version": sklearn.__version__,
            "cross_validated": cv}
    return TextClassifier(classes, vocab, vec.idf_.astype(np.float32), coef, icpt,
                          temperature, ngram, True, info)


def oof_scores(X, records, classes, algorithm, C, folds, also_weight, seed):
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
        coef, icpt = _fit_linear(X[tr[rows]], y, w, seen, algorithm, C, seed)
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


# -- shipped models -----------------------------------------------------------------------

@lru_cache(maxsize=8)
def load_model(path: str | None = None, name: str = "portal_qt") -> TextClassifier:
    """A model folder, or the shipped `models/categories/<name>/`; loaded once per process."""
    from vnnews_nlp.paths import models_dir
    return TextClassifier.load(path or models_dir() / "categories" / name)


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
    meta = {"name": name, "version": "1", "format": FORMAT,
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
