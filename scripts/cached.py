"""What the training scripts share: the OCR'd documents of annotated folders, cached, and
the writing of the model they fit.

Running the whole pipeline on ../shared/real takes minutes; the training scripts only need
each document after OCR and restoration, so it is pickled under .cache/task-docs (delete the
folder after a change to the OCR, layout or restore stages).
"""

from __future__ import annotations

import json
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


def write_model(path: Path, model: dict) -> None:
    """A fitted model as the pipeline reads it: indented JSON, the words as they are."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(model, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {path.relative_to(ROOT)}")
