"""Curated entity knowledge and a fast longest-match matcher over it.

The data lives in `corpora/knowledge/` (see its README for sources): provinces (the 63 units in
force until mid-2025, the 34 after Resolution 202/2025/QH15, and the old->new mapping),
districts, ministries of every government since 2002 with their periods, central bodies, mass
organisations, enterprises, countries and official titles.

Matching works on "atoms" (runs of letters/digits) of `doc.text` compared by a folded key, so
it is independent of how the tokenizer joined words, and punctuation variants ("TT&TT"/"TT-TT",
"Thừa Thiên-Huế"/"Thừa Thiên Huế", "TP.HCM"/"TP. HCM") collapse to one key. Local bodies
("UBND tỉnh Quảng Trị", "Sở TT&TT Quảng Trị") are matched as prefix + place and get ids built
from both parts.
"""
from __future__ import annotations

import csv
import json
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple, Optional

from vnnews_nlp.paths import corpora_dir
from vnnews_nlp.segment.atoms import scan
from vnnews_nlp.text.normalize import fold_key

JOIN_PUNCT = frozenset("-–&")  # always allowed inside a name: "TT&TT", "Thừa Thiên-Huế"
MAX_GAP = 3
CONNECTORS = frozenset({"và", "của", "tại"})
HONORIFICS = frozenset({"ông", "bà", "đồng chí"})
GENERIC_BEFORE = frozenset({"các", "những", "mọi"})  # "các Sở TT&TT" names no single body


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Matching key (`text.normalize.fold_key`: NFC, lower case, one tone-mark placement,
    "Hoà" == "Hòa", tones kept: "Lào" != "lao"), cached for the knowledge's hot loop."""
    return fold_key(text)


def slug(text: str) -> str:
    text = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    return "-".join("".join(c if c.isalnum() else " " for c in text).split())


class Tok(NamedTuple):
    start: int
    end: int
    key: str
    cap: bool  # first letter upper case
    abbr: bool  # all upper case, two letters or more ("VNPT", "TT")


_WORDS: dict[str, tuple] = {}


def tokenize(text: str, words: list[tuple[int, int]] | None = None) -> list[Tok]:
    """The syllables and numbers of `text` as matching keys; `words`: their spans
    (`Atoms.words()` of the Doc), else one scan of `text` is made."""
    out = []
    seen = _WORDS
    for s, e in (scan(text).words() if words is None else words):
        w = text[s:e]
        info = seen.get(w)
        if info is None:
            info = (fold(w), w[0].isupper(), len(w) > 1 and w.isupper())
            if len(seen) < 500_000:
                seen[w] = info
        out.append(Tok(s, e, *info))
    return out


@dataclass
class Entity:
    id: str
    name: str
    label: str  # ORG / LOC
    kind: str
    valid_from: Optional[str] = None
    valid_to: Optional[str] = None
    successor: Optional[str] = None
    type: Optional[str] = None  # admin level word: tỉnh, thành phố, huyện ...
    parent: Optional[str] = None  # a district's province
    extra: dict = field(default_factory=dict)

    def valid_at(self, date: Optional[str]) -> bool:
        if date is None:
            return True
        return (self.valid_from is None or self.valid_from <= date) and (
            self.valid_to is None or date <= self.valid_to)


@dataclass(frozen=True)
class Alias:
    target: str  # entity id, prefix id or title
    cap: Optional[int]  # atom that must be capitalised in the text
    abbr: tuple  # atoms that must be upper case in the text
    gaps: tuple  # punctuation allowed between atom k and k+1


@dataclass
class Prefix:
    """The head of a local body: "UBND" + place, "Sở TT&TT" + place, "Tỉnh ủy" + place."""
    id: str
    name: str
    kind: str
    levels: frozenset  # place levels it combines with
    with_level: bool  # canonical keeps the level word: "Ủy ban nhân dân tỉnh X" vs "Tỉnh ủy X"
    dept: Optional[str] = None  # ministry id for a Sở


class Index:
    """Alias keys (tuples of atom keys) in a trie, looked up longest first."""

    def __init__(self):
        self.map: dict[tuple, list[Alias]] = {}
        self.trie: dict = {}

    def add(self, form: str, target: str) -> None:
        toks = tokenize(form)
        if not toks:
            return
        key = tuple(t.key for t in toks)
        cap = next((k for k, t in enumerate(toks) if t.cap), None)
        abbr = tuple(k for k, t in enumerate(toks) if t.abbr and t.key != "tp")  # "Tp." too
        gaps = tuple(frozenset(form[a.end:b.start]) - {" "} for a, b in zip(toks, toks[1:]))
        alias = Alias(target, cap, abbr, gaps)
        bucket = self.map.setdefault(key, [])
        if alias not in bucket:
            bucket.append(alias)
        node = self.trie
        for k in key:
            node = node.setdefault(k, {})
        node[None] = bucket

    def longest(self, text: str, toks: list[Tok], i: int) -> tuple[int, list[Alias]]:
        """(end atom, aliases) of the longest alias matching at atom i, or (i, [])."""
        node = self.trie.get(toks[i].key)
        if node is None:
            return i, []
        ends = []
        k, n = i + 1, len(toks)
        while True:
            if None in node:
                ends.append((k, node[None]))
            if k >= n:
                break
            gap = text[toks[k - 1].end:toks[k].start]
            if len(gap) > MAX_GAP or "\n" in gap:
                break
            node = node.get(toks[k].key)
            if node is None:
                break
            k += 1
        for j, bucket in reversed(ends):
            ok = [a for a in bucket if _fits(a, text, toks, i, j)]
            if ok:
                return j, ok
        return i, []


