"""Text classifier for portal categories (and any labelled archive): TF-IDF + a linear model.

Features are syllable n-grams of the plain text and, in models trained with `words`, the
multi-syllable words of the project's segmenter ("hội_nghị"): a word says more than its
syllables ("hội nghị" is a meeting, "hội" alone a society, a festival or a congress).
This module is inference only: loading, probabilities, reasons. Training and evaluation
(scikit-learn) live in `vnnews_nlp.categories.train`, which only `vnnews train` / `vnnews eval`
and bench/categories.py import; the trained model is stored as plain arrays (vocabulary, idf,
coefficients) in a compressed `.npz` plus JSON, never pickle, and prediction is numpy only.
Probabilities are a softmax over the decision scores with a temperature fitted on
out-of-fold scores (temperature scaling), so 0.9 means more than 0.6.
"""
from __future__ import annotations
from vnnews_nlp.errors import Errors

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
WORDS_FORMAT = "vnnews-linear-text/2"  # /1 + word features: older readers must refuse it
FORMATS = (FORMAT, WORDS_FORMAT)
MODEL_FILE = "model.npz"
_SYLLABLE = re.compile(r"\w+")


def syllables(text: str) -> list[str]:
    """Lower-cased syllables (and numbers) of a text, in order."""
    return _SYLLABLE.findall(unicodedata.normalize("NFC", text).lower())


def doc_words(doc) -> list[str]:
    """The multi-syllable words of a segmented Doc, lower-cased, syllables joined by "_"."""
    # not whitespace tokens: a run of spaces is a token of its own and no word
    return [t.lower_.replace(" ", "_") for t in doc if " " in t.text and not t.is_space]


@lru_cache(maxsize=1)
def _tokenizer():
    import spacy
    from vnnews_nlp.segment.tokenizer import create_tokenizer
    return create_tokenizer()(spacy.blank("vi", config={"nlp": {"tokenizer": {
        "use_pyvi": False}}}))


def text_words(text: str) -> list[str]:
    """`doc_words` of a plain text, segmented by the pipeline's tokenizer (loaded once)."""
    return doc_words(_tokenizer()(text))


