"""Statistical named-entity recognizer: a syllable-level BIO CRF (python-crfsuite).

Text is cut into syllables/punctuation ("atoms") by one regex, so every span the model
returns starts and ends on an atom boundary of the input string. Features per atom: its
form and lowercase in a +-2 window, bigrams, shape, affixes, quote/bracket state, sentence
start, word-cluster ids learned from unlabeled news (clusters.json) and longest-match hits in
an entity lexicon learned from the training set (lexicon.json). `training.ner`
builds all three files; this module only loads and applies them.
"""
from __future__ import annotations

import collections
import json
import unicodedata
from functools import lru_cache
from pathlib import Path

from vnnews_nlp.errors import Errors
from vnnews_nlp.crf import CrfWeights
from vnnews_nlp.segment.atoms import UNIT, scan
from vnnews_nlp.entities.features import CLOSE_QUOTE, LABELS, OPEN_QUOTE, SENT_END, shape  # noqa: F401
from vnnews_nlp.entities.ids import IdFeaturizer
from vnnews_nlp.paths import models_dir

ATOM_RE = UNIT  # for training, which reads names and paragraphs outside any Doc
MAX_SEQ = 1000  # atoms; a hard cut keeps Viterbi memory bounded on pathological lines
SOFT_SEQ = 200  # past this, cut at the next sentence end
MAX_LEX = 8  # longest lexicon entry, in atoms


def atoms(text: str) -> list[tuple[int, int]]:
    return scan(text).units()


def sequences(text: str, units: list[tuple[int, int]] | None = None) -> list[list[tuple[int, int]]]:
    """Atom spans grouped into tagging sequences: one per line, long lines cut at sentence ends.
    `units`: the text's `Atoms.units()`, when the caller has them (the entity stage does)."""
    out: list[list[tuple[int, int]]] = []
    cur: list[tuple[int, int]] = []
    prev_end = 0
    for span in (atoms(text) if units is None else units):
        if cur and ("\n" in text[prev_end:span[0]] or len(cur) >= MAX_SEQ or (
                len(cur) >= SOFT_SEQ and text[cur[-1][0]:cur[-1][1]] in SENT_END)):
            out.append(cur)
            cur = []
        cur.append(span)
        prev_end = span[1]
    if cur:
        out.append(cur)
    return out


