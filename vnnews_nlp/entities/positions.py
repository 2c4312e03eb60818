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
_SPLIT = re.compile(r"\s*(?:,|;| kiêm )\s*")
_ROLE_RE = re.compile(r"(?i)(?:" + "|".join(re.escape(r).replace(r"\ ", r"\s+") for r in ROLES)
                      + "|" + "|".join(re.escape(a).replace(r"\ ", r"\s+") for a in
                                       sorted(ABBREVIATED, key=len, reverse=True)) + r")(?!\w)")


def parse_title(text: str, start: int, end: int, bodies: list) -> list[Position]:
    """Positions in `text[start:end]`, a title; `bodies`: (start, end, entity_id, canonical) of
    the organisations and places the entity stage found, linked from the article's context."""
    out: list[Position] = []
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
        after = _AFTER_ROLE.match(piece, m.end())
        if after:  # "Thứ trưởng Thường trực": a kind of the role, not part of the body's name
            qual.append(after.group(1)[0].upper() + after.group(1)[1:].lower())
        body = next(((eid, name) for s, e, eid, name in bodies if a <= s and e <= b), None)
        out.append(Position(role, body[0] if body else None, body[1] if body else None, tuple(qual)))
    return out


def _normal_role(found: str) -> str:
    key = " ".join(found.split())
    if key.lower() in ABBREVIATED:
        return ABBREVIATED[key.lower()]
    return next((r for r in ROLES if r.lower() == key.lower()), key)


def positions_of(text: str, title_span: Optional[tuple[int, int]], found: list,
                 person: Optional[tuple[int, int]] = None) -> list[Position]:
    """The positions of one person's title; `found`: the stage's final entities; `person`: the
    name's span, for a body named after it ("HLV trưởng Yamamoto của Jubilo Iwata")."""
    if not title_span:
        return []
    s, e = title_span
    bodies = [(f.start, f.end, f.entity_id, f.canonical or text[f.start:f.end]) for f in found
              if f.label in ("ORG", "LOC") and s <= f.start and f.end <= e]
    out = parse_title(text, s, e, bodies)
    if person and out and out[-1].organisation is None:
        after = re.match(r"\s+(?:của|thuộc)\s+", text[person[1]:person[1] + 12])
        if after:
            at = person[1] + after.end()
            body = next((f for f in found if f.start == at and f.label in ("ORG", "LOC")), None)
            if body is not None:
                last = out[-1]
                out[-1] = Position(last.role, body.entity_id, body.canonical or text[body.start:body.end],
                                   last.qualifiers)
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
