"""Issue 14: numbers that are not figures (addresses, units' numbers, times of day) stay out,
and the counts next to them stay in. Sentences written for these tests."""
import pytest

from vnnews_nlp.figures.component import find_figures

pytestmark = pytest.mark.issue(14)


def figs(text):
    return [(text[f.start:f.end], f.unit) for f in find_figures(text)]


@pytest.mark.parametrize("text", [
    "Giải nhì: Trần Văn Bình, 57 ấp Tân Hòa, thị trấn Mỹ An.",   # a house number in a hamlet
    "Giải ba: Lê Thị Hoa, 44-46 Hai Bà Trưng, quận 1.",          # a range of house numbers
    "Anh là bộ đội Trung đoàn 230, Sư đoàn 367.",                 # units' numbers
    "Trận đấu được truyền hình lúc 6 giờ ngày 3-9.",              # a time of day
    "Mạng hay rớt cuộc gọi vào lúc 5-6 h trong ngày.",
    "Học sinh học từ tiết 1 đến tiết 5.",                         # periods of a school day
])
def test_not_a_figure(text):
    assert figs(text) == []


@pytest.mark.parametrize("text, want", [
    ("Xã có 57 ấp và 12 thôn.", [("57 ấp", "ấp"), ("12 thôn", "thôn")]),
    ("Cây cầu nối 2 ấp Tân Hòa và Tân Lập.", [("2 ấp", "ấp")]),   # no comma before: a count
    ("Đoàn 30 người đã tới.", [("30 người", "người")]),
    ("Nhóm làm việc 48 giờ liên tục.", [("48 giờ", "giờ")]),        # a duration
])
def test_counts_next_to_them_stay(text, want):
    assert figs(text) == want
