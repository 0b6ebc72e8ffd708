"""What one file may cost: a wall-clock budget and a memory cap, each an error row when spent.

An unattended batch must not stall on one file (a 5 MB line, a page OpenCV chews on for an
hour) nor let one file take the machine's memory. ``file_budget`` arms a real-time timer
that raises ``FileTimeout`` in the worker between two Python steps, and Tesseract's own
calls end with it (``subprocess.run`` kills its child on any exception); ``memory_cap``
lowers the worker's soft address-space limit (RLIMIT_AS) so that an allocation past it
fails with ``MemoryError`` in that worker alone, and Tesseract started under it inherits
the cap. Both are undone when the file is done, so the parent's own work (the database) is
never under them.
"""

from __future__ import annotations

import resource
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

MB = 1024 * 1024


class FileTimeout(BaseException):
    """The file took longer than ``--file-timeout`` seconds; what it had read is dropped.

    Not an ``Exception``: the stages' "one bad page must not lose the others" handlers
    would take it for a page's failure and go on reading; like Ctrl-C it ends the file."""

    stage = "pipeline"


@contextmanager
def file_budget(seconds: float) -> Iterator[None]:
    """Raise ``FileTimeout`` in this thread when ``seconds`` of wall-clock time are spent
    (0: no budget). Only the main thread receives signals; elsewhere nothing is armed."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def spent(signum: int, frame: object) -> None:
        raise FileTimeout(f"took longer than {seconds:g} s (--file-timeout); "
                          "nothing of it was stored")

    before = signal.signal(signal.SIGALRM, spent)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, before)


@contextmanager
def memory_cap(megabytes: int) -> Iterator[None]:
    """Lower the soft RLIMIT_AS to ``megabytes`` more than the process already maps (its
    libraries, models and Python objects are there before any page is read), and put it back
    after; 0 or a cap above the hard limit leaves it alone."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = mapped() + megabytes * MB if megabytes > 0 else None
    if cap is None or (hard != resource.RLIM_INFINITY and cap > hard):
        yield
        return
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def mapped() -> int:
    """Bytes of address space this process maps now (VmSize); 0 where /proc is missing."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


__all__ = ["FileTimeout", "file_budget", "mapped", "memory_cap"]
