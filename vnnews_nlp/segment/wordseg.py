"""Vietnamese word segmentation: decide which adjacent atoms join into one word.

The tokenizer splits text into atoms (syllables, punctuation, numbers, abbreviations …);
a linear-chain CRF labels every atom B (starts a word) or I (continues the word of the
atom before). The model is trained with crfsuite by `python -m training.wordseg`,
which exports its non-zero weights to `models/wordseg/weights.npz` (feature names as one
UTF-8 text, float32 B/I weights per segmentation convention, 2x2 transitions) beside a
`lexicon.txt` of known multi-syllable words (the dictionary features) and `meta.json`.

Decoding does not go through crfsuite: the weights are read once into a dict (reading the
npz takes a fraction of a second where crfsuite's model dump took seconds); the weights of
the syllables, pairs and triples met in text are copied into NumPy tables once, and the
emission sums and the two-label Viterbi run compiled with numba (built on first use, cached
on disk), over all sentences of a document at once (`Segmenter.join_flags_batch`).
"""
from __future__ import annotations

import json
import re
import threading
from functools import lru_cache
from itertools import chain, repeat
from pathlib import Path

import numpy as np

from vnnews_nlp.errors import Errors
from vnnews_nlp.crf import best_paths
from vnnews_nlp.paths import models_dir

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
        raise FileNotFoundError(Errors.E104)
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
        spans = ((bc, "2-1"), (cd, "2+1"), (a + " " + bc, "3-2"), (bc + " " + d, "3-1"),
                 (cd + " " + e, "3+0"), (a + " " + b, "2-2"))
        for words, prefix in ((lexicon, "d"), (extra, "x")):
            f += [prefix + where for phrase, where in spans if phrase in words]
        if convention:
            p = convention + "|"
            f += [p + f[0], p + f[5], p + f[6], p + f[9], p + f[10]]
            f += [p + x for x in f[13:-5]]  # dictionary features
        out.append(f)
    return out


_SHAPES = "lTUMDNPOSE"  # the letters of _shape, then those of the pads (_PAD, _END)
_SHAPE_CODE = {c: i for i, c in enumerate(_SHAPES)}
_MAX_ROWS = 500_000  # per lookup table; all are rebuilt beyond it (endless streams of new text)
_LOCK = threading.Lock()
_KERNELS = None


class _Table:
    """Weight rows of integer keys (syllable ids, pairs, triples) in the order the keys
    were first seen, a flag per row, and an open-addressing hash index (key -> row) that
    compiled code searches. Keys are >= 0 (-1 marks an empty slot); row 0 is all zeros,
    shared by the keys that cannot have weights, and has no key."""

    def __init__(self, width: int, indexed: bool = True):
        self.rows = np.zeros((1024, width))
        self.flags = np.zeros(1024, dtype=np.bool_)
        self.keys = np.empty(1024, dtype=np.int64)  # key of every row
        self.n = 1
        self.indexed = indexed  # False: rows are found by a dict elsewhere
        self.slots = np.full(4096, -1, dtype=np.int64)
        self.slot_rows = np.empty(4096, dtype=np.int64)

    def add(self, keys: list[int], rows: list[tuple[float, ...]], flags: list[bool]) -> int:
        """Append rows for new keys (none in the table yet, no repeats); the first row's number."""
        n, k = self.n, len(rows)
        while n + k > len(self.rows):
            self.rows = np.concatenate([self.rows, np.zeros_like(self.rows)])
            self.flags = np.concatenate([self.flags, np.zeros_like(self.flags)])
            self.keys = np.concatenate([self.keys, np.empty_like(self.keys)])
        width = self.rows.shape[1]
        self.rows[n:n + k] = np.fromiter(chain.from_iterable(rows), dtype=np.float64,
                                         count=k * width).reshape(k, width)
        self.flags[n:n + k] = flags
        self.n = n + k
        if self.indexed:
            self.keys[n:n + k] = keys
            if 2 * self.n > len(self.slots):  # keep the index at most half full
                size = len(self.slots)
                while 2 * self.n > size:
                    size *= 2
                self.slots = np.full(size, -1, dtype=np.int64)
                self.slot_rows = np.empty(size, dtype=np.int64)
                _kernels().insert(self.slots, self.slot_rows, self.keys[1:self.n], 1)
            else:
                _kernels().insert(self.slots, self.slot_rows, self.keys[n:self.n], n)
        return n


