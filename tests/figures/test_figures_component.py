import json
import re
import time
from decimal import Decimal

import pytest
import spacy
from hypothesis import given, settings, strategies as st

from vnnews_nlp.figures.component import find_figures
from vnnews_nlp.text.numbers import json_value
from vnnews_nlp.text.numbers import format_digits, format_words


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"@tokenizers": "spacy.vi.VietnameseTokenizer",
                                                          "use_pyvi": False}}})
    nlp.add_pipe("vnnews_figures")
    return nlp


def figs(text):
    return [(text[f.start:f.end], f) for f in find_figures(text)]


def one(text):
    found = figs(text)
    assert len(found) == 1, found
    return found[0][1]


def subject(text, f):
    return text[f.subject[0]:f.subject[1]] if f.subject else None


def test_money_with_scale_and_subject():
    t = "Năm nay, tổng doanh thu ngành bưu chính đạt gần 470.000 tỷ đồng."
    f = one(t)
    assert (f.value, f.unit, f.kind, f.approx) == (Decimal(470_000 * 10**9), "VND", "money", "gần")
    assert subject(t, f) == "tổng doanh thu ngành bưu chính"


def test_count_percent_change_in_one_sentence():
    t = ("Trong đó mạng cáp quang (FTTH) đạt 12,4 triệu thuê bao, chiếm 35,2% tổng số thuê bao "
         "(tăng 8,5% so với cùng kỳ năm 2021).")
    (_, a), (_, b), (_, c) = figs(t)
    assert (a.value, a.unit, a.kind) == (Decimal(12_400_000), "thuê bao", "count")
    assert (b.value, b.unit, b.kind, b.change) == (Decimal("35.2"), "%", "percent", None)
    assert (c.value, c.kind, c.change) == (Decimal("8.5"), "percent", "increase")
    assert subject(t, a) == subject(t, b) == subject(t, c) == "mạng cáp quang (FTTH)"


def test_measures_keep_unit_case():
    t = "Tốc độ tải lên trung bình là 12,5 MBps, thấp hơn mức chung của khu vực (15,75 Mbps)."
    (_, a), (_, b) = figs(t)
    assert (a.value, a.unit, a.kind) == (Decimal("12.5"), "MBps", "measure")
    assert subject(t, a) == "Tốc độ tải lên trung bình"
    assert (b.value, b.unit) == (Decimal("15.75"), "Mbps")
    assert subject(t, b) == "mức chung của khu vực"


def test_ranks():
    t = "Chỉ số đổi mới tăng 5 bậc (từ vị trí 48 lên thứ hạng 43)."
    (_, a), (_, b), (_, c) = figs(t)
    assert (a.value, a.unit, a.kind, a.change) == (5, "bậc", "rank", "increase")
    assert [(x.value, x.kind) for x in (b, c)] == [(48, "rank"), (43, "rank")]
    assert subject(t, a) == subject(t, b) == subject(t, c) == "Chỉ số đổi mới"


@pytest.mark.parametrize("text,value,unit,rng", [
    ("Mỗi gói thầu từ 5 đến 7 tỷ đồng.", 5 * 10**9, "VND", [5 * 10**9, 7 * 10**9]),
    ("Lãi suất dao động 5-7% tùy kỳ hạn.", 5, "%", [5, 7]),
    ("Giá thuê 2,5–3 USD/m2 mỗi tháng.", Decimal("2.5"), "USD/m²/tháng", [Decimal("2.5"), 3]),
])
def test_ranges(text, value, unit, rng):
    f = one(text)
    assert (f.value, f.unit, f.range) == (Decimal(value), unit, [Decimal(x) for x in rng])


@pytest.mark.parametrize("text,value,unit,kind", [
    ("Có hai mươi người dự buổi họp.", 20, "người", "count"),
    ("Gần một nửa số hộ đã có điện.", Decimal("0.5"), None, "ratio"),
    ("Khoản vay trị giá 3 triệu USD.", 3_000_000, "USD", "money"),
    ("Giá niêm yết 250 đô la Mỹ.", 250, "USD", "money"),
    ("Vé xem có giá 15 euro.", 15, "EUR", "money"),
    ("Một ly cà phê giá 25.000đ.", 25_000, "VND", "money"),
    ("Hộp quà giá 120.000 VNĐ.", 120_000, "VND", "money"),
    ("Giá 5.000₫ một chiếc.", 5_000, "VND/chiếc", "money"),
    ("Họ trồng thêm 30 ha rừng.", 30, "ha", "measure"),
    ("Sản lượng tăng gấp 3 lần.", 3, "lần", "ratio"),
    ("Hệ thống xử lý 2 tỷ 500 triệu đồng.", 2_500_000_000, "VND", "money"),
    ("Tỉnh có 1.250 doanh nghiệp mới.", 1_250, "doanh nghiệp", "count"),
])
def test_kinds_and_units(text, value, unit, kind):
    f = one(text)
    assert (f.value, f.unit, f.kind) == (Decimal(value), unit, kind)


