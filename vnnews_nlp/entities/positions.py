"""Officials' positions: a title read as (role, organisation, qualifiers).

"Bộ trưởng Bộ TT&TT" -> Bộ trưởng of Bộ Thông tin và Truyền thông; "Phó Chủ tịch UBND tỉnh" in a
Quảng Trị article -> Phó Chủ tịch of Ủy ban nhân dân tỉnh Quảng Trị (the entity stage has already
linked the body inside the title from the article's context); "Thủ tướng" -> Thủ tướng of Chính
phủ (implied); "Ủy viên Trung ương Đảng, Bộ trưởng Bộ Y tế" -> two positions; "Thứ trưởng
Thường trực Bộ Quốc phòng" -> Thứ trưởng, qualifier "Thường trực".
"""
from __future__ import annotations

import re
from typing import Optional

from vnnews_nlp.doc import Position
from vnnews_nlp.entities.knowledge import CLAUSE_WORDS, expand_abbreviations

# role words, longest first when matched; abbreviations written out
ROLES = sorted("""Chủ tịch nước|Phó Chủ tịch nước|Tổng Bí thư|Thủ tướng|Phó Thủ tướng|Bộ trưởng|Thứ trưởng|
    Chủ tịch|Phó Chủ tịch|Bí thư|Phó Bí thư|Ủy viên|Chủ nhiệm|Phó Chủ nhiệm|Trưởng ban|Phó Trưởng ban|
    Chánh án|Phó Chánh án|Viện trưởng|Phó Viện trưởng|Tổng thống|Phó Tổng thống|Đại sứ|Tổng Giám đốc|
    Phó Tổng Giám đốc|Giám đốc|Phó Giám đốc|Tổng cục trưởng|Phó Tổng cục trưởng|Cục trưởng|
    Phó Cục trưởng|Vụ trưởng|Phó Vụ trưởng|Chánh Văn phòng|Phó Chánh Văn phòng|Chánh Thanh tra|
    Tổng Thanh tra|Thống đốc|Phó Thống đốc|Tổng Thư ký|Phó Tổng Thư ký|Tổng tham mưu trưởng|
    Tư lệnh|Phó Tư lệnh|Chính ủy|Tổng Kiểm toán|Hiệu trưởng|Phó Hiệu trưởng|Trưởng phòng|
    Phó Trưởng phòng|Tổng biên tập|Phó Tổng biên tập|Thủ trưởng|Phó Thủ trưởng|Người phát ngôn|
    Phát ngôn viên|Huấn luyện viên trưởng|Giám đốc kỹ thuật|Chủ tịch danh dự|Chủ tịch HĐQT|
    Thủ hiến|Quốc vương|Nữ hoàng|Giáo hoàng|Trưởng đoàn|Trưởng đại diện""".replace("\n", "").split("|"),
               key=len, reverse=True)
ROLES = [" ".join(r.split()) for r in ROLES]
ABBREVIATED = {"ttk": "Tổng Thư ký", "hlv trưởng": "Huấn luyện viên trưởng", "hlv": "Huấn luyện viên",
               "tgđ": "Tổng Giám đốc", "chủ tịch hđqt": "Chủ tịch Hội đồng quản trị"}
_BEFORE_ROLE = re.compile(r"(?i)(nguyên|quyền)\s+")  # "nguyên Bộ trưởng": former; "quyền": acting
_AFTER_ROLE = re.compile(r"(?i)\s+(thường trực|thường vụ|dự khuyết)(?!\w)")
# a role that names its body by itself
IMPLIED = {"Thủ tướng": ("org:chinh-phu", "Chính phủ"), "Phó Thủ tướng": ("org:chinh-phu", "Chính phủ"),
           "Tổng Bí thư": ("org:ban-chap-hanh-trung-uong-dang", "Ban Chấp hành Trung ương Đảng")}
