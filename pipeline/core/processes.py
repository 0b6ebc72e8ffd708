"""What a run leaves behind, and what outlives it: scratch files and child processes.

Every process keeps its temporary files (the page image handed to Tesseract) in its own
folder, ``$TMPDIR/vanban-<pid>``, removed when it exits. A process killed with SIGKILL
cannot clean up, so each command sweeps the folders of processes that no longer exist
before it starts. Children are tied to their parent with Linux's PR_SET_PDEATHSIG, so a
killed ingest takes its pool workers, and a killed worker its tesseract, with it.
"""

from __future__ import annotations

import atexit
import ctypes
import os
import shutil
import signal
import sys
import tempfile
from pathlib import Path

PREFIX = "vanban-"
ENV = "VANBAN_SCRATCH"  # the folder a command's workers share (they cannot clean up)
_folder: Path | None = None


def folder() -> str:
    """The command's scratch folder: made on first use by the command's own process and
    removed when it exits; its pool workers (started after) use the same one."""
    global _folder
    if _folder is None:
        inherited = os.environ.get(ENV)
        if inherited and Path(inherited).is_dir():
            _folder = Path(inherited)
        else:
            claim()
    return str(_folder)


def claim() -> str:
    """A command starting: its own scratch folder, whatever its environment says (a
    vanban started by another keeps its files apart, and they go when it ends)."""
    global _folder
    _folder = Path(tempfile.gettempdir()) / f"{PREFIX}{os.getpid()}"
    _folder.mkdir(mode=0o700, exist_ok=True)
    os.environ[ENV] = str(_folder)
    atexit.register(shutil.rmtree, _folder, True)
    return str(_folder)


def sweep() -> int:
    """Remove the scratch folders of vanban processes that are gone; how many went."""
    gone = 0
    for path in Path(tempfile.gettempdir()).glob(f"{PREFIX}*"):
        pid = path.name[len(PREFIX):]
        if not pid.isdigit() or not path.is_dir() or _alive(int(pid)):
            continue
        shutil.rmtree(path, ignore_errors=True)
        gone += 1
    return gone


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def die_with_parent(sig: int = signal.SIGTERM) -> bool:
    """Ask Linux to send ``sig`` to this process when its parent dies; False elsewhere."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
    except OSError:
        return False
    return libc.prctl(1, int(sig)) == 0  # PR_SET_PDEATHSIG
