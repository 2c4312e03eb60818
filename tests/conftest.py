"""Shared test setup: the helpers folder on sys.path, and the `issue` marker."""
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
for p in (HERE, HERE / "fixtures"):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))


def pytest_configure(config):
    config.addinivalue_line("markers", "issue(n): regression test for issue n")
