"""Issue 16, command line: what a new user trips over.

One test (or a few) per item of the issue; each failed before the change. Articles are written
for these tests.
"""
import json
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

import vnnews_nlp
from vnnews_nlp.cli.main import app
from vnnews_nlp.run.batch import run_tag

FIXTURE = Path(__file__).parents[1] / "fixtures" / "index_records.jsonl"
ROOT = Path(__file__).parents[2]
WIDE = {"COLUMNS": "250"}  # rich does not wrap table cells in a wide terminal

ARTICLE = ("Đại hội Chi bộ Sở bầu Ban chấp hành nhiệm kỳ mới, công đoàn và đoàn thanh niên "
           "phát động thi đua.")
FIGURES = ("Doanh thu toàn ngành đạt gần 470.000 tỷ đồng, tăng 16,1% so với năm 2019. "
           "Mỗi hộ cần 4-6 triệu đồng.")


def _invoke(*args, **kw):
    return CliRunner().invoke(app, [str(a) for a in args], **kw)


def _lines(path):
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines()]


# ---- 1. a missing input is a not_found record, whatever its kind and however it is run ------

@pytest.mark.issue(16)
@pytest.mark.parametrize("name", ["nope.jsonl", "nope.txt", "nope.jsonl.gz", "nope_folder"])
@pytest.mark.parametrize("quiet", [False, True])
def test_missing_input_is_a_not_found_record(tmp_path, name, quiet):
    out = tmp_path / "OUT.jsonl"
    res = _invoke("tag", tmp_path / name, "-o", out, *(["-q"] if quiet else []))
    assert res.exit_code == 1, res.output
    assert isinstance(res.exception, SystemExit)  # no traceback
    (err,) = _lines(tmp_path / "OUT.jsonl.errors.jsonl")
    assert err["error"] == "not_found" and name in err["message"]
    assert not (tmp_path / "OUT.jsonl.part").exists()


@pytest.mark.issue(16)
def test_run_that_wrote_nothing_leaves_no_part_file(tmp_path, monkeypatch):
    import vnnews_nlp.run.batch as batch

    def broken(*a, **k):
        raise RuntimeError("the pipeline could not start")
        yield  # pragma: no cover

    monkeypatch.setattr(batch, "tag_records", broken)
    src = tmp_path / "in.txt"
    src.write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "OUT.jsonl"
    with pytest.raises(RuntimeError):
        run_tag([str(src)], str(out), progress=False, components=())
    assert not (tmp_path / "OUT.jsonl.part").exists() and not out.exists()
    assert not (tmp_path / "OUT.jsonl.errors.jsonl").exists()


# ---- 2. the errors file only when there is an error -----------------------------------------

@pytest.mark.issue(16)
def test_errors_file_only_when_there_is_an_error(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "ok", "text": ARTICLE}, ensure_ascii=False) + "\n", encoding="utf-8")
    out = tmp_path / "OUT.jsonl"
    errors = tmp_path / "OUT.jsonl.errors.jsonl"
    assert _invoke("tag", src, "-o", out, "-q", "--components", "").exit_code == 0
    assert out.exists() and not errors.exists()
    with src.open("a", encoding="utf-8") as fh:
        fh.write('{"id": "bad"}\n')
    assert _invoke("tag", src, "-o", out, "-q", "--components", "").exit_code == 1
    assert [e["id"] for e in _lines(errors)] == ["bad"]
    # starting afresh drops the errors of the earlier run with the records
    src.write_text(json.dumps({"id": "ok", "text": ARTICLE}, ensure_ascii=False) + "\n", encoding="utf-8")
    assert _invoke("tag", src, "-o", out, "-q", "--overwrite", "--components", "").exit_code == 0
    assert not errors.exists()


# ---- 3. one set of flag names, --version, one exit code per failure -------------------------

def _commands(cmd, path=()):
    yield path, cmd
    for name, sub in getattr(cmd, "commands", {}).items():
        yield from _commands(sub, (*path, name))


