"""NER feature ids straight from atoms, for inference.

`ner_model.Featurizer.columns` spells out every feature as a string ("l-1=bộ"), ~40 an
atom, and each string then costs a dict lookup: together most of the NER stage. Nearly all
of those features are a function of one atom (its form, lowercase, shape, word cluster) or
of a pair of neighbours, so this module looks each distinct atom up once per process (a row
of weight ids per template and offset), each lowercase bigram once, shapes and lexicon tags
in small tables, and assembles the per-atom ids with NumPy indexing. The templates are those
of `Featurizer.columns`; tests/test_ner_ids.py checks the ids equal its features' ids.
"""
from __future__ import annotations

import threading

import numpy as np

from vnnews_nlp.entities.features import CLOSE_QUOTE, LABELS, OPEN_QUOTE, SENT_END, shape

SHAPES = ("D", "P", "U", "T", "L", "A", "M", "<s>", "</s>")
START, END = SHAPES.index("<s>"), SHAPES.index("</s>")
# (template, offset, what of the atom at that offset): one column each in the word table
WORD_COLUMNS = (
    ("w", 0, "word"), ("l", 0, "low"), ("s", 0, "shape"), ("p3", 0, "p3"), ("x3", 0, "x3"),
    ("c0a", 0, "a"), ("c0b", 0, "b"), ("c0c", 0, "c"),
    ("l-1", -1, "low"), ("s-1", -1, "shape"), ("c-1a", -1, "a"), ("c-1b", -1, "b"), ("c-1c", -1, "c"),
    ("l-2", -2, "low"), ("c-2a", -2, "a"),
    ("l+1", 1, "low"), ("s+1", 1, "shape"), ("c+1a", 1, "a"), ("c+1b", 1, "b"), ("c+1c", 1, "c"),
    ("l+2", 2, "low"), ("c+2a", 2, "a"),
)
BIGRAMS = ("l-2,-1", "l-1,0", "l0,+1", "l+1,+2")  # pair starting at offset -2, -1, 0, +1
MAX_CACHED = 200_000  # distinct atoms or bigrams kept before the caches start over (~40 MB)


