"""`vnnews index ...`: build, query and export the entity index (see docs/index.md).

Commands only parse arguments; the work is in `vnnews_nlp.index`.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import List, Optional

import typer

index_app = typer.Typer(help="Entity index: a SQLite database of entities, mentions, figures and articles.",
                        no_args_is_help=True)

DB = typer.Option(..., "--db", help="The index database file (SQLite).")


def register(app: typer.Typer) -> None:
    app.add_typer(index_app, name="index")


@index_app.command("build")
def build_cmd(inputs: List[Path] = typer.Argument(None, help="JSONL files (.gz ok): tagged records or raw articles."),
              db: Path = DB,
              tagged: Optional[bool] = typer.Option(None, "--tagged/--raw", help="Input kind; default: detect per file."),
              workers: int = typer.Option(1, "-w", "--workers", min=1, help="Tagging processes for raw articles."),
              batch_size: int = typer.Option(500, "--batch-size", help="Articles per transaction."),
              components: Optional[str] = typer.Option(None, "--components", help="Comma-separated pipeline stages for raw articles (default: all)."),
              quiet: bool = typer.Option(False, "-q", "--quiet", help="No progress bar."),
              no_progress: bool = typer.Option(False, "--no-progress", hidden=True, help="Old name of --quiet.")):
    """Add articles to the index; unchanged articles are skipped, changed ones replaced."""
    from vnnews_nlp.index.build import build_index
    try:
        stages = None if components is None else tuple(c for c in components.split(",") if c)
        stats = build_index(inputs or [], db, tagged=tagged, progress=not (quiet or no_progress),
                            batch_size=batch_size, workers=workers, components=stages)
    except (OSError, ValueError, RuntimeError) as e:
        fail(e)
    show_build(stats, db)


@index_app.command("query")
def query_cmd(name: str = typer.Argument(..., help="Entity name, with or without diacritics."),
              db: Path = DB,
              as_json: bool = typer.Option(False, "--json", help="JSON output."),
              show_mentions: bool = typer.Option(False, "--mentions", help="Mentions of the best match."),
              show_articles: bool = typer.Option(False, "--articles", help="Articles of the best match."),
              cooccur: bool = typer.Option(False, "--cooccur", help="Entities co-occurring with the best match."),
              label: Optional[str] = typer.Option(None, help="Only entities with this label (PER, ORG, LOC, MISC)."),
              with_label: Optional[str] = typer.Option(None, help="With --cooccur: only this label."),
              with_kind: Optional[str] = typer.Option(None, help="With --cooccur: only this kind (e.g. province)."),
              limit: int = typer.Option(20, help="Rows to show.")):
    """Find entities by name; optionally list the best match's mentions, articles, co-occurrences."""
    from vnnews_nlp.index import query as q
    try:
        found = q.find_entities(db, name, limit=limit, label=label)
    except (OSError, RuntimeError) as e:
        fail(e)
    out = {"entities": found}
    if found and (show_mentions or show_articles or cooccur):
        best = found[0]["id"]
        if show_mentions:
            out["mentions"] = q.mentions(db, best, limit=limit)
        if show_articles:
            out["articles"] = q.articles_for(db, best, limit=limit)
        if cooccur:
            out["cooccurring"] = q.cooccurring(db, best, label=with_label, kind=with_kind, limit=limit)
    show(out, as_json)
    if not found:
        raise typer.Exit(1)


@index_app.command("officials")
def officials_cmd(org: str = typer.Argument(..., help="Organisation name, with or without diacritics (e.g. 'Bo TT&TT')."),
                  db: Path = DB,
                  at: Optional[str] = typer.Option(None, "--at", help="Only evidence up to this date (YYYY-MM-DD)."),
                  as_json: bool = typer.Option(False, "--json", help="JSON output."),
                  limit: int = typer.Option(50, help="Rows to show.")):
    """Who held which role in an organisation, newest first, with the articles as evidence."""
    from vnnews_nlp.index import query as q
    listing("officials", lambda: q.officials(db, org, at=at, limit=limit), as_json, empty_fails=True)


@index_app.command("person")
def person_cmd(name: str = typer.Argument(..., help="Person's name, with or without diacritics."),
               db: Path = DB,
               as_json: bool = typer.Option(False, "--json", help="JSON output."),
               limit: int = typer.Option(50, help="Rows to show.")):
    """One person's positions over time, with the articles as evidence."""
    from vnnews_nlp.index import query as q
    listing("positions", lambda: q.person_positions(db, name, limit=limit), as_json, empty_fails=True)


