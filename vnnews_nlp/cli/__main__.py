"""`python -m vnnews_nlp.cli ...` runs the `vnnews` command."""
from vnnews_nlp.cli.main import app

app()
