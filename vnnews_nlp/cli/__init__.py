"""The `vnnews` command."""
from vnnews_nlp.cli.main import app  # noqa: F401
