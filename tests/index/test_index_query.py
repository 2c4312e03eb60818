"""vnnews_nlp.index.query: name search with and without diacritics, mentions, FTS, figures."""
import sqlite3
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from vnnews_nlp.index import build, keys, query

sys.path.insert(0, str(Path(__file__).parents[1] / "fixtures"))
import index_make as fx  # noqa: E402


def _extra_records():
    return [
        fx.make_record("bt-04", [
            "Huyện [[Bá Thước|LOC|district|loc:ba-thuoc|Bá Thước]] trồng thêm rừng.",
            "Ông [[Ba Thước|PER||||]] là người địa phương.",
            "Xã [[Ba Thước Mới|LOC|commune||]] vừa được thành lập.",
            "[[Hoà Vang|LOC|district||]] và [[Hoà Vang|LOC|district||]] được nhắc hai lần.",
        ], title="Tin địa phương", published="2024-02-10"),
    ]


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("q")
    src = tmp / "in.jsonl"
    fx.write_jsonl(src, fx.small_records() + _extra_records())
    path = tmp / "i.db"
    build.build_index([src], path, progress=False)
    return path


@pytest.mark.parametrize("name", ["Quảng Trị", "Quang Tri", "quang tri", "QUẢNG TRỊ",
                                  "Qủang Trị", unicodedata.normalize("NFD", "Quảng Trị"),
                                  "  Quảng   Trị "])
def test_province_found_however_written(db, name):
    assert query.find_entities(db, name)[0]["id"] == "loc:quang-tri"


@pytest.mark.parametrize("name", ["Bo TT&TT", "Bộ TT&TT", "bộ tt&tt", "Bo Thong tin va Truyen thong"])
def test_ministry_by_abbreviation_or_full_name(db, name):
    assert query.find_entities(db, name)[0]["id"] == "org:bo-tttt"


def test_ranking_exact_folded_plain_prefix(db):
    got = [(r["name"], r["match"]) for r in query.find_entities(db, "Ba Thước")]
    assert got == [("Ba Thước", "exact"), ("Bá Thước", "plain"), ("Ba Thước Mới", "prefix")]
    assert query.find_entities(db, "Hòa Vang")[0]["match"] == "folded"  # written "Hoà Vang"
    assert query.find_entities(db, "Ba Thước", label="LOC")[0]["name"] == "Bá Thước"


def test_unknown_and_empty_names(db):
    assert query.find_entities(db, "Cà Mau") == []
    assert query.find_entities(db, "   ") == []


_VARIANTS = st.sampled_from(["exact", "plain", "upper", "nfd"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_every_alias_finds_its_entity(db, data):
    conn = sqlite3.connect(db)
    aliases = conn.execute("SELECT entity_id, surface FROM aliases ORDER BY 1, 2").fetchall()
    conn.close()
    entity_id, surface = data.draw(st.sampled_from(aliases))
    how = data.draw(_VARIANTS)
    name = {"exact": surface, "plain": keys.plain_key(surface), "upper": surface.upper(),
            "nfd": unicodedata.normalize("NFD", surface)}[how]
    assert entity_id in {r["id"] for r in query.find_entities(db, name, limit=50)}


def test_mentions_carry_sentence_and_title(db):
    ms = query.mentions(db, "per:nguyen-manh-hung")
    assert len(ms) == 1
    m = ms[0]
    assert m["title"] == "Bộ trưởng" and m["surface"] == "Nguyễn Mạnh Hùng"
    assert m["sentence_text"].startswith("Bộ trưởng Nguyễn Mạnh Hùng") and m["sentence"] == 2
    # newest article first, limit and offset page through
    qt = query.mentions(db, "loc:quang-tri")
    assert [m["article_id"] for m in qt] == ["kh-02", "qt-01"]
    assert query.mentions(db, "loc:quang-tri", limit=1, offset=1)[0]["article_id"] == "qt-01"


def test_articles_for_counts_mentions(db):
    rows = query.articles_for(db, "u:LOC:" + keys.id_key("Hoà Vang"))
    assert [(r["id"], r["mentions"]) for r in rows] == [("bt-04", 2)]


def test_cooccurring_by_label_and_kind(db):
    rows = query.cooccurring(db, "org:bo-tttt", label="LOC", kind="province")
    assert [(r["id"], r["articles"]) for r in rows] == [("loc:quang-tri", 2), ("loc:khanh-hoa", 1)]
    assert all(r["label"] == "PER" for r in query.cooccurring(db, "loc:quang-tri", label="PER"))


def test_figures_by_subject_without_accents_and_by_unit(db):
    rows = query.figures(db, subject="bang thong rong")
    assert {r["article_id"] for r in rows} == {"qt-01", "ha-03"}
    assert [r["value"] for r in query.figures(db, unit="đồng")] == [12e9]
    assert query.figures(db, subject="100%_") == []  # LIKE wildcards in the subject are literal
    assert query.figures(db, subject="bang thon") == []  # whole words only
    assert {r["subject"] for r in query.figures(db, subject="Doanh thu")} == {"doanh thu du lịch"}


def test_full_text_keeps_diacritics_distinct(db):
    # kh-02 has "ba xã", ha-03 "Trần Văn Bá", bt-04 both "Ba Thước" and "Bá Thước"
    assert {r["id"] for r in query.search_text(db, "ba")} == {"kh-02", "bt-04"}
    assert {r["id"] for r in query.search_text(db, "bá")} == {"ha-03", "bt-04"}
    assert {r["id"] for r in query.search_text(db, '"Quảng Trị"')} == {"qt-01", "kh-02"}
    assert query.search_text(db, "Quang") == []


def test_bad_full_text_query_explains(db):
    with pytest.raises(ValueError, match="bad full-text query"):
        query.search_text(db, '"unclosed')


def test_missing_database_is_not_created(tmp_path):
    with pytest.raises(FileNotFoundError, match="vnnews index build"):
        query.find_entities(tmp_path / "none.db", "Quảng Trị")
    assert not (tmp_path / "none.db").exists()


def test_lookup_is_index_backed(db):
    """A name lookup must not scan the aliases table (what keeps it fast on a large index)."""
    conn = sqlite3.connect(db)
    for col in ("key_exact", "key_fold", "key_plain"):
        plan = " ".join(r[-1] for r in conn.execute(
            f"EXPLAIN QUERY PLAN SELECT entity_id FROM aliases WHERE {col} = 'x'"))
        assert "USING INDEX" in plan or "USING COVERING INDEX" in plan, plan
    plan = " ".join(r[-1] for r in conn.execute(
        "EXPLAIN QUERY PLAN SELECT * FROM mentions WHERE entity_id = 'x'"))
    assert "INDEX" in plan, plan
