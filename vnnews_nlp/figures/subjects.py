"""A learned choice of a figure's subject: a linear ranker over the noun phrases around it.

The rules in `component.py` propose one subject; this model scores every word span of the
sentence in the 120 characters before the figure (and a few words after it), plus "no subject",
and keeps the best. Features are the words at and around each span's edges, the words between
the span and the figure, the span's length, the figure's kind, and whether the rules chose the
same span. A span's score is the sum of its start's, its end's and its pair features' weights,
so each figure costs one pass over its window.

Weights are fitted by `training/subjects.py` on articles annotated by reading
(corpora/gold/figures-train.jsonl and the gold's tune half) and stored as plain JSON
(models/figures/subjects.json, meta in models/figures/meta.json), read by the stage with its
other lists (`component.lists_at`); without the file the rules' subject stands.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from itertools import repeat

WINDOW = 120  # the annotation convention: a subject lies within 120 characters before its figure
MAX_WORDS = 14
AFTER_WORDS = 8
_BREAK = frozenset(".!?;\n\r")


@dataclass
class Candidate:
    """One span a figure's subject may be (character offsets), with its feature names."""

    start: int
    end: int
    features: list[str] = field(default_factory=list)


def _low(text: str, span) -> str:
    return text[span[0]:span[1]].lower() if span else "<none>"


def _shape(text: str, span) -> str:
    if not span:
        return "none"
    c = text[span[0]]
    return "X" if c.isupper() else "d" if c.isdigit() else "x" if c.isalpha() else "p"


def _bucket(n: int) -> str:
    return str(n) if n <= 4 else "5-6" if n <= 6 else "7-9" if n <= 9 else "10+"


