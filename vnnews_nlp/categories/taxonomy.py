"""A portal's menu as data: codes, labels, parents and descriptions.

The shipped taxonomy is `corpora/taxonomy/portal_qt.json`; another portal brings its own file
(JSON like the shipped one, or a markdown table `| code | parent | label | description |`).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from vnnews_nlp.paths import corpora_dir

DEFAULT_NAME = "portal_qt"


@dataclass(frozen=True)
class Category:
    code: str
    label: str
    parent: str | None = None
    description: str = ""


class Taxonomy:
    def __init__(self, categories: list[Category], name: str = "custom"):
        self.name = name
        self.categories = tuple(categories)
        self._by_code = {}
        for cat in self.categories:
            if not cat.code or cat.code in self._by_code:
                raise ValueError(f"taxonomy {name!r}: empty or duplicate code {cat.code!r}; "
                                 "every category needs its own code")
            self._by_code[cat.code] = cat
        for cat in self.categories:
            if cat.parent is not None and cat.parent not in self._by_code:
                raise ValueError(f"taxonomy {name!r}: {cat.code!r} has unknown parent "
                                 f"{cat.parent!r}; add the parent category or fix the code")
        for cat in self.categories:
            self.ancestors(cat.code)  # raises on cycles

    def __len__(self) -> int:
        return len(self.categories)

    def __contains__(self, code: str) -> bool:
        return code in self._by_code

    def __getitem__(self, code: str) -> Category:
        try:
            return self._by_code[code]
        except KeyError:
            raise KeyError(f"{code!r} is not a code of taxonomy {self.name!r}; "
                           f"known codes: {', '.join(self.codes)}") from None

    @property
    def codes(self) -> list[str]:
        return [c.code for c in self.categories]

    def label(self, code: str) -> str:
        return self[code].label

    def parent(self, code: str) -> str | None:
        return self[code].parent

    def parents(self) -> dict[str, str]:
        """{menu: its parent} for every menu that has one (the trainer's hierarchy)."""
        return {c.code: c.parent for c in self.categories if c.parent is not None}

    def children(self, code: str) -> list[str]:
        return [c.code for c in self.categories if c.parent == code]

    def ancestors(self, code: str) -> list[str]:
        """Parents from nearest to the root."""
        out, seen = [], {code}
        parent = self[code].parent
        while parent is not None:
            if parent in seen:
                raise ValueError(f"taxonomy {self.name!r}: parent cycle through {parent!r}")
            out.append(parent)
            seen.add(parent)
            parent = self[parent].parent
        return out

    def is_leaf(self, code: str) -> bool:
        return not self.children(code)

    def to_dict(self) -> dict:
        return {"name": self.name, "categories": [
            {"code": c.code, "label": c.label, "parent": c.parent, "description": c.description}
            for c in self.categories]}


def from_dict(data: dict, name: str | None = None) -> Taxonomy:
    rows = data.get("categories") if isinstance(data, dict) else None
    if not isinstance(rows, list):
        raise ValueError('a taxonomy JSON needs {"categories": [{"code", "label", "parent", '
                         '"description"}, ...]}')
    cats = [Category(str(r["code"]), str(r.get("label") or r["code"]),
                     r.get("parent") or None, str(r.get("description") or "")) for r in rows]
    return Taxonomy(cats, name or data.get("name") or "custom")


def from_markdown(text: str, name: str = "custom") -> Taxonomy:
    """Rows of a table `| code | parent | label | description |`; parent `-` means none."""
    cats = []
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not line.lstrip().startswith("|") or len(cells) < 3:
            continue
        if cells[0].lower() == "code" or set(cells[0]) <= set("-: "):
            continue  # header or separator row
        parent = cells[1] if cells[1] not in ("", "-") else None
        desc = cells[3] if len(cells) > 3 else ""
        cats.append(Category(cells[0], cells[2], parent, desc))
    if not cats:
        raise ValueError("no table rows `| code | parent | label | description |` found")
    return Taxonomy(cats, name)


def load_taxonomy(path: str | Path | None = None) -> Taxonomy:
    """Load a taxonomy file (.json or .md); None gives the shipped portal menu."""
    if path is None:
        return _default()
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"taxonomy file {path} not found; pass a .json or .md file")
    text = path.read_text(encoding="utf-8")
    if path.suffix.lower() in (".md", ".markdown"):
        return from_markdown(text, path.stem)
    return from_dict(json.loads(text), path.stem)


@lru_cache(maxsize=1)
def _default() -> Taxonomy:
    return load_taxonomy(corpora_dir() / "taxonomy" / f"{DEFAULT_NAME}.json")
