"""Linking from the article's own context, after every mention has its span and type.

- An acronym ("RIM", "LĐBĐ VN", "Vinashin" in "... (Vinashin)") takes the canonical and id of
  the full name it stands for in the same article: the name it follows in brackets, else the
  one full name whose initials it spells.
- A place the knowledge does not know is named without its generic word ("đảo Sumatra" ->
  "Sumatra", "bang Arizona" -> "Arizona"), as provinces and countries are.
- A bare district name ("Củ Chi") is the district of that name in a province the article
  names, when there is exactly one.
"""
from __future__ import annotations

import re
from typing import Optional

from vnnews_nlp.entities.knowledge import Knowledge
from vnnews_nlp.text.normalize import fold_key

# heads of what docs/entities.md says is not an entity: streets, roads, bridges, stations, airports
NOT_ENTITY_HEADS = frozenset({
    ("đường",), ("phố",), ("cầu",), ("quốc", "lộ"), ("tỉnh", "lộ"), ("đại", "lộ"), ("cao", "tốc"),
    ("sân", "bay"), ("ga",), ("nhà", "ga"), ("bến", "xe"), ("hẻm",), ("ngõ",), ("ngách",),
})
PLACE_GENERIC = ("thành phố", "quần đảo", "đảo", "bang", "tỉnh", "thủ đô", "vùng", "tiểu bang")
_LETTERS = re.compile(r"[^\W\d_]+")


def initials(name: str) -> str:
    """First letters of the name's words, upper case: "Liên đoàn Bóng đá Việt Nam" -> "LĐBĐVN"."""
    return "".join(w[0] for w in _LETTERS.findall(name)).upper()


def acronym_key(text: str) -> Optional[str]:
    """The letters of a mention written in capitals ("LĐBĐ VN" -> "LĐBĐVN"), else None."""
    letters = "".join(_LETTERS.findall(text))
    return letters if len(letters) >= 2 and letters.isupper() else None


def strip_generic(name: str) -> str:
    low = name.lower()
    for g in PLACE_GENERIC:
        rest = name[len(g) + 1:]
        if low.startswith(g + " ") and rest[:1].isupper():
            return rest
    return name


def _districts(kb: Knowledge) -> dict[tuple[str, str], list]:
    """(province id, folded short name) -> districts, built once per knowledge base (kept on
    it: a cache keyed by id() could outlive it)."""
    got = kb.__dict__.get("_districts")
    if got is None:
        got = kb.__dict__["_districts"] = {}
        for e in kb.entities.values():
            if e.kind == "district" and e.parent:
                got.setdefault((e.parent, fold_key(e.extra.get("short", ""))), []).append(e)
    return got


def not_entity(text: str, start: int, end: int, label: str) -> bool:
    """A street, road, bridge, station or airport ("đường Lê Duẩn", "cầu Nhật Tân", "Quốc lộ
    1A"), or a house address ("33 Nguyễn Thái Học"): the span or the words right before it."""
    before = text[max(0, start - 12):start]
    words = before.lower().split()
    span = text[start:end]
    inside = span.lower().split()
    for k in (1, 2):
        # a capitalised one-word head is part of a name: "Cầu Giấy" is a district, "Cầu Giẽ" a town
        if len(inside) > k and tuple(inside[:k]) in NOT_ENTITY_HEADS and (k == 2 or span[:1].islower()):
            return True
        if len(words) >= k and tuple(words[-k:]) in NOT_ENTITY_HEADS and before.endswith(" ") and (
                before.rstrip()[-1:].isalpha()) and text[start:start + 1].isupper() and (
                len(words) == k or words[-k - 1] not in ("điểm", "nhịp", "thành", "cửa")):  # "điểm cầu X", "thành phố X", "cửa ngõ X"
            return True
    # "33 Nguyễn Thái Học", "số 5 Lý Thường Kiệt": a house number, then a street's name
    if label not in ("PER", "LOC") or not words or not before.endswith(" "):
        return False
    num = words[-1]
    house = num.isdigit()  # not "12A" ("5G Việt Nam" is no address) nor "5/1/2020," (a date)
    return house and not (len(num) == 4 and num[:2] in ("19", "20"))  # "năm 2005 Nguyễn ..." is a year


_LEVELS = ("huyện", "quận", "thị xã")