class Featurizer:
    """Turns atom sequences into crfsuite feature lists; shared by training and inference."""

    def __init__(self, clusters: dict[str, str] | None = None,
                 lexicon: dict[tuple[str, ...], str] | None = None,
                 gazetteer: dict[tuple[str, ...], str] | None = None,
                 cues: dict[str, str] | None = None):
        self.clusters = clusters or {}
        self.lexicon = lexicon or {}  # entity strings of the training set
        self.gazetteer = gazetteer or {}  # Vietnamese province/district names
        self.cues = cues or {}  # lowercase word -> type of the entity it usually precedes
        self._firsts: dict[int, tuple[dict, dict]] = {}

    def _first_words(self, lex: dict) -> dict[str, int]:
        """First atom of each entry -> longest entry length: most atoms start no entry, so
        one dict lookup rules them out instead of MAX_LEX tuple slices."""
        key = id(lex)
        cached = self._firsts.get(key)
        if cached is None or cached[0] is not lex:
            firsts: dict[str, int] = {}
            for entry in lex:
                firsts[entry[0]] = max(firsts.get(entry[0], 0), len(entry))
            cached = self._firsts[key] = (lex, firsts)
        return cached[1]

    def lexicon_tags(self, words: list[str], lex: dict | None = None) -> list[str]:
        tags = ["O"] * len(words)
        n, done = len(words), 0
        lex = self.lexicon if lex is None else lex
        firsts = self._first_words(lex)
        # longest match, left to right, tried only at atoms that start an entry
        for i in [i for i, w in enumerate(words) if w in firsts]:
            if i < done:
                continue
            for k in range(min(firsts[words[i]], MAX_LEX, n - i), 0, -1):
                label = lex.get(tuple(words[i:i + k]))
                if label:
                    tags[i] = "B" + label
                    for j in range(i + 1, i + k):
                        tags[j] = "I" + label
                    done = i + k
                    break
        return tags

    def doc_extras(self, seqs: list[list[str]]) -> list[list[list[str]]]:
        """Document-level evidence per atom: the cue words before *other* mentions of the same
        capitalised run ("ông Sampson ... sa thải Sampson") and whether a capitalised atom also
        occurs in lowercase (a common word at sentence start)."""
        run_cue: dict[tuple, collections.Counter] = {}
        atom_cue: dict[str, collections.Counter] = {}
        lower = set()
        runs_of = []
        for words in seqs:
            runs = cap_runs(words)
            runs_of.append(runs)
            for w in words:
                if w.islower():
                    lower.add(w)
            for k, (a, b) in enumerate(runs):
                cue = self.cues.get(words[a - 1].lower()) if a > 0 else None
                # a capitalised cue opening the run ("Ông Sampson") is a cue, not part of the name
                while a + 1 < b and words[a].lower() in self.cues:
                    cue = self.cues[words[a].lower()]
                    a += 1
                runs[k] = (a, b)
                key = tuple(words[a:b])
                rc = run_cue.setdefault(key, collections.Counter())
                rc["#"] += 1
                if cue:
                    rc[cue] += 1
                    for w in key:
                        atom_cue.setdefault(w, collections.Counter())[cue] += 1
        out = []
        for words, runs in zip(seqs, runs_of):
            extra: list[list[str]] = [[] for _ in words]
            for a, b in runs:
                rc = run_cue[tuple(words[a:b])]
                tags = []
                if rc["#"] > 1:
                    tags.append("rep")
                best = [(c, t) for t, c in rc.items() if t != "#"]
                if best:
                    tags.append("dc=" + max(best)[1])
                for i in range(a, b):
                    extra[i].extend(tags)
                    ac = atom_cue.get(words[i])
                    if ac:
                        extra[i].append("dca=" + ac.most_common(1)[0][0])
                    if words[i].lower() in lower:
                        extra[i].append("lowelse")
            out.append(extra)
        return out

    def doc_features(self, seqs: list[list[str]],
                     extra_feats: list[list[list[str]]] | None = None) -> list[list[list[str]]]:
        """Feature strings of all sequences of one text: per-atom templates, document-level
        evidence (`doc_extras`) and any `extra_feats` (knowledge spans) per atom."""
        out = []
        for words, extra in zip(seqs, self.doc_extras(seqs)):
            feats = self.features(words)
            for f, x in zip(feats, extra):
                f.extend(x)
            out.append(feats)
        if extra_feats is not None:
            for feats, more in zip(out, extra_feats):
                for f, x in zip(feats, more):
                    f.extend(x)
        return out

    def features(self, words: list[str]) -> list[list[str]]:
        """Feature strings per atom ("template=value", or the template alone for a flag)."""
        out: list[list[str]] = [[] for _ in words]
        for template, values in self.columns(words):
            prefix = template + "="
            for f, v in zip(out, values):
                if v is None:
                    continue
                f.append(template if v is True else prefix + v)
        return out

    def columns(self, words: list[str]) -> list[tuple[str, list]]:
        """The per-atom features as one column per template: (template, values), a value per
        atom, None where the template does not apply and True for a flag. Column form lets
        inference map each template's values to model rows with one dict per template
        (`CrfWeights`) instead of building ~35 strings per atom."""
        n = len(words)
        low = [w.lower() for w in words]
        shp = [shape(w) for w in words]
        get = self.clusters.get
        cl = [(get(w) or get(lw) or "-,-,-").split(",") for w, lw in zip(words, low)]
        ca, cb, cc = [c[0] for c in cl], [c[1] for c in cl], [c[2] for c in cl]
        lex = self.lexicon_tags(words)
        gaz = self.lexicon_tags(words, self.gazetteer)
        # quote/bracket state, left to right
        inq: list = [None] * n
        inp: list = [None] * n
        q = p = False
        for i, w in enumerate(words):
            if w in "()[]":
                p = w in "(["
            elif w in OPEN_QUOTE or w in CLOSE_QUOTE:
                q = not q if w in "\"'" else w in OPEN_QUOTE
            inq[i] = True if q else None
            inp[i] = True if p else None
        lw = ["<s>", "<s>"] + low + ["</s>", "</s>"]  # atom i is lw[i + 2]
        sh = ["<s>", "<s>"] + shp + ["</s>", "</s>"]
        big = [a + "|" + b for a, b in zip(lw, lw[1:])]  # big[k] = lw[k] | lw[k + 1]
        sh2 = [a + b for a, b in zip(sh, sh[1:])]
        sh5 = [sh[k] + sh[k + 1] + sh[k + 2] + sh[k + 3] + sh[k + 4] for k in range(n)]
        none = [None]

        def right(col, k):  # the value k atoms to the left, None before the start
            return (none * k + col)[:n]

        def left(col, k):  # the value k atoms to the right, None past the end
            return (col[k:] + none * k)[:n]

        cbb = [a + "|" + b for a, b in zip(cb, cb[1:])]  # cluster bigram of atoms i, i + 1
        return [
            ("w", words), ("l", low), ("s", shp),
            ("l-1", lw[1:n + 1]), ("l+1", lw[3:n + 3]), ("l-2", lw[0:n]), ("l+2", lw[4:n + 4]),
            ("l-2,-1", big[0:n]), ("l-1,0", big[1:n + 1]),
            ("l0,+1", big[2:n + 2]), ("l+1,+2", big[3:n + 3]),
            ("s-1", sh[1:n + 1]), ("s+1", sh[3:n + 3]),
            ("s-1,0", sh2[1:n + 1]), ("s0,+1", sh2[2:n + 2]), ("s-2..2", sh5),
            ("c0a", ca), ("c0b", cb), ("c0c", cc), ("x", lex), ("g", gaz),
            ("p3", [lw3[:3] if len(w) > 3 else None for w, lw3 in zip(words, low)]),
            ("x3", [lw3[-3:] if len(w) > 3 else None for w, lw3 in zip(words, low)]),
            ("c-1a", right(ca, 1)), ("c-1b", right(cb, 1)), ("c-1c", right(cc, 1)),
            ("x-1", right(lex, 1)), ("c-1,0b", right(cbb, 1)),
            ("BOS", [True] + none * (n - 1)),
            ("c+1a", left(ca, 1)), ("c+1b", left(cb, 1)), ("c+1c", left(cc, 1)),
            ("x+1", left(lex, 1)), ("c0,+1b", cbb + none),
            ("EOS", none * (n - 1) + [True]),
            ("c-2a", right(ca, 2)), ("c+2a", left(ca, 2)),
            ("sent0", [True if i == 0 or words[i - 1] in SENT_END else None for i in range(n)]),
            ("inq", inq), ("inp", inp),
        ]


