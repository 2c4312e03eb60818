import time

import pytest
from hypothesis import given, strategies as st

from vnnews_nlp.text.dates import find_dates


def values(text):
    return [(text[d.start:d.end], d.value) for d in find_dates(text)]


@pytest.mark.parametrize("text,expected", [
    ("Hôm 28/12/2019 trời mưa.", [("28/12/2019", "2019-12-28")]),
    ("Vào ngày 28 tháng 12 năm 2019, hội nghị họp.", [("ngày 28 tháng 12 năm 2019", "2019-12-28")]),
    ("Kế hoạch năm 2020 rất lớn.", [("năm 2020", "2020")]),
    ("Số liệu đến quý 4/2019 cho thấy", [("quý 4/2019", "2019-Q4")]),
    ("Doanh thu quý IV năm 2021 tăng", [("quý IV năm 2021", "2021-Q4")]),
    ("Từ tháng 4/2019 giá giảm", [("tháng 4/2019", "2019-04")]),
    ("Bài đăng (12/09/2022)", [("12/09/2022", "2022-09-12")]),
    ("Ngày hội 21/4 năm 2019 ở tỉnh", [("21/4 năm 2019", "2019-04-21")]),
    ("giai đoạn 2016-2020 của ngành", [("giai đoạn 2016-2020", "2016/2020")]),
])
def test_dates(text, expected):
    assert values(text) == expected


@pytest.mark.parametrize("text", [
    "Từ 1/7 tới giá tăng", "Quyết định số 123/QĐ-UBND", "Công nghiệp 4.0", "ngày 31/2/2019",
    "quý 5/2019", "tháng 13/2019", "mạng 5G",
])
def test_not_dates(text):
    assert values(text) == []


@given(st.dates(min_value=__import__("datetime").date(1900, 1, 1),
                max_value=__import__("datetime").date(2099, 12, 31)))
def test_day_forms_agree(d):
    a = values(f"Hôm {d.day}/{d.month}/{d.year} có họp.")
    b = values(f"Vào ngày {d.day} tháng {d.month} năm {d.year} có họp.")
    assert a[0][1] == b[0][1] == d.isoformat()


def test_linear_on_digit_runs():
    line = ("1/2." * 25_000)[:100_000]
    base = time.perf_counter()
    sum(c.isdigit() for c in line)  # linear baseline in the same process
    base = time.perf_counter() - base
    t = time.perf_counter()
    find_dates(line)
    t = time.perf_counter() - t
    assert t < max(base, 1e-3) * 200
