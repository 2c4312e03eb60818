"""Fixtures shared by the web tests: one pipeline and one test client per module."""
import pytest

from vnnews_nlp import pipeline

try:  # the web tests skip themselves without the `serve` extra
    from fastapi.testclient import TestClient

    from vnnews_nlp.web.app import create_app
except ImportError:  # pragma: no cover
    TestClient = create_app = None


@pytest.fixture(scope="module")
def nlp():
    return pipeline.load()


@pytest.fixture(scope="module")
def client(nlp):
    with TestClient(create_app(nlp)) as c:
        yield c
