"""The real ``vanban serve`` in a child process, for the benchmark, the screenshots and the
browser tests: on a free local port, waited for until it answers, stopped at the end."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serving(db: str, allow_edits: bool = False, wait: float = 120) -> Iterator[str]:
    """Yield the base URL of ``vanban serve --db db`` (with ``--allow-edits`` if asked)."""
    port = free_port()
    command = [sys.executable, "-m", "pipeline", "serve", "--db", db, "--port", str(port)]
    server = subprocess.Popen(command + (["--allow-edits"] if allow_edits else []), cwd=ROOT,
                              env=os.environ, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                urllib.request.urlopen(base + "/api/documents?limit=1", timeout=wait).read()
                break
            except OSError:
                if server.poll() is not None:
                    raise RuntimeError("vanban serve stopped: " + server.stderr.read()) from None
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
