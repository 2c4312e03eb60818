"""spaCy component `vnnews_entities`: statistical NER + curated knowledge -> linked doc.ents.

The CRF (`vnnews_nlp.entities.model`) proposes spans; the gazetteer and title patterns
(`vnnews_nlp.entities.knowledge`) fix types and boundaries (a person span is the name only, its title
goes to `span._.title`), add known entities the model missed, and link every mention to a
canonical entity. Everything works on `doc.text` character offsets, so any tokenization works.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from pathlib import Path
from typing import Iterable, NamedTuple, Optional

from spacy import util as spacy_util
import numpy as np
from spacy.attrs import IDX, LENGTH
from spacy.language import Language
from spacy.tokens import Doc
from vnnews_nlp.errors import Errors
from vnnews_nlp.paths import cfg_from_bytes, cfg_to_bytes
from vnnews_nlp.doc import Successor, article_of, doc_text
from vnnews_nlp.segment.atoms import atoms_of
from vnnews_nlp.text.dates import find_dates

from vnnews_nlp.entities.linking import link_in_article
from vnnews_nlp.entities.positions import complete_titles, fill_from_article, fill_from_list, positions_of
from vnnews_nlp.entities.knowledge import (
    expand_abbreviations,
    HONORIFICS, Knowledge, Match, Person, Tok, find_known, find_persons, load_knowledge, pick,
    slug, successor_today, tokenize, local_body_for,
)


TAGGERS = {"crf": "ner", "cnn": "ner_cnn"}  # tagger -> its folder in models/
_ISO = re.compile(r"((?:19|20)\d{2})-(\d{2})-(\d{2})")


class Found(NamedTuple):
    start: int
    end: int
    label: str
    kind: Optional[str]
    canonical: Optional[str]
    entity_id: Optional[str]
    title: Optional[str]
    title_span: Optional[tuple[int, int]] = None  # chars of the title in the text


def article_date(text: str, published: Optional[str] = None) -> Optional[str]:
    """ISO date the names in an article refer to: its publication date, else the first
    full date in its opening lines ("Ngày 28/12/2019, ..."), else None."""
    m = _ISO.search(published or "")
    if m:
        return m.group(0)
    return next((d.value for d in find_dates(text[:400]) if len(d.value) == 10 and not d.year_inferred), None)


def find_entities(text: str, date: Optional[str] = None,
                  model_spans: Iterable[tuple[int, int, str]] = (), toks=None,
                  known=None, kb: Optional[Knowledge] = None) -> list[Found]:
    """Entities of `text`, sorted, non-overlapping, linked and titled. Names link to what
    they denoted at `date` (ISO; default: the date found by `article_date(text)`). `toks`
    and `known`: the text's atoms and its known-entity matches at that date, if computed;
    `kb`: the curated knowledge (default: the shipped one)."""
    kb = load_knowledge() if kb is None else kb
    date = date or article_date(text)
    toks = tokenize(text) if toks is None else toks
    known = find_known(text, toks, date, kb) if known is None else known
    persons = find_persons(text, toks, known, kb)
    return complete_titles(text, _Merger(text, toks, kb, date).run(known, persons, list(model_spans)), kb)


class _Ent(NamedTuple):
    j: int
    label: str
    kind: Optional[str]
    canonical: Optional[str]
    eid: Optional[str]
    title: Optional[tuple[int, int]]  # chars of the stated title
    bare: Optional[Match] = None  # an unresolved local body ("UBND tỉnh")
    span: Optional[tuple[int, int]] = None  # chars, when the model's differ from atoms


class _Merger:
    def __init__(self, text: str, toks: list[Tok], kb: Knowledge, date: Optional[str]):
        self.text, self.toks, self.kb, self.date = text, toks, kb, date
        self.taken = [False] * len(toks)
        self.in_model = [False] * len(toks)  # atoms of model ORG/LOC/MISC spans
        self.out: dict[int, _Ent] = {}  # first atom -> entity
        self.strong: set[tuple] = set()  # names a title, honorific or family name vouches for

    def free(self, i: int, j: int) -> bool:
        return i < j and not any(self.taken[i:j])

    def add(self, i, j, label, kind=None, canonical=None, eid=None, title=None, bare=None,
            span=None) -> None:
        for k in range(i, j):
            self.taken[k] = True
        self.out[i] = _Ent(j, label, kind, canonical, eid, title, bare, span)

    def chars(self, i: int, j: int) -> str:
        return self.text[self.toks[i].start:self.toks[j - 1].end]

    def atoms_of(self, s: int, e: int) -> tuple[int, int]:
        i = bisect_right(self.ends, s)
        j = i
        while j < len(self.toks) and self.toks[j].start < e:
            j += 1
        return i, j

    def model_chars(self, s: int, e: int, i: int, j: int) -> tuple[int, int]:
        """The model's span, widened to whole atoms and without outer spaces (keeps a dot
        after an initial: "Nguyễn Văn Q.")."""
        s, e = min(s, self.toks[i].start), max(e, self.toks[j - 1].end)
        while self.text[s].isspace() or not (self.text[s].isalnum() or s == self.toks[i].start):
            s += 1
        while self.text[e - 1].isspace():
            e -= 1
        return s, e

    def run(self, known: list[Match], persons: list[Person], model) -> list[Found]:
        self.ends = [t.end for t in self.toks]
        self.known_ends = [m.j for m in known]
        by_range = {(p.i, p.j): p for p in persons}
        for p in persons:
            if not p.short and not p.weak and self.free(p.i, p.j):
                self.add_person(p.i, p.j, p.title)
                self.strong.add(self.key(p.i, p.j))
        shorts = [p for p in persons if p.short]
        model_shorts, others = [], []
        for s, e, label in model:
            i0, j = self.atoms_of(s, e)
            if i0 >= j:
                continue
            s, e = self.model_chars(s, e, i0, j)
            if label != "PER":
                others.append((i0, j, label, s, e))
                for k in range(i0, j):
                    self.in_model[k] = True
                continue
            i = self.strip_title(i0, j)
            if i >= j or self.known_name(known, i, j):
                continue  # "Hải Dương" is the province the knowledge says it is
            p = by_range.get((i, j))
            title = p.title if p else None
            span = (s, e) if i == i0 else None  # keep "Nguyễn Văn Q." with its dot
            if j - i == 1:
                model_shorts.append(Person(i, j, title, True, False))
            elif self.free(i, j):
                self.add_person(i, j, title, span)
                if self.toks[i].key in self.kb.surnames:
                    self.strong.add(self.key(i, j))
        # an unlinkable one-word name after a title ("Trưởng phòng Giáo ...") needs the model
        by_last: dict[str, set] = {}
        for k, name in self.full_names().items():
            by_last.setdefault(k[-1], set()).add(name)
        for p in shorts:
            self.link_short(p, by_last, keep_unlinked=p.title is None)
        for p in model_shorts:
            self.link_short(p, by_last, keep_unlinked=True)
        self.propagate_names()
        self.add_known(known, others)
        for i, j, label, s, e in others:
            self.add_model(i, j, label, s, e)
        return self.resolve_bare()

    def key(self, i: int, j: int) -> tuple:
        return tuple(t.key for t in self.toks[i:j])

    def known_name(self, known: list[Match], i: int, j: int) -> bool:
        """Is atoms [i, j) inside a known place/body (one-word countries excepted: "Nga",
        "Mỹ" are also given names)?"""
        k = bisect_right(self.known_ends, i)  # known matches are sorted and disjoint
        if k == len(known):
            return False
        m = known[k]
        return m.i <= i and j <= m.j and not (m.kind == "country" and m.j - m.i == 1)

    def add_person(self, i, j, title, span=None) -> None:
        name = self.chars(i, j)
        self.add(i, j, "PER", None, name, "per:" + slug(name), title or None, span=span)

    def strip_title(self, i: int, j: int) -> int:
        """Drop leading titles/honorifics the model put inside a person span."""
        while i < j:
            k, titles = self.kb.titles.longest(self.text, self.toks, i)
            if titles and k < j:
                i = k
            elif self.toks[i].key in HONORIFICS:
                i += 1
            else:
                return i
        return i

    def full_names(self) -> dict[tuple, str]:
        return {self.key(i, v.j): v.canonical for i, v in self.out.items()
                if v.label == "PER" and v.j - i >= 2}

    def link_short(self, p: Person, by_last: dict, keep_unlinked: bool) -> None:
        if not self.free(p.i, p.j):
            return
        names = by_last.get(self.toks[p.i].key, set())
        t = p.title or None
        if len(names) == 1:  # unambiguous within the article
            name = next(iter(names))
            self.add(p.i, p.j, "PER", None, name, "per:" + slug(name), t)
        elif keep_unlinked:  # "Tổng thống Trump", "anh Hào": the name as written, no id
            self.add(p.i, p.j, "PER", None, self.chars(p.i, p.j) if not names else None, None, t)

    def propagate_names(self) -> None:
        """A vouched-for full name is a person wherever else it occurs in the article,
        unless the model read that occurrence as something else ("Trường ... Đặng Cương")."""
        first: dict[str, list] = {}
        for k, name in self.full_names().items():
            if k in self.strong:
                first.setdefault(k[0], []).append((k, name))
        if not first:
            return
        for i, t in enumerate(self.toks):
            if t.key not in first or self.taken[i] or not t.cap or self.in_model[i]:
                continue
            for k, name in first[t.key]:
                j = i + len(k)
                if self.key(i, j) == k and self.free(i, j) and (
                        j == len(self.toks) or not self.toks[j].cap):
                    self.add(i, j, "PER", None, name, "per:" + slug(name))
                    break

    def add_known(self, known: list[Match], model_other) -> None:
        # a model span that cleanly wraps known names ("Hải Phòng FC", "Vietnam+", "Ban
        # Tuyên giáo Tỉnh ủy X", "Hội đồng Bảo an Liên Hợp Quốc") is the longer name
        # ("5G Việt Nam" is not: a name starts with a letter)
        ends = [m.j for m in known]  # known matches are sorted and disjoint
        wrapped = set()
        for i, j, _, s, e in model_other:
            if not (self.free(i, j) and self.text[s:s + 1].isalpha()):
                continue
            inside, k = [], bisect_right(ends, i)
            while k < len(known) and known[k].i < j:
                inside.append(k)
                k += 1
            if inside and all(i <= known[k].i and known[k].j <= j for k in inside) and (
                    self.wraps_cleanly(i, j, known[inside[-1]].j)):
                wrapped.update(k for k in inside if (s, e) != (
                    self.toks[known[k].i].start, self.toks[known[k].j - 1].end))
        for k, m in enumerate(known):
            if k not in wrapped and self.free(m.i, m.j):
                self.add(m.i, m.j, m.label, m.kind, m.canonical, m.entity_id,
                         bare=m if m.entity_id is None and m.head else None)

    def wraps_cleanly(self, i: int, j: int, last_known_end: int) -> bool:
        """Not a title ("Ủy viên Trung ương Đảng") and no lower-case word after the known
        name ("Bộ TT&TT giỏi"); "Hải Phòng FC", "U16 Việt Nam", "bán đảo Triều Tiên" pass."""
        k, titles = self.kb.titles.longest(self.text, self.toks, i)
        if titles and (k >= j or self.toks[k].cap):  # "Đại sứ quán ..." is no title
            return False
        return all(t.cap or not t.key.isalpha() for t in self.toks[last_known_end:j])

    def add_model(self, i: int, j: int, label: str, s: int, e: int) -> None:
        if label == "ORG" and i > 0 and self.toks[i - 1].key in ("bộ", "sở") and (
                self.toks[i - 1].cap and not self.taken[i - 1]
                and self.text[self.toks[i - 1].end:s] == " "):
            i -= 1  # "Bộ" + ministry name the model cut off
            s = self.toks[i].start
        if not self.free(i, j):
            return
        bucket = self.kb.names.map.get(self.key(i, j)) or self.kb.short_names.map.get(self.key(i, j), [])
        ent = pick(self.kb, [a.target for a in bucket if a.target], self.date)
        if ent is not None and ent.label == label:
            self.add(i, j, label, ent.kind, ent.name, ent.id, span=(s, e))
        else:
            self.add(i, j, label, span=(s, e))

    def resolve_bare(self) -> list[Found]:
        """"UBND tỉnh", "Sở TT&TT" without a place: the article's only province of that level."""
        places: dict[str, dict] = {}
        for v in self.out.values():
            ent = self.kb.get(v.eid) if v.eid else None
            if ent is not None and ent.kind == "province":
                places.setdefault(ent.type, {})[ent.id] = ent
        found = []
        for i, v in sorted(self.out.items()):
            canonical, eid = v.canonical, v.eid
            pool = places.get(v.bare.level, {}) if v.bare is not None else {}
            if v.bare is not None and v.bare.level == "province":  # a bare "Sở Tài chính"
                pool = {k: e for level in places.values() for k, e in level.items()}
            if v.bare is not None and len(pool) == 1:
                place = next(iter(pool.values()))
                ent = local_body_for(self.kb, v.bare.head, place)
                canonical, eid = ent.name, ent.id
            s, e = v.span or (self.toks[i].start, self.toks[v.j - 1].end)
            if canonical is None and v.bare is None and v.label in ("ORG", "LOC"):
                # a name the knowledge does not know: itself, abbreviations written out (a bare
                # "UBND tỉnh" names no single body and stays without one)
                canonical = expand_abbreviations(self.kb, self.text[s:e])
            found.append(Found(s, e, v.label, v.kind, canonical, eid,
                               self.text[v.title[0]:v.title[1]] if v.title else None, v.title))
        return link_in_article(self.text, found, self.kb, {i for p in places.values() for i in p})