@pytest.mark.issue(16)
def test_one_set_of_flag_names_across_commands():
    root = typer.main.get_command(app)
    seen = {"output": [], "workers": [], "quiet": []}
    for path, cmd in _commands(root):
        for p in cmd.params:
            if p.param_type_name != "option" or p.hidden:
                continue
            names = set(p.opts) | set(p.secondary_opts)
            assert not names & {"--out", "--C", "--no-progress", "--progress"}, (path, names)
            for long, short in (("--output", "-o"), ("--workers", "-w"), ("--quiet", "-q")):
                if long in names:
                    assert short in names, (path, names)
                    seen[long[2:]].append(path)
    assert ("tag",) in seen["output"] and ("train",) in seen["output"]
    assert ("index", "export") in seen["output"]
    assert ("index", "build") in seen["workers"] and ("tag",) in seen["workers"]
    assert ("tag",) in seen["quiet"] and ("index", "build") in seen["quiet"]


@pytest.mark.issue(16)
def test_version_flag():
    res = _invoke("--version")
    assert res.exit_code == 0 and res.stdout.strip() == f"vnnews {vnnews_nlp.__version__}"


@pytest.mark.issue(16)
def test_old_flag_names_are_hidden_aliases(tmp_path):
    src = tmp_path / "a.txt"
    src.write_text(ARTICLE, encoding="utf-8")
    res = _invoke("tag", src, "-o", tmp_path / "o.jsonl", "--no-progress", "--components", "")
    assert res.exit_code == 0 and res.stderr == ""  # --no-progress: no bar, no summary
    db = tmp_path / "i.db"
    assert _invoke("index", "build", FIXTURE, "--db", db, "--no-progress").exit_code == 0
    res = _invoke("index", "export", "--db", db, "--out", tmp_path / "x")
    assert res.exit_code == 0 and (tmp_path / "x" / "articles.jsonl").exists()
    assert "--out is deprecated; use -o/--output" in res.stderr
    res = _invoke("index", "export", "--db", db, "--out", tmp_path / "x", "-o", tmp_path / "y")
    assert res.exit_code == 2 and "give -o/--output only" in res.stderr
    assert _invoke("train", src, "--C", "1", "-o", tmp_path / "m").exit_code == 2  # gone, not hidden


@pytest.mark.issue(16)
@pytest.mark.parametrize("command", [["suggest"], ["suggest", "--json"], ["analyze"], ["analyze", "--json"]])
def test_missing_input_file_is_a_usage_error(tmp_path, command):
    missing = tmp_path / "nope.txt"
    res = _invoke(*command, missing)
    assert res.exit_code == 2, res.output
    assert "no such file or folder" in res.stderr and str(missing) in res.stderr
    assert res.stdout == ""


# ---- 4. suggest reads its inputs as tag does -------------------------------------------------

@pytest.mark.issue(16)
def test_suggest_reads_stdin():
    res = _invoke("suggest", "-", "--json", input=ARTICLE)
    assert res.exit_code == 0, res.output
    (line,) = res.stdout.splitlines()
    got = json.loads(line)
    assert got["id"] == "stdin" and got["suggestions"][0]["code"] == "dang-doan-the"


@pytest.mark.issue(16)
def test_suggest_reads_jsonl_articles_not_their_keys(tmp_path):
    txt = tmp_path / "one.txt"
    txt.write_text(ARTICLE, encoding="utf-8")
    src = tmp_path / "two.jsonl"
    src.write_text(json.dumps({"id": "a1", "text": ARTICLE, "label": "the_thao"}, ensure_ascii=False) + "\n"
                   + json.dumps({"id": "a2", "text": FIGURES, "label": "kinh_doanh"}, ensure_ascii=False) + "\n",
                   encoding="utf-8")
    from vnnews_nlp.run.suggest import suggest_inputs

    (plain,) = suggest_inputs([str(txt)])
    first, second = suggest_inputs([str(src)])
    assert (first["id"], second["id"]) == ("a1", "a2")
    # the JSON line's keys and label are not read as words of the article
    assert first["suggestions"] == plain["suggestions"]
    res = _invoke("suggest", src, "--json")
    assert res.exit_code == 0, res.output
    assert [json.loads(line)["id"] for line in res.stdout.splitlines()] == ["a1", "a2"]
    res = _invoke("suggest", src, env=WIDE)
    assert res.exit_code == 0 and "a1" in res.stdout and "a2" in res.stdout


