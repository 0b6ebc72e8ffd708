"""A throwaway PostgreSQL server for the test suite, from Debian's ``postgresql`` package.

initdb in a temporary folder, the server on a free local port, trust authentication, and
one new database per test; stopped at the end of the session. As root, the server runs as
the ``postgres`` user (PostgreSQL refuses to run as root).
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from scripts.serving import free_port


def _bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        raise RuntimeError("PostgreSQL is not installed: `make test` installs the Debian "
                           "package postgresql")
    return found[-1]


# base URL → (command prefix, data folder, log, port, socket folder) of a running server
SERVERS: dict[str, tuple[list[str], str, str, int, str]] = {}


def stop(base_url: str, mode: str = "fast") -> None:
    """Stop a server of ``server()`` (``-m fast`` or ``immediate``: a crash)."""
    run, data, _, _, _ = SERVERS[base_url]
    subprocess.run([*run, _bin("pg_ctl"), "-D", data, "-m", mode, "-w", "stop"], check=True,
                   capture_output=True)


def start(base_url: str) -> None:
    """Start a stopped server of ``server()`` again on the same port."""
    run, data, log, port, root = SERVERS[base_url]
    subprocess.run([*run, _bin("pg_ctl"), "-D", data, "-l", log, "-w", "-o",
                    f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off",
                    "start"], check=True, capture_output=True)


@contextmanager
def server() -> Iterator[str]:
    """Yield the server's base URL (``postgresql+psycopg://vanban@127.0.0.1:PORT``)."""
    root = tempfile.mkdtemp(prefix="vanban-pg-")
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if as_postgres:
        shutil.chown(root, "postgres", "postgres")
    data, port = os.path.join(root, "data"), free_port()
    run = [*as_postgres]
    subprocess.run([*run, _bin("initdb"), "-D", data, "-A", "trust", "-U", "vanban",
                    "-E", "UTF8", "--locale", "C.UTF-8"], check=True, capture_output=True)
    subprocess.run([*run, _bin("pg_ctl"), "-D", data, "-l", os.path.join(root, "log"), "-w",
                    "-o", f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off",
                    "start"], check=True, capture_output=True)
    url = f"postgresql+psycopg://vanban@127.0.0.1:{port}"
    SERVERS[url] = (run, data, os.path.join(root, "log"), port, root)
    try:
        yield url
    finally:
        SERVERS.pop(url, None)
        subprocess.run([*run, _bin("pg_ctl"), "-D", data, "-m", "immediate", "stop"],
                       capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


def new_database(base_url: str) -> str:
    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    plain = base_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(f"{plain}/postgres", autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return f"{base_url}/{name}"