_SPLIT = re.compile(r"\s*(?:,|;| kiêm | [-–] )\s*")
_ROLE_RE = re.compile(r"(?i)(?:" + "|".join(re.escape(r).replace(r"\ ", r"\s+") for r in ROLES)
                      + "|" + "|".join(re.escape(a).replace(r"\ ", r"\s+") for a in
                                       sorted(ABBREVIATED, key=len, reverse=True)) + r")(?!\w)")


def parse_title(text: str, start: int, end: int, bodies: list, kb=None) -> list[Position]:
    """Positions in `text[start:end]`, a title; `bodies`: (start, end, entity_id, canonical) of
    the organisations and places the entity stage found, linked from the article's context.
    With `kb`, a body the stage did not find whole is read from the title's own words when they
    start with a body's head noun ("Cơ quan Cảnh sát điều tra Công an tỉnh Hà Tây", "báo Thể thao
    Việt Nam", "Ủy ban Kinh tế Thượng Hải")."""
    return [p for p, _ in _parse(text, start, end, bodies, kb)]


def _parse(text: str, start: int, end: int, bodies: list, kb=None) -> list[tuple[Position, Optional[str]]]:
    """(position, head noun of a body the title only points at: "của hiệp hội", "Cục trưởng")."""
    out: list[tuple[Position, Optional[str]]] = []
    pos = start
    for piece in _SPLIT.split(text[start:end]):
        a = text.find(piece, pos)
        if a < 0 or not piece:
            continue
        b = a + len(piece)
        pos = b
        qual, k = [], 0
        lead = _BEFORE_ROLE.match(piece)
        if lead:
            qual.append(lead.group(1).lower())
            k = lead.end()
        m = _ROLE_RE.match(piece, k)
        if m is None:
            continue
        role = _normal_role(m.group(0))
        k = m.end()
        after = _AFTER_ROLE.match(piece, k)
        if after:  # "Thứ trưởng Thường trực": a kind of the role, not part of the body's name
            qual.append(after.group(1)[0].upper() + after.group(1)[1:].lower())
            k = after.end()
        body, head = _body(text, a + k, b, bodies, kb)
        if body is None and head is None and kb is not None and a + k == b:
            head = kb.role_heads.get(role.lower())  # "Cục trưởng" alone: the article's Cục
        out.append((Position(role, body[0] if body else None, body[1] if body else None, tuple(qual)), head))
    return out


_REST = re.compile(r"(?i)\s*(?:(?:của|thuộc)\s+)?")
_WHERE = re.compile(r"(?i)\s+(?:tại|ở)\s")  # "Đại sứ Việt Nam tại Philippines": posted there
_BRACKETS = re.compile(r"\s*\([^()]*\)\s*$")


def _body(text: str, ra: int, rb: int, bodies: list, kb) -> tuple[Optional[tuple], Optional[str]]:
    """The body a title names in `text[ra:rb]` (after the role): an entity the stage found that
    is all of it, else the words themselves when they start with a body's head noun, else the
    first entity inside; and the head noun when the words are that noun alone ("hiệp hội")."""
    ra = _REST.match(text, ra, rb).end()
    where = _WHERE.search(text, ra, rb)
    named = next((x for x in bodies if x[0] == ra and where and x[1] > where.start()), None)
    if named is not None:  # "Ủy ban Quản lý vốn Nhà nước tại doanh nghiệp" is one name
        return (named[2], named[3] if named[2] else named[3][:1].upper() + named[3][1:]), None
    rb = where.start() if where else rb
    br = _BRACKETS.search(text, ra, rb)
    rb = br.start() if br and br.start() > ra else rb
    while rb > ra and text[rb - 1] in " -–":
        rb -= 1
    inside = [x for x in bodies if ra <= x[0] and x[1] <= rb + (len(br.group(0)) if br else 0)]
    whole = next((x for x in inside if x[0] == ra and x[1] >= rb), None)
    if whole is not None:  # an unknown body's name as a name: "báo Thể thao Việt Nam" -> "Báo …"
        return (whole[2], whole[3] if whole[2] else whole[3][:1].upper() + whole[3][1:]), None
    head = _head_at(text, ra, rb, kb)
    if head is not None:
        if ra + len(head) >= rb:
            return None, head
        words = expand_abbreviations(kb, " ".join(text[ra:rb].split()))
        return (None, words[0].upper() + words[1:]), None
    return ((inside[0][2], inside[0][3]) if inside else None), None