@pytest.mark.issue(16)
def test_suggest_bad_record_is_an_error_record(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "ok", "text": ARTICLE}, ensure_ascii=False) + '\n{"id": "bad"}\n',
                   encoding="utf-8")
    res = _invoke("suggest", src, "--json")
    assert res.exit_code == 1
    assert [json.loads(line)["id"] for line in res.stdout.splitlines()] == ["ok"]
    assert json.loads(res.stderr.splitlines()[-1])["error"] == "invalid_article"


# ---- 5. train needs an explicit output ------------------------------------------------------

@pytest.mark.issue(16)
def test_train_requires_an_output(tmp_path):
    corpus = tmp_path / "train.jsonl"
    docs = {"mua": ["mưa lớn kéo dài nhiều ngày", "mưa bão gây ngập đường", "trời mưa to gió mạnh",
                    "mưa rào và dông vào chiều tối"],
            "gia": ["giá vàng tăng mạnh hôm nay", "giá xăng giảm nhẹ", "giá gạo xuất khẩu ổn định",
                    "giá cà phê tăng cao"]}
    corpus.write_text("".join(json.dumps({"text": t, "label": c}, ensure_ascii=False) + "\n"
                              for c, ts in docs.items() for t in ts), encoding="utf-8")
    before = sorted((ROOT / "models").rglob("*"))
    res = _invoke("train", corpus)
    assert res.exit_code == 2 and "-o" in res.stderr and "--output" in res.stderr
    assert sorted((ROOT / "models").rglob("*")) == before
    res = _invoke("train", corpus, "-o", tmp_path / "m", "--regularization", "0.5")
    assert res.exit_code == 0, res.output
    assert json.loads((tmp_path / "m" / "meta.json").read_text())["labels"] == ["gia", "mua"]
    assert "trained" in res.stderr and res.stdout == ""  # a message, not data


# ---- 6. analyze: approx/range/change shown; entities grouped --------------------------------

@pytest.mark.issue(16)
def test_figure_values_show_approx_range_and_change():
    from vnnews_nlp.cli.report import figure_value

    def shown(**fig):
        return figure_value(fig).replace("\u00a0", " ")  # digits are grouped by no-break spaces

    assert shown(value=470000000000000, unit="VND", approx="gần", range=None, change=None) \
        == "≈ 470 000 000 000 000 VND"
    assert shown(value=4000000, unit="VND", approx=None, range=[4000000, 6000000], change=None) \
        == "4 000 000–6 000 000 VND"
    assert shown(value=16.1, unit="%", approx=None, range=None, change="increase") == "+16.1 %"
    assert shown(value=2, unit=None, approx="hơn", range=None, change="decrease") == "> −2"
    assert shown(value=45600000000, unit="VND", approx=None, range=None, change=None) == "45 600 000 000 VND"


@pytest.mark.issue(16)
def test_analyze_table_shows_figures_fully_and_groups_entities(tmp_path):
    art = tmp_path / "a.txt"
    art.write_text(FIGURES + " Việt Nam và Lào ký kết. Việt Nam hợp tác với Lào. Đoàn Việt Nam về nước.",
                   encoding="utf-8")
    res = _invoke("analyze", art, env=WIDE)
    assert res.exit_code == 0, res.output
    out = res.stdout.replace("\u00a0", " ")
    assert "≈ 470 000 000 000 000 VND" in out
    assert "4 000 000–6 000 000 VND" in out and "+16.1 %" in out
    # entity rows only: the reasons column may quote "Việt Nam" too, as the article's words
    vn = [line for line in out.splitlines() if "Việt Nam" in line and "│ LOC" in line]
    assert len(vn) == 1 and "│ 3 " in vn[0]