# Organisation head words. Test-time news spans more domains than the training set, so the
# CRF gets the head and the capitalised run after it as one explicit feature rather than
# having to learn each head from its own examples. Longest first; matched case-insensitively.
ORG_HEADS = sorted((tuple(h.split()) for h in (
    "công ty", "công ty cổ phần", "công ty tnhh", "tổng công ty", "tập đoàn", "ngân hàng",
    "ngân hàng tmcp", "ngân hàng thương mại cổ phần", "trường", "trường đại học", "đại học",
    "học viện", "bệnh viện", "viện", "viện kiểm sát", "viện kiểm sát nhân dân", "sở", "ban",
    "hội", "hiệp hội", "ủy ban", "uỷ ban", "ủy ban nhân dân", "uỷ ban nhân dân", "tòa án",
    "toà án", "tòa án nhân dân", "toà án nhân dân", "đảng bộ", "liên đoàn", "câu lạc bộ",
    "clb", "fc", "bộ", "cục", "tổng cục", "chi cục", "trung tâm", "quỹ", "liên minh",
    "tổ chức", "báo", "đài", "đài truyền hình", "công an", "quân khu", "hãng", "nhà máy",
    "tỉnh ủy", "tỉnh uỷ", "thành ủy", "thành uỷ", "huyện ủy", "huyện uỷ", "ubnd", "hđnd",
    "văn phòng", "mặt trận", "hợp tác xã", "htx", "nhà xuất bản", "nxb", "đội", "trường thpt",
    "học viện", "sở giao dịch", "kho bạc", "thông tấn xã", "hội đồng", "hội đồng nhân dân",
    "đoàn", "phòng", "chi nhánh", "viện nghiên cứu", "doanh nghiệp", "nhóm")),
    key=len, reverse=True)
