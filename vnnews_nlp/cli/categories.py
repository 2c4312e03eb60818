"""`vnnews suggest / train / eval`: argument parsing and display only.

The work is done by plain functions in `vnnews_nlp.run.suggest` and, for training and
evaluation, `vnnews_nlp.categories.train` (the only module that imports scikit-learn, imported
here only when `train` or `eval` runs); `register(app)` adds the commands to the main typer app.
"""
from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console
from rich.table import Table

console = Console()


def _read_article(path: Path) -> str:
    if not path.is_file():
        raise typer.BadParameter(f"{path} is not a file")
    text = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix.lower() == ".json":
        data = json.loads(text)
        text = "\n".join(x for x in (data.get("title"), data.get("text")) if x)
    return text


def suggest(file: Path = typer.Argument(..., help="article as .txt (or .json with title/text)"),
            json_out: bool = typer.Option(False, "--json", help="print JSON"),
            k: int = typer.Option(3, "--top", "-k", help="how many menus to suggest"),
            model: Optional[Path] = typer.Option(None, help="model folder (default: shipped)")):
    """Suggest portal menus for an article, with probabilities and reasons."""
    from vnnews_nlp.run.suggest import suggest_text
    result = suggest_text(_read_article(file), k=k, model=str(model) if model else None)
    if json_out:
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return
    table = Table(title=f"Suggested menus for {file.name}")
    for col in ("menu", "code", "probability", "reasons"):
        table.add_column(col)
    for s in result:
        menu = f"{s['parent_label']} › {s['label']}" if s["parent"] else s["label"]
        why = ", ".join(f"{p} ({w:.2f})" for p, w in s["reasons"])
        table.add_row(menu, s["code"], f"{s['probability']:.2f}", why)
    console.print(table)


def train(corpus: List[Path] = typer.Argument(..., help="JSONL(.gz) files or category folders"),
          taxonomy: Optional[Path] = typer.Option(None, help="taxonomy .json/.md"),
          out: Optional[Path] = typer.Option(None, help="model folder (default: shipped place)"),
          algorithm: str = typer.Option("svm", help="svm, logreg or sgd"),
          c: float = typer.Option(1.0, "--C", help="regularisation (alpha for sgd)"),
          max_features: int = typer.Option(100_000, help="vocabulary size kept")):
    """Train a category model from a labelled archive and write it with its meta.json."""
    from vnnews_nlp.categories.train import train_paths
    command = "vnnews train " + " ".join(shlex.quote(a) for a in sys.argv[2:])
    meta = train_paths([str(p) for p in corpus], taxonomy=taxonomy, out=out, command=command,
                       algorithm=algorithm, C=c, max_features=max_features)
    cv = meta["scores"].get("cross_validated") or {}
    console.print(f"trained {meta['name']}: {len(meta['labels'])} categories, "
                  f"{meta['features']} features, cross-validated accuracy "
                  f"{cv.get('accuracy', float('nan')):.3f}, top-3 "
                  f"{cv.get('top3_accuracy', float('nan')):.3f}")


def eval_(corpus: List[Path] = typer.Argument(..., help="labelled JSONL(.gz) or folders"),
          model: Optional[Path] = typer.Option(None, help="model folder (default: shipped)"),
          json_out: bool = typer.Option(False, "--json", help="print JSON"),
          plot: Optional[Path] = typer.Option(None, help="write the confusion matrix as PNG")):
    """Score a model: accuracy, macro-F1, top-3, per category, confusion matrix."""
    from vnnews_nlp.categories.train import evaluate_paths, plot_confusion
    result = evaluate_paths([str(p) for p in corpus], model)
    if plot:
        try:
            plot_confusion(result, plot)
        except RuntimeError as err:
            console.print(f"[red]{err}[/red]")
            raise typer.Exit(1)
    if json_out:
        print(json.dumps(result, ensure_ascii=False))
        return
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


def register(app: typer.Typer) -> None:
    app.command("suggest")(suggest)
    app.command("train")(train)
    app.command("eval")(eval_)
