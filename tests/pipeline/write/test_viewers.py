"""The searchable PDF in a PDF viewer: pdf.js (Debian's libjs-pdf) in Debian's Chromium,
driven by Playwright; a line of the text layer selected with the mouse gives the restored
words back, as a reader copying it would get them."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path

import pytest

from pipeline.app.run import PROVENANCE, contract_record, process_file
from pipeline.core.settings import Settings
from pipeline.write.searchable import write_searchable

playwright = pytest.importorskip("playwright.sync_api")
PDFJS = Path("/usr/share/javascript/pdf")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def handle(self) -> None:  # the viewer asks for icons Debian does not ship
        try:
            super().handle()
        except (BrokenPipeError, ConnectionResetError, FileNotFoundError):
            pass


@pytest.fixture(scope="module")
def served(generated, tmp_path_factory):
    assert (PDFJS / "web" / "viewer.html").is_file(), "pdf.js is missing: make installs " \
        "the apt package libjs-pdf"
    root = tmp_path_factory.mktemp("viewer")
    (root / "pdfjs").symlink_to(PDFJS)
    scan = generated["qd-syt"]  # skewed 3°, a pen-written day
    document, record = process_file(scan, Settings())
    write_searchable(scan, document, contract_record(record), root / "doc.pdf",
                     provenance=record[PROVENANCE])
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", contract_record(record)
    server.shutdown()


def test_selecting_a_line_in_pdfjs_gives_the_restored_words(served) -> None:
    base, record = served
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"),
                                    args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1366, "height": 1000})
        page.goto(f"{base}/pdfjs/web/viewer.html?file=/doc.pdf#zoom=100")
        page.wait_for_selector(".textLayer span", timeout=60_000)
        spans = page.locator(".textLayer span")
        texts = [spans.nth(i).inner_text() for i in range(spans.count())]
        for wanted in ("Độc lập - Tự do - Hạnh phúc", " ".join(record["subject"].split()[:4])):
            line = next(i for i, t in enumerate(texts) if t.startswith(wanted))
            box = spans.nth(line).bounding_box()
            assert box and box["width"] > 50
            y = box["y"] + box["height"] / 2
            page.mouse.move(box["x"] + 1, y)
            page.mouse.down()
            page.mouse.move(box["x"] + box["width"] - 1, y, steps=8)
            page.mouse.up()
            selected = page.evaluate("window.getSelection().toString()")
            assert " ".join(selected.split()).startswith(wanted), (wanted, selected)
        browser.close()