ORG_HEAD_FIRST = frozenset(h[0] for h in ORG_HEADS)
JOINERS = frozenset("&-.'")


def _capish(w: str) -> bool:
    return w[0].isupper() or w[0].isdigit()


def head_features(words: list[str]) -> list[list[str]]:
    """oh=H on an organisation head ("Công ty", "Ngân hàng"), oh=I on the capitalised run
    right after it (up to the next case break, "&"/"-"/"." allowed between capitals), oh=E on
    the first atom past the run; ohl=... when the head itself is lowercase. "FC" also marks
    the capitalised run before it ("Hà Nội FC")."""
    n = len(words)
    out: list[list[str]] = [[] for _ in words]
    low = [w.lower() for w in words]
    i = 0
    while i < n:
        if low[i] not in ORG_HEAD_FIRST:
            i += 1
            continue
        head = next((h for h in ORG_HEADS if tuple(low[i:i + len(h)]) == h), None)
        if head is None:
            i += 1
            continue
        j = i + len(head)
        tag = "oh=" if _capish(words[i]) else "ohl="
        k = j
        while k < n and (_capish(words[k]) or (
                words[k] in JOINERS and k + 1 < n and _capish(words[k + 1]) and k > j)):
            k += 1
        if k == j:  # a head with no name after it ("công ty này") is no evidence
            i = j
            continue
        for a in range(i, j):
            out[a].append(tag + "H")
        for a in range(j, k):
            out[a].append(tag + "I")
            out[a].append(tag + "I|" + head[-1])
        if k < n:
            out[k].append(tag + "E")
        i = k
    for i, w in enumerate(low):
        if w == "fc" and i > 0 and _capish(words[i - 1]):
            a = i - 1
            while a > 0 and _capish(words[a - 1]):
                a -= 1
            for b in range(a, i):
                out[b].append("ohb=I")
    return out


def knowledge_features(text: str, seqs: list[list[tuple[int, int]]], toks=None,
                       known=None, kb=None) -> list[list[list[str]]]:
    """Per atom: inside a span the curated knowledge base knows (vnnews_nlp.entities.knowledge), as
    kb=B-/I-<label> and its kind, plus the organisation-head features. `toks` and `known`:
    the text's `gazetteer.tokenize` atoms and its undated `find_known` matches, if the caller
    has them already (the entity stage does); `kb`: the knowledge to match (default: the
    shipped one)."""
    from vnnews_nlp.entities.knowledge import find_known, tokenize  # the knowledge loads once, lazily

    toks = tokenize(text) if toks is None else toks
    marks = []  # (start, end, label, kind), sorted, non-overlapping
    for m in (find_known(text, toks, kb=kb) if known is None else known):
        marks.append((toks[m.i].start, toks[m.j - 1].end, m.label, m.kind or "-"))
    out = []
    k = 0
    for spans in seqs:
        words = [text[s:e] for s, e in spans]
        feats = head_features(words)
        prev = None
        for a, (s, e) in enumerate(spans):
            while k < len(marks) and marks[k][1] <= s:
                k += 1
            if k < len(marks) and marks[k][0] <= s and e <= marks[k][1]:
                ms, _, label, kind = marks[k]
                pos = "B" if ms == s else "I"
                feats[a] += ["kb=" + pos + label, "kbk=" + kind]
                cur = label
            else:
                cur = None
            if a > 0:
                if prev:
                    feats[a].append("kb-1=" + prev)
                if cur:
                    feats[a - 1].append("kb+1=" + cur)
            prev = cur
        out.append(feats)
    return out


def cap_runs(words: list[str]) -> list[tuple[int, int]]:
    """Maximal runs of atoms that start with a capital letter, as (start, end) indexes."""
    runs = []
    a = None
    for i, w in enumerate(words):
        if w[0].isupper():
            if a is None:
                a = i
        elif a is not None:
            runs.append((a, i))
            a = None
    if a is not None:
        runs.append((a, len(words)))
    return runs