@pytest.mark.parametrize("text", [
    "Theo Quyết định số 123/QĐ-UBND của tỉnh.",
    "Điện thoại: (0233) 3575155 - Fax: (0233) 3554711",
    "1. Mục tiêu chung của kế hoạch.",
    "Trong năm 2019 mạng 3G, 4G và 5G phát triển.",
    "Cách mạng Công nghiệp 4.0 đang đến.",
    "Khai mạc lúc 19 giờ 30 tại nhà văn hóa.",
    "Đội nhà thắng 2-1 sau hiệp phụ.",
    "Hội nghị lần thứ 30 diễn ra tại quận 5.",
    "Một số doanh nghiệp hai bên ký kết.",
])
def test_not_figures(text):
    assert figs(text) == []


def test_component_writes_spans_and_records(nlp):
    doc = nlp("Ngày 28/12/2019, tổng doanh thu đạt 2,5 tỷ đồng, tăng 16,1% so với quý 4/2019.")
    assert [sp._.figure.unit for sp in doc.spans["figures"]] == ["VND", "%"]
    assert [sp._.date.value for sp in doc.spans["dates"]] == ["2019-12-28", "2019-Q4"]
    fig_recs = [sp._.figure.to_dict() for sp in doc.spans["figures"]]
    date_recs = [sp._.date.to_dict() for sp in doc.spans["dates"]]
    json.dumps([fig_recs, date_recs])  # a record must serialize as is
    assert fig_recs[0]["value"] == 2_500_000_000 and fig_recs[0]["subject"] == "tổng doanh thu"
    assert fig_recs[1]["value"] == 16.1 and fig_recs[1]["change"] == "increase"
    assert date_recs[0]["value"] == "2019-12-28"


def test_component_runs_after_another_tokenizer():
    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"@tokenizers": "spacy.vi.VietnameseTokenizer",
                                                          "use_pyvi": False}}})
    nlp.add_pipe("vnnews_figures")
    doc = nlp("Giá đạt 10 USD vào năm 2020.")
    recs = [sp._.figure.to_dict() for sp in doc.spans["figures"]]
    dates = [sp._.date.to_dict() for sp in doc.spans["dates"]]
    assert [r["value"] for r in recs] == [10] and [d["value"] for d in dates] == ["2020"]


def test_json_value_keeps_digits():
    assert json_value(Decimal("29.08")) == 29.08
    assert json_value(Decimal(470_000 * 10**9)) == 470_000_000_000_000
    assert json_value(Decimal("12345678901234567.5")) == "12345678901234567.5"
    assert json_value(Decimal(10**20)) == "100000000000000000000"


amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal(10**12), places=2,
                      allow_nan=False, allow_infinity=False)


@settings(max_examples=60, deadline=None)
@given(amounts, st.sampled_from([("đồng", "VND"), ("USD", "USD"), ("tấn", "tấn"), ("%", "%")]))
def test_digits_in_sentence_round_trip(v, unit):
    surface, code = unit
    sep = "" if surface == "%" else " "
    text = f"Chỉ tiêu của ngành đạt {format_digits(v)}{sep}{surface} trong kỳ."
    f = one(text)
    assert (f.value, f.unit) == (v, code)


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=11, max_value=999_999), st.sampled_from(["nghìn", "triệu", "tỷ"]))
def test_words_in_sentence_round_trip(n, scale):
    words = format_words(n)
    if "năm" == words.split()[-1]:  # "... năm" is also "year": written news says "lăm"
        return
    text = f"Công ty thu về {words} {scale} đồng."
    f = one(text)
    assert f.value == Decimal(n) * {"nghìn": 10**3, "triệu": 10**6, "tỷ": 10**9}[scale]


def test_linear_time_on_adversarial_line():
    line = ("1.2,3" * 20_000)[:100_000]
    mixed = ("9" * 50 + ".," + "1,0." * 10 + " ") * 1000
    base = time.perf_counter()
    for text in (line, mixed[:100_000]):
        sum(1 for _ in re.finditer(r"\d", text))  # a linear scan in the same process
    base = time.perf_counter() - base
    t = time.perf_counter()
    for text in (line, mixed[:100_000]):
        find_figures(text)
    t = time.perf_counter() - t
    assert t < base * 50, (t, base)