def _head_at(text: str, a: int, b: int, kb) -> Optional[str]:
    """The body head noun `text[a:b]` starts with, in any case ("báo", "Cơ quan"), or None."""
    if kb is None:
        return None
    low = text[a:b].lower()
    for h in kb.body_heads:
        if low.startswith(h.lower()) and (a + len(h) == b or not text[a + len(h)].isalnum()):
            return h
    return None


def _normal_role(found: str) -> str:
    key = " ".join(found.split())
    if key.lower() in ABBREVIATED:
        return ABBREVIATED[key.lower()]
    return next((r for r in ROLES if r.lower() == key.lower()), key)


def positions_of(text: str, title_span: Optional[tuple[int, int]], found: list,
                 person: Optional[tuple[int, int]] = None, kb=None) -> list[Position]:
    """The positions of one person's title; `found`: the stage's final entities; `person`: the
    name's span, for a body named after it ("HLV trưởng Yamamoto của Jubilo Iwata") and for
    posts in an appositive after a name whose title stands before it ("Thủ tướng Tây Ban Nha
    Zapatero, Chủ tịch danh dự của hiệp hội,")."""
    if not title_span:
        return []
    out = _positions_in(text, title_span, found, kb)
    if person and out and out[-1].organisation is None and title_span[1] <= person[0]:
        after = re.match(r"\s+(?:của|thuộc)\s+", text[person[1]:person[1] + 12])
        if after:
            at = person[1] + after.end()
            body = next((f for f in found if f.start == at and f.label in ("ORG", "LOC")), None)
            name = (body.entity_id, body.canonical or text[body.start:body.end]) if body else None
            if name is None:  # a body the tagger took for something else: its capitalised words
                run = _cap_run(text, at)
                name = (None, run) if run else None
            if name is not None:
                last = out[-1]
                out[-1] = Position(last.role, name[0], name[1], last.qualifiers)
    if person and title_span[1] <= person[0] and kb is not None:
        extra = title_after(text, person[1], found, kb)
        if extra and text[extra[1]:extra[1] + 1] == ",":  # "A, B, Đại sứ X đã đến" is another person
            out += _positions_in(text, extra, found, kb)
    return out


def _positions_in(text: str, span: tuple[int, int], found: list, kb) -> list[Position]:
    s, e = span
    bodies = [(f.start, f.end, f.entity_id, f.canonical or text[f.start:f.end]) for f in found
              if f.label in ("ORG", "LOC") and s <= f.start and f.end <= e]
    out = []
    for p, head in _parse(text, s, e, bodies, kb):
        if p.organisation is None and head is not None:
            body = _first_with_head(text, found, head)
            if body is not None:
                p = Position(p.role, body[0], body[1], p.qualifiers)
        out.append(p)
    return out


def _cap_run(text: str, at: int) -> Optional[str]:
    """The capitalised words from `at` (at most five, one space apart): "Jubilo Iwata"."""
    words = []
    for m in _WORD.finditer(text, at):
        if m.start() != at or not m.group(0)[0].isupper() or len(words) == 5:
            break
        words.append(m.group(0))
        at = m.end() + 1 if text[m.end():m.end() + 1] == " " else -1
    return " ".join(words) or None


_WORD = re.compile(r"\w[\w-]*")


def _first_with_head(text: str, found: list, head: str) -> Optional[tuple]:
    """The article's first named body with this head noun ("Cục Quản lý dược" for "Cục"): the
    one a bare "Cục" or "của hiệp hội" refers back to."""
    h = head.lower()
    for f in found:
        name = text[f.start:f.end]
        if f.label == "ORG" and name.lower().startswith(h + " "):
            return f.entity_id, f.canonical or name
    return None


# --- titles the name finder left short or missed, read again with the final entities ------

