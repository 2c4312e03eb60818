import json

import pytest
from hypothesis import given, strategies as st

from vnnews_nlp.categories.taxonomy import Category, Taxonomy, from_dict, from_markdown, load_taxonomy


def test_shipped_taxonomy_has_the_portal_menu():
    tax = load_taxonomy()
    assert len(tax) == 21
    assert len(tax.children("cchc")) == 11
    assert all(tax.parent(c) == "cchc" for c in tax.children("cchc"))
    assert tax.ancestors("cchc-mot-cua") == ["cchc"]
    assert tax.is_leaf("lich-cong-tac") and not tax.is_leaf("cchc")
    assert all(tax.label(c) for c in tax.codes)


def test_markdown_table_gives_the_same_structure_as_json(tmp_path):
    md = ("| code | parent | menu label | what |\n|---|---|---|---|\n"
          "| tin | - | Tin tức | tin chung |\n| ct | - | Chính trị | |\n"
          "| ct-dang | ct | Công tác Đảng | đảng bộ, chi bộ |\n")
    path = tmp_path / "menu.md"
    path.write_text(md, encoding="utf-8")
    tax = load_taxonomy(path)
    assert tax.codes == ["tin", "ct", "ct-dang"]
    assert tax.parent("ct-dang") == "ct" and tax.parent("tin") is None
    again = from_dict(json.loads(json.dumps(tax.to_dict())))
    assert again.codes == tax.codes and again.parent("ct-dang") == "ct"


def test_bad_taxonomies_are_refused_with_a_reason():
    with pytest.raises(ValueError, match="unknown parent"):
        Taxonomy([Category("a", "A", parent="zz")])
    with pytest.raises(ValueError, match="duplicate"):
        Taxonomy([Category("a", "A"), Category("a", "B")])
    with pytest.raises(ValueError, match="cycle"):
        Taxonomy([Category("a", "A", parent="b"), Category("b", "B", parent="a")])
    with pytest.raises(KeyError, match="not a code"):
        load_taxonomy()["khong-co"]
    with pytest.raises(ValueError):
        from_dict({"no": "categories"})


def test_missing_file_says_which(tmp_path):
    with pytest.raises(FileNotFoundError, match="nope.json"):
        load_taxonomy(tmp_path / "nope.json")


@given(st.text(alphabet=st.sampled_from("|- abcđ\n:"), max_size=200))
def test_markdown_parser_either_parses_or_says_why(text):
    try:
        tax = from_markdown(text)
    except (ValueError, KeyError):
        return
    for code in tax.codes:
        assert code and all(p in tax for p in tax.ancestors(code))