class IdFeaturizer:
    """Weight-row ids (atoms x templates) of a text's tagging sequences for one model."""

    def __init__(self, featurizer, weights):
        self.feat, self.w = featurizer, weights
        self._lock = threading.RLock()
        self.miss = weights.missing
        idx = weights.index
        self._tpl = {t: idx.get(t, {}) for t, _, _ in WORD_COLUMNS}
        self.offsets = np.array([o for _, o, _ in WORD_COLUMNS])
        self._build_small_tables()
        self._reset()

    def _reset(self) -> None:
        """Empty the per-atom and per-bigram caches (they grow with the text seen)."""
        self._words: dict[str, int] = {}
        self._table = np.full((1024, len(WORD_COLUMNS)), self.miss, dtype=np.intp)
        self._shape = np.zeros(1024, dtype=np.intp)
        self._cb = np.zeros(1024, dtype=np.intp)
        self._stop = np.zeros(1024, dtype=bool)  # a sentence end (".", "!" ...)
        # pad rows: only the neighbour templates read them, and only l/s have pad values
        for token, code in (("<s>", START), ("</s>", END)):
            row = self._new_row(token)
            for k, (tpl, off, what) in enumerate(WORD_COLUMNS):
                if what in ("low", "shape") and (off < 0) == (token == "<s>") and off != 0:
                    self._table[row, k] = self._tpl[tpl].get(token, self.miss)
            self._shape[row] = code
        self.pad_start, self.pad_end = self._words["<s>"], self._words["</s>"]
        self._pairs: dict[tuple[str, str], int] = {}
        self._pair_table = np.full((1024, 4), self.miss, dtype=np.intp)

    # -------------------------------------------------------------- lookup tables
    def _build_small_tables(self) -> None:
        idx, miss, k = self.w.index, self.miss, len(SHAPES)
        get2 = idx.get("s-1,0", {}).get
        get2b = idx.get("s0,+1", {}).get
        self.sh_left = np.array([get2(a + b, miss) for a in SHAPES for b in SHAPES])
        self.sh_right = np.array([get2b(a + b, miss) for a in SHAPES for b in SHAPES])
        g5 = idx.get("s-2..2", {})
        five = np.full(k ** 5, miss, dtype=np.intp)
        for value, row in g5.items():  # only the combinations the model kept
            codes = _split_shapes(value)
            if codes is not None:
                five[np.ravel_multi_index(codes, (k,) * 5)] = row
        self.sh_five = five
        cbs = sorted({c.split(",")[1] for c in self.feat.clusters.values()} | {"-"})
        self.cb_code = {c: i for i, c in enumerate(cbs)}
        left, right = idx.get("c-1,0b", {}), idx.get("c0,+1b", {})
        self.cb_left = np.array([[left.get(a + "|" + b, miss) for b in cbs] for a in cbs])
        self.cb_right = np.array([[right.get(a + "|" + b, miss) for b in cbs] for a in cbs])
        labels = set(LABELS) | set(self.feat.lexicon.values()) | set(self.feat.gazetteer.values())
        tags = ("O",) + tuple(p + lab for lab in sorted(labels) for p in "BI")
        self.lex_code = {t: i for i, t in enumerate(tags)}
        self.lex = {t: np.array([idx.get(t, {}).get(v, miss) for v in tags])
                    for t in ("x", "x-1", "x+1", "g")}
        self.flag = {t: idx.get(t, {}).get(True, miss) for t in ("BOS", "EOS", "sent0", "inq", "inp")}

    def _new_row(self, word: str) -> int:
        row = len(self._words)
        if row >= len(self._table):
            grow = len(self._table)
            self._table = np.vstack([self._table, np.full_like(self._table, self.miss)])
            self._shape = np.concatenate([self._shape, np.zeros(grow, dtype=np.intp)])
            self._cb = np.concatenate([self._cb, np.zeros(grow, dtype=np.intp)])
            self._stop = np.concatenate([self._stop, np.zeros(grow, dtype=bool)])
        self._words[word] = row
        return row

    def _word_row(self, word: str) -> int:
        low = word.lower()
        get = self.feat.clusters.get
        a, b, c = (get(word) or get(low) or "-,-,-").split(",")
        long = len(word) > 3
        what = {"word": word, "low": low, "shape": shape(word), "a": a, "b": b, "c": c,
                "p3": low[:3] if long else None, "x3": low[-3:] if long else None}
        row = self._new_row(word)
        miss = self.miss
        self._table[row] = [self._tpl[t].get(what[v], miss) if what[v] is not None else miss
                            for t, _, v in WORD_COLUMNS]
        self._shape[row] = SHAPES.index(what["shape"])
        self._cb[row] = self.cb_code.get(b, self.cb_code["-"])
        self._stop[row] = word in SENT_END
        return row

    def _pair_row(self, key: tuple[str, str]) -> int:
        row = len(self._pairs)
        if row >= len(self._pair_table):
            self._pair_table = np.vstack([self._pair_table, np.full_like(self._pair_table, self.miss)])
        value = key[0] + "|" + key[1]
        idx, miss = self.w.index, self.miss
        self._pair_table[row] = [idx.get(t, {}).get(value, miss) for t in BIGRAMS]
        self._pairs[key] = row
        return row

    # -------------------------------------------------------------- ids of a text
    def ids(self, seqs: list[list[str]]) -> np.ndarray:
        """Weight rows (atoms of all sequences, stacked x templates); `missing` = no weight."""
        with self._lock:  # the caches grow as new atoms come; the web service runs threads
            return self._ids(seqs)

    def _ids(self, seqs: list[list[str]]) -> np.ndarray:
        if len(self._words) >= MAX_CACHED or len(self._pairs) >= MAX_CACHED:
            self._reset()  # an endless stream of new atoms: start over
        words_get, pairs_get = self._words.get, self._pairs.get
        padded: list[int] = []  # word rows, two pads either side of each sequence
        pair_rows: list[int] = []  # bigram k of the padded lowercase sequence, same layout
        pos: list[int] = []  # index in `padded` of each real atom
        first: list[int] = []  # whether an atom opens its sequence / closes it
        last: list[int] = []
        lex_codes: list[int] = []
        gaz_codes: list[int] = []
        quote: list[bool] = []
        paren: list[bool] = []
        lc = self.lex_code
        for words in seqs:
            base = len(padded)
            rows = [words_get(w) for w in words]
            if None in rows:  # one at a time: a new atom may occur twice in the sequence
                rows = [words_get(w) if words_get(w) is not None else self._word_row(w)
                        for w in words]
            padded += [self.pad_start, self.pad_start] + rows + [self.pad_end, self.pad_end]
            low = ["<s>", "<s>"] + [w.lower() for w in words] + ["</s>", "</s>"]
            for key in zip(low, low[1:]):
                r = pairs_get(key)
                if r is None:
                    r = self._pair_row(key)
                pair_rows.append(r)
            pair_rows.append(0)  # no pair starts at the last pad
            n = len(words)
            pos.extend(range(base + 2, base + 2 + n))
            first.extend([True] + [False] * (n - 1))
            last.extend([False] * (n - 1) + [True])
            lex_codes += map(lc.__getitem__, self.feat.lexicon_tags(words))
            gaz_codes += map(lc.__getitem__, self.feat.lexicon_tags(words, self.feat.gazetteer))
            q = p = False
            for w in words:  # quote/bracket state, as Featurizer.columns
                if w in "()[]":
                    p = w in "(["
                elif w in OPEN_QUOTE or w in CLOSE_QUOTE:
                    q = not q if w in "\"'" else w in OPEN_QUOTE
                quote.append(q)
                paren.append(p)
        padded_a = np.array(padded, dtype=np.intp)
        pos_a = np.array(pos, dtype=np.intp)
        first_a, last_a = np.array(first), np.array(last)
        cols = np.arange(len(WORD_COLUMNS))
        word_ids = self._table[padded_a[pos_a[:, None] + self.offsets[None, :]], cols[None, :]]
        pair_idx = np.array(pair_rows, dtype=np.intp)[pos_a[:, None] - 2 + np.arange(4)[None, :]]
        pair_ids = self._pair_table[pair_idx, np.arange(4)[None, :]]
        sh = self._shape[padded_a]
        k = len(SHAPES)
        shp = [sh[pos_a + o] for o in (-2, -1, 0, 1, 2)]
        five = ((((shp[0] * k + shp[1]) * k + shp[2]) * k + shp[3]) * k + shp[4])
        cb = self._cb[padded_a]
        miss = self.miss
        lex, gaz = np.array(lex_codes, dtype=np.intp), np.array(gaz_codes, dtype=np.intp)
        prev_lex = np.where(first_a, 0, np.roll(lex, 1))
        next_lex = np.where(last_a, 0, np.roll(lex, -1))
        stop_before = self._stop[padded_a[pos_a - 1]]
        other = np.stack([
            self.sh_left[shp[1] * k + shp[2]], self.sh_right[shp[2] * k + shp[3]], self.sh_five[five],
            np.where(first_a, miss, self.cb_left[cb[pos_a - 1], cb[pos_a]]),
            np.where(last_a, miss, self.cb_right[cb[pos_a], cb[pos_a + 1]]),
            self.lex["x"][lex], self.lex["g"][gaz],
            np.where(first_a, miss, self.lex["x-1"][prev_lex]),
            np.where(last_a, miss, self.lex["x+1"][next_lex]),
            np.where(first_a, self.flag["BOS"], miss), np.where(last_a, self.flag["EOS"], miss),
            np.where(first_a | stop_before, self.flag["sent0"], miss),
            np.where(np.array(quote), self.flag["inq"], miss),
            np.where(np.array(paren), self.flag["inp"], miss),
        ], axis=1)
        return np.hstack([word_ids, pair_ids, other])


def _split_shapes(value: str):
    """"<s>LTT</s>" -> shape codes, or None if it is not five shape symbols."""
    codes = []
    i = 0
    while i < len(value):
        for k, sym in sorted(enumerate(SHAPES), key=lambda ks: -len(ks[1])):
            if value.startswith(sym, i):
                codes.append(k)
                i += len(sym)
                break
        else:
            return None
    return tuple(codes) if len(codes) == 5 else None