# words that end a body written in lower case: a clause goes on ("cho biết", "cũng", "đã")
_ENDS_BODY = frozenset(CLAUSE_WORDS - {"và", "của"}) | {"hôm", "ngày", "năm", "vừa", "mới", "phát", "nhấn",
                                                      "khẳng", "tuyên", "trả", "bình", "chính"}
_DASHED = re.compile(r" [-–] ([^-–,.;:\n]{2,60}?) [-–](?=\s)")
_GAP = re.compile(r"\s*(?:,\s*|\s)")


def _body_end(text: str, k: int, found: list, kb) -> Optional[int]:
    """End of the body named at `k` (after "của"/"thuộc", if any): entities the stage found,
    one space apart ("Cơ quan Cảnh sát điều tra" + "Công an tỉnh Hà Tây"), or words from a
    body's head noun up to the last capitalised word before the clause goes on ("viện nghiên
    cứu bảo mật và Internet SANS"); None when no body is named there."""
    k = _REST.match(text, k).end()
    starts = {f.start: f for f in found if f.label in ("ORG", "LOC")}
    end = None
    head = _head_at(text, k, len(text), kb)
    if head is not None and k not in starts:  # "Cơ quan Cảnh sát điều tra Công an ...": words, then entities
        last_cap, n, at = k + len(head), 0, k + len(head)
        for m in _WORD.finditer(text, at):
            gap = text[at:m.start()]
            if gap != " " or n >= 14 or m.group(0) in _ENDS_BODY or m.start() in starts:
                if gap == " " and m.start() in starts:
                    last_cap = m.start() - 1
                break
            n += 1
            at = m.end()
            if m.group(0)[0].isupper() or m.group(0)[0].isdigit():
                last_cap = at
        end = last_cap
        k = end + 1 if text[end:end + 1] == " " and (end + 1) in starts else None
        if k is None:
            return end
    while k in starts:
        end = starts[k].end
        k = end + 1 if text[end:end + 1] == " " else -1
    return end


def title_after(text: str, r: int, found: list, kb) -> Optional[tuple[int, int]]:
    """A title right after a name (char `r`): ", Phó giám đốc Sở Công An Bắc Kinh,", ", giám đốc
    của viện nghiên cứu … SANS", or without the comma when "của" names the body ("Roger Cummings
    giám đốc của Trung tâm …"). A role with no body counts only before a comma or full stop."""
    g = _GAP.match(text, r)
    if g is None or kb is None:
        return None
    comma = "," in g.group(0)
    k = g.end()
    lead = _BEFORE_ROLE.match(text, k)
    m = _ROLE_RE.match(text, lead.end() if lead else k)
    if m is None or (m.start() > 0 and text[m.start() - 1].isalnum()):
        return None
    e = m.end()
    after = _AFTER_ROLE.match(text, e)
    e = after.end() if after else e
    of = re.match(r"\s+(?:của|thuộc)\s+", text[e:e + 12])
    body = _body_end(text, e + 1, found, kb) if text[e:e + 1] == " " else None
    if body is not None:
        if comma or of:
            return k, body
        return None
    if comma and re.match(r"\s*(?:[,.;]|$)", text[e:e + 2]):
        return k, e
    return None


def title_before(text: str, s: int, found: list, kb) -> Optional[tuple[int, int]]:
    """A role and its body right before a name (char `s`) that the name finder did not read
    as a title because the body has words in lower case: "Phó thủ trưởng Cơ quan Cảnh sát điều
    tra Công an tỉnh Hà Tây Lê Minh Tiến"."""
    if kb is None:
        return None
    ends = {f.end: f for f in found if f.label in ("ORG", "LOC")}
    b = ends.get(s - 1) if text[s - 1:s] == " " else None
    if b is None:
        return None
    first = b.start
    while text[first - 1:first] == " " and (first - 1) in ends:
        first = ends[first - 1].start
    clause = max(text.rfind(c, max(0, first - 120), first) for c in ",.;:!?()\n\"“”") + 1
    best = None
    for m in _ROLE_RE.finditer(text, clause, first):
        if m.start() > 0 and text[m.start() - 1].isalnum():
            continue
        e = m.end()
        after = _AFTER_ROLE.match(text, e)
        e = after.end() if after else e
        between = text[e:first]
        if between.strip() == "" or (between[:1] == " " and _body_end(text, e + 1, found, kb) == b.end):
            lead = re.search(r"(?i)(?:nguyên|quyền)\s+$", text[clause:m.start()])
            best = (clause + lead.start() if lead else m.start(), b.end)
    return best


