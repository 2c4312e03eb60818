"""Linking from the article's own context (entities/linking.py) and today's successor of a
renamed or merged unit. All sentences are written for these tests."""
import re

import pytest
import spacy
from spacy.tokens import Doc

from vnnews_nlp.entities.component import EntityRecognizer, Found
from vnnews_nlp.entities.knowledge import load_knowledge, successor_today
from vnnews_nlp.entities.linking import acronym_key, initials, link_in_article, strip_generic

from vnnews_nlp.run.record import entity_record

pytestmark = pytest.mark.issue(13)
KB = load_knowledge()
VOCAB = spacy.blank("vi").vocab


class FakeModel:
    """Stands in for the tagger: the given phrases wherever they occur."""

    def __init__(self, *spans):
        self.spans = spans

    def predict(self, text):
        return [(m.start(), m.end(), label) for phrase, label in self.spans
                for m in re.finditer(re.escape(phrase), text)]


def ents(text, model=None):
    words = re.findall(r"\w+|[^\w\s]", text)
    spaces, pos = [], 0
    for w in words:
        pos = text.index(w, pos) + len(w)
        spaces.append(text[pos:pos + 1] == " ")
    comp = EntityRecognizer(use_model=model is not None, model=model)
    return [entity_record(s) for s in comp(Doc(VOCAB, words=words, spaces=spaces)).ents]


def by_text(records):
    return {r["text"]: r for r in records}


def found(text, *items):
    """Found tuples for (surface, label, canonical, entity_id) in text order."""
    out, pos = [], 0
    for surface, label, canonical, eid in items:
        s = text.index(surface, pos)
        out.append(Found(s, s + len(surface), label, None, canonical, eid, None))
        pos = s + len(surface)
    return out


def test_initials_and_acronym_keys():
    assert initials("Liên đoàn Bóng đá Việt Nam") == "LĐBĐVN"
    assert initials("Research In Motion") == "RIM"
    assert acronym_key("LĐBĐ VN") == "LĐBĐVN"
    assert acronym_key("Vinashin") is None and acronym_key("A") is None


def test_acronym_in_brackets_takes_the_full_names_canonical():
    text = "Tổng công ty Sông Lam (Solaco) vừa ký hợp đồng. Solaco sẽ giao hàng trong tháng."
    out = link_in_article(text, found(text, ("Tổng công ty Sông Lam", "ORG", "Tổng công ty Sông Lam", None),
                                      ("Solaco", "ORG", "Solaco", None), ("Solaco", "ORG", "Solaco", None)),
                          KB, set())
    assert [f.canonical for f in out] == ["Tổng công ty Sông Lam"] * 3


def test_acronym_spelled_by_the_initials_of_one_full_name():
    text = "Hãng Kim Tín Motors (Hàn Quốc) công bố lãi. Theo KTM, doanh số tăng."
    out = link_in_article(text, found(text, ("Kim Tín Motors", "ORG", "Kim Tín Motors", None),
                                      ("Hàn Quốc", "LOC", "Hàn Quốc", "loc:han-quoc"),
                                      ("KTM", "ORG", "KTM", None)), KB, set())
    assert out[2].canonical == "Kim Tín Motors"


def test_acronym_with_two_candidate_full_names_stays_as_written():
    text = "Kim Tín Motors và Khải Toàn Mining ký kết. KTM nói vậy."
    out = link_in_article(text, found(text, ("Kim Tín Motors", "ORG", "Kim Tín Motors", None),
                                      ("Khải Toàn Mining", "ORG", "Khải Toàn Mining", None),
                                      ("KTM", "ORG", "KTM", None)), KB, set())
    assert out[2].canonical == "KTM"


def test_a_place_in_brackets_is_not_an_acronym_definition():
    text = "Xã Tân Thới Nhì (Hóc Môn) có mưa."
    out = link_in_article(text, found(text, ("Xã Tân Thới Nhì", "LOC", "xã Tân Thới Nhì", None),
                                      ("Hóc Môn", "LOC", "Hóc Môn", None)), KB, {"loc:thanh-pho-ho-chi-minh"})
    assert out[1].canonical == "Huyện Hóc Môn" and out[1].entity_id == "loc:huyen-hoc-mon-ho-chi-minh"


def test_bare_district_needs_a_province_of_the_article():
    text = "Mưa lớn ở Hóc Môn."
    out = link_in_article(text, found(text, ("Hóc Môn", "LOC", "Hóc Môn", None)), KB, set())
    assert out[0].entity_id is None


def test_unknown_foreign_place_loses_its_generic_word():
    assert strip_generic("bang Arizona") == "Arizona"
    assert strip_generic("đảo Sumatra") == "Sumatra"
    assert strip_generic("thành phố Fort Huachuca") == "Fort Huachuca"
    assert strip_generic("bang giao") == "bang giao"


def test_person_named_once_by_one_name_keeps_it_as_canonical():
    recs = by_text(ents("Tiền đạo Nanami ghi bàn ở phút 80.", model=FakeModel(("Nanami", "PER"))))
    assert recs["Nanami"]["canonical"] == "Nanami" and recs["Nanami"]["entity_id"] is None


