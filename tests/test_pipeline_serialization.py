"""Saving and loading the pipeline like any spaCy pipeline: `nlp.to_disk` + `spacy.load`,
`to_bytes`/`from_bytes` and pickle give the records of the original pipeline; a saved
pipeline carries its model files, so it works without the repo's models/ and corpora/ folders
and `python -m spacy package` makes an installable package of it (all offline)."""
from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
import spacy

import vnnews_nlp
from vnnews_nlp.pipeline import COMPONENTS, build
from vnnews_nlp.run.analyze import analyze_record

pytestmark = pytest.mark.issue(12)

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "corpora" / "samples"

# Run in a fresh process: load a pipeline (a path or an installed package name, argv[1]),
# check that loading read no model, then print one record per sample article (argv[2]).
SCRIPT = r"""
import json, sys
import spacy, vnnews_nlp
from vnnews_nlp.run.analyze import analyze_record
from vnnews_nlp.categories.model import load_model
from vnnews_nlp.entities.knowledge import load_knowledge
from vnnews_nlp.entities.model import load_ner
from vnnews_nlp.segment.wordseg import load_segmenter

nlp = spacy.load(sys.argv[1])
for _, proc in nlp.pipeline:
    getattr(proc, "model", None)  # what spaCy's component checks read must not load a model
loaded = [f.cache_info().currsize for f in (load_model, load_knowledge, load_ner, load_segmenter)]
print(json.dumps({"loaded_at_start": loaded, "tokenizer": nlp.tokenizer.model_path,
                  "requirements": nlp.meta.get("requirements")}))
for art in vnnews_nlp.iter_articles([sys.argv[2]]):
    if isinstance(art, dict):
        print(json.dumps(analyze_record(art, nlp=nlp), ensure_ascii=False, sort_keys=True))
"""


def articles() -> list[dict]:
    return [a for a in vnnews_nlp.iter_articles([SAMPLES]) if isinstance(a, dict)]


def records(nlp) -> list[str]:
    return [json.dumps(analyze_record(a, nlp=nlp), ensure_ascii=False, sort_keys=True)
            for a in articles()]


@pytest.fixture(scope="module")
def nlp():
    return build()


@pytest.fixture(scope="module")
def want(nlp) -> list[str]:
    got = records(nlp)
    # every stage has something to show, so equal records compare real output
    assert len(got) == 7 and all('"entities": [{' in r and '"figures": [{' in r
                                 and '"suggestions": [{' in r for r in got)
    return got