def _fill_positions(ents, values, text) -> None:
    by_person: dict[str, list] = {}
    for span in ents:
        if span._.positions:  # a person without an id still fills its own bare roles
            by_person.setdefault(span._.entity_id or f"@{span.start}", []).append(span)
    filled = fill_from_article({k: [s._.positions for s in spans] for k, spans in by_person.items()})
    for k, spans in by_person.items():
        for span, ps in zip(spans, filled[k]):
            span._.positions = ps
    people = [(span, f) for span, f in zip(ents, values) if span.label_ == "PER"]
    listed = fill_from_list(text, [((f.start, f.end), f.title_span, list(span._.positions or ()))
                                   for span, f in people])
    for (span, _), ps in zip(people, listed):
        span._.positions = ps


def split_at_edges(doc: Doc, text: str, found) -> None:
    """Entity boundaries win over word boundaries: a word token that holds an entity edge
    ("Mỹ Donald Trump" -> LOC "Mỹ" + PER "Donald Trump") is split at the space there, so no
    entity is widened into its neighbour. The space becomes a whitespace token, so `doc.text`
    and every offset stay as they were. An edge inside a token with no space there
    ("CDU/CSU", "AFP/TTXVN") splits it at that character."""
    cuts = set()  # (position, is a space that becomes its own token)
    for f in found:
        for p in (f.start, f.end):
            if 0 < p < len(text):
                if text[p - 1] == " " and text[p] != " ":
                    cuts.add((p - 1, True))
                elif text[p] == " " and text[p - 1] != " ":
                    cuts.add((p, True))
                elif text[p] != " " and text[p - 1] != " ":
                    cuts.add((p, False))
    if not cuts or not len(doc):
        return
    # which token holds each cut: a search over the token starts, not a loop over tokens
    arr = doc.to_array([IDX, LENGTH])
    starts = arr[:, 0]
    inside: dict[int, list[tuple[int, bool]]] = {}
    for q, space in sorted(cuts):
        i = int(np.searchsorted(starts, q, side="right")) - 1
        if i >= 0 and starts[i] < q < starts[i] + arr[i, 1] - (1 if space else 0):
            inside.setdefault(i, []).append((q, space))
    splits, inner = [], []  # inner: the character starts of every piece but a word's first
    for i, qs in inside.items():
        tok = doc[i]
        a, b = tok.idx, tok.idx + len(tok)
        orths, pos = [], a
        for q, space in qs:
            if q > pos:
                orths.append(text[pos:q])
            if space:
                orths.append(" ")
            pos = q + 1 if space else q
        orths.append(text[pos:b])
        splits.append((tok, orths))
        inner.extend(a + sum(map(len, orths[:k])) for k in range(1, len(orths)))
    if splits:
        with doc.retokenize() as retok:
            for tok, orths in splits:
                retok.split(tok, orths, heads=[(tok, i) for i in range(len(orths))])
        # the later pieces of a word never start a sentence (left unset, a Doc whose only words
        # were split has no sentence boundaries at all: doc.sents raises)
        idx = doc.to_array([IDX])
        for a in inner:
            doc[int(np.searchsorted(idx, a))].is_sent_start = False


