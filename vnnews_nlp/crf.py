"""Linear-chain CRF inference from a python-crfsuite model, without crfsuite's tagger.

crfsuite's `Tagger.tag` converts every feature string of every atom into its own C++ string
and looks it up: ~330 ns a feature, 34 features an atom, more than half the NER stage.
`CrfWeights` reads the trained weights once into NumPy arrays; features arrive as weight-row
ids (`ner_ids.IdFeaturizer`, the templates of `ner_model.Featurizer.columns`) plus free-form
strings, and Viterbi runs in a numba-compiled loop. Same model, same
scores, same best path (tests/test_crf.py checks the tags against crfsuite's).
"""
from __future__ import annotations

import threading

import numpy as np

_KERNEL = None
_KERNEL_LOCK = threading.RLock()  # numba must not compile the same function in two threads at once
_COMPILED = False


def _viterbi_kernel():
    """The compiled Viterbi loop, built on first use (numba import + compile ~2 s once;
    later processes load it from numba's on-disk cache)."""
    global _KERNEL
    if _KERNEL is not None:
        return _KERNEL
    with _KERNEL_LOCK:
        if _KERNEL is not None:
            return _KERNEL
        import numba

        @numba.njit(cache=True, nogil=True)
        def viterbi(em, trans, starts, lens, out):  # pragma: no cover - compiled
            n_lab = em.shape[1]
            back = np.empty(em.shape, dtype=np.int8)
            delta = np.empty(n_lab)
            nxt = np.empty(n_lab)
            for s in range(len(starts)):
                a, n = starts[s], lens[s]
                if n == 0:
                    continue  # an empty sequence: nothing to label (and no row to read or write)
                for y in range(n_lab):
                    delta[y] = em[a, y]
                for t in range(a + 1, a + n):
                    for y in range(n_lab):
                        best, arg = delta[0] + trans[0, y], 0
                        for x in range(1, n_lab):
                            v = delta[x] + trans[x, y]
                            if v > best:
                                best, arg = v, x
                        nxt[y] = best + em[t, y]
                        back[t, y] = arg
                    for y in range(n_lab):
                        delta[y] = nxt[y]
                cur = 0
                for y in range(1, n_lab):
                    if delta[y] > delta[cur]:
                        cur = y
                for t in range(a + n - 1, a, -1):
                    out[t] = cur
                    cur = back[t, cur]
                out[a] = cur

        _KERNEL = viterbi
    return _KERNEL


def best_paths(em: np.ndarray, trans: np.ndarray, lens) -> np.ndarray:
    """Label index per row of the stacked emission scores `em` (rows x labels), decoding each
    sequence of `lens` rows with the transition scores `trans` (from x to y). Ties keep the
    lower label index. The one Viterbi of the package: the NER tagger and the word segmenter
    both decode with it."""
    global _COMPILED
    lens_a = np.asarray(lens, dtype=np.intp)
    starts = np.concatenate(([0], np.cumsum(lens_a)[:-1])).astype(np.intp)
    out = np.empty(len(em), dtype=np.intp)
    if not len(em):
        return out
    args = (np.ascontiguousarray(em, dtype=np.float64), np.ascontiguousarray(trans, dtype=np.float64),
            starts, lens_a, out)  # always these types: one compiled signature
    if _COMPILED:
        _viterbi_kernel()(*args)
    else:
        # the first call compiles (or loads numba's cache): never in two threads at once
        with _KERNEL_LOCK:
            _viterbi_kernel()(*args)
            _COMPILED = True
    return out


class CrfWeights:
    """A crfsuite model's weights: `state` (attribute rows + a zero row for unknown
    attributes, x labels), `trans` (labels x labels), `index` template -> value -> row."""

    def __init__(self, tagger):
        info = tagger.info()
        self.labels = [lab for lab, _ in sorted(info.labels.items(), key=lambda kv: int(kv[1]))]
        lab_id = {lab: i for i, lab in enumerate(self.labels)}
        rows: dict[str, int] = {}
        for attr, _ in info.state_features:
            rows.setdefault(attr, len(rows))
        self.missing = len(rows)
        state = np.zeros((len(rows) + 1, len(self.labels)))
        for (attr, lab), w in info.state_features.items():
            state[rows[attr], lab_id[lab]] = w
        trans = np.zeros((len(self.labels), len(self.labels)))
        for (a, b), w in info.transitions.items():
            trans[lab_id[a], lab_id[b]] = w
        self.state, self.trans, self.rows = state, trans, rows
        self.index: dict[str, dict] = {}
        for attr, r in rows.items():
            template, eq, value = attr.partition("=")  # a flag ("BOS") has no value
            self.index.setdefault(template, {})[value if eq else True] = r

    def emissions(self, ids: np.ndarray, extra: list[list[list[str]]]) -> np.ndarray:
        """Emission scores from weight-row ids (atoms x templates, `missing` for none) plus
        free-form feature strings per atom of each sequence."""
        out = self.state[ids].sum(axis=1)
        rows = self.rows
        at, hit = [], []
        i = 0
        for per_seq in extra:
            for feats in per_seq:
                for f in feats:
                    r = rows.get(f)
                    if r is not None:
                        at.append(i)
                        hit.append(r)
                i += 1
        if hit:
            np.add.at(out, at, self.state[hit])
        return out

    def viterbi(self, em: np.ndarray, lens: list[int]) -> list[list[str]]:
        """The best label sequence of each sequence of the stacked emission scores `em`."""
        out = best_paths(em, self.trans, lens)
        names = [self.labels[k] for k in out.tolist()]
        bounds = np.concatenate(([0], np.cumsum(lens))).tolist()
        return [names[a:b] for a, b in zip(bounds, bounds[1:])]
