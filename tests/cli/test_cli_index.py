"""vnnews_nlp.cli.index: the `vnnews index` commands."""
import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from vnnews_nlp.cli.index import register

FIXTURE = Path(__file__).parents[1] / "fixtures" / "index_records.jsonl"


@pytest.fixture()
def app():
    app = typer.Typer()
    register(app)

    @app.callback()
    def main():
        pass
    return app


def _run(app, *args):
    # a wide terminal, so rich does not wrap ids inside table cells
    return CliRunner().invoke(app, ["index", *map(str, args)], env={"COLUMNS": "250"})


def test_build_query_figures_search_export(app, tmp_path):
    db = tmp_path / "i.db"
    res = _run(app, "build", FIXTURE, "--db", db, "-q")
    assert res.exit_code == 0 and "3 added" in res.output
    res = _run(app, "query", "Quang Tri", "--db", db, "--json", "--mentions", "--articles",
               "--cooccur", "--with-label", "ORG")
    out = json.loads(res.output)
    assert out["entities"][0]["id"] == "loc:quang-tri"
    assert len(out["mentions"]) == len(out["articles"]) == 2
    assert [c["id"] for c in out["cooccurring"]][0] == "org:bo-tttt"
    res = _run(app, "query", "Bo TT&TT", "--db", db)
    assert res.exit_code == 0 and "org:bo-tttt" in res.output
    res = _run(app, "figures", "--subject", "bang thong rong", "--unit", "%", "--db", db, "--json")
    assert len(json.loads(res.output)["figures"]) == 2
    res = _run(app, "search", "bá", "--db", db, "--json")
    assert [a["id"] for a in json.loads(res.output)["articles"]] == ["ha-03"]
    res = _run(app, "export", "--db", db, "--format", "jsonl", "-o", tmp_path / "out")
    assert res.exit_code == 0 and (tmp_path / "out" / "mentions.jsonl").exists()


def test_not_found_and_errors_exit_nonzero(app, tmp_path):
    db = tmp_path / "i.db"
    _run(app, "build", FIXTURE, "--db", db, "-q")
    assert _run(app, "query", "Cà Mau", "--db", db).exit_code == 1
    res = _run(app, "query", "x", "--db", tmp_path / "none.db")
    assert res.exit_code == 2 and "vnnews index build" in res.output
    res = _run(app, "search", '"open', "--db", db)
    assert res.exit_code == 2 and "bad full-text query" in res.output
    res = _run(app, "build", tmp_path / "missing.jsonl", "--db", db)
    assert res.exit_code == 2 and "does not exist" in res.output
