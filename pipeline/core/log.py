"""Logging with the file and the page in every line, so a layout decision can be traced.

``vanban ingest -v`` (or ``VANBAN_LOG=info``) says what each stage decided; ``-vv`` (or
``VANBAN_LOG=debug``) says why. The current file and page are context variables set by the
run of one file (pipeline.app.run), so a stage logs plainly and its line still names them::

    vanban tb-haichau.pdf p1 ocr.preprocess: turned 90° upright (Tesseract OSD)
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from pipeline.core.errors import UsageError

_file: ContextVar[str] = ContextVar("vanban_file", default="-")
_page: ContextVar[str] = ContextVar("vanban_page", default="")
LEVELS = {"debug": logging.DEBUG, "info": logging.INFO, "warning": logging.WARNING,
          "error": logging.ERROR}


def get(name: str) -> logging.Logger:
    """The logger of a stage: ``get(__name__)`` → ``vanban.ocr.preprocess``."""
    return logging.getLogger("vanban." + name.removeprefix("pipeline."))


@contextmanager
def at(file: str | None = None, page: int | None = None) -> Iterator[None]:
    """Lines logged inside name this file (and page)."""
    tokens = []
    if file is not None:
        tokens.append((_file, _file.set(os.path.basename(file))))
    if page is not None:
        tokens.append((_page, _page.set(f" p{page}")))
    try:
        yield
    finally:
        for var, token in reversed(tokens):
            var.reset(token)


class _Where(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.where = f"{_file.get()}{_page.get()}"
        record.stage = record.name.removeprefix("vanban.")
        return True


def configure(verbose: int = 0) -> None:
    """Log to stderr at the level ``-v`` counts or VANBAN_LOG names (warnings otherwise)."""
    named = os.environ.get("VANBAN_LOG", "").strip().lower()
    if named and named not in LEVELS:
        raise UsageError(f"VANBAN_LOG={named}: not a level ({', '.join(LEVELS)})")
    level = (logging.DEBUG if verbose >= 2 else logging.INFO if verbose == 1
             else LEVELS.get(named, logging.WARNING))
    root = logging.getLogger("vanban")
    root.setLevel(level)
    root.propagate = False
    if not root.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.addFilter(_Where())
        handler.setFormatter(logging.Formatter("vanban %(where)s %(stage)s: %(message)s"))
        root.addHandler(handler)
