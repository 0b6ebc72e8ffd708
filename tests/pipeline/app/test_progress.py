"""The ingest progress line: live on a terminal, plain lines in a log."""

import io

from pipeline.app.progress import Progress


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_log_gets_plain_lines_only():
    log, out = io.StringIO(), io.StringIO()
    progress = Progress(3, stream=log)
    progress.note("a.pdf: Kế hoạch 89/KH-UBND", out)
    progress.done(2)
    progress.close()
    assert log.getvalue() == "" and out.getvalue() == "a.pdf: Kế hoạch 89/KH-UBND\n"


def test_terminal_gets_a_live_line_with_rate_and_eta():
    tty = _Tty()
    progress = Progress(4, stream=tty)
    progress.done(3)
    progress.done(1)
    line = progress.line()
    assert line.startswith("[ 2/4 files | 4 pages |") and "pages/s | ETA" in line
    assert tty.getvalue().count("\r") == 2  # redrawn in place
