"""Issue 16, index queries: a figure's unit by its usual names, search snippets in a table."""
import sys
from pathlib import Path

import pytest

from vnnews_nlp.index import build, query

sys.path.insert(0, str(Path(__file__).parents[1] / "fixtures"))
import index_make as fx  # noqa: E402

pytestmark = pytest.mark.issue(16)


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("u")
    records = [
        # units as the figures stage stores them: the currency code
        fx.make_record("vnd-1", ["Doanh thu đạt {{470.000 tỷ đồng|470000000000000|VND|money|doanh thu}}."]),
        fx.make_record("usd-1", ["Xuất khẩu đạt {{5 triệu USD|5000000|USD|money|xuất khẩu}}."]),
        fx.make_record("pct-1", ["Tỷ lệ đạt {{96%|96|%|percent|tỷ lệ}}."]),
        fx.make_record("kw-1", ["Công suất {{20 MW|20|MW|measure|công suất}}."]),
        # an older record with the written unit
        fx.make_record("old-1", ["Thu {{12 tỷ đồng|12000000000|đồng|money|thu}}."]),
    ]
    fx.write_jsonl(tmp / "in.jsonl", records)
    build.build_index([tmp / "in.jsonl"], tmp / "i.db", progress=False)
    return tmp / "i.db"


def _ids(rows):
    return sorted(r["article_id"] for r in rows)


@pytest.mark.issue(16)
@pytest.mark.parametrize("unit", ["đồng", "VNĐ", "vnđ", "VND", "vnd", "đ", "₫", "tỷ đồng", "triệu đồng", " Đồng "])
def test_dong_finds_vnd(db, unit):
    assert _ids(query.figures(db, unit=unit)) == ["old-1", "vnd-1"]


@pytest.mark.issue(16)
@pytest.mark.parametrize("unit", ["USD", "usd", "đô la", "đô", "đô la Mỹ", "triệu USD"])
def test_dollar_names_find_usd(db, unit):
    assert _ids(query.figures(db, unit=unit)) == ["usd-1"]


@pytest.mark.issue(16)
@pytest.mark.parametrize("unit", ["%", "phần trăm"])
def test_percent_names(db, unit):
    assert _ids(query.figures(db, unit=unit)) == ["pct-1"]


@pytest.mark.issue(16)
def test_other_units_match_exactly(db):
    assert _ids(query.figures(db, unit="MW")) == ["kw-1"]
    assert query.figures(db, unit="mw") == []  # abbreviations keep their case (MW is not mW)
    assert query.figures(db, unit="yên") == []


@pytest.mark.issue(16)
def test_alias_table_agrees_with_the_extraction():
    from vnnews_nlp.figures.component import UNIT_ALIASES, _CURRENCY_RE, _CURRENCIES, normalize_unit

    assert normalize_unit("đồng") == "VND" and normalize_unit("tỷ đồng") == "VND"
    assert normalize_unit("phần trăm") == "%" and normalize_unit("MW") == "MW"
    codes = {code for _, code, _ in _CURRENCIES if code}
    for code, names in UNIT_ALIASES.items():
        for name in names:
            assert normalize_unit(name) == code
            if code in codes:  # the figures stage reads the same word as the same currency
                m = _CURRENCY_RE.fullmatch(" " + name)
                groups = [i for i, (_, c, _) in enumerate(_CURRENCIES) if m and m.group(f"c{i}")]
                assert m and _CURRENCIES[groups[0]][1] == code, name
