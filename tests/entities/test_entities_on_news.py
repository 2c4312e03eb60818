import pytest
"""Regression tests for entity errors found and fixed while working on issue 3.
Sentences are written for these tests."""
from vnnews_nlp.entities.component import find_entities
from vnnews_nlp.entities.knowledge import load_knowledge

pytestmark = pytest.mark.issue(3)


def spans(text, label=None):
    return [(text[f.start:f.end], f.label, f.entity_id, f.title)
            for f in find_entities(text) if label is None or f.label == label]


def test_honorific_before_a_title_is_not_a_one_syllable_person():
    # "đồng chí" + "Ủy viên ..." once produced a person named "Ủy"
    text = "Dự họp có các đồng chí Ủy viên Bộ Chính trị: Lê Văn Tâm, Bí thư Thành ủy Hà Nội."
    assert spans(text, "PER") == [("Lê Văn Tâm", "PER", "per:le-van-tam",
                                   "Bí thư Thành ủy Hà Nội")]


def test_country_span_does_not_take_the_word_nuoc():
    assert spans("Xây dựng nước Việt Nam giàu mạnh.") == [
        ("Việt Nam", "LOC", "loc:viet-nam", None)]


def test_local_body_successor_exists():
    # successors of prefix + place bodies used to name ids that were never created
    find_entities("UBND tỉnh Bạc Liêu họp.")
    kb = load_knowledge()
    succ = kb.get("org:ubnd-tinh-bac-lieu").successor
    assert succ == "org:ubnd-tinh-ca-mau-2025" and succ in kb.entities


def test_title_survives_a_connector_after_the_name():
    # "Bộ trưởng X của Bộ Y" lost the title because the name was not at the end
    text = "Bộ trưởng Đinh Quang Vinh của Bộ Xây dựng đi thị sát."
    assert spans(text, "PER") == [("Đinh Quang Vinh", "PER", "per:dinh-quang-vinh",
                                   "Bộ trưởng")]


def test_date_stated_in_the_article_is_used_without_metadata():
    # find_entities() without a date used to link as if the article were pre-2025
    text = "Ngày 20/7/2025, tỉnh Quảng Trị tổ chức hội nghị."
    assert spans(text)[0][2] == "loc:tinh-quang-tri-2025"


def test_spaced_hyphen_ends_a_name():
    # "Bùi Bá Mạnh - Phó ..." once gave the person "Bùi Bá Mạnh - Phó"
    text = "Ông Cao Đức Lộc - Phó Giám đốc Sở Y tế cho biết."
    assert spans(text, "PER")[0][0] == "Cao Đức Lộc"


def test_foreign_government_is_not_linked_to_vietnams():
    # "Chính phủ Phần Lan" was linked to org:chinh-phu
    assert spans("Dự án dùng vốn của Chính phủ Thụy Điển và Bộ Ngoại giao Nhật Bản.") == [
        ("Chính phủ", "ORG", None, None), ("Thụy Điển", "LOC", "loc:thuy-dien", None),
        ("Bộ Ngoại giao Nhật Bản", "ORG", None, None)]
    assert spans("Chính phủ Việt Nam ban hành nghị định.") == [
        ("Chính phủ", "ORG", "org:chinh-phu", None), ("Việt Nam", "LOC", "loc:viet-nam", None)]


def test_provincial_court_is_a_local_body():
    # "TAND tỉnh Tiền Giang" gave only the province
    assert spans("TAND tỉnh Long An xét xử vụ án.") == [
        ("TAND tỉnh Long An", "ORG", "org:toa-an-nhan-dan-tinh-long-an", None)]


def test_common_words_starting_with_an_org_head_do_not_open_an_org():
    # "Hội thảo ... Quảng Nam" was read as an organisation named after the province
    text = "Hội thảo cũng kiến nghị tỉnh Quảng Nam sớm hành động; Đại học Harvard, Mỹ góp ý."
    assert [s[:2] for s in spans(text)] == [("tỉnh Quảng Nam", "LOC"), ("Mỹ", "LOC")]


def test_country_word_ending_a_name_does_not_block_the_person():
    # "bà Lê Thị Nga" gave the person "Lê Thị" and the country "Nga"
    text = "Chiều nay bà Lê Thị Nga, Phó Chủ tịch UBND tỉnh Hà Nam, đi kiểm tra đê."
    assert spans(text, "PER") == [("Lê Thị Nga", "PER", "per:le-thi-nga",
                                   "Phó Chủ tịch UBND tỉnh Hà Nam")]


def test_ministry_followed_by_viet_nam_is_one_linked_span():
    assert spans("Bộ Y tế Việt Nam khuyến cáo người dân.") == [
        ("Bộ Y tế Việt Nam", "ORG", "org:bo-y-te", None)]


def test_commune_level_bodies_and_places():
    # "UBND phường Trung Đô" stopped at "UBND phường"
    text = "UBND phường Hòa Khánh và xã Tân Lập báo cáo."
    assert [s[:3] for s in spans(text)] == [("UBND phường Hòa Khánh", "ORG", None),
                                            ("xã Tân Lập", "LOC", None)]


