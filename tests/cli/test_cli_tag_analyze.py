import json

from typer.testing import CliRunner

from vnnews_nlp.cli.main import app

runner = CliRunner()


def test_tag_to_stdout_with_error_records(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": "ok", "text": "Hội nghị tại Đông Hà."}\n{"id": "bad"}\n', encoding="utf-8")
    errors = tmp_path / "err.jsonl"
    res = runner.invoke(app, ["tag", str(src), "-o", "-", "--errors", str(errors), "--no-progress", "--components", ""])
    assert res.exit_code == 1
    (rec,) = [json.loads(line) for line in res.stdout.splitlines() if line.startswith("{")]
    assert rec["id"] == "ok" and rec["text"] == "Hội nghị tại Đông Hà."
    (err,) = [json.loads(line) for line in errors.read_text(encoding="utf-8").splitlines()]
    assert err["id"] == "bad" and err["error"] == "invalid_article"


def test_tag_all_good_exits_zero_and_writes_file(tmp_path):
    src = tmp_path / "a.txt"
    src.write_text("Bài viết mẫu về hội nghị.", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    res = runner.invoke(app, ["tag", str(src), "-o", str(out), "--no-progress", "--components", ""])
    assert res.exit_code == 0, res.output
    assert json.loads(out.read_text(encoding="utf-8"))["id"] == "a"


def test_usage_errors_exit_two(tmp_path):
    assert runner.invoke(app, ["tag"]).exit_code == 2
    assert runner.invoke(app, ["tag", "x.txt", "--components", "nope"]).exit_code == 2
    assert runner.invoke(app, ["tag", "x.txt", "--workers", "0"]).exit_code == 2


def test_analyze_prints_tables_for_a_person():
    res = runner.invoke(app, ["analyze", "corpora/samples/article_chuyendoiso.txt"])
    assert res.exit_code == 0, res.output
    assert "Quảng Trị đẩy mạnh chuyển đổi số" in res.stdout
    assert "Hoàng Nam" in res.stdout and "Phó Chủ tịch" in res.stdout
    assert "45,6 tỷ đồng" in res.stdout


def test_analyze_json_and_bad_file(tmp_path):
    res = runner.invoke(app, ["analyze", "corpora/samples/article_chuyendoiso.txt", "--json"])
    assert res.exit_code == 0
    assert json.loads(res.stdout)["schema"] == "vnnews-record/2"
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    assert runner.invoke(app, ["analyze", str(empty)]).exit_code == 1