def features(sylls: list[str], words: list[str] | None, n: int = 2) -> list[str]:
    """The terms a model counts: syllable 1..n-grams, then the words (if the model has them)."""
    return ngrams(sylls, n) + words if words is not None else ngrams(sylls, n)


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
    words: bool = False  # multi-syllable words of the segmenter are features too
    smoothing: float = 0.0  # share of probability spread evenly over the classes

    def __post_init__(self):
        self.index = {term: i for i, term in enumerate(self.vocab)}
        self.coef = np.asarray(self.coef, dtype=np.float32)
        # features × classes, contiguous: sparse row @ dense without copying the matrix per call
        self._coef_t = np.ascontiguousarray(self.coef.T)

    # -- features -------------------------------------------------------------------------
    def transform(self, texts: list, split: bool = True, words: list | None = None
                  ) -> sp.csr_matrix:
        """TF-IDF rows, identical to scikit-learn's TfidfVectorizer(sublinear_tf, norm='l2').
        `split=False`: `texts` are already lists of lower-cased syllables (a Doc's atoms), and
        a word model needs `words` (`doc_words` of each Doc); plain texts are segmented here."""
        if self.words and words is None:
            if not split:
                raise ValueError("this category model counts words: pass words=[doc_words(doc)]"
                                 " with the syllables, or plain texts")
            words = [text_words(t) for t in texts]
        indptr, indices, data = [0], [], []
        for k, text in enumerate(texts):
            sylls = syllables(text) if split else text
            terms = features(sylls, words[k] if self.words else None, self.ngram)
            # count the n-gram strings first (C speed), then look up each distinct one once
            counts = {i: c for g, c in Counter(terms).items()
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
        p = softmax(self.decision(X) / self.temperature)
        # a share of probability spread evenly: one temperature gave the surest articles 0.99
        # where about 1 in 20 of them was wrong (fitted with the temperature, see train.py)
        return (1 - self.smoothing) * p + self.smoothing / p.shape[1] if self.smoothing else p

    def predict(self, X) -> list[str]:
        return [self.classes[i] for i in self.decision(X).argmax(axis=1)]

    def reasons(self, text, k: int = 5, row=None, top: int | None = None, split: bool = True,
                merge: bool = True) -> dict[str, list[list]]:
        """Per class: the n-grams of this text with the largest positive coef × tf-idf.

        `top` limits the work to the `top` most likely classes (the others get no entry): an
        editor reads the reasons of a few suggestions, and phrase merging is the costly part.
        """
        if row is None:
            row = self.transform([text], split) if split or not self.words else \
                self.transform([text], split, [_words_of(text)])
        x = row
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
        joined = f" {' '.join(syllables(text) if split else text)} " if merge else ""
        out = {}
        for r, c in enumerate(picked_cls):
            picked: list[list] = []
            for j, w in zip(terms[r].tolist(), weights[r]):
                if w <= 0:
                    break
                term = self.vocab[j].replace("_", " ").strip()  # a word reads as syllables
                if not term:  # "_" itself, from a text that has one: nothing to show
                    continue
                if not merge:  # the caller merges (the pipeline, at word boundaries)
                    picked.append([term, w])
                    continue
                _add_phrase(picked, term, w, joined)
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
        config = {"format": WORDS_FORMAT if self.words else FORMAT, "classes": self.classes,
                  "temperature": self.temperature, "ngram": self.ngram,
                  "sublinear": self.sublinear, "features": len(self.vocab), **self.info}
        if self.words:
            config["words"] = True
        if self.smoothing:
            config["smoothing"] = self.smoothing
        (folder / "model.json").write_text(json.dumps(config, ensure_ascii=False, indent=1),
                                           encoding="utf-8")
        return folder

    @classmethod
    def load(cls, folder: str | Path) -> "TextClassifier":
        folder = Path(folder)
        cfg_path, arr_path = folder / "model.json", folder / MODEL_FILE
        if not cfg_path.is_file() or not arr_path.is_file():
            raise FileNotFoundError(Errors.E103.format(path=folder, file=MODEL_FILE))
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
                ("format", "classes", "temperature", "ngram", "sublinear", "features",
                 "words", "smoothing")}
        return cls(cfg["classes"], vocab, arrays["idf"].astype(np.float32), arrays["coef"],
                   arrays["intercept"].astype(np.float32), float(cfg["temperature"]),
                   int(cfg["ngram"]), bool(cfg["sublinear"]), info, bool(cfg.get("words")),
                   float(cfg.get("smoothing", 0.0)))


def _words_of(sylls: list[str]) -> list[str]:
    """Words of a syllable list (reasons asked without a row): segment the syllables' text."""
    return text_words(" ".join(sylls))


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
    if cfg.get("format") not in FORMATS:
        raise ValueError(f"model in {where} has format {cfg.get('format')!r}, this vnnews-nlp "
                         f"reads {' and '.join(FORMATS)}; retrain it with `vnnews train` or upgrade vnnews-nlp")
    need = cfg.get("sklearn_version")
    # the installed version is read from the package metadata: importing scikit-learn would
    # cost a pipeline that only predicts (numpy) about a second and a lot of memory
    installed = _installed_version("scikit-learn") if need else None
    if installed:
        have = tuple(int(p) for p in re.findall(r"\d+", installed)[:2])
        want = tuple(int(p) for p in re.findall(r"\d+", need)[:2])
        # arrays are plain numpy, but retraining/evaluation uses sklearn: a major version
        # behind the trainer's may lack the estimators the model was built with
        if have[:1] < want[:1]:
            raise RuntimeError(f"model in {where} was trained with scikit-learn {need}, installed"
                               f" is {installed}; run `pip install -U scikit-learn`")


def _installed_version(dist: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version
    try:
        return version(dist)
    except PackageNotFoundError:  # prediction does not need it
        return None


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


# -- shipped models -----------------------------------------------------------------------

@lru_cache(maxsize=8)
def load_model(path: str | None = None, name: str = "portal_qt") -> TextClassifier:
    """A model folder, or the shipped `models/categories/<name>/`; loaded once per process."""
    from vnnews_nlp.paths import models_dir
    return TextClassifier.load(path or models_dir() / "categories" / name)