class _Tables:
    """What a segmenter has looked up so far, as rows of weights (see Segmenter._uni, _pair,
    _triple, _shape3). An atom maps to `syllable row << 4 | shape code` (a dict), a pair to
    the key `syllable row << 32 | syllable row`, a triple to `pair row << 32 | syllable row`:
    integers, looked up by compiled code, no strings built once seen.

    Most triples have no weights: a pair is flagged when a weighted feature name, lexicon
    or word-list entry of three or more space-separated parts starts with it (or when it
    holds more than one space, an atom with a space inside); a triple whose pair is not
    flagged gets the zero row without a lookup."""

    def __init__(self, seg: "Segmenter"):
        self.seg = seg
        self.named, self.starts3 = seg._names()
        self.atoms: dict[str, int] = {}
        self.syllables: dict[str, int] = {}  # folded syllable -> its row of `uni`
        self.words: list[str] = [""]  # row of `uni` -> folded syllable (row 0 is unused)
        self.uni, self.pair, self.triple = _Table(10, indexed=False), _Table(8), _Table(6)
        # three shapes with codes a, b, c are row 100a + 10b + c
        self.shape_rows = np.array([seg._shape3(a + b + c)
                                    for a in _SHAPES for b in _SHAPES for c in _SHAPES])
        self.pad_code = self.syllables_of([_PAD[0]])[0] << 4 | _SHAPE_CODE[_PAD[1]]
        self.end_code = self.syllables_of([_END[0]])[0] << 4 | _SHAPE_CODE[_END[1]]

    def full(self) -> bool:
        return max(len(self.atoms), self.uni.n, self.pair.n, self.triple.n) > _MAX_ROWS

    def syllables_of(self, folded: list[str]) -> list[int]:
        """Rows of `uni` of folded syllables, adding the new ones."""
        out, new = [], []
        for w in folded:
            k = self.syllables.get(w)
            if k is None:
                k = self.syllables[w] = self.uni.n + len(new)
                new.append(w)
            out.append(k)
        if new:
            self.words += new
            named, uni = self.named, self.seg._uni
            self.uni.add([], [uni(w) if w in named else (0.0,) * 10 for w in new],
                         [False] * len(new))
        return out

    def atom_codes(self, atoms: list[str]) -> np.ndarray:
        codes = np.fromiter(map(self.atoms.get, atoms, repeat(-1)), dtype=np.int64,
                            count=len(atoms))
        miss = np.flatnonzero(codes < 0).tolist()
        if miss:
            new = list(dict.fromkeys(atoms[k] for k in miss))
            info = [_atom_info(a) for a in new]
            rows = self.syllables_of([low for low, _ in info])
            for atom, (_, shape), row in zip(new, info, rows):
                self.atoms[atom] = row << 4 | _SHAPE_CODE[shape]
            get = self.atoms.__getitem__
            codes[miss] = [get(atoms[k]) for k in miss]
        return codes

    def _find(self, table: _Table, hi: np.ndarray, lo: np.ndarray, ids: np.ndarray, span: int,
              weights, flagged: np.ndarray | None = None, flag=None) -> np.ndarray:
        """Row of `table` for the key hi[k] << 32 | lo[k] of every position k (the `span`
        syllables from k). Keys not seen yet get new rows: weights(text) when the text is
        named by a feature or a lexicon, else zeros, and flag(text). With `flagged`, a
        position whose flagged[hi[k]] is False gets the zero row without a lookup."""
        rows = np.empty(len(hi), dtype=np.int64)
        check = flagged is not None
        _kernels().find_keys(table.slots, table.slot_rows, hi, lo,
                             flagged if check else table.flags, check, rows)
        miss = np.flatnonzero(rows < 0)
        if not len(miss):
            return rows
        new, first, inverse = np.unique((hi[miss] << 32) | lo[miss], return_index=True,
                                        return_inverse=True)
        at, words = ids.tolist(), self.words
        texts = [" ".join([words[i] for i in at[k:k + span]]) for k in miss[first].tolist()]
        named, lexicon, extra = self.named, self.seg.lexicon, self.seg.extra
        zero = (0.0,) * table.rows.shape[1]
        made = [weights(x) if x in named or x in lexicon or x in extra else zero for x in texts]
        start = table.add(new.tolist(), made,
                          [flag(x) for x in texts] if flag else [False] * len(texts))
        rows[miss] = start + inverse.reshape(-1)
        return rows

    def pair_rows(self, ids: np.ndarray) -> np.ndarray:
        """Row of `pair` for every two consecutive syllables (ids: their rows of `uni`)."""
        starts3 = self.starts3
        return self._find(self.pair, ids[:-1], ids[1:], ids, 2, self.seg._pair,
                          flag=lambda bc: bc in starts3 or bc.count(" ") > 1)

    def triple_rows(self, ids: np.ndarray, pids: np.ndarray) -> np.ndarray:
        """Row of `triple` for every three consecutive syllables (pids: their pair rows)."""
        return self._find(self.triple, pids[:-1], ids[2:], ids, 3, self.seg._triple,
                          flagged=self.pair.flags)


