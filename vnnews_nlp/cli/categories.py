"""`vnnews suggest / train / eval`: argument parsing and display only.

The work is done by plain functions in `vnnews_nlp.run.suggest` and, for training and
evaluation, `vnnews_nlp.categories.train` (the only module that imports scikit-learn, imported
here only when `train` or `eval` runs); `register(app)` adds the commands to the main typer app.
"""
from __future__ import annotations

import itertools
import json
import shlex
import sys
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from vnnews_nlp.cli.options import missing_inputs, not_found_message, output_path


def suggest(inputs: List[str] = typer.Argument(..., help=".txt, .html, .jsonl(.gz) files, folders, or - for stdin (read as by vnnews tag)"),
            json_out: bool = typer.Option(False, "--json", help="one JSON object per article and line: {id, suggestions}"),
            k: int = typer.Option(3, "-k", "--top", min=1, help="how many menus to suggest"),
            model: Optional[Path] = typer.Option(None, "--model", help="model folder (default: shipped)")):
    """Suggest portal menus for each article, with probabilities and reasons.

    Articles that cannot be read become error records on stderr (exit 1); a missing input file is a usage error (exit 2).
    """
    from vnnews_nlp.run.record import ERROR_SCHEMA
    from vnnews_nlp.run.suggest import suggest_inputs

    missing = missing_inputs(inputs)
    if missing:
        for path in missing:
            typer.echo(not_found_message(path), err=True)
        raise typer.Exit(2)
    results = suggest_inputs(inputs, k=k, model=str(model) if model else None)
    head = list(itertools.islice(results, 2))  # one article, or several (then name each)
    if not head:
        typer.echo(f"error: no article found in {', '.join(inputs)}", err=True)
        raise typer.Exit(1)
    several = len(head) > 1
    console = Console()
    failed = 0
    for res in itertools.chain(head, results):
        if res.get("schema") == ERROR_SCHEMA:
            failed += 1
            typer.echo(json.dumps(res, ensure_ascii=False) if json_out
                       else f"error: {res['id']}: {res['message']}", err=True)
        elif json_out:
            typer.echo(json.dumps(res, ensure_ascii=False))
        else:
            name = res["id"] if several or inputs[0] == "-" else Path(inputs[0]).name
            console.print(_suggestion_table(res["suggestions"], f"Suggested menus for {name}"))
    raise typer.Exit(1 if failed else 0)


def _suggestion_table(result: list[dict], title: str) -> Table:
    table = Table(title=Text(title))
    for col in ("menu", "code", "probability", "reasons"):
        table.add_column(col)
    for s in result:
        menu = f"{s['parent_label']} › {s['label']}" if s["parent"] else s["label"]
        why = ", ".join(f"{p} ({w:.2f})" for p, w in s["reasons"])
        table.add_row(Text(menu), s["code"], f"{s['probability']:.2f}", Text(why))
    return table


def train(corpus: List[Path] = typer.Argument(..., help="JSONL(.gz) files or category folders"),
          taxonomy: Optional[Path] = typer.Option(None, "--taxonomy", help="taxonomy .json/.md"),
          output: Optional[Path] = typer.Option(None, "-o", "--output", help="model folder to write (required), e.g. models/categories/my_portal"),
          out_old: Optional[Path] = typer.Option(None, "--out", hidden=True, help="old name of --output"),
          algorithm: str = typer.Option("svm", "--algorithm", help="svm, logreg or sgd"),
          regularization: float = typer.Option(1.0, "--regularization", help="C of svm and logreg (larger: weaker regularisation); alpha of sgd"),
          max_features: int = typer.Option(100_000, "--max-features", help="vocabulary size kept"),
          words: bool = typer.Option(False, "--words", help="the segmenter's words as features too, as the shipped portal model has"),
          parent_weight: float = typer.Option(0.0, "--parent-weight", help="weight of the menu's top level (a cchc-* menu counts as cchc) added to each sub-menu; the shipped portal model uses 0.5; needs a taxonomy with parents")):
    """Train a category model from a labelled archive and write it with its meta.json."""
    from vnnews_nlp.categories.train import train_paths
    out = output_path(output, out_old, required="the folder to write the model to, "
                                               "e.g. -o models/categories/my_portal")
    command = "vnnews train " + " ".join(shlex.quote(a) for a in sys.argv[2:])
    meta = train_paths([str(p) for p in corpus], taxonomy=taxonomy, out=out, command=command,
                       algorithm=algorithm, C=regularization, max_features=max_features,
                       words=words, parent_weight=parent_weight)
    cv = meta["scores"].get("cross_validated") or {}
    typer.echo(f"trained {meta['name']} into {out}: {len(meta['labels'])} categories, "
               f"{meta['features']} features, cross-validated accuracy "
               f"{cv.get('accuracy', float('nan')):.3f}, top-3 "
               f"{cv.get('top3_accuracy', float('nan')):.3f}", err=True)