def _fits(a: Alias, text: str, toks: list[Tok], i: int, j: int) -> bool:
    if a.cap is not None and not toks[i + a.cap].cap:
        return False
    if any(not toks[i + k].abbr for k in a.abbr):
        return False
    for k in range(i, j - 1):
        punct = set(text[toks[k].end:toks[k + 1].start]) - {" "}
        if not punct <= (a.gaps[k - i] | JOIN_PUNCT):
            return False
    return True


@dataclass
class Knowledge:
    entities: dict[str, Entity]
    names: Index  # places, organisations, countries, stop phrases
    prefixes: Index  # heads of local bodies
    prefix_info: dict[str, Prefix]
    levels: Index  # bare level words ("tỉnh", "thành phố") after a prefix
    titles: Index
    title_kind: dict[str, str]
    surnames: frozenset
    org_heads: Index
    abbreviations: dict = field(default_factory=dict)  # "UBND" -> "Ủy ban nhân dân"
    short_names: Index = field(default_factory=lambda: Index())  # linked only where the tagger saw the type
    ministry_short: Index = field(default_factory=lambda: Index())  # "Giao thông Vận tải" after "Bộ trưởng"
    body_heads: tuple = ()  # head nouns of a body in an official's title, longest first ("Cơ quan", "báo")
    role_heads: dict = field(default_factory=dict)  # "cục trưởng" -> "Cục": the body a bare role implies

    def get(self, entity_id: str) -> Optional[Entity]:
        return self.entities.get(entity_id)


def expand_abbreviations(kb: Knowledge, name: str) -> str:
    """The name with spaces collapsed and its abbreviations written out ("Bưu điện TP HCM" ->
    "Bưu điện Thành phố Hồ Chí Minh", "Q.2" -> "quận 2"): the canonical of an entity the
    knowledge does not know."""
    table = kb.abbreviations
    out = []
    for word in name.split():
        full = table.get(word)
        if full is None:
            # a dotted abbreviation glued to what follows: "TP.Huế", "P.Bình An", "Q.2"
            head, dot, rest = word.partition(".")
            if dot and rest and (head + "." in table or head in table):
                full = f"{table.get(head + '.', table.get(head))} {table.get(rest, rest)}"
        out.append(full or word)
    return " ".join(out)


def knowledge_dir(path: str | Path | None = None) -> Path:
    """The knowledge folder: `path` (e.g. a saved pipeline's copy), else corpora/knowledge/."""
    path = corpora_dir() / "knowledge" if path is None else Path(path)
    if not (path / "provinces.json").is_file():
        raise FileNotFoundError(
            f"entity knowledge not found in {path}; run from a source checkout or reinstall "
            "vnnews-nlp (the data ships in corpora/knowledge/)")
    return path