@index_app.command("figures")
def figures_cmd(db: Path = DB,
                subject: Optional[str] = typer.Option(None, help="Words in the figure's subject (accents optional)."),
                unit: Optional[str] = typer.Option(None, help="Unit: as stored (VND, USD, %, Mbps …) or a usual name: đồng, VNĐ, đ, tỷ đồng -> VND; đô la, đô -> USD; phần trăm -> %."),
                kind: Optional[str] = typer.Option(None, help="Figure kind, e.g. percent, money."),
                as_json: bool = typer.Option(False, "--json", help="JSON output."),
                limit: int = typer.Option(50, help="Rows to show.")):
    """Figures reported about a subject and/or in a unit."""
    from vnnews_nlp.index import query as q
    listing("figures", lambda: q.figures(db, subject=subject, unit=unit, kind=kind, limit=limit), as_json)


@index_app.command("search")
def search_cmd(fts_query: str = typer.Argument(..., help="FTS5 query; diacritics are significant."),
               db: Path = DB,
               as_json: bool = typer.Option(False, "--json", help="JSON output."),
               limit: int = typer.Option(20, help="Rows to show.")):
    """Full-text search over article titles and texts."""
    from vnnews_nlp.index import query as q
    listing("articles", lambda: q.search_text(db, fts_query, limit=limit), as_json,
            errors=(OSError, ValueError, RuntimeError))  # ValueError: a malformed FTS5 query


@index_app.command("export")
def export_cmd(db: Path = DB,
               fmt: str = typer.Option("jsonl", "--format", help='jsonl, csv or parquet; parquet needs pyarrow: pip install "vnnews-nlp\\[export]".'),
               output: Optional[Path] = typer.Option(None, "-o", "--output", help="Output folder (one file per table); required."),
               out_old: Optional[Path] = typer.Option(None, "--out", hidden=True, help="Old name of --output.")):
    """Export every table for the rest of a data team's stack (file paths on stdout)."""
    from vnnews_nlp.cli.options import output_path
    from vnnews_nlp.index.export import export_index
    out = output_path(output, out_old, required="the folder to write one file per table to")
    try:
        paths = export_index(db, out, fmt)
    except (OSError, ValueError, RuntimeError) as e:
        fail(e)
    for path in paths:
        typer.echo(str(path))


# ---- output --------------------------------------------------------------------------------

def show_build(stats, db) -> None:
    typer.echo(f"{db}: {stats.added} added, {stats.updated} updated, {stats.unchanged} unchanged, "
               f"{stats.failed} failed (of {stats.read} read)", err=True)
    for e in stats.errors[:5]:
        typer.echo(f"  failed {e.get('id')}: {e.get('error')}: {e.get('message')}", err=True)


# the columns a terminal table shows; --json gives every field
COLUMNS = {
    "entities": ["id", "name", "label", "kind", "mention_count", "article_count", "first_seen",
                 "last_seen", "successor_name", "matched", "match"],
    "mentions": ["article_id", "published", "surface", "title", "sentence_text"],
    "articles": ["id", "title", "published", "mentions", "snippet"],
    "cooccurring": ["id", "name", "label", "kind", "articles"],
    "figures": ["article_id", "text", "value", "unit", "kind", "subject"],
    "officials": ["person", "role", "org", "first_seen", "last_seen", "articles", "evidence"],
    "positions": ["person", "role", "org", "first_seen", "last_seen", "articles", "evidence"],
}


def listing(section: str, rows_of, as_json: bool, empty_fails: bool = False,
            errors: tuple = (OSError, RuntimeError)) -> None:
    """Run one lookup and show its rows; `errors` (a missing or unreadable database) exit 2,
    no rows exits 1 when `empty_fails` (a name that matched nothing)."""
    try:
        rows = rows_of()
    except errors as e:
        fail(e)
    show({section: rows}, as_json)
    if empty_fails and not rows:
        raise typer.Exit(1)


def fail(error: Exception) -> None:
    typer.echo(f"error: {error}", err=True)
    raise typer.Exit(2)


def show(sections: dict[str, list[dict]], as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(sections, ensure_ascii=False, indent=2))
        return
    from rich.console import Console
    from rich.table import Table
    console = Console()
    for name, rows in sections.items():
        table = Table(title=f"{name} ({len(rows)})", title_justify="left")
        columns = [c for c in COLUMNS.get(name, rows[0] if rows else []) if not rows or c in rows[0]]
        columns = columns or ["(none)"]
        for c in columns:
            table.add_column(c, overflow="fold")
        for r in rows:
            table.add_row(*(cell(c, r[c]) for c in columns))
        console.print(table)


def cell(column: str, value):
    """A table cell as plain rich Text: an article's "[thuê]" is text, not rich markup. In a
    search snippet, the matched words (between [ and ]) are highlighted too."""
    from rich.text import Text
    text = Text("" if value is None else ", ".join(map(str, value)) if isinstance(value, list) else str(value))
    if column == "snippet":
        text.highlight_regex(r"\[[^\[\]\n]*\]", "bold yellow")
    return text