@pytest.fixture(scope="module")
def saved(nlp, want, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("saved") / "vi_vnnews"
    nlp.to_disk(path)  # after use: the models are loaded, saving copies their files anyway
    return path


def no_repo_env(tmp_path: Path, **extra) -> dict:
    """An environment where the repo's models/ and corpora/ folders are out of reach."""
    for name in ("no_models", "no_corpora"):
        (tmp_path / name).mkdir(exist_ok=True)
    env = {**os.environ, "VNNEWS_MODELS": str(tmp_path / "no_models"),
           "VNNEWS_CORPORA": str(tmp_path / "no_corpora"), **extra}
    return env


def run_script(target: str, env: dict, cwd: Path) -> tuple[dict, list[str]]:
    out = subprocess.run([sys.executable, "-c", SCRIPT, target, str(SAMPLES)], env=env,
                         cwd=cwd, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-3000:]
    head, *recs = out.stdout.splitlines()
    return json.loads(head), recs


def test_to_disk_saves_settings_and_model_files(saved):
    assert json.loads((saved / "tokenizer" / "cfg").read_text()) == {"segment": True,
                                                                     "convention": "vlsp",
                                                                     "tones": None}
    for f in ("tokenizer/wordseg/weights.npz", "tokenizer/wordseg/lexicon.txt",
              "vnnews_entities/ner/ner.crfsuite", "vnnews_entities/ner/clusters.json",
              "vnnews_entities/knowledge/provinces.json",
              "vnnews_categories/model/portal_qt/model.npz",
              "vnnews_categories/model/portal_qt/taxonomy.json"):
        assert (saved / f).is_file(), f
    for f in ("tokenizer/wordseg/weights.npz", "vnnews_entities/ner/ner.crfsuite"):
        models = ROOT / "models" / ("wordseg" if "wordseg" in f else "ner")
        assert (saved / f).read_bytes() == (models / Path(f).name).read_bytes()
    assert not list(saved.rglob("*.py"))  # data only: the code comes from vnnews_nlp


def test_spacy_load_gives_the_same_records(saved, want):
    loaded = spacy.load(saved)
    assert loaded.pipe_names == list(COMPONENTS)
    # the loaded pipeline reads the saved copies, not the repo's models
    inside = [loaded.tokenizer.model_path, loaded.get_pipe("vnnews_entities").model_path,
              loaded.get_pipe("vnnews_entities").knowledge_path,
              loaded.get_pipe("vnnews_categories").model_path]
    assert all(p and Path(p).is_relative_to(saved.resolve()) for p in inside), inside
    assert records(loaded) == want


def test_saving_a_loaded_pipeline_again(saved, want, tmp_path):
    loaded = spacy.load(saved)
    loaded.to_disk(tmp_path / "again")
    loaded.to_disk(saved)  # where it was loaded from: nothing is lost
    assert (saved / "vnnews_entities" / "ner" / "ner.crfsuite").is_file()
    assert records(spacy.load(tmp_path / "again")) == want


def test_tokenizer_settings_come_back_from_disk_and_bytes(tmp_path):
    ud = build(components=(), convention="ud")
    ud.to_disk(tmp_path / "ud")
    tok = build(components=()).tokenizer
    assert tok.convention == "vlsp"
    tok.from_disk(tmp_path / "ud" / "tokenizer")
    assert tok.convention == "ud" and tok.model_path.endswith("wordseg")
    other = build(components=()).tokenizer.from_bytes(ud.tokenizer.to_bytes())
    assert (other.segment, other.convention, other.model_path) == (True, "ud", None)
    text = "Người dân Hà Nội"
    assert [t.text for t in other(text)] == [t.text for t in ud(text)] != [
        t.text for t in build(components=())(text)]
    plain = build(components=(), segment=False)
    plain.to_disk(tmp_path / "plain")  # no segmenter, no model copy
    assert not (tmp_path / "plain" / "tokenizer" / "wordseg").exists()
    assert spacy.load(tmp_path / "plain").tokenizer.segment is False


def test_bytes_round_trip_gives_the_same_records(nlp, want, saved):
    assert records(build().from_bytes(nlp.to_bytes())) == want
    loaded = spacy.load(saved)
    again = build().from_bytes(loaded.to_bytes())
    assert again.get_pipe("vnnews_categories").model_path == \
        loaded.get_pipe("vnnews_categories").model_path
    assert again.tokenizer.model_path == loaded.tokenizer.model_path
    assert records(again) == want


def test_pickle_round_trip_gives_the_same_records(nlp, want, saved):
    # `nlp` has run: its entity stage holds a loaded crfsuite tagger, which cannot pickle
    assert records(pickle.loads(pickle.dumps(nlp))) == want
    loaded = spacy.load(saved)
    records(loaded)
    copy = pickle.loads(pickle.dumps(loaded))
    assert copy.tokenizer.model_path == loaded.tokenizer.model_path
    assert records(copy) == want


def test_saved_pipeline_works_without_the_repo_models(saved, want, tmp_path):
    env = no_repo_env(tmp_path)
    # the default pipeline really cannot find its models in this environment ...
    out = subprocess.run([sys.executable, "-c",
                          "from vnnews_nlp.pipeline import build; build()('Hà Nội')"],
                         env=env, cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert out.returncode != 0 and "no_models" in out.stderr
    # ... the saved one brings its own, and loads none of them before the first article
    head, recs = run_script(str(saved), env, tmp_path)
    assert head["loaded_at_start"] == [0, 0, 0, 0]
    assert recs == want


def test_spacy_package_builds_an_installable_package(saved, want, tmp_path):
    out_dir, target = tmp_path / "out", tmp_path / "site"
    out_dir.mkdir()
    offline = {**os.environ, "PIP_NO_INDEX": "1"}
    subprocess.run([sys.executable, "-m", "spacy", "package", str(saved), str(out_dir),
                    "--name", "vnnews", "--version", "0.0.1", "--force"],
                   env=offline, cwd=tmp_path, check=True, capture_output=True, timeout=600)
    sdist = out_dir / "vi_vnnews-0.0.1" / "dist" / "vi_vnnews-0.0.1.tar.gz"
    assert sdist.is_file()
    pip = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                          "--no-build-isolation", "--no-index", "--target", str(target),
                          str(sdist)], env=offline, cwd=tmp_path, capture_output=True,
                         text=True, timeout=600)
    assert pip.returncode == 0, pip.stderr[-3000:]
    assert (target / "vi_vnnews" / "vi_vnnews-0.0.1" / "tokenizer" / "wordseg").is_dir()
    head, recs = run_script("vi_vnnews", no_repo_env(tmp_path, PYTHONPATH=str(target)), tmp_path)
    assert Path(head["tokenizer"]).is_relative_to(target.resolve())
    assert any(r.startswith("vnnews-nlp") for r in head["requirements"])
    assert recs == want


@pytest.mark.issue(16)
def test_tone_setting_survives_saving(tmp_path):
    from vnnews_nlp.pipeline import build

    build(components=(), tones="old").to_disk(tmp_path / "p")
    assert spacy.load(tmp_path / "p")("Hoà bình").text == "Hòa bình"
