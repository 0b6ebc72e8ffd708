"""Shared fixtures: documents rendered by the project's own generator, and ../shared data."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))

from scripts import make_samples  # noqa: E402


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A few freshly rendered documents (not the committed ones): name → input path."""
    out = tmp_path_factory.mktemp("generated")
    names = ["cv-sonoivu", "kh-vinhhoahung", "qd-syt", "tb-haichau"]
    return {name: make_samples.make(name, out, seed=7) for name in names}


@pytest.fixture(scope="session")
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.fail(f"shared data not found at {SHARED} (it must sit beside the project)")
    return SHARED


@pytest.fixture(scope="session")
def postgres_server():
    """A real PostgreSQL server started for this session (tests/postgres.py)."""
    from tests import postgres

    with postgres.server() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path) -> str:
    """The same store test on both engines: a fresh SQLite file or a fresh PG database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'v.db'}"
    from tests import postgres

    return postgres.new_database(request.getfixturevalue("postgres_server"))
