from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

from vnnews_nlp.text.numbers import (SCALES, format_digits, format_scaled, format_words, parse_digits,
                                parse_value)


@pytest.mark.parametrize("text,value", [
    ("470.000", "470000"), ("29,08", "29.08"), ("1.234,5", "1234.5"), ("1.486.224", "1486224"),
    ("2.5", "2.5"), ("1,234,567", "1234567"), ("61,3", "61.3"), ("0,625", "0.625"),
])
def test_parse_digits_conventions(text, value):
    assert parse_digits(text) == Decimal(value)


@pytest.mark.parametrize("text", ["1.2.3", "1,2,3", "1.23.456", "abc", "", "12.345,6.7"])
def test_parse_digits_rejects(text):
    with pytest.raises(ValueError):
        parse_digits(text)


@pytest.mark.parametrize("text,value", [
    ("470.000 tỷ", 470_000 * 10**9), ("61,3 triệu", 61_300_000), ("2 tỷ 500 triệu", 2_500_000_000),
    ("5 nghìn tỷ", 5 * 10**12), ("hai mươi", 20), ("một nửa", Decimal("0.5")),
    ("một trăm lẻ năm", 105), ("hai mươi mốt", 21), ("mười lăm", 15), ("ba triệu rưỡi", 3_500_000),
    ("năm trăm nghìn tỷ", 500_000 * 10**9), ("hai trăm rưỡi", 250), ("nửa triệu", 500_000),
])
def test_parse_value(text, value):
    assert parse_value(text) == Decimal(value)


@pytest.mark.parametrize("text", ["mươi", "mốt", "hai con", "rưỡi"])
def test_parse_value_rejects(text):
    with pytest.raises(ValueError):
        parse_value(text)


decimals = st.decimals(min_value=0, max_value=10**15, places=3, allow_nan=False, allow_infinity=False)


@given(decimals)
def test_digits_round_trip(v):
    assert parse_digits(format_digits(v)) == v


@given(st.integers(min_value=0, max_value=10**15))
def test_words_round_trip(n):
    assert parse_value(format_words(n)) == n


@given(st.integers(min_value=1, max_value=999_999), st.integers(0, 2), st.sampled_from(sorted(SCALES)))
def test_scaled_round_trip(n, places, scale):
    v = Decimal(n).scaleb(-places) * SCALES[scale]
    assert parse_value(format_scaled(v, scale)) == v


@given(st.integers(min_value=1, max_value=999), st.sampled_from(["nghìn", "triệu", "tỷ"]))
def test_words_with_scale_round_trip(n, scale):
    assert parse_value(format_words(n) + " " + scale) == n * SCALES[scale]
