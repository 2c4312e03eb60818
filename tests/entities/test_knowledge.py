"""Knowledge data and the gazetteer matcher. All sentences are written for these tests."""
import re

import pytest
from hypothesis import given, settings, strategies as st

from vnnews_nlp.entities.knowledge import (
    find_known, find_persons, fold, load_knowledge, pick, slug, tokenize,
)

KB = load_knowledge()


def known(text, date=None):
    toks = tokenize(text)
    return [(text[toks[m.i].start:toks[m.j - 1].end], m) for m in find_known(text, toks, date)]


def ids(text, date=None):
    return [m.entity_id for _, m in known(text, date)]


def only_id(text, date=None):
    found = ids(text, date)
    assert len(found) == 1, (text, found)
    return found[0]


def test_fold_unifies_tone_placement_and_case_but_keeps_marks():
    assert fold("Hoà Bình") == fold("Hòa Bình") == fold("HOÀ BÌNH")
    assert fold("Thuỷ") == fold("thủy")
    assert fold("Lào") != fold("lao")


def test_slug():
    assert slug("Bộ Thông tin và Truyền thông") == "bo-thong-tin-va-truyen-thong"
    assert slug("Đắk Lắk") == "dak-lak"


@pytest.mark.parametrize("variants, expected", [
    (["Bộ TT&TT", "Bộ Thông tin và Truyền thông", "Bộ TT-TT", "Bộ TTTT"],
     "org:bo-thong-tin-va-truyen-thong"),
    (["Bộ GD&ĐT", "Bộ Giáo dục và Đào tạo", "Bộ GDĐT"], "org:bo-giao-duc-va-dao-tao"),
    (["Bộ LĐ-TB&XH", "Bộ Lao động - Thương binh và Xã hội", "Bộ LĐTBXH"],
     "org:bo-lao-dong-thuong-binh-va-xa-hoi"),
    (["Bộ NN&PTNT", "Bộ Nông nghiệp và Phát triển nông thôn"],
     "org:bo-nong-nghiep-va-phat-trien-nong-thon"),
    (["Bộ VH-TT&DL", "Bộ Văn hóa, Thể thao và Du lịch", "Bộ Văn hoá - Thể thao và Du lịch"],
     "org:bo-van-hoa-the-thao-va-du-lich"),
    (["TP.HCM", "TPHCM", "TP. Hồ Chí Minh", "Thành phố Hồ Chí Minh", "thành phố Hồ Chí Minh"],
     "loc:thanh-pho-ho-chi-minh"),
    (["Thừa Thiên-Huế", "Thừa Thiên Huế", "tỉnh Thừa Thiên - Huế"], "loc:tinh-thua-thien-hue"),
    (["Hoà Bình", "Hòa Bình", "tỉnh Hoà Bình"], "loc:tinh-hoa-binh"),
    (["UBND tỉnh Quảng Trị", "Ủy ban nhân dân tỉnh Quảng Trị", "Uỷ ban nhân dân tỉnh Quảng Trị"],
     "org:ubnd-tinh-quang-tri"),
    (["Sở TT&TT Quảng Trị", "Sở Thông tin và Truyền thông tỉnh Quảng Trị"],
     "org:so-thong-tin-va-truyen-thong-tinh-quang-tri"),
    (["HĐND thành phố Hà Nội", "Hội đồng nhân dân TP Hà Nội"], "org:hdnd-thanh-pho-ha-noi"),
])
def test_variants_link_to_one_entity(variants, expected):
    for v in variants:
        assert only_id(f"Hôm qua {v} đã họp.", "2019-05-02") == expected, v


def test_name_links_to_the_entity_it_named_at_the_time():
    old = only_id("Bộ Bưu chính, Viễn thông ký kết.", "2005-03-01")
    assert old == "org:bo-buu-chinh-vien-thong"
    e = KB.get("org:bo-buu-chinh-vien-thong")
    assert e.successor == "org:bo-thong-tin-va-truyen-thong"
    assert KB.get(e.successor).successor == "org:bo-khoa-hoc-va-cong-nghe"
    assert KB.get("org:bo-van-hoa-thong-tin").successor == "org:bo-van-hoa-the-thao-va-du-lich"
    assert KB.get("org:bo-ke-hoach-va-dau-tu").successor == "org:bo-tai-chinh"
    assert KB.get("org:bo-tai-nguyen-va-moi-truong").successor == "org:bo-nong-nghiep-va-moi-truong"