def complete_titles(text: str, found: list, kb) -> list:
    """Persons' titles read again with the final entities: a title after a name runs on over
    the body named right after it ("Tổng biên tập" + " báo Thể thao Việt Nam"); a person
    without a title gets the role and body written right before or after the name."""
    out = []
    for f in found:
        if f.label == "PER" and f.title_span is None:
            t = title_before(text, f.start, found, kb) or title_after(text, f.end, found, kb)
            if t is not None:
                f = f._replace(title=text[t[0]:t[1]], title_span=t)
        elif f.label == "PER" and f.title_span[0] >= f.end and text[f.title_span[1]:f.title_span[1] + 1] == " ":
            e = _body_end(text, f.title_span[1] + 1, found, kb)
            if e is not None and e > f.title_span[1]:
                t = (f.title_span[0], e)
                f = f._replace(title=text[t[0]:t[1]], title_span=t)
        if f.label == "PER" and f.title_span is not None and f.title_span[0] >= f.end:
            dash = _DASHED.match(text, f.title_span[1])  # ", Tổng biên tập báo X - Trưởng ban tổ chức -"
            if dash and _ROLE_RE.match(dash.group(1)):
                t = (f.title_span[0], dash.end(1))
                f = f._replace(title=text[t[0]:t[1]], title_span=t)
        out.append(f)
    return out


def fill_from_article(by_person: dict[str, list[list[Position]]]) -> dict[str, list[list[Position]]]:
    """A bare role ("Bộ trưởng Hùng") takes the body the same person's full title gave it
    elsewhere in the article, when that role had exactly one body there."""
    out = {}
    for person, lists in by_person.items():
        bodies: dict[str, set] = {}
        for ps in lists:
            for p in ps:
                if p.organisation is not None:
                    bodies.setdefault(p.role, set()).add((p.organisation_id, p.organisation))
        for role, body in IMPLIED.items():  # "Thủ tướng" alone is the Government's, unless the
            bodies.setdefault(role, {body})  # article names another ("Thủ tướng Tây Ban Nha")
        out[person] = [[Position(p.role, *next(iter(bodies[p.role])), p.qualifiers)
                        if p.organisation is None and len(bodies.get(p.role, ())) == 1 else p for p in ps]
                       for ps in lists]
    return out


_LISTED = re.compile(r"\s*(?:,\s*(?:và\s+)?|\s+và\s+)")


def fill_from_list(text: str, persons: list[tuple[tuple[int, int], Optional[tuple[int, int]], list[Position]]]
                   ) -> list[list[Position]]:
    """A bare role listed right after another official whose title names a body ("Chủ tịch
    LĐBĐVN Nguyễn Trọng Hỷ, TTK Trần Quốc Tuấn", "Bộ trưởng Bộ Y tế A và Thứ trưởng B") is a
    post in that body. `persons`: (name span, title span, positions) in document order."""
    out = []
    prev = None  # (end of the previous person and its title, its last body)
    for (s, e), title, ps in persons:
        if ps and title and title[1] <= s and prev is not None:
            gap = _LISTED.fullmatch(text, prev[0], title[0])
            if gap and all(p.organisation is None and p.role not in IMPLIED for p in ps):
                ps = [Position(p.role, prev[1][0], prev[1][1], p.qualifiers) for p in ps]
        out.append(ps)
        body = next(((p.organisation_id, p.organisation) for p in reversed(ps) if p.organisation), None)
        end = max(e, title[1]) if title else e
        prev = (end, body) if body else None
    return out