def test_short_country_name_links_only_where_the_tagger_reads_a_place():
    recs = by_text(ents("Đoàn của Nhật đến Hà Nội.", model=FakeModel(("Nhật", "LOC"))))
    assert recs["Nhật"]["entity_id"] == "loc:nhat-ban"
    assert "Nhật" not in by_text(ents("Chị Nhật đến Hà Nội.", model=FakeModel()))


def test_numbered_district_has_a_clean_name():
    recs = by_text(ents("Ông Tư sống tại quận 12, TP.HCM."))
    assert recs["quận 12"]["canonical"] == "Quận 12"


def test_successor_today_follows_the_chain():
    assert successor_today(KB, "loc:tinh-ha-tay").id == "loc:thanh-pho-ha-noi"
    assert successor_today(KB, "org:bo-buu-chinh-vien-thong").id == "org:bo-khoa-hoc-va-cong-nghe"
    assert successor_today(KB, "org:bo-y-te") is None
    assert successor_today(KB, None) is None


def test_record_carries_the_successor():
    recs = by_text(ents("Năm 2007, UBND tỉnh Hà Tây họp bàn việc xây trường."))
    assert recs["UBND tỉnh Hà Tây"]["successor"] == {"id": "org:ubnd-thanh-pho-ha-noi",
                                                    "name": "Ủy ban nhân dân thành phố Hà Nội"}
    assert by_text(ents("Bộ Y tế họp."))["Bộ Y tế"]["successor"] is None


def test_a_title_before_a_colon_goes_to_each_listed_name():
    recs = by_text(ents("Dự họp có các Ủy viên Trung ương Đảng: Nguyễn Văn Bình, Trần Thị Hoa và "
                        "Lê Quang Minh. Sau đó có mưa."))
    for name in ("Nguyễn Văn Bình", "Trần Thị Hoa", "Lê Quang Minh"):
        assert recs[name]["title"] == "Ủy viên Trung ương Đảng", name


def test_a_colon_list_stops_at_the_first_non_name():
    recs = by_text(ents("Các Phó Chủ tịch UBND tỉnh: Nguyễn Văn Bình, ông Tư và Lê Quang Minh."))
    assert recs["Nguyễn Văn Bình"]["title"] == "Phó Chủ tịch UBND tỉnh"
    assert "Lê Quang Minh" not in recs or recs["Lê Quang Minh"]["title"] is None


@pytest.mark.parametrize("text,kept", [
    ("Cửa hàng ở 33 Nguyễn Thái Học, Hà Nội.", {"Hà Nội"}),
    ("Xe qua cầu Nhật Tân rồi vào đường Lê Duẩn ở Hà Nội.", {"Hà Nội"}),
    ("Tại điểm cầu Quảng Trị có đông đại biểu.", {"Quảng Trị"}),
    ("Ngày 5/1/2020, tỉnh Quảng Trị đón khách.", {"tỉnh Quảng Trị"}),
    ("Năm 2005 Nguyễn Văn An về hưu.", {"Nguyễn Văn An"}),
    ("Thiết bị 5G Việt Nam ra đời.", {"Việt Nam"}),
])
def test_streets_bridges_and_addresses_are_not_entities(text, kept):
    model = FakeModel(("Nguyễn Thái Học", "PER"), ("Nhật Tân", "LOC"), ("Lê Duẩn", "PER"),
                      ("Nguyễn Văn An", "PER"))
    assert set(by_text(ents(text, model=model))) == kept


@pytest.mark.parametrize("text,name,title", [
    ("Tại buổi gặp, Chủ tịch LĐBĐ VN, Nguyễn Trọng Hỷ, đã phát biểu.", "Nguyễn Trọng Hỷ", "Chủ tịch LĐBĐ VN"),
    ("Trong cuộc gặp, Đại sứ Việt Nam tại Philippines, ông Đinh Tích, phát biểu.", "Đinh Tích",
     "Đại sứ Việt Nam tại Philippines"),
    ("Có mặt TTK Trần Quốc Tuấn.", "Trần Quốc Tuấn", "TTK"),
    ("HLV trưởng Masakuni Yamamoto của Nhật Bản nói vậy.", "Masakuni Yamamoto", "HLV trưởng"),
])
def test_titles_before_a_comma_an_honorific_or_a_foreign_name(text, name, title):
    recs = by_text(ents(text))
    assert recs[name]["label"] == "PER" and recs[name]["title"] == title


def test_a_tagger_span_that_is_only_a_title_is_dropped():
    assert "TTK" not in by_text(ents("Có mặt TTK Trần Quốc Tuấn.", model=FakeModel(("TTK", "ORG"))))


def test_a_capitalised_head_is_part_of_a_name():
    recs = by_text(ents("Tại quận Cầu Giấy có mưa. Người dân ở Cầu Giấy vui.", model=FakeModel(("Cầu Giấy", "LOC"))))
    assert "Cầu Giấy" in recs


def test_an_entity_edge_inside_a_token_splits_it():
    from vnnews_nlp.pipeline import load

    nlp = load(components=("vnnews_entities",))
    doc = nlp("Liên minh CDU/CSU thắng. Ảnh: AFP/TTXVN")
    assert doc.text == "Liên minh CDU/CSU thắng. Ảnh: AFP/TTXVN"
    assert [(e.text, e.label_) for e in doc.ents if e.label_ == "ORG"][-2:] == [("AFP", "ORG"), ("TTXVN", "ORG")]
