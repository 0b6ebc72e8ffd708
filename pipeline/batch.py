"""Running the pipeline over many files: one worker process per core, errors as values.

A worker never raises: it returns either a record or ``{"source", "error", "stage"}``, so
one bad file cannot stop a batch.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Any

from pipeline.inputs import SUPPORTED_SUFFIXES, InputError
from pipeline.pdf import PdfError
from pipeline.run import error_record, process_file
from pipeline.settings import Settings
from pipeline.tesseract import OcrError


def run_one(path: str, settings: Settings) -> dict[str, Any]:
    try:
        _, record = process_file(path, settings)
        return record
    except InputError as exc:
        return {**error_record(path, str(exc)), "stage": "read"}
    except PdfError as exc:
        return {**error_record(path, str(exc)), "stage": "rasterize"}
    except OcrError as exc:
        return {**error_record(path, str(exc)), "stage": "ocr"}
    except MemoryError:
        return {**error_record(path, "out of memory"), "stage": "pipeline"}
    except Exception as exc:  # a bug must not end the batch; the reason is still recorded
        return {**error_record(path, f"internal error: {type(exc).__name__}: {exc}"),
                "stage": "pipeline"}


def _die_with_parent(parent: int) -> None:
    """A worker ends when the ingest that started it ends, even by SIGKILL (which leaves no
    chance to stop the pool): Linux sends it SIGTERM then (prctl PR_SET_PDEATHSIG)."""
    import ctypes
    import signal
    import sys

    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL("libc.so.6", use_errno=True)
            libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        except OSError:
            return
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(1)


def run_many(paths: list[str], settings: Settings, workers: int | None = None,
             ordered: bool = True) -> Iterator[dict]:
    """Records in the order of ``paths`` (or as they finish, ``ordered=False``); parallel
    over files when there are several. The largest files start first, so that no worker is
    left alone with a long document at the end of a batch."""
    workers = workers or os.cpu_count() or 1
    if workers <= 1 or len(paths) <= 1:
        for path in paths:
            yield run_one(path, settings)
        return
    os.environ["OMP_THREAD_LIMIT"] = "1"
    with ProcessPoolExecutor(max_workers=min(workers, len(paths)), initializer=_die_with_parent,
                             initargs=(os.getpid(),)) as pool:
        by_size = sorted(paths, key=_size, reverse=True)
        futures = {path: pool.submit(run_one, path, settings) for path in by_size}
        if ordered:
            for path in paths:
                yield futures[path].result()
        else:
            yield from (f.result() for f in as_completed(futures.values()))


def run_on_dask(paths: list[str], settings: Settings, scheduler: str) -> Iterator[dict]:
    """Records as they finish, the files spread over a Dask distributed cluster (workers on
    any machine that has vanban installed and can read the paths). The caller stays the
    one writer to the database."""
    from distributed import Client
    from distributed import as_completed as dask_completed

    with Client(scheduler) as client:
        by_size = sorted(paths, key=_size, reverse=True)
        futures = client.map(run_one, by_size, settings=settings, pure=False)
        for future in dask_completed(futures):
            yield future.result()


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def discover(root: Path) -> list[Path]:
    """Supported files under ``root``, recursively, in a stable order; truth files skipped."""
    return sorted(
        p for p in root.rglob("*")
        if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES
        and not p.name.endswith((".truth.json",)) and not p.name.startswith(".")
    )


__all__ = ["discover", "run_many", "run_on_dask", "run_one"]