def _place_named_by_the_article(text: str, f, kb: Knowledge, provinces: set[str], lower: list):
    """A "person" whose name the article itself gives as a district ("Triệu Phong mở lớp ..."
    where it also writes "huyện Triệu Phong") is that district. Only districts the knowledge
    knows by that name: wards and communes are often named after people ("phường Nguyễn Du")."""
    name = text[f.start:f.end]
    known = _districts_named(kb).get(fold_key(name), [])
    if not known:
        return f
    if not lower:
        lower.append(text.lower())  # once per article, and only when a name is a district's
    low = lower[0]
    for level in _LEVELS:
        if f"{level} {name}".lower() in low:
            hits = [d for d in known if d.parent in provinces]
            if len(hits) == 1:
                return f._replace(label="LOC", kind="district", canonical=hits[0].name, entity_id=hits[0].id)
            return f._replace(label="LOC", kind="district", canonical=f"{level} {name}", entity_id=None)
    return f


def _is_title(text: str, f, kb: Knowledge) -> bool:
    """A tagger span that is only a title ("TTK", "Tổng Thư ký") names no one."""
    from vnnews_nlp.entities.knowledge import fold, tokenize

    if f.label == "PER":
        return False
    first = _LETTERS.match(text, f.start)
    if first is None or fold(first.group()) not in kb.titles.trie:  # most spans: one dict look-up
        return False
    return tuple(t.key for t in tokenize(text[f.start:f.end])) in kb.titles.map


def _districts_named(kb: Knowledge) -> dict[str, list]:
    """Folded short name -> districts of any province, built once per knowledge base."""
    got = kb.__dict__.get("_districts_named")
    if got is None:
        got = kb.__dict__["_districts_named"] = {}
        for (_, k), ds in _districts(kb).items():
            got.setdefault(k, []).extend(ds)
    return got


def link_in_article(text: str, found: list, kb: Knowledge, provinces: set[str]) -> list:
    """`found`: the stage's Found tuples, in text order; returns them relinked."""
    out = [f for f in found if not not_entity(text, f.start, f.end, f.label) and not _is_title(text, f, kb)]
    lower: list = []
    out = [_place_named_by_the_article(text, f, kb, provinces, lower) if f.label == "PER" and not f.title else f
           for f in out]
    # acronyms defined in brackets right after a full name: "Research In Motion (RIM)"
    defined: dict[str, int] = {}
    for k in range(1, len(out)):
        f, g = out[k - 1], out[k]
        if (g.label == f.label == "ORG" and text[f.end:g.start].strip() == "("
                and text[g.end:g.end + 1] == ")" and " " in text[f.start:f.end]
                and " " not in text[g.start:g.end]):
            defined[fold_key(text[g.start:g.end])] = k - 1
        elif (g.label == f.label == "ORG" and text[f.end:g.start].strip() == "("
                and text[g.end:g.end + 1] == ")" and " " in text[g.start:g.end]
                and acronym_key(text[f.start:f.end])):  # "RIM (Research In Motion)"
            defined[fold_key(text[f.start:f.end])] = k
    by_initials: dict[str, set] = {}
    if any(f.label in ("ORG", "LOC") and not f.entity_id and acronym_key(text[f.start:f.end]) for f in out):
        for k, f in enumerate(out):
            if f.label in ("ORG", "LOC") and f.canonical and text.count(" ", f.start, f.end) >= 1:
                by_initials.setdefault(initials(text[f.start:f.end]), set()).add(k)
    for k, f in enumerate(out):
        if f.label not in ("ORG", "LOC") or f.entity_id:
            continue
        surface = text[f.start:f.end]
        src = defined.get(fold_key(surface))
        key = acronym_key(surface) if src is None else None
        if key is not None:
            cands = by_initials.get(key, set()) - {k}
            if len({(out[c].canonical, out[c].entity_id) for c in cands}) == 1:
                src = next(iter(cands))
        if src is not None and src != k and out[src].label == f.label:
            out[k] = f._replace(canonical=out[src].canonical, entity_id=out[src].entity_id,
                                kind=out[src].kind)
            continue
        if f.label == "LOC" and f.canonical:
            short = strip_generic(f.canonical)
            hits = [d for p in provinces for d in _districts(kb).get((p, fold_key(short)), [])]
            if short == f.canonical and len(hits) == 1:
                out[k] = f._replace(canonical=hits[0].name, entity_id=hits[0].id, kind="district")
            elif short != f.canonical:
                out[k] = f._replace(canonical=short)
    return out
