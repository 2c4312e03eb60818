"""`vnnews analyze`: one article's record shown as rich tables for a person to read."""
from __future__ import annotations

import json
import sys

from rich.console import Console
from rich.table import Table

from vnnews_nlp.run.analyze import analyze_record
from vnnews_nlp.text.article import InputError, iter_articles
from vnnews_nlp.run.record import error_record


def analyze_file(path: str, as_json: bool = False, console: Console | None = None) -> int:
    """Print the first article of `path`; return the exit code (0 ok, 1 failed)."""
    console = console or Console()
    item = next(iter(iter_articles([path])), None)
    if item is None:
        Console(stderr=True).print(f"[red]no article found in {path}[/red]")
        return 1
    if isinstance(item, InputError):
        rec = error_record(item.id, item.source, item.error, item.message)
    else:
        try:
            rec = analyze_record(item)
        except ValueError as exc:
            rec = error_record(item["id"], path, "invalid_article", str(exc))
    if as_json:
        sys.stdout.write(json.dumps(rec, ensure_ascii=False, indent=2) + "\n")
        return 0 if "text" in rec else 1
    if "text" not in rec:
        Console(stderr=True).print(f"[red]{rec['message']}[/red]")
        return 1
    render(rec, console)
    return 0


def render(rec: dict, console: Console) -> None:
    text = rec["text"]
    console.rule(f"[bold]{rec.get('title') or rec['id']}")
    console.print(f"{len(text):,} characters, {len(rec['sentences'])} sentences, "
                  f"{len(rec['tokens'])} words" + (f" — {rec['byline']}" if rec.get("byline") else ""))
    if rec.get("suggestions"):
        _table(console, "Chuyên mục đề xuất (category suggestions)", ("menu", "probability", "reasons"),
               ([f"{s['label']} [dim]({s['code']})", f"{s['probability']:.2f}",
                 ", ".join(r[0] for r in s.get("reasons", [])[:6])] for s in rec["suggestions"]))
    _table(console, "Thực thể (entities)", ("text", "label", "kind", "canonical", "title"),
           ([e["text"], e["label"], e.get("kind"), e.get("canonical"), e.get("title")] for e in rec.get("entities", [])))
    _table(console, "Số liệu (key figures)", ("text", "value", "unit", "kind", "subject"),
           ([f["text"], str(f["value"]), f.get("unit"), f.get("kind"), f.get("subject")] for f in rec.get("figures", [])))
    _table(console, "Ngày tháng (dates)", ("text", "value"),
           ([d["text"], d["value"]] for d in rec.get("dates", [])))


def _table(console: Console, title: str, columns, rows) -> None:
    rows = [[cell or "" for cell in row] for row in rows]
    if not rows:
        return
    t = Table(title=title)
    for col in columns:
        t.add_column(col)
    for row in rows:
        t.add_row(*row)
    console.print(t)
