"""`vnnews analyze`: one article's record shown as rich tables for a person to read."""
from __future__ import annotations

import json
import sys

from rich.console import Console
from rich.table import Table

from .api import analyze_record
from .article import InputError, iter_articles
from .record import error_record


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
        t = Table(title="Chuyên mục đề xuất (category suggestions)")
        for col in ("menu", "probability", "reasons"):
            t.add_column(col)
        for s in rec["suggestions"]:
            reasons = ", ".join(r[0] for r in s.get("reasons", [])[:6])
            t.add_row(f"{s['label']} [dim]({s['code']})", f"{s['probability']:.2f}", reasons)
        console.print(t)
    if rec.get("entities"):
        t = Table(title="Thực thể (entities)")
        for col in ("text", "label", "kind", "canonical", "title"):
            t.add_column(col)
        for e in rec["entities"]:
            t.add_row(e["text"], e["label"], e.get("kind") or "", e.get("canonical") or "", e.get("title") or "")
        console.print(t)
    if rec.get("figures"):
        t = Table(title="Số liệu (key figures)")
        for col in ("text", "value", "unit", "kind", "subject"):
            t.add_column(col)
        for f in rec["figures"]:
            t.add_row(f["text"], str(f["value"]), f.get("unit") or "", f.get("kind") or "", f.get("subject") or "")
        console.print(t)
    if rec.get("dates"):
        t = Table(title="Ngày tháng (dates)")
        t.add_column("text")
        t.add_column("value")
        for d in rec["dates"]:
            t.add_row(d["text"], d["value"])
        console.print(t)