def spans_from_bio(spans: list[tuple[int, int]], tags: list[str]) -> list[tuple[int, int, str]]:
    """BIO tags over atom spans -> (start, end, label); a stray I- opens a new entity."""
    out = []
    cur = None
    for (s, e), t in zip(spans, tags):
        if t == "O":
            if cur:
                out.append(tuple(cur))
            cur = None
            continue
        kind, label = t[0], t[2:]
        if kind == "I" and cur and cur[2] == label:
            cur[1] = e
        else:
            if cur:
                out.append(tuple(cur))
            cur = [s, e, label]
    if cur:
        out.append(tuple(cur))
    return out


def words_of(text: str, spans: list[tuple[int, int]]) -> list[str]:
    return [unicodedata.normalize("NFC", text[s:e]) for s, e in spans]


def read_clusters(path: Path) -> dict[str, str]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return {w: c for w, c in zip(data["words"], data["ids"])}


def read_lexicon(path: Path) -> tuple[dict, dict, dict]:
    """(entity lexicon, gazetteer, cue words) as written by ner_train."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return tuple({tuple(k.split(" ")): v for k, v in data[part].items()}
                 for part in ("entries", "gazetteer")) + (data["cues"],)


def split_at_semicolons(text: str, found: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """A ";" ends an entity (1 of 26,053 VLSP train+dev names holds one), but a first-order
    CRF can carry I- tags through it ("Make in Vietnam; sản xuất ... Việt Nam"): cut there and
    keep the parts that start with a capital or digit."""
    return _cut_spans(text, found, lambda part: [k for k, ch in enumerate(part) if ch == ";"])


def split_run_ons(text: str, found: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Cut a span at a sentence end (a period after a lowercase letter, then a space) and at a
    bracket without its partner inside the span. The CRF tags a line at a time and runs on
    through them ("Al Qaeda. Bin Laden", "AS Roma) 14 - Adriano": about 0.1% of the mentions
    over the VNTC test set), while 3 of 19,489 VLSP 2018 train names (2 of 6,564 dev) hold
    one ("William. B. Rosen", "TP. HCM)"). A period after one lowercase letter ("Tp. HCM",
    "Mr. Smith") is an abbreviation and stays."""
    return _cut_spans(text, found, _run_on_cuts)


_OPENER = {")": "(", "]": "["}


def _run_on_cuts(part: str) -> list[int]:
    cuts, open_at = [], []

    def cut(k: int) -> None:  # brackets still open there would be split from their partner
        cuts.append(k)
        cuts.extend(open_at)
        open_at.clear()

    for k, ch in enumerate(part):
        if ch in "([":
            open_at.append(k)
        elif ch in ")]":
            if open_at and part[open_at[-1]] == _OPENER[ch]:
                open_at.pop()
            else:
                cut(k)
        elif ch == "." and k >= 2 and part[k - 1].islower() and part[k - 2].islower() and (
                k + 1 < len(part) and part[k + 1].isspace()):  # not "Tp. HCM", "Mr. Smith"
            cut(k)
    return sorted(set(cuts + open_at))


def _cut_spans(text: str, found: list[tuple[int, int, str]], cuts_of) -> list[tuple[int, int, str]]:
    """Split each span at the characters `cuts_of(span text)` names (dropping them) and keep
    the parts that start with a capital or digit."""
    out = []
    for s, e, label in found:
        cuts = cuts_of(text[s:e])
        if not cuts:
            out.append((s, e, label))
            continue
        start = s
        for k in cuts + [e - s]:
            a, b = start, s + k
            while a < b and text[a].isspace():
                a += 1
            while b > a and text[b - 1].isspace():
                b -= 1
            if a < b and (text[a].isupper() or text[a].isdigit()):
                out.append((a, b, label))
            start = s + k + 1
    return out


