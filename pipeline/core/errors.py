"""One error tree for every stage (modelled on OCRmyPDF's ExitCodeException).

A ``VanbanError`` carries the stage it happened in (the ``stage`` of its error row) and the
exit status the command line ends with; its message is the one line the user reads, so it
says what is wrong in plain words, never a traceback. File names are shown and stored
through ``shown`` and ``storable``: an archive unzipped from an old Windows machine has
names that are not UTF-8, and a name may hold a newline or a terminal escape code.
"""

from __future__ import annotations

import os
import unicodedata


class VanbanError(Exception):
    """Base of every error vanban reports; ``stage`` names where, ``exit_code`` how it ends."""

    stage = "pipeline"
    exit_code = 1


class UsageError(VanbanError):
    """The command was given something it cannot use (a bad date, an unusable --db)."""

    stage = "usage"
    exit_code = 2


class InputError(VanbanError, ValueError):
    """The file cannot be read: not found, empty, not what its name says, too large."""

    stage = "read"


class PdfError(InputError):
    """The file is not a PDF vanban can read (corrupt, encrypted, a page that fails)."""

    stage = "rasterize"


class OcrError(VanbanError, RuntimeError):
    """Tesseract failed or timed out on a page."""

    stage = "ocr"


class OcrTimeout(OcrError):
    """Tesseract did not finish a page in the time allowed."""


class StoreError(VanbanError):
    """The database refused (locked, read-only, full) or is not vanban's."""

    stage = "store"


class WorkerLost(VanbanError):
    """The process reading a file died under it (killed by the OOM killer or a signal)."""

    stage = "pipeline"


def storable(name: str) -> str:
    """A file name as valid text: bytes that are not UTF-8 (kept by Python as surrogates)
    written as ``\\xf4``, so the name is stored and printed, and stays one per file."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(name).decode("utf-8", "backslashreplace")
    return name


def shown(name: str) -> str:
    """A file name safe to print on a terminal: control characters (a newline, an escape
    code that would recolour or clear the screen) written as escapes."""
    return "".join(
        ch.encode("unicode_escape").decode("ascii")
        if unicodedata.category(ch) in ("Cc", "Cf") and ch != "\u200d" else ch
        for ch in storable(name)
    )
