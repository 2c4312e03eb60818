import pytest
"""Issue 6 acceptance: an entity index a data team can build, rebuild, query and export."""
import json
import sys
from pathlib import Path

from typer.testing import CliRunner
import typer

from vnnews_nlp.cli.index import register
from vnnews_nlp.index import query

sys.path.insert(0, str(Path(__file__).parents[1] / "fixtures"))
import index_make as fx  # noqa: E402

pytestmark = pytest.mark.issue(6)


def test_build_rerun_query_export(tmp_path):
    app = typer.Typer()
    register(app)
    app.callback()(lambda: None)
    src = tmp_path / "tagged.jsonl"
    fx.write_jsonl(src, fx.small_records() + list(fx.synthetic_records(40)))
    db = tmp_path / "news.db"
    run = lambda *a: CliRunner().invoke(app, ["index", *map(str, a)])  # noqa: E731
    assert run("build", src, "--db", db, "-q").exit_code == 0
    before = fx.dump(db)
    assert "43 unchanged" in run("build", src, "--db", db, "-q").output
    assert fx.dump(db) == before
    # where was this minister mentioned / which provinces appear with which ministries
    hung = query.find_entities(db, "nguyen manh hung")[0]
    assert query.mentions(db, hung["id"])[0]["title"] == "Bộ trưởng"
    finance = query.find_entities(db, "Bo Tai chinh")[0]
    provinces = query.cooccurring(db, finance["id"], label="LOC", kind="province")
    assert provinces and all(p["kind"] == "province" for p in provinces)
    # what figures were reported about broadband
    assert {f["article_id"] for f in query.figures(db, subject="băng thông rộng")} == {"qt-01", "ha-03"}
    assert run("export", "--db", db, "--format", "csv", "-o", tmp_path / "csv").exit_code == 0
    assert len((tmp_path / "csv" / "articles.csv").read_text(encoding="utf-8").splitlines()) > 43
    fx.check_consistent(db)
    out = json.loads(run("query", "Quảng Trị", "--db", db, "--json").output)
    assert {(e["name"], e["match"]) for e in out["entities"][:2]} == {("Quảng Trị", "exact")}