def test_province_before_and_after_the_2025_merger():
    assert only_id("Đoàn công tác đến tỉnh Quảng Bình.", "2019-06-01") == "loc:tinh-quang-binh"
    assert KB.get("loc:tinh-quang-binh").successor == "loc:tinh-quang-tri-2025"
    assert only_id("Đoàn công tác đến tỉnh Quảng Trị.", "2019-06-01") == "loc:tinh-quang-tri"
    assert only_id("Đoàn công tác đến tỉnh Quảng Trị.", "2025-08-20") == "loc:tinh-quang-tri-2025"
    # an unchanged unit keeps its id across the merger
    text = "Mưa lớn ở Nghệ An."
    assert only_id(text, "2025-08-20") == only_id(text, "2010-01-01") == "loc:tinh-nghe-an"
    # without a date a name keeps its older meaning (archives are mostly pre-2025)
    assert only_id("Đoàn công tác đến tỉnh Quảng Trị.") == "loc:tinh-quang-tri"


def test_unit_counts_and_mapping_are_complete():
    provinces = [e for e in KB.entities.values() if e.kind == "province"]
    assert len([e for e in provinces if e.valid_at("2020-01-01")]) == 63
    assert len([e for e in provinces if e.valid_at("2025-08-01")]) == 34
    for e in KB.entities.values():
        if e.successor:
            assert e.successor in KB.entities, e.id
        if e.kind == "province" and e.valid_to and e.valid_to >= "2025-06-11":
            assert KB.get(e.successor).valid_at("2025-08-01"), e.id


def test_every_ministry_alias_resolves_back():
    import json
    from vnnews_nlp.entities.knowledge import knowledge_dir
    for m in json.loads((knowledge_dir() / "ministries.json").read_text("utf-8")):
        for form in [m["name"]] + m["aliases"]:
            date = m.get("valid_from") or m.get("valid_to") or "2015-01-01"
            assert only_id(f"Theo {form} cho biết.", date) == m["id"], form


def test_districts_and_ambiguous_district_names():
    found = known("Lũ cuốn trôi cầu ở huyện Hải Lăng.")
    assert found[0][1].kind == "district"
    assert KB.get(found[0][1].entity_id).parent == "loc:tinh-quang-tri"
    [(text, m)] = known("Nông dân huyện Châu Thành thu hoạch lúa.")  # in several provinces
    assert (text, m.kind, m.entity_id) == ("huyện Châu Thành", "district", None)


def test_capitalisation_and_blocking_rules():
    assert ids("Xây dựng chính phủ điện tử và Chính phủ điện tử.") == []
    assert ids("Người lao động ở Lào Cai.") == ["loc:tinh-lao-cai"]
    assert ids("Anh ấy lao vào làm việc.") == []
    assert ids("Hàng xuất sang Lào tăng.") == ["loc:lao"]
    assert ids("Tổng doanh thu của VN tăng, vn thì không.") == ["loc:viet-nam"]


def test_generic_plural_body_is_not_an_entity():
    assert ids("Các Sở TT&TT và các UBND tỉnh phải báo cáo.") == []


def test_bare_local_body_is_typed_but_unlinked():
    [(text, m)] = known("Phó Chủ tịch UBND tỉnh phát biểu.")
    assert (text, m.label, m.kind, m.entity_id, m.level) == (
        "UBND tỉnh", "ORG", "peoples_committee", None, "tỉnh")


def test_pick_prefers_the_unit_valid_at_the_date():
    e = pick(KB, ["loc:tinh-quang-tri", "loc:tinh-quang-tri-2025"], "2025-07-01")
    assert e.id == "loc:tinh-quang-tri-2025"


def persons(text):
    toks = tokenize(text)
    out = []
    for p in find_persons(text, toks, find_known(text, toks)):
        out.append((text[toks[p.i].start:toks[p.j - 1].end],
                    text[p.title[0]:p.title[1]] if p.title else None, p.short))
    return out


def test_title_before_name_is_split_off():
    assert persons("Phó Thủ tướng Lê Minh Khoa thăm Cần Thơ.") == [
        ("Lê Minh Khoa", "Phó Thủ tướng", False)]
    assert persons("Bộ trưởng Bộ Y tế Đào Thu Trang trả lời.") == [
        ("Đào Thu Trang", "Bộ trưởng Bộ Y tế", False)]
    assert persons("Chủ tịch UBND tỉnh Nam Định Trần Văn Khải chủ trì.") == [
        ("Trần Văn Khải", "Chủ tịch UBND tỉnh Nam Định", False)]


def test_appositive_titles_after_a_name():
    text = ("Dự lễ có Võ Thành Long, Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy Bình Định; "
            "Hà Thị Mai, Phó Chủ tịch HĐND tỉnh Bình Định.")
    assert persons(text) == [
        ("Võ Thành Long", "Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy Bình Định", False),
        ("Hà Thị Mai", "Phó Chủ tịch HĐND tỉnh Bình Định", False)]


def test_title_alone_is_not_a_person():
    assert persons("Thủ tướng yêu cầu các bộ khẩn trương. Theo Bộ trưởng, việc này cần.") == []


def test_one_syllable_mentions_are_marked_short():
    assert persons("Sau đó ông Khải nói thêm.") == [("Khải", None, True)]


