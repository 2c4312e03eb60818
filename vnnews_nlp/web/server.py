"""Running the service on loopback from Python: for the browser test and the load bench."""
from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from typing import Iterator

LOOPBACK = "127.0.0.1"


def free_port(host: str = LOOPBACK) -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def wait_ready(url: str, timeout: float, proc: subprocess.Popen | None = None) -> None:
    """Poll GET /healthz until 200 (the pipeline is loaded and warmed up)."""
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"the server exited with code {proc.returncode} before it was ready")
        try:
            if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{url} was not ready after {timeout:g} s")


@contextmanager
def server_thread(app, host: str = LOOPBACK, timeout: float = 120) -> Iterator[str]:
    """uvicorn serving `app` in a thread of this process; yields the base URL."""
    import uvicorn

    port = free_port(host)
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://{host}:{port}"
    try:
        wait_ready(url, timeout)
        yield url
    finally:
        server.should_exit = True
        thread.join(30)


@contextmanager
def server_process(host: str = LOOPBACK, timeout: float = 300, workers: int | None = None) -> Iterator[str]:
    """`vnnews serve` in a child process (its own GIL, as deployed); yields the base URL."""
    port = free_port(host)
    code = ("from vnnews_nlp.cli.serve import serve; "
            f"serve(host={host!r}, port={port}, workers={workers!r}, log_level='warning')")
    proc = subprocess.Popen([sys.executable, "-c", code])
    url = f"http://{host}:{port}"
    try:
        wait_ready(url, timeout, proc)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
