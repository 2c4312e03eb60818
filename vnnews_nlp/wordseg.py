"""Vietnamese word segmentation: decide which adjacent atoms join into one word.

The tokenizer splits text into atoms (syllables, punctuation, numbers, abbreviations …);
a linear-chain CRF labels every atom B (starts a word) or I (continues the word of the
atom before). The model is trained with crfsuite by `python -m vnnews_nlp.wordseg_train`,
which exports its non-zero weights to `models/wordseg/weights.npz` (feature names as one
UTF-8 text, float32 B/I weights per segmentation convention, 2x2 transitions) beside a
`lexicon.txt` of known multi-syllable words (the dictionary features) and `meta.json`.

Decoding does not go through crfsuite: the weights are read once into a dict and the
two-label Viterbi runs in Python, which is faster than building crfsuite item sequences,
and reading the npz takes a fraction of a second where crfsuite's model dump took seconds.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from .paths import models_dir

LABELS = ("B", "I")
CONVENTIONS = ("vlsp", "ud")  # VLSP 2013 and UD Vietnamese-VTB segmentation standards
MODEL_NAME = "wordseg"
WEIGHTS_FILE = "weights.npz"
MAX_WORD = 4  # longest lexicon entry (in syllables) used by the dictionary features

_DIGITS = str.maketrans("0123456789", "0000000000")
_PAD = ("<s>", "S")
_END = ("</s>", "E")


def _shape(atom: str, low: str) -> str:
    # One letter per atom: case pattern for words, class for everything else.
    if atom.isalpha():
        if atom == low:
            return "l"
        if atom[0].isupper() and atom[1:] == low[1:]:
            return "T"
        return "U" if atom.isupper() else "M"
    if atom.isdigit():
        return "D"
    if any(c.isdigit() for c in atom):
        return "N"
    if not any(c.isalnum() for c in atom):
        return "P"
    return "O"


_atom_cache: dict[str, tuple[str, str]] = {}


def _atom_info(atom: str) -> tuple[str, str]:
    """(folded form, shape) of one atom, cached because news text repeats syllables a lot."""
    info = _atom_cache.get(atom)
    if info is None:
        low = atom.lower()
        info = (low.translate(_DIGITS), _shape(atom, low))
        if len(_atom_cache) > 200_000:  # bound memory on endless streams of odd tokens
            _atom_cache.clear()
        _atom_cache[atom] = info
    return info


@lru_cache(maxsize=4)
def external_lexicon(name: str) -> frozenset[str]:
    """Multi-syllable words of a general dictionary, folded like atoms ("" gives none).

    "viet74k" is Hồ Ngọc Đức's word list as installed with underthesea (a dependency); it
    is read from the installed package, never copied into this repository.
    """
    if not name:
        return frozenset()
    if name != "viet74k":
        raise ValueError(f"unknown external lexicon {name!r}; use 'viet74k' or ''")
    from importlib.util import find_spec

    spec = find_spec("underthesea")
    path = Path(spec.submodule_search_locations[0]) / "corpus" / "data" / "Viet74K.txt" \
        if spec and spec.submodule_search_locations else None
    if path is None or not path.is_file():
        raise FileNotFoundError("the word segmentation model uses underthesea's Viet74K word "
                                "list; install underthesea (`pip install underthesea`)")
    # whole-line lower/translate folds the same as _atom_info per syllable, much faster
    text = re.sub("[0-9]", "0", path.read_text(encoding="utf-8").lower())
    return frozenset(" ".join(syls) for syls in map(str.split, text.splitlines())
                     if 2 <= len(syls) <= MAX_WORD)


def sentence_features(atoms: list[str], lexicon: frozenset[str] | set[str],
                      convention: str | None = None,
                      extra: frozenset[str] | set[str] = frozenset()) -> list[list[str]]:
    """Feature strings for every atom; position i describes the boundary between i-1 and i.

    `lexicon` holds words seen in training, `extra` those of a general dictionary; each
    gives its own dictionary features ("d…" and "x…").

    In training, `convention` names the annotation standard of the sentence: the lexical
    features are then also emitted prefixed with it, so the model learns the shared part
    in the plain features and each standard's habits ("người dân" one word in VLSP, two
    in UD VTB) in the prefixed ones (feature augmentation, Daumé III 2007).
    """
    n = len(atoms)
    info = [_PAD, _PAD] + [_atom_info(a) for a in atoms] + [_END, _END]
    w = [x[0] for x in info]
    s = [x[1] for x in info]
    out = []
    for j in range(2, n + 2):
        a, b, c, d, e = w[j - 2], w[j - 1], w[j], w[j + 1], w[j + 2]
        sb, sc, sd = s[j - 1], s[j], s[j + 1]
        bc = b + " " + c
        cd = c + " " + d
        f = [
            "w=" + c,
            "w-1=" + b,
            "w+1=" + d,
            "w-2=" + a,
            "w+2=" + e,
            "b-1=" + bc,
            "b+1=" + cd,
            "b-2=" + a + " " + b,
            "b+2=" + d + " " + e,
            "t-1=" + a + " " + bc,
            "t0=" + bc + " " + d,
            "s=" + sb + sc + sd,
            "s-1=" + s[j - 2] + sb + sc,
        ]
        # Dictionary features: is the word ending/starting/spanning here a known word?
        if bc in lexicon:
            f.append("d2-1")
        if cd in lexicon:
            f.append("d2+1")
        if a + " " + bc in lexicon:
            f.append("d3-2")
        if bc + " " + d in lexicon:
            f.append("d3-1")
        if cd + " " + e in lexicon:
            f.append("d3+0")
        if a + " " + b in lexicon:
            f.append("d2-2")
        if extra:
            if bc in extra:
                f.append("x2-1")
            if cd in extra:
                f.append("x2+1")
            if a + " " + bc in extra:
                f.append("x3-2")
            if bc + " " + d in extra:
                f.append("x3-1")
            if cd + " " + e in extra:
                f.append("x3+0")
            if a + " " + b in extra:
                f.append("x2-2")
        if convention:
            p = convention + "|"
            f += [p + f[0], p + f[5], p + f[6], p + f[9], p + f[10]]
            f += [p + x for x in f[13:-5]]  # dictionary features
        out.append(f)
    return out


class Segmenter:
    """Joins atoms into words with a CRF whose weights are held in a plain dict."""

    def __init__(self, weights: dict[str, tuple[float, float]], trans: list[list[float]],
                 lexicon: frozenset[str], extra: frozenset[str] = frozenset()):
        self.weights = weights
        self.trans = trans
        self.lexicon = lexicon
        self.extra = extra
        self.convention = "vlsp"
        self._caches: tuple[dict, dict, dict, dict] = ({}, {}, {}, {})

    @classmethod
    def from_dir(cls, path: Path, convention: str = "vlsp") -> "Segmenter":
        if convention not in CONVENTIONS:
            raise ValueError(f"unknown segmentation convention {convention!r}; "
                             f"use one of {CONVENTIONS}")
        model = path / WEIGHTS_FILE
        if not model.is_file():
            raise FileNotFoundError(
                f"word segmentation model not found at {model}; "
                "rebuild it with `python -m vnnews_nlp.wordseg_train`")
        import numpy as np

        with np.load(model, allow_pickle=False) as z:
            key = "weights_" + convention
            if key not in z.files:
                raise ValueError(f"the model at {path} knows only the conventions "
                                 f"{sorted(k[8:] for k in z.files if k.startswith('weights_'))}; "
                                 "retrain it with `python -m vnnews_nlp.wordseg_train "
                                 f"--conventions` for {convention!r}")
            names = z["features"].tobytes().decode("utf-8").split("\n")
            w = z[key].astype(np.float64)
            trans = z["transitions"].astype(np.float64).tolist()
            extra_name = z["extra_lexicon"].tobytes().decode() if "extra_lexicon" in z.files else ""
        lexicon = frozenset((path / "lexicon.txt").read_text(encoding="utf-8").splitlines())
        # (features weighted only in another convention stay, at 0.0: filtering costs more
        # load time than the few extra entries cost memory)
        weights = dict(zip(names, zip(w[:, 0].tolist(), w[:, 1].tolist())))
        seg = cls(weights, trans, lexicon, external_lexicon(extra_name))
        seg.convention = convention
        return seg

    # Decoding computes the same sums as adding the weights of sentence_features(), but
    # looks each atom, pair and triple up once (cached) instead of building ~20 feature
    # strings per atom; tests check both give the same scores.

    def _vec(self, names: tuple[str, ...]) -> tuple[float, ...]:
        get = self.weights.get
        out: list[float] = []
        for name in names:
            wb, wi = get(name, (0.0, 0.0)) if name else (0.0, 0.0)
            out += (wb, wi)
        return tuple(out)

    def _uni(self, w: str) -> tuple[float, ...]:
        # weights of w as the current, previous, next, previous-but-one, next-but-one atom
        return self._vec(("w=" + w, "w-1=" + w, "w+1=" + w, "w-2=" + w, "w+2=" + w))

    def _pair(self, bc: str) -> tuple[float, ...]:
        # pair (k, k+1) seen from positions k+1, k, k+2, k-1
        v = self._vec(("b-1=" + bc, "b+1=" + bc, "b-2=" + bc, "b+2=" + bc))
        if bc in self.lexicon:
            d = self._vec(("d2-1", "d2+1", "d2-2", ""))
            v = tuple(x + y for x, y in zip(v, d))
        if bc in self.extra:
            d = self._vec(("x2-1", "x2+1", "x2-2", ""))
            v = tuple(x + y for x, y in zip(v, d))
        return v

    def _triple(self, abc: str) -> tuple[float, ...]:
        # triple (k, k+1, k+2) seen from positions k+2, k+1, k
        v = self._vec(("t-1=" + abc, "t0=" + abc, ""))
        if abc in self.lexicon:
            d = self._vec(("d3-2", "d3-1", "d3+0"))
            v = tuple(x + y for x, y in zip(v, d))
        if abc in self.extra:
            d = self._vec(("x3-2", "x3-1", "x3+0"))
            v = tuple(x + y for x, y in zip(v, d))
        return v

    def _shape3(self, sh: str) -> tuple[float, ...]:
        # shapes of (k, k+1, k+2) seen from positions k+1, k+2
        return self._vec(("s=" + sh, "s-1=" + sh))

    def _cached(self, cache: dict, make, key: str):
        v = cache.get(key)
        if v is None:
            if len(cache) > 500_000:  # bound memory on endless streams of new text
                cache.clear()
            v = cache[key] = make(key)
        return v

    def emission_scores(self, atoms: list[str]) -> list[tuple[float, float]]:
        """(score of B, score of I) for every atom, before transitions."""
        n = len(atoms)
        info = [_PAD, _PAD] + [_atom_info(a) for a in atoms] + [_END, _END]
        w = [x[0] for x in info]
        sh = "".join(x[1] for x in info)
        ucache, pcache, tcache, scache = self._caches
        cached = self._cached
        U = [cached(ucache, self._uni, x) for x in w]
        P = [cached(pcache, self._pair, w[k] + " " + w[k + 1]) for k in range(n + 3)]
        T = [cached(tcache, self._triple, w[k] + " " + w[k + 1] + " " + w[k + 2])
             for k in range(n + 2)]
        S = [cached(scache, self._shape3, sh[k:k + 3]) for k in range(n + 2)]
        out = []
        for j in range(2, n + 2):
            u0, um1, up1, um2, up2 = U[j], U[j - 1], U[j + 1], U[j - 2], U[j + 2]
            p0, pm1, pm2, pp1 = P[j], P[j - 1], P[j - 2], P[j + 1]
            t0, tm1, tm2 = T[j], T[j - 1], T[j - 2]
            s1, s2 = S[j - 1], S[j - 2]
            out.append((
                u0[0] + um1[2] + up1[4] + um2[6] + up2[8] + pm1[0] + p0[2] + pm2[4] + pp1[6]
                + tm2[0] + tm1[2] + t0[4] + s1[0] + s2[2],
                u0[1] + um1[3] + up1[5] + um2[7] + up2[9] + pm1[1] + p0[3] + pm2[5] + pp1[7]
                + tm2[1] + tm1[3] + t0[5] + s1[1] + s2[3],
            ))
        return out

    def join_flags(self, atoms: list[str]) -> list[bool]:
        """flags[i] is True when atom i continues the word of atom i-1; flags[0] is False."""
        n = len(atoms)
        if n == 0:
            return []
        (tbb, tbi), (tib, tii) = self.trans
        scores = self.emission_scores(atoms)
        # a sentence never starts inside a word
        score_b, score_i = scores[0][0], float("-inf")
        back: list[tuple[bool, bool]] = [(False, False)]  # best previous is I? for cur B / I
        for sb, si in scores[1:]:
            fb = score_b + tbb, score_i + tib
            fi = score_b + tbi, score_i + tii
            pb = fb[1] > fb[0]
            pi = fi[1] > fi[0]
            score_b = fb[pb] + sb
            score_i = fi[pi] + si
            back.append((pb, pi))
        flags = [False] * n
        cur = score_i > score_b
        for k in range(n - 1, 0, -1):
            flags[k] = cur
            cur = back[k][1] if cur else back[k][0]
        return flags

    def join_flags_batch(self, sents: list[list[str]]) -> list[list[bool]]:
        return [self.join_flags(atoms) for atoms in sents]

    def words(self, atoms: list[str]) -> list[str]:
        """Atoms grouped into words, syllables joined by spaces (handy for demos and tests)."""
        out: list[str] = []
        for atom, join in zip(atoms, self.join_flags(atoms)):
            if join:
                out[-1] += " " + atom
            else:
                out.append(atom)
        return out


@lru_cache(maxsize=None)
def load_segmenter(path: str | None = None, convention: str = "vlsp") -> Segmenter:
    """The shipped segmenter (or one from `path`), loaded once per process.

    `convention` picks the segmentation standard: "vlsp" (VLSP 2013, the default) or
    "ud" (UD Vietnamese-VTB, which splits more: "người dân" -> "người" "dân").
    """
    return Segmenter.from_dir(Path(path) if path else models_dir() / MODEL_NAME, convention)


def model_meta(path: str | None = None) -> dict:
    folder = Path(path) if path else models_dir() / MODEL_NAME
    return json.loads((folder / "meta.json").read_text(encoding="utf-8"))
