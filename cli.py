"""Run the `vnnews` command from a source checkout: `python cli.py tag ...`.

The real command line lives in `vnnews_nlp.cli.main`; this file only hands over to it.
"""
from vnnews_nlp.cli.main import app

if __name__ == "__main__":
    app()