def window_words(finder, f) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Word spans of the sentence before the figure (within WINDOW characters) and up to
    AFTER_WORDS words after it, each side stopping at a sentence break."""
    text = finder.text
    lo = max(0, f.start - WINDOW)
    cut = max(text.rfind(c, lo, f.start) for c in _BREAK)
    if cut >= 0:
        lo = cut + 1
    before = [w for w in finder._word_spans(lo, f.start) if w[1] <= f.start]
    after = []
    for w in finder._word_spans(f.end, min(len(text), f.end + 80)):
        if any(c in _BREAK for c in text[f.end:w[0]]) or len(after) >= AFTER_WORDS:
            break
        after.append(w)
    return before, after


def _features(finder, f, rule):
    """Keys of the start features per word i and of the end features per word j, the spans
    (i, j) with what their pair features are made of, the spans after the figure with their
    features, and the features of "no subject". A span's features are those of its start key,
    its two end keys (the word and what follows it; the gap to the figure) and `pair_features`.
    Keys name features that depend only on the text, so figures sharing a sentence share them;
    `finder.subject_features` maps each key to its features, built once per article."""
    text, taken = finder.text, finder.taken
    stop, pred, tags = finder.lists.word_classes  # function words, quantity predicates, usual POS
    feats = finder.subject_features
    before, after = window_words(finder, f)
    kind = f.kind
    n = len(before)
    low = [_low(text, w) for w in before]
    pos = [tags.get(w, "?") for w in low]
    verbal = [0]  # prefix counts of words not usually in a noun phrase
    for p in pos:
        verbal.append(verbal[-1] + (p in ("V", "A", "R", "E", "C", "CH", "?")))
    starts, ends = [], []
    for i in range(n):
        key = ("s", before[i][0], min(i, 2))  # the words before it, up to two, are in the window
        starts.append(key)
        if key in feats:
            continue
        prev_low, prev_pos = (low[i - 1], pos[i - 1]) if i else ("<bos>", "<bos>")
        punct = text[before[i - 1][1]:before[i][0]].strip() if i else "<bos>"
        feats[key] = [x for x in (
            "s:" + low[i], "s-1:" + prev_low, "s1:" + low[i].split(" ", 1)[0],
            "s-1p:" + (punct[-1:] or "_"), "sc:" + _shape(text, before[i]),
            "s-12:" + (low[i - 2] if i > 1 else "<bos>") + " " + prev_low,
            "sP:" + pos[i], "s-1P:" + prev_pos, "sP|s-1P:" + pos[i] + "|" + prev_pos,
            "s_stop" if low[i] in stop else "", "s-1_stop" if prev_low in stop else "",
            "s-1_pred" if prev_low in pred else "") if x]
    gap_pred = False
    for j in range(n - 1, -1, -1):
        gap = n - 1 - j
        key = ("e", before[j][1], min(gap, 2))  # the words after it, up to two, are in the window
        if key not in feats:
            nxt, nxt_pos = (low[j + 1], pos[j + 1]) if j + 1 < n else ("<fig>", "<fig>")
            nxt2 = nxt + " " + low[j + 2] if j + 2 < n else "<fig>"
            feats[key] = [x for x in (
                "e:" + low[j], "e+1:" + nxt, "e+12:" + nxt2, "e1:" + low[j].rsplit(" ", 1)[-1],
                "ec:" + _shape(text, before[j]), "eP:" + pos[j], "e+1P:" + nxt_pos,
                "eP|e+1P:" + pos[j] + "|" + nxt_pos,
                "e_stop" if low[j] in stop else "", "e+1_pred" if nxt in pred else "") if x]
        gap_key = " ".join(low[j + 1:]) if gap <= 3 else ">3"
        gkey = ("g", kind, gap_key, _bucket(gap), gap_pred)
        if gkey not in feats:
            feats[gkey] = ["g:" + gap_key, "gk:" + kind + "|" + gap_key, "gn:" + _bucket(gap),
                           "g_pred" if gap_pred else "g_nopred"]
        ends.append((key, gkey))
        gap_pred = gap_pred or low[j] in pred
    ends.reverse()
    # running counts at each word's start and end: a span's counts are differences of two
    lo = before[0][0] if before else 0
    marks = {}
    for name, count in (("fig", lambda p: taken.count(1, lo, p)), ("comma", lambda p: text.count(",", lo, p)),
                        ("paren", lambda p: text.count("(", lo, p) + text.count(")", lo, p)),
                        ("line", lambda p: text.count("\n", lo, p))):
        marks[name] = ([count(w[0]) for w in before], [count(w[1]) for w in before])
    spans = (before, verbal, marks, rule)
    later = []
    for j in range(len(after)):
        a, b = after[0][0], after[j][1]
        between = text[f.end:a].strip()
        first = _low(text, after[0])
        feats = ["A:len:" + _bucket(j + 1), "A:k:" + kind, "A:s:" + first,
                 "A:e:" + _low(text, after[j]), "A:between:" + (between or "_"),
                 "A:e+1:" + (_low(text, after[j + 1]) if j + 1 < len(after) else "<end>"),
                 "A:k|s:" + kind + "|" + first, "A:sP:" + tags.get(first, "?")]
        if rule is not None and (a, b) == rule:
            feats.append("rule=")
        later.append((a, b, feats))
    b1 = low[-1] if before else "<bos>"
    b2 = low[-2] if n > 1 else "<bos>"
    none = ["null", "null:k:" + kind, "null:b1:" + b1, "null:b12:" + b2 + " " + b1,
            "null:b1P:" + (pos[-1] if before else "<bos>"), "null:n:" + _bucket(n),
            "null:a1:" + (_low(text, after[0]) if after else "<end>"), "null:unit:" + str(f.unit),
            "null:rule" if rule is None else "null:rule_has"]
    return starts, ends, spans, later, none


def _spans(spans):
    """(i, j, start, end, length, verbal words, distance to the figure, flags) of every span
    of up to MAX_WORDS words that does not cross a line break."""
    before, verbal, marks, rule = spans
    n = len(before)
    (fig_a, fig_b), (com_a, com_b), (par_a, par_b), (line_a, line_b) = (
        marks["fig"], marks["comma"], marks["paren"], marks["line"])
    for j in range(n):
        b = before[j][1]
        for i in range(j, max(-1, j - MAX_WORDS), -1):
            if line_b[j] > line_a[i]:
                break
            a = before[i][0]
            flags = (HAS_FIG * (fig_b[j] > fig_a[i]) | HAS_COMMA * (com_b[j] > com_a[i])
                     | HAS_PAREN * (par_b[j] > par_a[i]))
            if rule is not None:
                flags |= RULE | RULE_EQ * ((a, b) == rule) | RULE_S * (a == rule[0]) | RULE_E * (b == rule[1])
            yield i, j, a, b, j - i + 1, verbal[j + 1] - verbal[i], n - i, flags


HAS_FIG, HAS_COMMA, HAS_PAREN, RULE, RULE_EQ, RULE_S, RULE_E = 1, 2, 4, 8, 16, 32, 64
_FLAG_NAMES = ((HAS_FIG, "has_fig"), (HAS_COMMA, "has_comma"), (HAS_PAREN, "has_paren"),
               (RULE_S, "rule_s"), (RULE_E, "rule_e"))


def flag_features(flags: int) -> list[str]:
    """The features of a span's flags (`_spans`)."""
    out = [name for bit, name in _FLAG_NAMES if flags & bit]
    if flags & RULE:
        out.append("rule=" if flags & RULE_EQ else "rule!=")
    return out