class EntityRecognizer:
    """Writes doc.ents and the span extensions; see module docstring.

    The NER model and the knowledge load on first use, from `model_path` and
    `knowledge_path` (None: the shipped models/ner and corpora/knowledge); `to_disk` copies
    both into the saved pipeline and `from_disk` points the component at the copies. A
    `model` object passed in is used as it is and is neither saved nor pickled. `tagger`:
    "crf" (models/ner, shipped) or "cnn" (the spaCy tagger of `entities.tagger`, models/ner_cnn,
    built by `spacy train training/configs/ner.cfg`; docs/ner-dev.md compares them)."""

    def __init__(self, use_model: bool = True, model=None, model_path: str | None = None,
                 knowledge_path: str | None = None, tagger: str = "crf"):
        if tagger not in TAGGERS:
            raise ValueError(Errors.E106.format(tagger=tagger, taggers=", ".join(TAGGERS)))
        self.tagger = tagger
        self.use_model = use_model
        self._model = model  # anything with predict(text) -> [(start, end, label)]
        self._lazy = model is None  # the model is load_ner's, loaded on first use
        self.model_path = str(model_path) if model_path else None
        self.knowledge_path = str(knowledge_path) if knowledge_path else None

    def model(self):
        if self._model is None:
            from vnnews_nlp.entities.model import load_ner
            try:
                if self.tagger == "cnn":
                    from vnnews_nlp.entities.tagger import load_cnn
                    self._model = load_cnn(str(self._ner_dir()))
                else:
                    self._model = load_ner(self.model_path) if self.model_path else load_ner()
            except FileNotFoundError as err:
                raise RuntimeError(Errors.E105.format(err=err)) from err
        return self._model

    def knowledge(self) -> Knowledge:
        return load_knowledge(self.knowledge_path) if self.knowledge_path else load_knowledge()

    def _predict(self, text, toks, undated, kb, units):
        model = self.model()
        if getattr(model, "takes_context", False):  # the shipped taggers reuse what this stage computed
            return model.predict(text, toks, undated, kb, units)
        return model.predict(text)  # any other model only needs predict(text)

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        published = article_of(doc).published
        date = article_date(text, published)
        atoms = atoms_of(doc)
        toks = tokenize(text, atoms.words())
        kb = self.knowledge()
        # the NER features match the knowledge without a date; for an undated article (most
        # are) linking asks the same question, so both share one answer
        undated = find_known(text, toks, kb=kb) if date is None else None
        spans = self._predict(text, toks, undated, kb, atoms.units()) if self.use_model else []
        found = find_entities(text, date, spans, toks, undated, kb)
        split_at_edges(doc, text, found)
        ents, values = [], []
        last = 0
        for f in found:
            span = doc.char_span(f.start, f.end, f.label, alignment_mode="expand")
            if span is None or span.start < last:
                continue  # tokens wider than the entity overlap a neighbour: keep the first
            ents.append(span)
            values.append(f)
            last = span.end
        doc.ents = ents
        for span, f in zip(doc.ents, values):
            span._.canonical, span._.entity_id = f.canonical, f.entity_id
            span._.kind, span._.title = f.kind, f.title
            today = successor_today(kb, f.entity_id)
            span._.successor = Successor(today.id, today.name) if today else None
            span._.positions = (positions_of(text, f.title_span, values, (f.start, f.end), kb)
                                 if f.title_span else [])
        _fill_positions(doc.ents, values, text)
        return doc

    # -- saving and loading (spaCy's component interface) ------------------------------
    def _ner_dir(self) -> Path:
        from vnnews_nlp.paths import models_dir
        return Path(self.model_path) if self.model_path else models_dir() / TAGGERS[self.tagger]

    def _point_at(self, model_path: str | None, knowledge_path: str | None) -> None:
        if model_path != self.model_path and self._lazy:
            self._model = None  # load the other model on next use
        self.model_path, self.knowledge_path = model_path, knowledge_path

    def to_disk(self, path, *, exclude=tuple()) -> None:
        """A folder with copies of the files this stage reads: `ner/` (the NER model, when
        the stage uses the shipped kind of model) and `knowledge/`."""
        from vnnews_nlp.entities.knowledge import knowledge_dir
        from vnnews_nlp.paths import copy_model

        writers = {"knowledge": lambda p: copy_model(knowledge_dir(self.knowledge_path), p)}
        if self.use_model and self._lazy:
            writers["ner"] = lambda p: copy_model(self._ner_dir(), p)
        spacy_util.to_disk(path, writers, exclude)

    def from_disk(self, path, *, exclude=tuple()) -> "EntityRecognizer":
        """Use the model and knowledge saved in `path` (loaded on first use, not here)."""
        path = spacy_util.ensure_path(path)
        model_path, knowledge_path = self.model_path, self.knowledge_path
        if (path / "ner").is_dir() and "ner" not in exclude:
            model_path = str((path / "ner").resolve())
        if (path / "knowledge").is_dir() and "knowledge" not in exclude:
            knowledge_path = str((path / "knowledge").resolve())
        self._point_at(model_path, knowledge_path)
        return self

    def to_bytes(self, *, exclude=tuple()) -> bytes:
        """Where the model and the knowledge are (the files themselves go with `to_disk`)."""
        return cfg_to_bytes({"model_path": self.model_path, "knowledge_path": self.knowledge_path}, exclude)

    def from_bytes(self, data: bytes, *, exclude=tuple()) -> "EntityRecognizer":
        cfg = cfg_from_bytes(data, exclude)
        if cfg is not None:
            self._point_at(cfg["model_path"], cfg["knowledge_path"])
        return self

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        if self._lazy:
            state["_model"] = None  # crfsuite's tagger does not pickle; reloaded on first use
        return state


@Language.factory(
    "vnnews_entities",
    default_config={"use_model": True, "tagger": "crf"},
    retokenizes=True,
    assigns=["doc.ents", "span._.canonical", "span._.entity_id", "span._.kind", "span._.title",
             "span._.successor", "span._.positions"],
)
def make_entities(nlp: Language, name: str, use_model: bool, tagger: str) -> EntityRecognizer:
    return EntityRecognizer(use_model=use_model, tagger=tagger)