def _kernels():
    """The compiled loops (hash index, emission sums, 2-label Viterbi), built on first use:
    numba import + compile takes a few seconds once; later processes load them from
    numba's on-disk cache."""
    global _KERNELS
    if _KERNELS is None:
        try:
            import numba
        except ImportError as e:  # pragma: no cover - numba is a dependency
            raise ImportError("word segmentation decodes with numba, which is not installed; "
                              "install it with `pip install 'numba>=0.60'`") from e
        from types import SimpleNamespace

        jit = numba.njit(cache=True, nogil=True)

        # an open-addressing hash index: key k starts its search at slot(k) and probes on;
        # the probe loop is written out in every kernel (calls between compiled functions
        # make numba's cache load take ~0.15 s more each)
        @jit
        def insert(slots, slot_rows, keys, first_row):  # pragma: no cover - compiled
            mask = len(slots) - 1
            for k in range(len(keys)):
                key = keys[k]
                h = (key ^ (key >> 31)) * 0x9E3779B97F4A7C1  # int64, wraps
                i = (h ^ (h >> 29)) & mask
                while slots[i] != -1:
                    i = (i + 1) & mask
                slots[i] = key
                slot_rows[i] = first_row + k

        @jit
        def find_keys(slots, slot_rows, hi, lo, flagged, check, out):  # pragma: no cover
            # out[k] = row of key hi[k] << 32 | lo[k], -1 if absent; 0 (the zero row)
            # without a lookup when check and not flagged[hi[k]]
            mask = len(slots) - 1
            for k in range(len(out)):
                if check and not flagged[hi[k]]:
                    out[k] = 0
                    continue
                key = (hi[k] << 32) | lo[k]
                h = (key ^ (key >> 31)) * 0x9E3779B97F4A7C1
                i = (h ^ (h >> 29)) & mask
                while True:
                    s = slots[i]
                    if s == key:
                        out[k] = slot_rows[i]
                        break
                    if s == -1:
                        out[k] = -1
                        break
                    i = (i + 1) & mask

        @jit
        def layout(lens, atom_codes, pad_code, end_code, codes, pos):  # pragma: no cover
            # sentence s becomes the block <s> <s> atoms… </s> </s> of one long sequence:
            # the features of an atom never reach beyond its block
            j = 0
            k = 0
            for s in range(len(lens)):
                codes[j] = pad_code
                codes[j + 1] = pad_code
                j += 2
                for _ in range(lens[s]):
                    codes[j] = atom_codes[k]
                    pos[k] = j
                    j += 1
                    k += 1
                codes[j] = end_code
                codes[j + 1] = end_code
                j += 2

        @jit
        def emissions(U, P, T, S, codes, pids, tids, pos, out):  # pragma: no cover
            # the terms, in the order of the former per-atom Python sums (so the same
            # floats): syllables at j, j-1, j+1, j-2, j+2; pairs starting at j-1, j, j-2,
            # j+1; triples starting at j-2, j-1, j; shapes starting at j-1, j-2
            for r in range(len(pos)):
                j = pos[r]
                u0, um1, up1 = codes[j] >> 4, codes[j - 1] >> 4, codes[j + 1] >> 4
                um2, up2 = codes[j - 2] >> 4, codes[j + 2] >> 4
                sh0, shm1, shp1 = codes[j] & 15, codes[j - 1] & 15, codes[j + 1] & 15
                shm2 = codes[j - 2] & 15
                s1 = shm1 * 100 + sh0 * 10 + shp1
                s2 = shm2 * 100 + shm1 * 10 + sh0
                for c in range(2):
                    v = U[u0, c] + U[um1, 2 + c]
                    v += U[up1, 4 + c]
                    v += U[um2, 6 + c]
                    v += U[up2, 8 + c]
                    v += P[pids[j - 1], c]
                    v += P[pids[j], 2 + c]
                    v += P[pids[j - 2], 4 + c]
                    v += P[pids[j + 1], 6 + c]
                    v += T[tids[j - 2], c]
                    v += T[tids[j - 1], 2 + c]
                    v += T[tids[j], 4 + c]
                    v += S[s1, c]
                    v += S[s2, 2 + c]
                    out[r, c] = v

        _KERNELS = SimpleNamespace(insert=insert, find_keys=find_keys, layout=layout,
                                   emissions=emissions)
    return _KERNELS


