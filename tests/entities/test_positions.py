"""Officials' positions from their titles (entities/positions.py, issue 17). Sentences written
for these tests."""
import pytest
from hypothesis import given, settings, strategies as st

from vnnews_nlp.entities.positions import ABBREVIATED, ROLES, parse_title
from vnnews_nlp.pipeline import load
from vnnews_nlp.run.record import entity_record

pytestmark = pytest.mark.issue(17)


@pytest.fixture(scope="module")
def nlp():
    return load(components=("vnnews_entities",))


def positions(nlp, text, name):
    recs = [entity_record(e) for e in nlp(text).ents if e.text == name]
    return [[(p["role"], p["organisation"], tuple(p["qualifiers"])) for p in r["positions"]] for r in recs]


def test_role_and_ministry(nlp):
    assert positions(nlp, "Bộ trưởng Bộ TT&TT Nguyễn Mạnh Hùng phát biểu.", "Nguyễn Mạnh Hùng") == [
        [("Bộ trưởng", "Bộ Thông tin và Truyền thông", ())]]


def test_bare_local_body_in_the_title_takes_the_articles_province(nlp):
    text = "Tại tỉnh Quảng Trị, Phó Chủ tịch UBND tỉnh Hoàng Nam chủ trì hội nghị."
    assert positions(nlp, text, "Hoàng Nam") == [[("Phó Chủ tịch", "Ủy ban nhân dân tỉnh Quảng Trị", ())]]


def test_several_positions_and_qualifiers(nlp):
    text = ("Dự họp có ông Phan Văn Giang, Ủy viên Thường vụ Quân ủy Trung ương, Thứ trưởng Thường trực "
            "Bộ Quốc phòng.")
    assert positions(nlp, text, "Phan Văn Giang") == [[("Ủy viên", "Quân ủy Trung ương", ("Thường vụ",)),
                                                       ("Thứ trưởng", "Bộ Quốc phòng", ("Thường trực",))]]


def test_implied_body_and_bare_role_filled_from_the_article(nlp):
    text = ("Bộ trưởng Bộ Y tế Trần Văn Thuấn dự hội nghị. Thủ tướng Lê Văn Khải chỉ đạo. "
            "Bộ trưởng Thuấn cho biết thêm.")
    assert positions(nlp, text, "Lê Văn Khải") == [[("Thủ tướng", "Chính phủ", ())]]
    assert positions(nlp, text, "Thuấn") == [[("Bộ trưởng", "Bộ Y tế", ())]]


def test_a_foreign_head_of_government_is_not_ours(nlp):
    text = "Thủ tướng Tây Ban Nha Jose Zapatero đến Hà Nội. Thủ tướng Zapatero nói."
    got = positions(nlp, text, "Zapatero")
    assert got and all(ps == [("Thủ tướng", "Tây Ban Nha", ())] for ps in got)


def test_former_is_a_qualifier_not_a_body():
    text = "nguyên Bộ trưởng Bộ Tài nguyên và Môi trường"
    (p,) = parse_title(text, 0, len(text), [(17, len(text), "org:bo-tai-nguyen-va-moi-truong",
                                             "Bộ Tài nguyên và Môi trường")])
    assert (p.role, p.organisation, p.qualifiers) == ("Bộ trưởng", "Bộ Tài nguyên và Môi trường", ("nguyên",))


@given(st.text(alphabet=st.sampled_from(list("BộtrưởngChủịcPhóUBNDỉ ,;kiêmTTK")), max_size=60))
@settings(max_examples=200, deadline=None)
def test_any_title_parses_to_known_roles(title):
    for p in parse_title(title, 0, len(title), []):
        assert p.role in ROLES or p.role in ABBREVIATED.values()
        assert p.organisation is None
