"""The OCR'd documents of annotated folders, cached for the training scripts.

Running the whole pipeline on ../shared/real takes minutes; the training scripts only need
each document after OCR and restoration, so it is pickled under .cache/task-docs (delete the
folder after a change to the OCR, layout or restore stages).
"""

from __future__ import annotations

import pickle
from pathlib import Path

from pipeline.app.run import process_file
from pipeline.core.document import Document
from pipeline.core.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / ".cache" / "task-docs"


def cached_document(folder: Path, path: Path) -> Document:
    """``path`` (in ``folder``) OCR'd and restored, from the cache when it was before."""
    CACHE.mkdir(parents=True, exist_ok=True)
    cached = CACHE / f"{folder.name}__{path.name}.pickle"
    if cached.exists():
        return pickle.loads(cached.read_bytes())
    document, _ = process_file(path, Settings())
    cached.write_bytes(pickle.dumps(document))
    return document
