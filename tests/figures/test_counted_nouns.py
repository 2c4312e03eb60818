"""Counted nouns (issue 14): classifiers looked through, written-out cardinals, house numbers.
Sentences written for these tests."""
import pytest

from vnnews_nlp.figures.component import find_figures

pytestmark = pytest.mark.issue(14)


def figs(text):
    return [(text[f.start:f.end], f.value, f.unit) for f in find_figures(text)]


@pytest.mark.parametrize("text,expected", [
    ("Đơn vị nhận 6 chiếc bàn mới.", [("6 chiếc bàn", 6, "bàn")]),
    ("Trại có 10 con bê.", [("10 con bê", 10, "bê")]),
    ("Hãng xuất 60.000 chiếc sang Mỹ.", [("60.000 chiếc", 60000, "chiếc")]),
    ("Bảng có 12 con số may mắn.", [("12 con số", 12, "con số")]),
])
def test_classifiers_are_looked_through(text, expected):
    assert figs(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("Đoàn đã đi qua bốn tỉnh miền núi.", [("bốn tỉnh", 4, "tỉnh")]),
    ("Hai doanh nghiệp ký hợp đồng.", [("Hai doanh nghiệp", 2, "doanh nghiệp")]),
    ("Công an bắt hai ông cán bộ xã.", [("hai ông", 2, "ông")]),
])
def test_written_out_cardinals_count_a_noun(text, expected):
    assert figs(text) == expected


@pytest.mark.parametrize("text", [
    "Hai bên thống nhất kế hoạch.", "Ba tôi về quê.", "Thứ hai họp giao ban.",
    "Cửa hàng ở 33 Nguyễn Thái Học, Hà Nội.", "Trụ sở tại 40 Cát Linh.",
])
def test_idioms_and_house_numbers_are_not_figures(text):
    assert figs(text) == []


@pytest.mark.parametrize("text,values", [
    ("Bảng giá\nMáy A\n10,000 USD\nMáy B\n96,000 USD\nMáy C\n12,500 USD", [10000, 96000, 12500]),
    ("Giá 10,000 USD và 96,000 USD.", [10000, 96000]),
    ("Giá 1.500 đồng và 2,5 triệu đồng.", [1500, 2500000]),
    ("Một mình: 96,000 USD.", [96]),  # no evidence: the Vietnamese reading
])
def test_number_format_is_decided_by_the_block(text, values):
    assert [f.value for f in find_figures(text)] == values


@pytest.mark.parametrize("text,expected", [
    ("Giá tăng từ 15% đến 20%.", ("15% đến 20%", 15, "%")),
    ("Căn hộ rộng 76 m vuông.", ("76 m vuông", 76, "m²")),
    ("Ổ cứng 7200rpm chạy êm.", ("7200rpm", 7200, "rpm")),
    ("Họ nhận 100 triệu bồi thường.", ("100 triệu", 100000000, "VND")),
])
def test_ranges_units_and_elided_money(text, expected):
    (got,) = figs(text)
    assert got == expected


@pytest.mark.issue(14)
@pytest.mark.parametrize("text, unit", [
    # pairs news counts (models/figures/counted_phrases.json, mined from VNTC train) keep both
    # syllables even where no word segmenter joined them
    ("Đường được mở rộng thêm 2 làn xe.", "làn xe"),
    ("Trường xây mới 12 phòng học.", "phòng học"),
    ("Nhà hát có 500 chỗ ngồi.", "chỗ ngồi"),
    ("Ban tổ chức nhận hai câu hỏi.", "câu hỏi"),
    # a pair that is a noun and its modifier is not one
    ("Đoàn đã đi qua bốn tỉnh miền núi.", "tỉnh"),
])
def test_two_syllable_counted_nouns(text, unit):
    got = [f.unit for f in find_figures(text) if f.kind == "count"]
    assert got == [unit]
