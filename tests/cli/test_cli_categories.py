import json

import pytest
import typer
from typer.testing import CliRunner

from vnnews_nlp.cli.categories import register
from vnnews_nlp.paths import corpora_dir

runner = CliRunner()

# Written for these tests.
DOCS = {"mua": ["mưa lớn kéo dài nhiều ngày", "mưa bão gây ngập đường", "trời mưa to gió mạnh",
                "mưa rào và dông vào chiều tối"],
        "gia": ["giá vàng tăng mạnh hôm nay", "giá xăng giảm nhẹ", "giá gạo xuất khẩu ổn định",
                "giá cà phê tăng cao"]}


@pytest.fixture()
def app():
    app = typer.Typer()
    register(app)
    return app


@pytest.fixture()
def corpus(tmp_path):
    path = tmp_path / "train.jsonl"
    path.write_text("".join(json.dumps({"text": t, "label": c}, ensure_ascii=False) + "\n"
                            for c, ts in DOCS.items() for t in ts), encoding="utf-8")
    return path


def test_register_adds_three_commands(app):
    names = {c.name for c in app.registered_commands}
    assert names == {"suggest", "train", "eval"}


def test_train_then_eval_json(app, corpus, tmp_path):
    out = tmp_path / "model"
    res = runner.invoke(app, ["train", str(corpus), "-o", str(out), "--max-features", "500"])
    assert res.exit_code == 0, res.output
    meta = json.loads((out / "meta.json").read_text())
    assert meta["labels"] == ["gia", "mua"] and len(meta["training_data_sha256"]) == 64
    assert "vnnews train" in meta["command"]
    res = runner.invoke(app, ["eval", str(corpus), "--model", str(out), "--json"])
    assert res.exit_code == 0, res.output
    scores = json.loads(res.stdout)
    assert {"accuracy", "macro_f1", "top3_accuracy", "per_category", "confusion"} <= set(scores)
    assert scores["accuracy"] == 1.0  # its own training texts


def test_eval_table_shows_per_category_and_confusion(app, corpus, tmp_path):
    out = tmp_path / "model"
    runner.invoke(app, ["train", str(corpus), "-o", str(out)])
    res = runner.invoke(app, ["eval", str(corpus), "--model", str(out)])
    assert res.exit_code == 0 and "macro-F1" in res.output and "confusion" in res.output


def test_train_refuses_labels_outside_the_taxonomy(app, corpus, tmp_path):
    res = runner.invoke(app, ["train", str(corpus), "-o", str(tmp_path / "m"),
                              "--taxonomy", str(corpora_dir() / "taxonomy" / "portal_qt.json")])
    assert res.exit_code != 0
    assert "not in taxonomy" in str(res.exception)


def test_suggest_json_with_shipped_model(app, tmp_path):
    art = tmp_path / "a.txt"
    art.write_text("Đại hội Chi bộ Sở bầu Ban chấp hành nhiệm kỳ mới, công đoàn và đoàn thanh niên "
                   "phát động thi đua.", encoding="utf-8")
    res = runner.invoke(app, ["suggest", str(art), "--json"])
    assert res.exit_code == 0, res.output
    (line,) = res.stdout.splitlines()  # one JSON object per article
    out = json.loads(line)["suggestions"]
    assert len(out) == 3 and out[0]["code"] == "dang-doan-the"
    assert {"code", "label", "probability", "reasons"} <= set(out[0])
    res = runner.invoke(app, ["suggest", str(art)])
    assert res.exit_code == 0 and "Đảng" in res.output


def test_plot_without_matplotlib_says_what_to_install(app, corpus, tmp_path):
    try:
        import matplotlib  # noqa: F401
        has_mpl = True
    except ImportError:
        has_mpl = False
    out = tmp_path / "model"
    runner.invoke(app, ["train", str(corpus), "-o", str(out)])
    png = tmp_path / "cm.png"
    res = runner.invoke(app, ["eval", str(corpus), "--model", str(out), "--plot", str(png)])
    if has_mpl:
        assert res.exit_code == 0 and png.stat().st_size > 0
    else:
        assert res.exit_code == 1 and "pip install matplotlib" in res.output


@pytest.mark.issue(15)
def test_train_with_the_shipped_models_settings(app, corpus, tmp_path):
    """`--words` trains a word model like the shipped portal model; `--parent-weight` without
    menus that have parents says what to do instead of training a model without them."""
    out = tmp_path / "model"
    res = runner.invoke(app, ["train", str(corpus), "-o", str(out), "--words"])
    assert res.exit_code == 0, res.output
    meta = json.loads((out / "meta.json").read_text())
    assert meta["format"].endswith("/2")  # the word-model format
    res = runner.invoke(app, ["train", str(corpus), "-o", str(tmp_path / "m2"), "--parent-weight", "0.5"])
    assert res.exit_code != 0
    assert "--parent-weight" in str(res.exception) or "--parent-weight" in res.output
