"""Running the pipeline over many files: one worker process per core, errors as values.

A worker never raises: it returns either a record or ``{"source", "error", "stage"}``, so
one bad file cannot stop a batch. A worker that dies (the OOM killer, a signal) breaks the
whole pool: the files it had not started are run again in a new pool, and each file that was
in flight is run alone, so the one that kills its process is named in its error row and the
others are stored.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from pipeline.app import pdfout
from pipeline.app.run import error_record, process_file
from pipeline.core import limits, processes
from pipeline.core.errors import VanbanError, WorkerLost
from pipeline.core.settings import Settings
from pipeline.read.inputs import SUPPORTED_SUFFIXES

# how many futures a ProcessPoolExecutor hands its workers beyond one each (its call queue)
QUEUED_AHEAD = 1


def run_one(path: str, settings: Settings) -> dict[str, Any]:
    """One file read under its limits (``--file-timeout``, ``--memory-limit``)."""
    try:
        with limits.memory_cap(settings.memory_limit_mb), \
                limits.file_budget(settings.file_timeout):
            document, record = process_file(path, settings)
            if settings.pdf_out and (said := pdfout.write_for(Path(path), document, record,
                                                              settings)):
                record["warnings"].append(said)
        return record
    except limits.FileTimeout as exc:
        return {**error_record(path, str(exc)), "stage": exc.stage}
    except VanbanError as exc:
        return {**error_record(path, str(exc)), "stage": exc.stage}
    except PermissionError:
        return {**error_record(path, "permission denied: the file cannot be read"),
                "stage": "read"}
    except OSError as exc:  # the file went away or its disk failed while it was read
        return {**error_record(path, f"cannot read the file: {exc.strerror or exc}"),
                "stage": "read"}
    except MemoryError:
        return {**error_record(path, f"out of memory (more than --memory-limit "
                                     f"{settings.memory_limit_mb} MB)"), "stage": "pipeline"}
    except Exception as exc:  # a bug must not end the batch; the reason is still recorded
        return {**error_record(path, f"internal error: {type(exc).__name__}: {exc}"),
                "stage": "pipeline"}


def _die_with_parent(parent: int) -> None:
    """A worker ends when the ingest that started it ends, even by SIGKILL (which leaves no
    chance to stop the pool): Linux sends it SIGTERM then (processes.die_with_parent)."""
    processes.die_with_parent(signal.SIGTERM)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's handler, copied by fork
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
    records = _survive_lost_workers(sorted(paths, key=_size, reverse=True), settings, workers)
    if not ordered:
        yield from (record for _, record in records)
        return
    waiting: dict[str, list[dict]] = {}
    at = 0
    for path, record in records:
        waiting.setdefault(path, []).append(record)
        while at < len(paths) and waiting.get(paths[at]):
            yield waiting[paths[at]].pop()
            at += 1


def _survive_lost_workers(queue: list[str], settings: Settings, workers: int
                          ) -> Iterator[tuple[str, dict]]:
    while queue:
        lost: list[str] = []
        for path, record in _pool(queue, settings, workers):
            if record is None:
                lost.append(path)
            else:
                yield path, record
        order = {path: i for i, path in enumerate(queue)}
        lost.sort(key=order.__getitem__)
        # the pool hands out work in order: only the first few unfinished files had started
        suspects, queue = lost[: workers + QUEUED_AHEAD], lost[workers + QUEUED_AHEAD:]
        for path in suspects:
            for _, record in _pool([path], settings, 1):
                yield path, record or {**error_record(path, str(LOST)), "stage": LOST.stage}


LOST = WorkerLost("the process reading it was killed (out of memory, or a signal); "
                  "nothing of it was stored")


def _pool(paths: list[str], settings: Settings, workers: int
          ) -> Iterator[tuple[str, dict | None]]:
    """(path, record) as files finish; (path, None) for each file a dead worker took down.
    Stopped (Ctrl-C, SIGTERM, the caller gone), the workers are stopped at once, not
    waited for: what they had not stored is done again by the next run."""
    processes.folder()  # made here, so the workers share it and it goes with this process
    pool = ProcessPoolExecutor(max_workers=min(workers, len(paths)),
                               initializer=_die_with_parent, initargs=(os.getpid(),))
    try:
        futures = {pool.submit(run_one, path, settings): path for path in paths}
        for future in as_completed(futures):
            try:
                yield futures[future], future.result()
            except BrokenProcessPool:
                yield futures[future], None
    except BaseException:
        for process in list((pool._processes or {}).values()):  # no public handle on them
            process.terminate()
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


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


def discover(root: Path, follow_links: bool = False, outside: list[Path] | None = None,
             unsupported: list[Path] | None = None) -> list[Path]:
    """Supported files under ``root``, recursively, in a stable order; truth files and
    hidden files skipped, other files listed in ``unsupported``. A symbolic link that
    leads out of ``root`` (``leak.txt -> /etc/passwd``) is skipped unless
    ``follow_links``: an archive folder must not pull in what lies outside it; such links
    are listed in ``outside``."""
    inside = root.resolve()
    found = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=follow_links):
        here = Path(dirpath)
        kept = [d for d in dirnames if not d.startswith(".")]
        dirnames[:] = sorted(d for d in kept if follow_links or _within(here / d, inside))
        if outside is not None:
            outside += [here / d for d in kept if d not in dirnames]
        for name in filenames:
            path = here / name
            if name.startswith(".") or name.endswith(".truth.json"):
                continue
            if path.suffix.lower() not in SUPPORTED_SUFFIXES:
                if unsupported is not None and path.is_file():
                    unsupported.append(path)
                continue
            if not (follow_links or _within(path, inside)):
                if outside is not None:
                    outside.append(path)
            elif path.is_file():
                found.append(path)
    if unsupported is not None:
        unsupported.sort()
    return sorted(found)


def _within(path: Path, root: Path) -> bool:
    """Whether a path, its links followed, stays inside ``root``."""
    try:
        return path.resolve().is_relative_to(root)
    except (OSError, RuntimeError):  # a link loop
        return False


__all__ = ["discover", "run_many", "run_on_dask", "run_one"]
