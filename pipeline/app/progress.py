"""Progress of a batch: a live line on a terminal, plain log lines otherwise.

``[ 12/18 files | 16 pages | 0.9 pages/s | ETA 0:07 ]`` is redrawn in place on a terminal
(stderr); in a log file each finished document is a line of its own and the live line is
not written. The ETA assumes the files left hold as many pages as those done, on average.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    def __init__(self, total: int, stream: TextIO = sys.stderr) -> None:
        self.total, self.stream = total, stream
        self.files = self.pages = 0
        self.started = time.monotonic()
        self.live = stream.isatty()

    def done(self, pages: int) -> None:
        self.files += 1
        self.pages += pages
        if self.live:
            self.stream.write("\r" + self.line() + " ")
            self.stream.flush()

    def line(self) -> str:
        elapsed = max(time.monotonic() - self.started, 1e-6)
        rate = self.pages / elapsed
        left = self.total - self.files
        eta = elapsed / self.files * left if self.files else 0.0
        return (f"[ {self.files:>{len(str(self.total))}}/{self.total} files | {self.pages} pages"
                f" | {rate:.1f} pages/s | ETA {int(eta // 60)}:{int(eta % 60):02d} ]")

    def note(self, text: str, stream: TextIO) -> None:
        """A log line (a stored document, an error), printed above the live line."""
        if self.live:
            self.stream.write("\r\x1b[K")
        print(text, file=stream, flush=True)

    def close(self) -> None:
        if self.live:
            self.stream.write("\n")
            self.stream.flush()