@pytest.mark.issue(16)
def test_entity_rows_group_by_entity():
    from vnnews_nlp.cli.report import entity_rows

    ents = [
        {"text": "Bộ TT&TT", "label": "ORG", "kind": "ministry", "entity_id": "org:bo-tttt",
         "canonical": "Bộ Thông tin và Truyền thông", "title": None},
        {"text": "UBND tỉnh", "label": "ORG", "kind": "peoples_committee", "entity_id": None,
         "canonical": None, "title": None},
        {"text": "Bộ Thông tin và Truyền thông", "label": "ORG", "kind": "ministry",
         "entity_id": "org:bo-tttt", "canonical": "Bộ Thông tin và Truyền thông", "title": None},
        {"text": "UBND tỉnh", "label": "ORG", "kind": "peoples_committee", "entity_id": None,
         "canonical": None, "title": None},
        {"text": "Bộ TT&TT", "label": "ORG", "kind": "ministry", "entity_id": "org:bo-tttt",
         "canonical": "Bộ Thông tin và Truyền thông", "title": None},
    ]
    rows = entity_rows(ents)
    assert [(r["entity"], r["count"], r["surfaces"]) for r in rows] == [
        ("Bộ Thông tin và Truyền thông", 3, ["Bộ TT&TT", "Bộ Thông tin và Truyền thông"]),
        ("UBND tỉnh", 2, ["UBND tỉnh"]),
    ]


# ---- 7, 8, 9. index search, figures by unit name, export without pyarrow --------------------

@pytest.fixture()
def db(tmp_path):
    from vnnews_nlp.index.build import build_index

    db = tmp_path / "i.db"
    build_index([FIXTURE], db, progress=False)
    return db


@pytest.mark.issue(16)
def test_search_table_keeps_lowercase_highlighted_words(db):
    res = _invoke("index", "search", "trạm", "--db", db, env=WIDE)
    assert res.exit_code == 0, res.output
    assert "[trạm]" in res.stdout


@pytest.mark.issue(16)
@pytest.mark.parametrize("unit", ["đồng", "VNĐ", "VND", "đ", "tỷ đồng"])
def test_figures_by_usual_unit_names(db, unit):
    res = _invoke("index", "figures", "--unit", unit, "--db", db, "--json")
    assert res.exit_code == 0, res.output
    assert [f["article_id"] for f in json.loads(res.stdout)["figures"]] == ["kh-02"]


@pytest.mark.issue(16)
def test_export_default_format_works_without_pyarrow(db, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # import pyarrow fails
    res = _invoke("index", "export", "--db", db, "-o", tmp_path / "x")
    assert res.exit_code == 0, res.output
    assert (tmp_path / "x" / "mentions.jsonl").exists()
    res = _invoke("index", "export", "--db", db, "-o", tmp_path / "p", "--format", "parquet")
    assert res.exit_code == 2 and 'pip install "vnnews-nlp[export]"' in res.stderr
    assert "Traceback" not in res.output


# ---- 10. README and --help agree with the code ----------------------------------------------

@pytest.mark.issue(16)
def test_readme_names_the_flags_the_code_has():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "--out " not in readme and "--C " not in readme
    assert 'pip install "vnnews-nlp[export]"' in readme
    assert "vnnews train ARCHIVE.jsonl.gz --taxonomy MENU.json -o " in readme
    assert "vnnews suggest article.txt archive.jsonl - " in readme
    assert "-w/--workers" in readme and "-q/--quiet" in readme and "vnnews --version" in readme
    res = _invoke("index", "export", "--help", env=WIDE)
    assert "jsonl" in res.stdout and "vnnews-nlp[export]" in res.stdout
    res = _invoke("index", "figures", "--help", env=WIDE)
    assert "đồng" in res.stdout and "VND" in res.stdout


@pytest.mark.parametrize("workers", ["1", "2"])
def test_tones_flag_rewrites_misplaced_tone_marks(tmp_path, workers):
    from typer.testing import CliRunner

    from vnnews_nlp.cli.main import app

    src = tmp_path / "a.txt"
    src.write_text("Ông baỏ rằng lựơng mưa tăng mạnh trong đêm qua.\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    res = CliRunner().invoke(app, ["tag", str(src), "-o", str(out), "-q", "-w", workers, "--tones", "new"])
    assert res.exit_code == 0, res.output
    rec = json.loads(out.read_text(encoding="utf-8"))
    assert rec["text"].startswith("Ông bảo rằng lượng mưa")
    plain = CliRunner().invoke(app, ["tag", str(src), "-o", "-", "-q"])
    assert "baỏ" in json.loads(plain.stdout.splitlines()[0])["text"]
    assert CliRunner().invoke(app, ["tag", str(src), "-o", "-", "--tones", "modern"]).exit_code == 2