def eval_(corpus: List[Path] = typer.Argument(..., help="labelled JSONL(.gz) or folders"),
          model: Optional[Path] = typer.Option(None, "--model", help="model folder (default: shipped)"),
          json_out: bool = typer.Option(False, "--json", help="print JSON"),
          plot: Optional[Path] = typer.Option(None, "--plot", help="write the confusion matrix as PNG to this file")):
    """Score a model: accuracy, macro-F1, top-3, per category, confusion matrix."""
    from vnnews_nlp.categories.train import evaluate_paths, plot_confusion
    result = evaluate_paths([str(p) for p in corpus], model)
    if plot:
        try:
            plot_confusion(result, plot)
        except RuntimeError as err:
            typer.echo(f"error: {err}", err=True)
            raise typer.Exit(1)
    if json_out:
        print(json.dumps(result, ensure_ascii=False))
        return
    console = Console()
    console.print(f"n={result['n']}  accuracy {result['accuracy']:.3f}  macro-F1 "
                  f"{result['macro_f1']:.3f}  top-3 {result['top3_accuracy']:.3f}  "
                  f"Brier {result['brier']:.3f}  ECE {result['ece']:.3f}")
    per = Table(title="per category")
    for col in ("category", "precision", "recall", "F1", "support"):
        per.add_column(col)
    for lab, s in result["per_category"].items():
        per.add_row(lab, f"{s['precision']:.2f}", f"{s['recall']:.2f}", f"{s['f1']:.2f}",
                    str(s["support"]))
    console.print(per)
    labels, matrix = result["confusion"]["labels"], result["confusion"]["matrix"]
    conf = Table(title="confusion (rows gold, columns predicted)")
    conf.add_column("")
    for i in range(len(labels)):
        conf.add_column(str(i))
    for i, (lab, row) in enumerate(zip(labels, matrix)):
        conf.add_row(f"{i} {lab}", *[str(v) if v else "." for v in row])
    console.print(conf)


def feedback_export(db: Path = typer.Argument(..., help="the SQLite file `vnnews serve` stored choices in"),
                    output: Optional[Path] = typer.Option(None, "-o", "--output", help="JSONL file to write (required)")):
    """Editors' menu choices as training JSONL for `vnnews train` (latest choice per article)."""
    from vnnews_nlp.categories.feedback import FeedbackStore
    if not db.is_file():
        typer.echo(f"error: no feedback database at {db}; give the file `vnnews serve --feedback-db` "
                   "wrote (default ./vnnews-feedback.sqlite)", err=True)
        raise typer.Exit(2)
    out = output_path(output, None, required="the JSONL file to write, e.g. -o editors.jsonl")
    n = FeedbackStore(db).export(out)
    typer.echo(f"{n} editor choices -> {out}; train with: vnnews train CORPUS... {out} -o MODEL", err=True)


def register(app: typer.Typer) -> None:
    feedback = typer.Typer(help="Editors' menu choices from the web page.", no_args_is_help=True)
    feedback.command("export")(feedback_export)
    app.add_typer(feedback, name="feedback")
    app.command("suggest")(suggest)
    app.command("train")(train)
    app.command("eval")(eval_)