class Segmenter:
    """Joins atoms into words with a CRF whose weights are held in a plain dict."""

    def __init__(self, weights: dict[str, tuple[float, float]], trans: list[list[float]],
                 lexicon: frozenset[str], extra: frozenset[str] = frozenset()):
        self.weights = weights
        self.trans = trans
        self.lexicon = lexicon
        self.extra = extra
        self.convention = "vlsp"
        self._state: _Tables | None = None  # lookup tables, built on first use
        self._names_cache: tuple[frozenset[str], frozenset[str]] | None = None

    @classmethod
    def from_dir(cls, path: Path, convention: str = "vlsp") -> "Segmenter":
        if convention not in CONVENTIONS:
            raise ValueError(f"unknown segmentation convention {convention!r}; "
                             f"use one of {CONVENTIONS}")
        model = path / WEIGHTS_FILE
        if not model.is_file():
            raise FileNotFoundError(Errors.E102.format(path=model))
        with np.load(model, allow_pickle=False) as z:
            key = "weights_" + convention
            if key not in z.files:
                raise ValueError(f"the model at {path} knows only the conventions "
                                 f"{sorted(k[8:] for k in z.files if k.startswith('weights_'))}; "
                                 "retrain it with `python -m training.wordseg "
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
    # looks each atom, pair and triple up once instead of building ~20 feature strings per
    # atom; tests check both give the same scores. The weights of a folded syllable (_uni),
    # a pair (_pair), a triple (_triple) and three shapes (_shape3) become rows of NumPy
    # tables (_Tables) the first time they are met; the sentences of a batch become one
    # sequence of integer row ids, and compiled loops add each atom's 14 rows up (in the
    # order of the former pure-Python per-atom sums, so the same floats) and run the
    # 2-label Viterbi.

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

    def _names(self) -> tuple[frozenset[str], frozenset[str]]:
        """Every text a weighted feature names after its '=' (syllables, pairs, triples:
        others have no weights of that kind), and the first two parts of those and of the
        lexicon entries that have three or more (see _Tables). Built once, on first use."""
        if self._names_cache is None:
            named = frozenset(name.partition("=")[2] for name in self.weights if "=" in name)
            starts3 = set()
            for entries in (named, self.lexicon, self.extra):
                for entry in entries:
                    if entry.count(" ") >= 2:
                        a, b, _ = entry.split(" ", 2)
                        starts3.add(a + " " + b)
            self._names_cache = named, frozenset(starts3)
        return self._names_cache

    def _tables(self) -> _Tables:
        t = self._state
        if t is None or t.full():  # bound memory on endless streams of new text
            t = self._state = _Tables(self)
        return t

    def _emissions(self, sents: list[list[str]]) -> tuple[np.ndarray, np.ndarray]:
        """Emission scores (all atoms of `sents` x (B, I)), stacked, and the sentence lengths."""
        lens = np.fromiter(map(len, sents), dtype=np.int64, count=len(sents))
        n = int(lens.sum())
        em = np.empty((n, 2))
        if n == 0:
            return em, lens
        flat = [a for atoms in sents for a in atoms] if len(sents) > 1 else sents[0]
        kern = _kernels()
        with _LOCK:  # the tables grow; keep row ids consistent if threads share a segmenter
            t = self._tables()
            codes = np.empty(n + 4 * len(sents), dtype=np.int64)
            pos = np.empty(n, dtype=np.int64)
            kern.layout(lens, t.atom_codes(flat), t.pad_code, t.end_code, codes, pos)
            ids = codes >> 4
            pids = t.pair_rows(ids)
            tids = t.triple_rows(ids, pids)
            kern.emissions(t.uni.rows, t.pair.rows, t.triple.rows, t.shape_rows,
                           codes, pids, tids, pos, em)
        return em, lens

    def emission_scores(self, atoms: list[str]) -> list[tuple[float, float]]:
        """(score of B, score of I) for every atom, before transitions."""
        em, _ = self._emissions([atoms])
        return list(map(tuple, em.tolist()))

    def join_flags(self, atoms: list[str]) -> list[bool]:
        """flags[i] is True when atom i continues the word of atom i-1; flags[0] is False."""
        if not atoms:
            return []
        return self.join_flags_batch([atoms])[0]

    def join_flags_batch(self, sents: list[list[str]]) -> list[list[bool]]:
        """join_flags of every sentence, computed in one pass: much faster than one call a
        sentence, so give all sentences of a document at once."""
        em, lens = self._emissions(sents)
        if not len(em):
            return [[] for _ in sents]
        em = np.array(em, dtype=np.float64)  # a private copy: sentence starts are edited below
        bounds = np.concatenate(([0], np.cumsum(lens)[:-1])).astype(np.intp)
        em[bounds[lens > 0], 1] = -np.inf  # a sentence never starts inside a word
        flags = (best_paths(em, np.array(self.trans, dtype=np.float64), lens) == 1).tolist()
        res, a = [], 0
        for n in lens.tolist():
            res.append(flags[a:a + n])
            a += n
        return res

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