def propagate(text: str, seqs: list[list[tuple[int, int]]], words: list[list[str]],
              found: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Tag other untagged mentions of a name the CRF found elsewhere in the same text (with
    the type it got most often): a long article names an organisation in full many times and
    the CRF, seeing one line at a time, misses some. Single-atom names count only when the
    atom never occurs in lowercase in the text (so a common word is never spread)."""
    if not found:
        return found
    start_at = {}
    flat_spans: list[tuple[int, int]] = []
    flat_words: list[str] = []
    bounds = []
    for spans, ws in zip(seqs, words):
        bounds.append((len(flat_spans), len(flat_spans) + len(spans)))
        for sp, w in zip(spans, ws):
            start_at[sp[0]] = len(flat_spans)
            flat_spans.append(sp)
            flat_words.append(w)
    votes: dict[tuple[str, ...], collections.Counter] = {}
    taken = [False] * len(flat_spans)
    for s, e, label in found:
        i = start_at.get(s)
        if i is None:
            continue
        j = i
        while j < len(flat_spans) and flat_spans[j][1] <= e:
            taken[j] = True
            j += 1
        key = tuple(flat_words[i:j])
        if 0 < len(key) <= MAX_LEX and key[0][0].isupper():
            votes.setdefault(key, collections.Counter())[label] += 1
    lower = {w for w in flat_words if w.islower()}
    names = {k: c.most_common(1)[0][0] for k, c in votes.items()
             if len(k) > 1 or k[0].lower() not in lower}
    if not names:
        return found
    longest = max(len(k) for k in names)
    added = []
    for a, b in bounds:
        i = a
        while i < b:
            hit = None
            if not taken[i] and flat_words[i][0].isupper() and (
                    i == a or not flat_words[i - 1][0].isupper()):
                for k in range(min(longest, b - i), 0, -1):
                    label = names.get(tuple(flat_words[i:i + k]))
                    # the whole mention must be free and must not run on into more capitals
                    if label and not any(taken[i:i + k]) and (
                            i + k == b or not flat_words[i + k][0].isupper()):
                        hit = (k, label)
                        break
            if hit:
                k, label = hit
                added.append((flat_spans[i][0], flat_spans[i + k - 1][1], label))
                i += k
            else:
                i += 1
    return sorted(found + added) if added else found


class NerModel:
    """Loaded CRF + feature tables; `predict` maps raw text to entity character spans."""

    takes_context = True  # predict() accepts the entity stage's atoms and knowledge matches

    def __init__(self, path: Path):
        import pycrfsuite  # imported here so importing this module stays cheap

        path = Path(path)
        crf = path / "ner.crfsuite"
        if not crf.is_file():
            raise FileNotFoundError(Errors.E101.format(path=crf))
        self.path = path
        self.meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
        self.featurizer = Featurizer(read_clusters(path / "clusters.json"),
                                     *read_lexicon(path / "lexicon.json"))
        # models from before the knowledge features (feature_set 1) are still readable
        self.knowledge = self.meta.get("feature_set", 1) >= 2
        self.propagate = self.meta.get("propagate", False)
        self.tagger = pycrfsuite.Tagger()
        self.tagger.open(str(crf))
        self.weights = CrfWeights(self.tagger)  # decoding without crfsuite's string conversion
        self.ids = IdFeaturizer(self.featurizer, self.weights)

    def predict(self, text: str, toks=None, known=None, kb=None, units=None) -> list[tuple[int, int, str]]:
        """Entity spans (start, end, label) of `text`; `toks`/`known`/`kb` as in knowledge_features."""
        if not isinstance(text, str):
            raise TypeError(f"predict() takes a str, got {type(text).__name__}")
        out: list[tuple[int, int, str]] = []
        seqs = sequences(text, units)
        if not seqs:
            return out
        words = [words_of(text, spans) for spans in seqs]
        extra = knowledge_features(text, seqs, toks, known, kb) if self.knowledge else [[[] for _ in s] for s in seqs]
        feat, weights = self.featurizer, self.weights
        doc_x = feat.doc_extras(words)
        for d_seq, k_seq in zip(doc_x, extra):
            for d, k in zip(d_seq, k_seq):
                d.extend(k)
        em = weights.emissions(self.ids.ids(words), doc_x)
        for spans, tags in zip(seqs, weights.viterbi(em, [len(s) for s in seqs])):
            out.extend(spans_from_bio(spans, tags))
        out = split_run_ons(text, split_at_semicolons(text, out))
        if self.propagate:
            out = propagate(text, seqs, words, out)
        return out

    def predict_batch(self, texts: list[str]) -> list[list[tuple[int, int, str]]]:
        return [self.predict(t) for t in texts]


@lru_cache(maxsize=None)
def load_ner(path: str | None = None) -> NerModel:
    """The shipped model (models/ner), loaded once per process."""
    return NerModel(Path(path) if path else models_dir() / "ner")
