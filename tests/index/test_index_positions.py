"""Officials' positions in the index: `index officials` and `index person` (issue 17)."""
import json
import sqlite3
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from vnnews_nlp.cli.main import app
from vnnews_nlp.index import build, query

sys.path.insert(0, str(Path(__file__).parents[1] / "fixtures"))
import index_make as fx  # noqa: E402

pytestmark = pytest.mark.issue(17)
BO = "org:bo-thong-tin-va-truyen-thong"


def rec(aid, published, person, pid, role, org, org_id):
    r = fx.make_record(aid, [f"{role} [[{person}|PER||{pid}|{person}|{role}]] phát biểu."], published=published)
    r["entities"][0]["positions"] = [{"role": role, "organisation": org, "organisation_id": org_id,
                                      "qualifiers": []}]
    return r


@pytest.fixture()
def db(tmp_path):
    records = [
        rec("a1", "2016-05-01", "Trương Minh Tuấn", "per:truong-minh-tuan", "Bộ trưởng", "Bộ Thông tin và Truyền thông", BO),
        rec("a2", "2017-03-01", "Trương Minh Tuấn", "per:truong-minh-tuan", "Bộ trưởng", "Bộ Thông tin và Truyền thông", BO),
        rec("a3", "2019-12-28", "Nguyễn Mạnh Hùng", "per:nguyen-manh-hung", "Bộ trưởng", "Bộ Thông tin và Truyền thông", BO),
        rec("a4", "2019-12-28", "Hoàng Nam", "per:hoang-nam", "Phó Chủ tịch", "Ủy ban nhân dân tỉnh Quảng Trị", None),
    ]
    path = tmp_path / "in.jsonl"
    fx.write_jsonl(path, records)
    out = tmp_path / "i.db"
    build.build_index([path], out, progress=False)
    return out


def test_officials_newest_first_with_evidence(db):
    rows = query.officials(db, BO)
    assert [(r["person"], r["role"]) for r in rows] == [("Nguyễn Mạnh Hùng", "Bộ trưởng"), ("Trương Minh Tuấn", "Bộ trưởng")]
    assert (rows[1]["first_seen"], rows[1]["last_seen"], rows[1]["articles"]) == ("2016-05-01", "2017-03-01", 2)
    assert rows[1]["evidence"] == ["a2", "a1"]


def test_officials_at_a_date_and_without_diacritics(db):
    rows = query.officials(db, "Uy ban nhan dan tinh Quang Tri")
    assert [r["person"] for r in rows] == ["Hoàng Nam"]
    assert query.officials(db, BO, at="2018-01-01")[0]["person"] == "Trương Minh Tuấn"


def test_person_positions_over_time(db):
    rows = query.person_positions(db, "Truong Minh Tuan")
    assert [(r["role"], r["org"], r["first_seen"], r["last_seen"]) for r in rows] == [
        ("Bộ trưởng", "Bộ Thông tin và Truyền thông", "2016-05-01", "2017-03-01")]


def test_cli_officials_and_person(db):
    res = CliRunner().invoke(app, ["index", "officials", BO, "--db", str(db), "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["officials"][0]["person"] == "Nguyễn Mạnh Hùng"
    res = CliRunner().invoke(app, ["index", "person", "Hoang Nam", "--db", str(db)], env={"COLUMNS": "200"})
    assert res.exit_code == 0 and "Phó Chủ tịch" in res.stdout
    assert CliRunner().invoke(app, ["index", "officials", "Không có", "--db", str(db)]).exit_code == 1


def test_positions_are_exported(db, tmp_path):
    from vnnews_nlp.index.export import export_index
    paths = export_index(db, tmp_path / "out", "jsonl")
    pos = [p for p in paths if Path(p).stem == "positions"]
    assert pos and len(Path(pos[0]).read_text(encoding="utf-8").splitlines()) == 4


def test_a_changed_article_replaces_its_positions(db, tmp_path):
    r = rec("a4", "2020-01-02", "Hoàng Nam", "per:hoang-nam", "Chủ tịch", "Ủy ban nhân dân tỉnh Quảng Trị", None)
    path = tmp_path / "again.jsonl"
    fx.write_jsonl(path, [r])
    build.build_index([path], db, progress=False)
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT role FROM positions WHERE person = 'Hoàng Nam'").fetchall() == [("Chủ tịch",)]