def pair_features(kind: str, length: int, verbal: int, dist: int, flags: int) -> list[str]:
    """The features of a span as a whole (its edges' are in `_features`' starts and ends)."""
    return ["len:" + _bucket(length), "k:" + kind, "verbal:" + _bucket(verbal), "dist:" + _bucket(dist),
            *flag_features(flags)]


def candidates(finder, f, rule: tuple[int, int] | None) -> tuple[list[Candidate], list[str]]:
    """The figure's candidate spans with their features, and the features of "no subject"."""
    starts, ends, spans, later, none = _features(finder, f, rule)
    feats = finder.subject_features
    out = [Candidate(a, b, feats[starts[i]] + feats[ends[j][0]] + feats[ends[j][1]] + pair_features(f.kind, *rest))
           for i, j, a, b, *rest in _spans(spans)]
    out += [Candidate(a, b, feats) for a, b, feats in later]
    return out, none


@dataclass
class SubjectRanker:
    """Linear scores over `candidates`; `weights` maps a feature name to its weight."""

    weights: dict[str, float]

    def score(self, feats: list[str]) -> float:
        return sum(map(self.weights.get, feats, repeat(0.0)))

    def _bucket_weights(self, prefix: str, n: int) -> list[float]:
        """The weights of prefix + _bucket(k) for k < n, for lookup by k."""
        return [self.weights.get(prefix + _bucket(k), 0.0) for k in range(n)]

    def choose(self, finder, f, rule):
        """The best candidate's span, or None: the argmax of `candidates`' scores, with each
        start, end and whole-span feature looked up once per figure rather than per span."""
        starts, ends, spans, later, none = _features(finder, f, rule)
        feats, scores = finder.subject_features, finder.subject_scores
        for key in starts + [k for both in ends for k in both]:
            if key not in scores:
                scores[key] = self.score(feats[key])
        s_start = [scores[k] for k in starts]
        s_end = [scores[k] + scores[g] for k, g in ends]
        n = len(starts)
        w_len = self._bucket_weights("len:", MAX_WORDS + 2)
        w_verbal = self._bucket_weights("verbal:", MAX_WORDS + 2)
        w_dist = self._bucket_weights("dist:", n + 2)
        by_flags: dict[int, float] = {}
        base = self.weights.get("k:" + f.kind, 0.0)
        best, best_score = None, self.score(none)
        for i, j, a, b, length, verbal, dist, flags in _spans(spans):
            fl = by_flags.get(flags)
            if fl is None:
                fl = by_flags[flags] = self.score(flag_features(flags))
            s = s_end[j] + base + s_start[i] + fl + w_len[length] + w_verbal[verbal] + w_dist[dist]
            if s > best_score:
                best, best_score = (a, b), s
        for a, b, feats in later:
            s = self.score(feats)
            if s > best_score:
                best, best_score = (a, b), s
        return best