def test_district_named_with_a_later_or_earlier_level_word():
    # "huyện An Dương" was missed because the unit is now "quận An Dương"
    assert spans("Ngày 3/4/2018, UBND huyện An Dương họp.")[0][:3] == (
        "UBND huyện An Dương", "ORG", "org:ubnd-quan-an-duong-hai-phong")
    assert spans("Tại Tp. Bắc Giang trời mưa.")[0][:3] == (
        "Tp. Bắc Giang", "LOC", "loc:thanh-pho-bac-giang-bac-giang")


def test_given_name_that_is_a_province_name():
    # "Phó Thủ tướng Thường trực Trương Hòa Bình" gave the person "Thường" and LOC "Hòa Bình"
    text = "Phó Thủ tướng Thường trực Trương Hòa Bình tiếp đoàn. Ông Lê Thái Bình dự."
    assert spans(text, "PER") == [
        ("Trương Hòa Bình", "PER", "per:truong-hoa-binh", "Phó Thủ tướng Thường trực"),
        ("Lê Thái Bình", "PER", "per:le-thai-binh", None)]


def test_place_before_a_foreign_name_is_part_of_the_title():
    text = "Phó Tổng thống Peru Luis Vargas đến Hà Nội."
    assert spans(text, "PER") == [("Luis Vargas", "PER", "per:luis-vargas", "Phó Tổng thống Peru")]


def test_place_is_not_taken_for_a_name_before_a_title():
    assert spans("Tại Hà Nội, Bộ trưởng Bộ Y tế làm việc.", "PER") == []


def test_one_word_after_a_title_is_not_a_person_without_the_model():
    # "Trưởng phòng Giáo dục ..." gave the person "Giáo"
    assert spans("Trưởng phòng Giáo dục huyện cho biết.", "PER") == []


def test_bo_is_not_joined_across_a_comma():
    # "Bộ, Vụ Báo chí ..." : the model's ORG was extended back over "Bộ, "
    from vnnews_nlp.entities.component import find_entities as fe
    text = "Lãnh đạo Bộ, Vụ Pháp chế cùng dự."
    s = text.index("Vụ Pháp chế")
    found = fe(text, None, [(s, s + len("Vụ Pháp chế"), "ORG")])
    assert [(text[f.start:f.end], f.label) for f in found] == [("Vụ Pháp chế", "ORG")]


def test_model_boundaries_kept_for_initials():
    # "Nguyễn Văn Q." lost its final dot (the span was cut to letters)
    text = "Đối tượng là Nguyễn Văn Q. (SN 1980)."
    s = text.index("Nguyễn")
    found = find_entities(text, None, [(s, s + len("Nguyễn Văn Q."), "PER")])
    assert [text[f.start:f.end] for f in found] == ["Nguyễn Văn Q."]


def test_model_span_starting_with_a_digit_does_not_swallow_a_country():
    # the model's ORG "5G Việt Nam" replaced the country
    text = "Sản xuất thiết bị 5G Việt Nam."
    s = text.index("5G")
    found = find_entities(text, None, [(s, len(text) - 1, "ORG")])
    assert [(text[f.start:f.end], f.label) for f in found] == [("Việt Nam", "LOC")]


def test_model_span_with_a_title_or_trailing_word_does_not_replace_a_known_body():
    # model ORGs "Ủy viên Trung ương Đảng" and "Bộ TT&TT giỏi" replaced the known bodies
    text = "Ông là Ủy viên Trung ương Đảng. Muốn cho Bộ TT&TT giỏi lên thì phải làm."
    a, b = text.index("Ủy viên"), text.index("Bộ TT&TT")
    spans_in = [(a, text.index("."), "ORG"), (b, b + len("Bộ TT&TT giỏi"), "ORG")]
    found = [(text[f.start:f.end], f.entity_id) for f in find_entities(text, None, spans_in)]
    assert found == [("Trung ương Đảng", "org:ban-chap-hanh-trung-uong-dang"),
                     ("Bộ TT&TT", "org:bo-thong-tin-va-truyen-thong")]
    # a name-like tail still makes the model's span the name
    text = "Cầu thủ của Hải Phòng FC ghi bàn."
    s = text.index("Hải")
    found = find_entities(text, None, [(s, s + len("Hải Phòng FC"), "ORG")])
    assert [(text[f.start:f.end], f.label) for f in found] == [("Hải Phòng FC", "ORG")]


def test_btc_is_not_the_ministry_of_finance():
    # "BTC" (usually "Ban tổ chức", the organisers) was linked to Bộ Tài chính
    assert spans("BTC giải chạy cho biết sẽ trao 50 giải.") == []


def test_embassy_is_not_a_title():
    # the model's ORG "Đại sứ quán Cộng hòa Séc" was refused as if it began with a title
    text = "Đại sứ quán Cộng hòa Séc tổ chức tiệc."
    found = find_entities(text, None, [(0, len("Đại sứ quán Cộng hòa Séc"), "ORG")])
    assert [(text[f.start:f.end], f.label) for f in found] == [
        ("Đại sứ quán Cộng hòa Séc", "ORG")]