@lru_cache(maxsize=None)
def load_knowledge(path: str | None = None) -> Knowledge:
    """Read corpora/knowledge/ (or the folder `path`) once per process and build the
    indexes (~0.2 s)."""
    d = knowledge_dir(path)
    ents: dict[str, Entity] = {}
    names, prefixes, levels, titles = Index(), Index(), Index(), Index()
    for p in json.loads((d / "provinces.json").read_text("utf-8")):
        e = Entity(p["id"], _cap(p["full"]), "LOC", "province", p["valid_from"],
                   p["valid_to"], p["successor"], type=p["type"], extra={"short": p["name"]})
        ents[e.id] = e
        for form in _place_forms(p["name"], p["type"]):
            names.add(form, e.id)
    for extra in (d / "place_aliases.tsv").read_text("utf-8").splitlines()[1:]:
        eid, form = extra.split("\t")
        names.add(form, eid)
    with open(d / "districts.tsv", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            e = Entity(row["id"], _cap(row["full"]), "LOC", "district", type=row["type"],
                       parent=row["province_id"], extra={"short": row["name"]})
            e.valid_to = "2025-06-30"  # districts were abolished on 1 July 2025
            ents[e.id] = e
            # the level of a district changed over the years (huyện -> thị xã -> thành phố,
            # huyện -> quận), the name did not: accept it with any level word
            for level in ("huyện", "quận", "thị xã", "thành phố", "TP", "TP."):
                names.add(f"{level} {row['name']}", e.id)
    ministries = json.loads((d / "ministries.json").read_text("utf-8"))
    orgs = ministries + json.loads((d / "bodies.json").read_text("utf-8"))
    if (d / "enterprises.json").is_file():
        orgs += json.loads((d / "enterprises.json").read_text("utf-8"))
    for o in orgs:
        e = Entity(o["id"], o["name"], o.get("label", "ORG"), o["kind"], o.get("valid_from"),
                   o.get("valid_to"), o.get("successor"),
                   extra={"source": o["source"]} if o.get("source") else {})
        ents[e.id] = e
        for form in [o["name"]] + o["aliases"]:
            names.add(form, e.id)
    for line in (d / "countries.tsv").read_text("utf-8").splitlines()[1:]:
        eid, name, aliases = line.split("\t")
        ents[eid] = Entity(eid, name, "LOC", "country")
        for form in aliases.split("|"):
            names.add(form, eid)
    for line in (d / "not_entities.txt").read_text("utf-8").splitlines():
        if line and not line.startswith("#"):
            names.add(line, "")  # empty target: a phrase that blocks shorter matches
    info = _local_prefixes(d, ministries, prefixes)
    for level in ("tỉnh", "thành phố", "TP", "huyện", "quận", "thị xã", "xã", "phường",
                  "thị trấn"):
        levels.add(level, "thành phố" if level == "TP" else level)
    kinds = {}
    with open(d / "titles.tsv", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            titles.add(row["title"], row["title"])
            titles.add(row["title"].lower(), row["title"])
            kinds[row["title"]] = row["kind"]
    surnames = set()
    for line in (d / "surnames.txt").read_text("utf-8").splitlines():
        if not line.startswith("#"):
            surnames.update(fold(w) for w in line.split())
    heads = Index()
    for h in ORG_HEADS:
        heads.add(h, h)
    abbreviations = {}
    if (d / "abbreviations.tsv").is_file():
        for line in (d / "abbreviations.tsv").read_text("utf-8").splitlines()[1:]:
            if "\t" in line:
                short, full = line.split("\t", 1)
                abbreviations[short] = full.strip()
    short = Index()
    if (d / "short_names.tsv").is_file():
        for line in (d / "short_names.tsv").read_text("utf-8").splitlines()[1:]:
            if "\t" in line:
                eid, form = line.split("\t")[:2]
                short.add(form, eid)
    ministry_short = Index()  # a minister's title may leave out "Bộ": "Bộ trưởng Tài chính"
    for o in ministries:
        for form in [o["name"]] + o["aliases"]:
            if form.startswith("Bộ ") and len(form) > 4:
                ministry_short.add(form[3:], o["id"])
    body_heads, role_heads = [], {}
    if (d / "body_heads.tsv").is_file():
        for row in csv.DictReader((d / "body_heads.tsv").open(encoding="utf-8"), delimiter="\t"):
            body_heads.append(row["head"])
            for role in filter(None, (row.get("role") or "").split("|")):
                role_heads[" ".join(role.lower().split())] = row["head"]
    return Knowledge(ents, names, prefixes, info, levels, titles, kinds, frozenset(surnames),
                     heads, abbreviations, short, ministry_short,
                     tuple(sorted(body_heads, key=len, reverse=True)), role_heads)


def _cap(name: str) -> str:
    return name[:1].upper() + name[1:]


def _place_forms(name: str, typ: str) -> list[str]:
    forms = [name, f"{typ} {name}"]
    if typ == "thành phố":
        forms += [f"TP {name}", f"TP. {name}", f"Thành phố {name}"]
    return forms


def _local_prefixes(d, ministries: list[dict], index: Index) -> dict[str, Prefix]:
    info = {}
    province = frozenset({"tỉnh", "thành phố"})
    local = frozenset({"tỉnh", "thành phố", "huyện", "quận", "thị xã", "xã", "phường",
                       "thị trấn"})
    for row in json.loads((d / "local_bodies.json").read_text("utf-8")):
        p = Prefix(row["id"], row["name"], row["kind"],
                   province if row["levels"] == "province" else local, row["with_level"])
        info[p.id] = p
        for form in [row["name"]] + row["aliases"]:
            index.add(form, p.id)
    for m in ministries:
        for k, dept in enumerate(m.get("dept", [])):
            pid = "so-" + slug(m["dept"][0])
            if k == 0:
                info[pid] = Prefix(pid, "Sở " + dept, "government_body", province, True,
                                   dept=m["id"])
            index.add("Sở " + dept, pid)
    return info


class Match(NamedTuple):
    i: int  # first atom
    j: int  # end atom (exclusive)
    label: str
    kind: Optional[str]
    entity_id: Optional[str]  # None: known type, but no single entity (e.g. "UBND tỉnh")
    canonical: Optional[str]
    level: Optional[str] = None  # for unresolved local bodies: the level word
    head: Optional[str] = None  # for unresolved local bodies: the prefix id


def successor_today(kb: Knowledge, entity_id: Optional[str]) -> Optional[Entity]:
    """The unit that carries on today for an entity that no longer exists under its name
    (Hà Tây -> Hà Nội, Bộ Bưu chính, Viễn thông -> ... -> today's ministry), following the
    `successor` chain to its end; None for an entity that still exists or has no successor."""
    ent = kb.get(entity_id) if entity_id else None
    if ent is None or ent.valid_to is None or ent.successor is None:
        return None
    seen = {ent.id}
    while ent.successor and ent.successor in kb.entities and ent.successor not in seen:
        ent = kb.entities[ent.successor]
        seen.add(ent.id)
    return ent if ent.id != entity_id else None


def pick(kb: Knowledge, ids: list[str], date: Optional[str]) -> Optional[Entity]:
    """The entity a name denoted at `date` (unknown date: the pre-2025 unit, news archives
    being mostly older)."""
    cands = [kb.entities[i] for i in dict.fromkeys(ids) if i in kb.entities]
    if not cands:
        return None
    if date is not None:
        valid = [e for e in cands if e.valid_at(date)]
        cands = valid or cands
    elif len(cands) > 1:
        cands = sorted(cands, key=lambda e: (e.valid_from or ""))
    return cands[0]


def find_known(text: str, toks: list[Tok], date: Optional[str] = None,
               kb: Optional[Knowledge] = None) -> list[Match]:
    """Non-overlapping longest matches of known entities, left to right."""
    kb = kb or load_knowledge()
    out: list[Match] = []
    i, n = 0, len(toks)
    while i < n:
        j, aliases = kb.names.longest(text, toks, i)
        best = None
        if aliases:
            targets = [a.target for a in aliases]
            best = _known_match(kb, toks, i, j, targets, date) if all(targets) else "stop"
        local = _local_match(kb, text, toks, i, date)
        if local is not None and (best is None or local.j > j):
            best, j = local, local.j
        k = _commune(text, toks, i)
        if k > j:
            best, j = Match(i, k, "LOC", "commune", None, None), k
        if best is None:
            i += 1
            continue
        if best != "stop" and not _inside_name(text, toks, best):
            out.append(best)
        i = j
    return _descriptive_orgs(text, toks, _foreign_bodies(text, toks, out), kb)


COMMUNE_LEVELS = (("xã",), ("phường",), ("thị", "trấn"))
COMMUNE_FIRST = frozenset(level[0] for level in COMMUNE_LEVELS)


def _commune(text, toks, i) -> int:
    """End atom of "xã Vĩnh Thái" / "phường Trung Đô" / "Phường 3" at atom i, else i."""
    if toks[i].key not in COMMUNE_FIRST:
        return i
    for level in COMMUNE_LEVELS:
        k = i + len(level)
        if k < len(toks) and tuple(t.key for t in toks[i:k]) == level and (
                text[toks[k - 1].end:toks[k].start] == " "):
            if toks[k].key.isdigit():
                return k + 1
            r = k
            while r < len(toks) and r - k < 4 and toks[r].cap and not toks[r].abbr and (
                    r == k or _plain_gap(text, toks, r)):
                r += 1
            return r if r > k else i
    return i


def _inside_name(text, toks, m: Match) -> bool:
    """A one-word country right after a capitalised word ("Thúy Nga", "Lê Thị Mỹ") is the
    end of a person's or place's name."""
    return (m.j - m.i == 1 and m.kind == "country" and not toks[m.i].abbr and m.i > 0
            and toks[m.i - 1].cap and _plain_gap(text, toks, m.i))


ORG_HEADS = ("Liên minh", "Hiệp hội", "Liên hiệp", "Tổ chức", "Quỹ", "Viện", "Trung tâm",
             "Câu lạc bộ", "Tổng công ty", "Công ty", "Tập đoàn", "Ngân hàng", "Hội",
             "Liên đoàn", "Ủy ban", "Cục", "Tổng cục", "Học viện", "Trường", "Đại học", "Báo")
# words that show a clause, not a name, sits between the head and the place
CLAUSE_WORDS = frozenset({"sang", "tại", "ở", "của", "cho", "với", "từ", "đến", "vào", "và",
                          "là", "đã", "được", "có", "không", "sẽ", "đang", "bị", "về", "trong",
                          "ngoài", "như", "thì", "mà", "nhưng", "hay", "hoặc", "khi", "này",
                          "đó", "các", "những", "một", "cùng", "theo", "do", "để", "nên",
                          "cũng", "rất", "đều", "vẫn", "còn", "chỉ", "lại", "ra", "nói", "biết",
                          "ông", "bà", "anh", "chị", "nguyên", "cựu", "thời", "thuộc"})
# head syllable + next syllable that make an ordinary word, not an organisation
NOT_HEADS = frozenset({"hội thảo", "hội nghị", "hội ngộ", "hội chợ", "hội diễn", "hội thi",
                       "hội họa", "hội viên", "báo chí", "báo cáo", "báo giới", "trường hợp",
                       "cục diện", "quỹ đạo", "ủy ban nhân", "trường sa", "trường học"})
MAX_DESCRIPTOR = 15  # atoms; Vietnamese organisation names run long


def _descriptive_orgs(text, toks, matches: list[Match], kb) -> list[Match]:
    """"Liên minh phát triển … Việt Nam", "Tổ chức cứu trợ nhi đồng Thụy Điển": an
    organisation head, a descriptive phrase and a country/province make one ORG (unlinked)."""
    out: list[Match] = []
    for m in matches:
        prev_end = out[-1].j if out else 0
        if m.kind in ("country", "province"):
            start = _org_head_before(text, toks, m.i, prev_end, kb)
            if start is not None:
                out.append(Match(start, m.j, "ORG", None, None, None))
                continue
        out.append(m)
    return out


def _org_head_before(text, toks, i, floor, kb) -> Optional[int]:
    commas = 0
    for k in range(i - 1, max(floor, i - MAX_DESCRIPTOR) - 1, -1):
        gap = text[toks[k].end:toks[k + 1].start]
        if gap.strip() == "," and k + 1 == i:
            return None  # "Đại học Cornell, Mỹ": the place is an apposition
        if gap.strip() == ",":
            commas += 1
        elif gap != " " or commas > 1:
            return None
        if toks[k].key in CLAUSE_WORDS or toks[k].abbr or (
                toks[k].cap and kb.titles.longest(text, toks, k)[1]):
            return None
        j, heads = kb.org_heads.longest(text, toks, k)
        if heads and toks[k].cap and j < i and _plain_gap(text, toks, j) and (
                f"{toks[k].key} {toks[k + 1].key}" not in NOT_HEADS):
            if k > floor and kb.org_heads.longest(text, toks, k - 1)[0] > k:
                return k - 1  # "Hiệp Hội" rather than "Hội"
            return k
    return None


STATE_WORDS = frozenset({"org:chinh-phu", "org:quoc-hoi"})  # also every country's own
NATIONAL_KINDS = frozenset({"ministry", "ministry_agency", "government_body"})


def _foreign_bodies(text, toks, matches: list[Match]) -> list[Match]:
    """"Chính phủ Phần Lan", "Bộ Ngoại giao Mỹ": a national body followed by a foreign
    country is that country's body, not Vietnam's; typed, not linked."""
    out: list[Match] = []
    for m in matches:
        prev = out[-1] if out else None
        if (prev is not None and m.kind == "country" and prev.kind in NATIONAL_KINDS
                and prev.j == m.i and text[toks[m.i - 1].end:toks[m.i].start] == " "):
            if prev.entity_id in STATE_WORDS:  # "Chính phủ Pháp": the country stays a place
                if m.entity_id != "loc:viet-nam":
                    out[-1] = prev._replace(entity_id=None, canonical=None)
            elif m.entity_id == "loc:viet-nam":  # "Bộ Công an Việt Nam": the same body
                out[-1] = prev._replace(j=m.j)
                continue
            else:
                out[-1] = Match(prev.i, m.j, "ORG", prev.kind, None, None)
                continue
        out.append(m)
    return out


def _written_level(toks, i) -> Optional[str]:
    """The level word a place name starts with at atom i ("quận", "thị xã", "TP" = "thành phố")."""
    k0 = toks[i].key
    k1 = toks[i + 1].key if i + 1 < len(toks) else None
    if (k0, k1) == ("thị", "xã"):
        return "thị xã"
    if (k0, k1) == ("thành", "phố") or k0 == "tp":
        return "thành phố"
    return k0 if k0 in ("quận", "huyện", "tỉnh") else None


def _same_level(kb, targets: list[str], toks, i) -> list[str]:
    """The targets of the level written in the text ("quận Tân Phú" is not "huyện Tân Phú"),
    or all of them when none is written or none has it."""
    level = _written_level(toks, i)
    same = [t for t in targets if t in kb.entities and kb.entities[t].type == level]
    return same or targets


def _known_match(kb, toks, i, j, targets, date) -> Optional[Match]:
    targets = _same_level(kb, targets, toks, i)
    e = pick(kb, targets, date)
    if e is None:
        return None
    if e.kind == "country" and j - i > 1 and toks[i].key == "nước":
        i += 1  # "nước Đức": the word "nước" only tells that "Đức" is the country
    if e.kind == "district" and len({kb.entities[t].parent for t in targets}) > 1:
        # "huyện Châu Thành" exists in several provinces: typed, not linked (see link_bare)
        return Match(i, j, "LOC", "district", None, None, e.type)
    return Match(i, j, e.label, e.kind, e.id, e.name)


def _local_match(kb, text, toks, i, date) -> Optional[Match]:
    j, aliases = kb.prefixes.longest(text, toks, i)
    if not aliases or (i > 0 and toks[i - 1].key in GENERIC_BEFORE):
        return None
    p = kb.prefix_info[aliases[0].target]
    if j < len(toks) and text[toks[j - 1].end:toks[j].start] == " ":
        k, places = kb.names.longest(text, toks, j)
        targets = _same_level(kb, [a.target for a in places if a.target], toks, j) if places else []
        place = pick(kb, targets, date) if targets else None
        if place is not None and place.kind == "district" and len(
                {kb.entities[t].parent for t in targets}) > 1:
            # "UBND quận Tân Phú" with more than one such district: typed, not linked
            return Match(i, k, "ORG", p.kind, None, None)
        if place is not None and place.kind in ("province", "district") and (
                place.type in p.levels):
            return _local_entity(kb, p, place, i, k)
        k = _commune(text, toks, j)
        if k > j and "xã" in p.levels:
            return Match(i, k, "ORG", p.kind, None, None)  # communes are not in the knowledge
        k, lv = kb.levels.longest(text, toks, j)
        if lv and lv[0].target in p.levels:
            return Match(i, k, "ORG", p.kind, None, None, lv[0].target, p.id)
    if p.dept:  # a bare "Sở TT&TT": still a department, of the province or city the article implies
        return Match(i, j, "ORG", p.kind, None, None, "province", p.id)
    return None


def local_entity_id(p: Prefix, place: Entity) -> str:
    return "org:" + p.id + "-" + place.id.split(":", 1)[1]


def _local_entity(kb, p: Prefix, place: Entity, i: int, k: int) -> Match:
    eid = local_entity_id(p, place)
    if eid not in kb.entities:
        short = place.extra.get("short", place.name)
        where = f"{place.type} {short}" if p.with_level and place.type else short
        next_p, next_place = p, place
        ministry = kb.get(p.dept) if p.dept else None
        if ministry is not None and ministry.successor:
            next_p = kb.prefix_info.get(_dept_prefix(kb, ministry.successor), p)
        if place.successor:
            next_place = kb.entities[place.successor]
        succ = None
        if (next_p, next_place.id) != (p, place.id):
            succ = _local_entity(kb, next_p, next_place, 0, 0).entity_id
        kb.entities[eid] = Entity(eid, f"{p.name} {where}", "ORG", p.kind, place.valid_from,
                                  place.valid_to, succ, parent=place.id)
    e = kb.entities[eid]
    return Match(i, k, "ORG", e.kind, e.id, e.name)


def _dept_prefix(kb, ministry_id: str) -> Optional[str]:
    for pid, p in kb.prefix_info.items():
        if p.dept == ministry_id:
            return pid
    return None


def local_body_for(kb: Knowledge, head: str, place: Entity) -> Entity:
    """The entity "<prefix> <place>" (e.g. UBND + tỉnh Quảng Trị), created on demand."""
    m = _local_entity(kb, kb.prefix_info[head], place, 0, 0)
    return kb.entities[m.entity_id]


# --- officials: titles before a name, appositives after it, honorifics -----------------

class Person(NamedTuple):
    i: int  # name atoms [i, j)
    j: int
    title: Optional[tuple[int, int]]  # char offsets of the stated title, or None
    short: bool  # one-syllable mention ("Bộ trưởng Hùng"): needs a full name to link to
    weak: bool  # no family name / foreign title: kept only if the model agrees


def _plain_gap(text, toks, k) -> bool:
    """One space, or a hyphen/ampersand without spaces ("Ê-đê"); " - " separates phrases."""
    gap = text[toks[k - 1].end:toks[k].start]
    return gap == " " or gap in JOIN_PUNCT


def _title_stretch(text, toks, j, starts: dict, kb) -> list[tuple[str, int, int]]:
    """Atoms after a title phrase that belong to the title or to a name: known bodies,
    capitalised words, connectors; stops at punctuation, lower-case words or a new title.
    Right after a minister's title the ministry may come without "Bộ" ("Bộ trưởng Giao
    thông Vận tải")."""
    items, k, n = [], j, len(toks)
    if 0 < j < n and toks[j - 1].key == "trưởng" and _plain_gap(text, toks, j) and toks[j].cap:
        end, found = kb.ministry_short.longest(text, toks, j)
        if found and kb.get(found[0].target) is not None:
            items.append(("known", j, end))
            k = end
    while k < n and _plain_gap(text, toks, k):
        m = starts.get(k)
        if m is not None:
            items.append(("place" if _bare_place(toks, m) else "known", k, m.j))
            k = m.j
            continue
        if kb.titles.longest(text, toks, k)[1] and toks[k].cap and items:
            break
        if toks[k].cap:
            items.append(("cap", k, k + 1))
        elif toks[k].key in CONNECTORS and k + 1 < n and toks[k + 1].cap:
            items.append(("conn", k, k + 1))
        else:
            break
        k += 1
    return items


def _bare_place(toks, m: Match) -> bool:
    """A place name without a level word ("Hòa Bình"), which may also be a given name."""
    return m.label == "LOC" and all(t.cap and not t.abbr for t in toks[m.i:m.j])


def _name_run(toks, items) -> tuple[int, int]:
    """The trailing run of capitalised atoms (the candidate name). Place names count inside
    it ("Trương Hòa Bình") but not at its start ("Indonesia Jusuf Kalla")."""
    r1 = r0 = items[-1][2] if items else 0
    run = []
    for kind, a, b in reversed(items):
        if kind not in ("cap", "place") or toks[a].abbr or b != r0:
            break
        r0 = a
        run.append((kind, a, b))
    for kind, a, b in reversed(run):
        if kind != "place":
            break
        r0 = b
    return r0, r1


def find_persons(text: str, toks: list[Tok], known: list[Match],
                 kb: Optional[Knowledge] = None) -> list[Person]:
    kb = kb or load_knowledge()
    starts = {m.i: m for m in known}
    covered = set()  # atoms of known bodies; bare place names may be part of a name
    places = {}
    for m in known:
        if _bare_place(toks, m):
            places[m.i] = m.j
        else:
            covered.update(range(m.i, m.j))
    out: list[Person] = []
    n, i = len(toks), 0
    chain = None  # (start char, next atom) of nameless titles ending in a comma
    while i < n:
        j, titles = kb.titles.longest(text, toks, i)
        if titles and i not in covered:
            p = _after_title(text, toks, i, j, titles[0].target, starts, kb)
            joined = chain is not None and chain[1] == i
            if p is not None:
                if joined:  # "Ủy viên Bộ Chính trị, Bí thư Thành ủy X Nguyễn Văn A"
                    p = p._replace(title=(chain[0], p.title[1]))
                out.append(p)
                chain = None
                i = p.j
                continue
            items = _title_stretch(text, toks, j, starts, kb)
            end = items[-1][2] if items else j
            gap = text[toks[end - 1].end:toks[end].start].strip() if end < n else ""
            named = _name_after_comma(text, toks, end, covered, kb) if gap == "," else None
            if named is not None:  # "Chủ tịch LĐBĐ VN, Nguyễn Trọng Hỷ, ...", "Đại sứ X, ông Đinh Tích"
                out.append(Person(named[0], named[1], (chain[0] if joined else toks[i].start,
                                                       toks[end - 1].end), False, False))
                chain = None
                i = named[1]
                continue
            if gap == ",":
                chain = (chain[0] if joined else toks[i].start, end)
            elif gap == ":":  # "các Ủy viên Trung ương Đảng: A, B và C": the title is each one's
                listed = _listed_names(text, toks, end, covered, kb)
                title = (chain[0] if joined else toks[i].start, toks[end - 1].end)
                out.extend(Person(a, b, title, False, False) for a, b in listed)
                if listed:
                    chain = None
                    i = listed[-1][1]
                    continue
            i = j  # "Thủ tướng" inside "Phó Thủ tướng" is not a title of its own
            continue
        if toks[i].key in HONORIFICS or (i + 1 < n and (toks[i].key, toks[i + 1].key) == (
                "đồng", "chí")):
            k = i + (2 if toks[i].key == "đồng" else 1)
            p = _after_honorific(text, toks, k, covered, kb)
            if p is not None and places.get(p.i) == p.j:
                p = None  # "bà Rịa"-like: the run is a place
            if p is not None and not p.short:
                p = p._replace(title=_titles_after(text, toks, p.j, starts, kb))
            if p is not None:
                out.append(p)
                i = p.j
                continue
        p = _appositive(text, toks, i, starts, covered, kb)
        if p is not None and places.get(p.i) != p.j:  # "Hà Nội, Bộ trưởng ..." is no name
            out.append(p)
            i = p.j
            continue
        i += 1
    return out


def _name_after_comma(text, toks, k, covered, kb) -> Optional[tuple[int, int]]:
    """A full name at atom k (after an honorific, if any) that ends the clause: followed by
    ",", ".", ";" or the end of the text."""
    n = len(toks)
    if k < n and toks[k].key in HONORIFICS:
        k += 1
    if not (k < n and toks[k].cap and toks[k].key in kb.surnames and k not in covered):
        return None
    b = k + 1
    while b < n and b - k < 4 and toks[b].cap and _plain_gap(text, toks, b) and b not in covered:
        b += 1
    if b - k < 2:
        return None
    after = text[toks[b - 1].end:toks[b].start].strip() if b < n else "."
    return (k, b) if after[:1] in (",", ".", ";") else None


def _listed_names(text, toks, k, covered, kb) -> list[tuple[int, int]]:
    """Full names listed from atom k on ("Nguyễn Văn A, Trần B và Lê Thị C"): each starts with
    a family name, has 2-4 capitalised atoms and is followed by ",", ";", "và" or the end of the
    list; the first thing that is not such a name ends the list."""
    out, n = [], len(toks)
    while k < n and toks[k].key in kb.surnames and toks[k].cap and k not in covered:
        b = k + 1
        while b < n and b - k < 4 and toks[b].cap and _plain_gap(text, toks, b) and b not in covered:
            b += 1
        if b - k < 2:
            break
        out.append((k, b))
        if b >= n:
            break
        gap = text[toks[b - 1].end:toks[b].start].strip()
        if gap == "," and kb.titles.longest(text, toks, b)[1]:
            return []  # "A, Bí thư ...; B, Chủ nhiệm ...": each name has its own title
        if gap in (",", ";") and toks[b].cap:
            k = b
        elif gap == "" and toks[b].key == "và" and b + 1 < n:
            k = b + 1
        elif gap in (",", ";") and toks[b].key == "và" and b + 1 < n:
            k = b + 1
        else:
            break
    return out


def _after_title(text, toks, i, j, title, starts, kb) -> Optional[Person]:
    items = _title_stretch(text, toks, j, starts, kb)
    # "Bộ trưởng X của Bộ Y": a connector may follow the name, so try each piece in turn
    pieces, cur = [], []
    for it in items:
        if it[0] == "conn":
            pieces.append(cur)
            cur = []
        else:
            cur.append(it)
    pieces.append(cur)
    for piece in pieces:
        r0, r1 = _name_run(toks, piece)
        for size in (4, 3, 2):
            a = r1 - size
            if a >= r0 and toks[a].key in kb.surnames:
                return Person(a, r1, _title_chars(toks, i, a), False, False)
    # no family name: the first piece with a capitalised run ("HLV trưởng Masakuni Yamamoto
    # của Nhật Bản": the name comes before "của", the body after it)
    r0 = r1 = 0
    for piece in pieces:
        r0, r1 = _name_run(toks, piece)
        if r1 > r0:
            break
    if r1 - r0 == 0:
        return None
    foreign = kb.title_kind.get(title) in ("foreign", "sport")  # names of any origin follow these
    if r1 - r0 == 1:
        return Person(r0, r1, _title_chars(toks, i, r0), True, False)
    if r1 - r0 <= 4:
        return Person(r0, r1, _title_chars(toks, i, r0), False, not foreign)
    return None


def _title_chars(toks, i, name_start) -> tuple[int, int]:
    return toks[i].start, toks[name_start - 1].end


def _after_honorific(text, toks, k, covered, kb) -> Optional[Person]:
    if k >= len(toks) or kb.titles.longest(text, toks, k)[1]:
        return None  # "đồng chí Bộ trưởng X": the title branch reads it
    r = k
    while r < len(toks) and r - k < 4 and toks[r].cap and not toks[r].abbr and (
            r not in covered) and _plain_gap(text, toks, r):
        r += 1
    if r == k:
        return None
    if r - k == 1:
        return Person(k, r, None, True, False)
    return Person(k, r, None, False, toks[k].key not in kb.surnames)


def _appositive(text, toks, i, starts, covered, kb) -> Optional[Person]:
    """"Nguyễn Văn A, Bộ trưởng Bộ X, Chủ nhiệm Y": a name followed by its titles."""
    if toks[i].key not in kb.surnames or not toks[i].cap or i in covered:
        return None
    if i > 0 and toks[i - 1].cap and _plain_gap(text, toks, i):
        return None  # inside a longer capitalised run
    r = i + 1
    while r < len(toks) and r - i < 5 and toks[r].cap and not toks[r].abbr and (
            r not in covered) and _plain_gap(text, toks, r):
        r += 1
    if not 2 <= r - i <= 4 or r >= len(toks):
        return None
    title = _titles_after(text, toks, r, starts, kb)
    return Person(i, r, title, False, False) if title else None


def _titles_after(text, toks, r, starts, kb) -> Optional[tuple[int, int]]:
    """Char span of ", Title Body, Title Body" right after a name (atom r), or None."""
    t_start = t_end = None
    k = r
    while k < len(toks) and text[toks[k - 1].end:toks[k].start].strip() == ",":
        j, titles = kb.titles.longest(text, toks, k)
        if not titles or not toks[k].cap:
            break
        items = _title_stretch(text, toks, j, starts, kb)
        while items and items[-1][0] == "conn":
            items.pop()
        end = items[-1][2] if items else j
        t_start = toks[k].start if t_start is None else t_start
        t_end = toks[end - 1].end
        k = end
    return None if t_start is None else (t_start, t_end)


def entity_info(entity_id: str) -> Optional[dict]:
    """What the knowledge says about a linked entity: name, label, kind, period, successor
    (for the entity index and for following a ministry or province through reorganisations)."""
    kb = load_knowledge()
    e = kb.get(entity_id)
    if e is None:
        return None
    return {"id": e.id, "name": e.name, "label": e.label, "kind": e.kind,
            "valid_from": e.valid_from, "valid_to": e.valid_to, "successor": e.successor,
            "parent": e.parent}
