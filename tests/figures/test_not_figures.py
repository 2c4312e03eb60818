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


@pytest.mark.parametrize("text, want", [
    ("Họ nhận hàng trăm lá đơn khiếu nại.", [("trăm lá đơn", "đơn", "100", "hàng")]),  # "lá" looked through
    ("Những cụ bà ngoài trăm tuổi vẫn khỏe.", [("trăm tuổi", "tuổi", "100", "ngoài")]),
    ("Đội giành 4 HCV và 2 HCB.", [("4 HCV", "HCV", "4", None), ("2 HCB", "HCB", "2", None)]),
    ("Giải có hai CLB mới.", [("hai CLB", "CLB", "2", None)]),
    ("Con chó đã 14 năm tuổi.", [("14 năm tuổi", "tuổi", "14", None)]),
    ("Con đường dài 250 kilomet.", [("250 kilomet", "km", "250", None)]),
])
def test_figures_read_in_full(text, want):
    assert [(text[f.start:f.end], f.unit, str(f.value), f.approx) for f in find_figures(text)] == want


@pytest.mark.parametrize("text, want", [
    ("Phát hiện 3 loại sâu mới.", [("3 loại sâu", "loại sâu", "3")]),     # a kind noun and its word
    ("Anh đã chơi 12 trận đấu.", [("12 trận đấu", "trận đấu", "12")]),
    ("Đội thắng 3 trận liên tiếp.", [("3 trận", "trận", "3")]),          # not an adverb after it
    ("Có 3 loại khác nhau.", [("3 loại", "loại", "3")]),
    ("Mỗi ngày uống nửa lít nước.", [("nửa lít", "lít", "0.5")]),
    ("Nhiệt độ lên tới 25oC.", [("25oC", "°C", "25")]),
])
def test_kinds_halves_and_degrees(text, want):
    assert [(text[f.start:f.end], f.unit, str(f.value)) for f in find_figures(text)] == want


@pytest.mark.parametrize("text", [
    "Lúc 10:34 sáng, cuộc họp bắt đầu.",                     # a time of day
    "Sent: Saturday, March 19, 2005 10:34 AM Subject: thư",   # an English date in a mail header
    "Đội thua với tỷ số 1-4 tại vòng loại.",                   # a match score
    "Các lao động trên tàu Trung Nghĩa 218 đã về nước.",       # a ship's name
    "Thi đấu tại SEA Games 22 ở Manila.",                      # an event's number
    "Máy dùng vi xử lý Pentium 4, chạy nhanh.",                # a model name
    "Các công trình:\n1- Nghiên cứu thiết kế.\n2- Chế tạo máy.",  # list markers with a dash
])
def test_not_a_figure_either(text):
    assert figs(text) == []


@pytest.mark.parametrize("text, want", [
    ("Dùng 60 g cam thảo và 5 mg thuốc.", [("60 g", "g", "60"), ("5 mg", "mg", "5")]),
    ("Họ được trả 10.000 rupi.", [("10.000 rupi", "INR", "10000")]),
    ("Giá chào bán 49,25 baht/cổ phần.", [("49,25 baht/cổ phần", "THB/cổ phần", "49.25")]),
    ("Lương 350.000 đồng/người/tháng.", [("350.000 đồng/người/tháng", "VND/người/tháng", "350000")]),
    ("Ba con tàu bị chìm, hai chiếc tàu mắc cạn.", [("Ba con tàu", "tàu", "3"), ("hai chiếc tàu", "tàu", "2")]),
    ("Ông có ba con trai.", [("ba con trai", "con trai", "3")]),      # "con trai" is a noun, not classifier + noun
    ("Anh mua của Tống Văn Long 3 xe máy.", [("3 xe máy", "xe máy", "3")]),  # a count after a name
])
def test_units_currencies_and_classifiers(text, want):
    assert [(text[f.start:f.end], f.unit, str(f.value)) for f in find_figures(text)] == want