PIECES = list("aăâbcdđeêghiklmnoôơpqrstuưvxy AĂĐÊÔƠƯBTHQ,.&-\n") + [
    "Bộ ", "TT&TT ", "tỉnh ", "Quảng Trị ", "UBND ", "Hà Nội", "Thủ tướng ", "Nguyễn Văn ",
    ", Bộ trưởng ", "ông ", "đồng chí "]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join))
def test_matches_are_ordered_disjoint_and_on_atoms(text):
    toks = tokenize(text)
    assert [text[t.start:t.end] for t in toks] == re.findall(r"[\w\u0300-\u036f]+", text)
    ms = find_known(text, toks)
    for a, b in zip(ms, ms[1:]):
        assert a.j <= b.i
    for m in ms:
        assert 0 <= m.i < m.j <= len(toks)
        assert not re.search(r"\n", text[toks[m.i].start:toks[m.j - 1].end])
    for p in find_persons(text, toks, ms):
        # a title stands before the name ("Bộ trưởng X") or after it ("X, Bộ trưởng …"), never inside
        name = (toks[p.i].start, toks[p.j - 1].end)
        assert p.i < p.j and (p.title is None or p.title[1] <= name[0] or p.title[0] >= name[1])


def test_local_bodies_record_their_successors():
    sid = only_id("Sở TT&TT tỉnh Quảng Bình tổ chức hội thảo.", "2019-01-01")
    assert sid == "org:so-thong-tin-va-truyen-thong-tinh-quang-binh"
    succ = KB.get(sid).successor
    assert succ == "org:so-khoa-hoc-va-cong-nghe-tinh-quang-tri-2025"
    assert KB.get(succ).name == "Sở Khoa học và Công nghệ tỉnh Quảng Trị"
    assert KB.get("org:ubnd-tinh-quang-tri").successor in KB.entities


def test_descriptive_organisation_names_ending_in_a_place():
    found = known("Quỹ bảo trợ trẻ em khuyết tật Đồng Nai trao quà; Tổ chức cứu trợ "
                  "nông dân Hà Lan cũng tham gia.")
    assert [(t, m.label, m.entity_id) for t, m in found] == [
        ("Quỹ bảo trợ trẻ em khuyết tật Đồng Nai", "ORG", None),
        ("Tổ chức cứu trợ nông dân Hà Lan", "ORG", None)]
    # a clause between the head and the place is not a name
    found = known("Công ty xuất khẩu sang Nhật Bản nhiều lô hàng.")
    assert [(t, m.label) for t, m in found] == [("Nhật Bản", "LOC")]


def test_entity_info_follows_successors():
    from vnnews_nlp.entities.knowledge import entity_info
    chain, eid = [], "org:bo-buu-chinh-vien-thong"
    while eid:
        chain.append(eid)
        eid = entity_info(eid)["successor"]
    assert chain == ["org:bo-buu-chinh-vien-thong", "org:bo-thong-tin-va-truyen-thong",
                     "org:bo-khoa-hoc-va-cong-nghe"]
    assert entity_info("org:khong-co") is None


def test_titles_joined_by_commas_before_a_name():
    text = "Ủy viên Bộ Chính trị, Bí thư Thành ủy Hải Phòng Lê Quốc Bảo phát biểu."
    assert persons(text) == [
        ("Lê Quốc Bảo", "Ủy viên Bộ Chính trị, Bí thư Thành ủy Hải Phòng", False)]
    # a title followed by other words does not join the next one
    text = "Bộ trưởng phát biểu trước, Phó Thủ tướng Vương Đình Tâm nói sau."
    assert persons(text) == [("Vương Đình Tâm", "Phó Thủ tướng", False)]


@pytest.mark.parametrize("text, name, title", [
    ("Ông Trần Quốc Việt, Giám đốc Sở Tài chính tỉnh Gia Lai, cho biết thêm.",
     "Trần Quốc Việt", "Giám đốc Sở Tài chính tỉnh Gia Lai"),
    ("Chủ tịch nước Đỗ Hải Yến tiếp đoàn.", "Đỗ Hải Yến", "Chủ tịch nước"),
    ("Tổng Bí thư Phạm Quang Sáng gửi thư.", "Phạm Quang Sáng", "Tổng Bí thư"),
    ("Chủ nhiệm Ủy ban Kinh tế của Quốc hội Hà Văn Lộc trình bày.", "Hà Văn Lộc",
     "Chủ nhiệm Ủy ban Kinh tế của Quốc hội"),
    ("Bí thư Tỉnh ủy Lạng Sơn Hoàng Thị Mai dự.", "Hoàng Thị Mai", "Bí thư Tỉnh ủy Lạng Sơn"),
])
def test_common_official_titles(text, name, title):
    assert persons(text) == [(name, title, False)]

