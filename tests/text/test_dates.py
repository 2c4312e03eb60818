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
    ("giai đoạn 2016-2020 của ngành", [("giai đoạn 2016-2020", "2016")]),
    ("Từ 1/7 tới giá tăng", [("1/7", "--07-01")]),
    ("Đêm 18/4, đám cháy bùng lên", [("Đêm 18/4", "--04-18")]),
    ("ngày 25 tháng 4, trời mưa", [("ngày 25 tháng 4", "--04-25")]),
    ("từ năm 1995 đến năm 1998", [("từ năm 1995 đến năm 1998", "1995")]),
])
def test_dates(text, expected):
    assert values(text) == expected


@pytest.mark.parametrize("text", [
    "Quyết định số 123/QĐ-UBND", "Công nghiệp 4.0", "ngày 31/2/2019",
    "quý 5/2019", "tháng 13/2019", "mạng 5G", "2/3 số hộ nghèo", "ngày 30/2 có họp",
    "Hôm qua trời mưa",  # relative, and no publication date to resolve it
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


pytestmark_issue = pytest.mark.issue(14)


def full(text, published=None):
    return [(text[d.start:d.end], d.value, d.end_value, d.year_inferred, d.relative)
            for d in find_dates(text, published)]


@pytestmark_issue
def test_day_month_takes_the_year_of_the_publication_date():
    assert full("Ngày 25/4 có họp.", "2009-05-02") == [("Ngày 25/4", "2009-04-25", None, True, False)]
    # late December in an article of early January is last year's
    assert full("Hôm 25/12 và ngày 3/1.", "2010-01-05") == [
        ("Hôm 25/12", "2009-12-25", None, True, False), ("ngày 3/1", "2010-01-03", None, True, False)]


@pytestmark_issue
def test_day_month_takes_the_year_of_the_latest_full_date_in_the_text():
    got = full("Ngày 25 tháng 4, họp. Tin ngày (04/12/2005).")
    assert got[0] == ("Ngày 25 tháng 4", "2005-04-25", None, True, False)


@pytestmark_issue
def test_ranges_have_a_start_and_an_end():
    assert full("từ 1995 đến 1998") == [("từ 1995 đến 1998", "1995", "1998", False, False)]


@pytestmark_issue
def test_relative_dates_only_against_a_publication_date():
    assert full("Hôm qua, tuần trước và năm ngoái.", "2009-05-02") == [
        ("Hôm qua", "2009-05-01", None, False, True), ("tuần trước", "2009-W17", None, False, True),
        ("năm ngoái", "2008", None, False, True)]
    assert full("Hôm qua, tuần trước và năm ngoái.") == []


@pytestmark_issue
@given(st.dates(min_value=__import__("datetime").date(1990, 1, 1), max_value=__import__("datetime").date(2030, 12, 31)),
       st.integers(min_value=-300, max_value=60))
def test_resolved_day_month_keeps_its_day_and_lies_near_the_reference(ref, offset):
    import datetime as dt
    day = ref + dt.timedelta(days=offset)
    (got,) = find_dates(f"Hôm {day.day}/{day.month} có họp.", ref.isoformat())
    resolved = dt.date.fromisoformat(got.value)
    assert (resolved.month, resolved.day) == (day.month, day.day) and got.year_inferred
    assert -304 <= (resolved - ref).days <= 60
    if not (day.month == 2 and day.day == 29):
        assert resolved == day  # the window holds exactly one such day


@pytest.mark.issue(14)
def test_a_season_runs_from_one_year_into_the_next():
    assert full("trong mùa bóng 2005/06 để") == [("mùa bóng 2005/06", "2005", "2006", False, False)]
    assert full("trong mùa bóng 02/03. Trở lại") == [("mùa bóng 02/03", "2002", "2003", False, False)]
    assert full("hết mùa bóng 2009-2010.") == [("mùa bóng 2009-2010", "2009", "2010", False, False)]
    assert full("mùa bóng 2005/09 là") == []  # not consecutive years: not a season


@pytest.mark.issue(14)
def test_a_bare_year_where_the_clause_goes_on_or_ends_is_a_date():
    assert [g[:2] for g in full("tại Euro 2004. Gala cười 2005 sẽ khép lại, (sinh 1967, ngụ")] == [
        ("2004", "2004"), ("2005", "2005"), ("1967", "1967")]
    # counts, phone numbers and product names are not years
    assert full("có 2005 người") == [] and full("ĐT: 04.726 1938; Fax") == []
    assert full("Windows XP và Office 2003 chỉ") == []


@pytest.mark.issue(14)
def test_a_bare_year_does_not_give_a_day_month_its_year():
    # "World Cup 2006" is played after the article; the reader cannot tell the year of "3-9"
    got = full("các trận vòng loại World Cup 2006 vào đầu tháng 9: 6 giờ ngày 3-9.")
    assert ("ngày 3-9", "--09-03", None, False, False) in got
    assert full("Năm 2005, ngày 3-9 có họp.")[1][1] == "2005-09-03"


@pytest.mark.issue(14)
def test_a_month_of_last_or_this_year_is_relative():
    assert full("tính từ tháng 5 năm ngoái đến nay", "2004-06-01") == [
        ("tháng 5 năm ngoái", "2003-05", None, False, True)]
    assert full("vào tháng 3 năm nay.", "2004-06-01") == [("tháng 3 năm nay", "2004-03", None, False, True)]
    # without a publication date it cannot be resolved, and is not read as "tháng 3" alone
    assert full("tháng 9/2003 lên 215.643 vào tháng 3 năm nay.") == [("tháng 9/2003", "2003-09", None, False, False)]


@pytest.mark.issue(14)
def test_days_listed_before_their_month():
    assert full("diễn ra ngày 27 và 28-8 tại Hà Nội") == [("ngày 27 và 28-8", "--08-27", "--08-28", False, False)]
    assert full("Năm 2005, ngày 27-28/8 có họp.")[1] == ("ngày 27-28/8", "2005-08-27", "2005-08-28", True, False)


@pytest.mark.issue(14)
def test_centuries_and_written_months():
    assert full("trong thế kỷ 21, và thế kỷ XX,") == [("thế kỷ 21", "2001", "2100", False, False),
                                                     ("thế kỷ XX", "1901", "2000", False, False)]
    assert full("cuộc bầu cử hồi tháng một vừa qua") == [("tháng một", "--01", None, False, False)]
    assert full("vào tháng mười một, họ") == [("tháng mười một", "--11", None, False, False)]
    # not dates: "twice a month", and a written month of last year without a publication date
    assert full("mỗi tháng hai lần") == [] and full("vào tháng mười một năm ngoái") == []
