"""``vanban serve`` in a real headless Chromium (Debian's, driven by Playwright) against
the real server process: search without diacritics, open a scanned document, find the
highlighted number on the page image by its pixels, correct it with ``--allow-edits`` and
see it kept after a reload, see the 403 without; an XSS and a traversal attempt."""

from __future__ import annotations

import io
import shutil
import urllib.error
import urllib.request
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from scripts.serving import serving
from tests.pipeline.app.test_faults_archive import LETTER, _letter
from tests.pipeline.app.test_serve import _extract

playwright = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def database(tmp_path_factory, generated) -> str:
    folder = tmp_path_factory.mktemp("browser")
    db = f"sqlite:///{folder / 'v.db'}"
    scan = folder / "scan.pdf"
    scan.write_bytes(generated["tb-haichau"].read_bytes())  # a pen-written number
    hostile = folder / "xss.txt"
    hostile.write_text(LETTER.format(n=13, tag="<script>window.owned = 1</script><img src=x "
                                     "onerror=\"window.owned = 2\">"), encoding="utf-8")
    _extract(db, scan, _letter(folder / "cai-cach.txt", 11, "cải cách hành chính trọng tâm"),
             hostile)
    return db


@pytest.fixture(scope="module")
def browser():
    chromium = shutil.which("chromium")
    assert chromium, "Debian's chromium is missing: `make test` installs it"
    with playwright.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        yield launched
        launched.close()


def _open(browser, base: str, width: int = 1366):  # noqa: ANN001, ANN202
    page = browser.new_page(viewport={"width": width, "height": 1000 if width > 500 else 844})
    page.on("dialog", lambda dialog: dialog.dismiss())  # vanban asks nothing by dialog
    page.goto(base + "/")
    return page


def _search_and_open_scan(page, base: str) -> None:  # noqa: ANN001
    page.fill("input[name=q]", "thong bao")  # typed without marks
    page.click("form.filters button")
    page.wait_for_url("**/?q=*")
    links = page.locator("#results a")
    assert links.count() >= 1
    for i in range(links.count()):  # the scan: the document with a page image
        href = links.nth(i).get_attribute("href")
        page.goto(base + href)
        if page.locator(".page img").count():
            return
    pytest.fail("no scanned document among the search results")


def _number_box_pixels(page) -> tuple[np.ndarray, np.ndarray, tuple[int, int, int, int]]:  # noqa: ANN001
    """The number's box as the browser drew it, and the same pixels with boxes hidden; the
    rectangle computed from the API's provenance, not from the DOM."""
    doc_id = int(page.url.rstrip("/").split("/")[-1])
    record = page.evaluate(f"fetch('/api/documents/{doc_id}').then(r => r.json())")
    x0, y0, x1, y1 = record["provenance"]["number"]["box"]
    img = page.locator(".page img").first
    img.wait_for(state="visible")
    page.wait_for_function("document.querySelector('.page img').complete")
    shown = img.bounding_box()
    natural = page.evaluate("[document.querySelector('.page img').naturalWidth, "
                            "document.querySelector('.page img').naturalHeight]")
    scale = shown["width"] / natural[0]
    rect = (round(shown["x"] + x0 * scale), round(shown["y"] + y0 * scale),
            round(shown["x"] + x1 * scale), round(shown["y"] + y1 * scale))
    clip = {"x": rect[0] - 10, "y": rect[1] - 10, "width": rect[2] - rect[0] + 20,
            "height": rect[3] - rect[1] + 20}
    page.evaluate("window.scrollTo(0, 0)")
    drawn = np.asarray(Image.open(io.BytesIO(page.screenshot(clip=clip, full_page=True)))
                       .convert("RGB")).astype(int)
    page.add_style_tag(content=".box { display: none }")
    bare = np.asarray(Image.open(io.BytesIO(page.screenshot(clip=clip, full_page=True)))
                      .convert("RGB")).astype(int)
    return drawn, bare, rect


def test_search_open_and_see_the_number_highlighted(browser, database):
    with serving(database) as base:
        page = _open(browser, base)
        _search_and_open_scan(page, base)
        drawn, bare, (x0, y0, x1, y1) = _number_box_pixels(page)
    inner = (slice(10 + 4, 10 + (y1 - y0) - 4), slice(10 + 4, 10 + (x1 - x0) - 4))
    # the box's border: the highlight's amber (or red when the value is weak) on its edges
    edge = drawn[10 + 1, 10 + 4:10 + (x1 - x0) - 4]
    amber = (np.abs(edge - [224, 160, 0]).sum(axis=1) < 60) | (
        np.abs(edge - [204, 0, 0]).sum(axis=1) < 60)
    assert amber.mean() > 0.9
    # inside: the page's own ink (the number is there) under a yellow tint
    assert bare[inner].min() < 100
    paper = bare[inner].min(axis=2) > 200
    assert paper.any()
    tint = bare[inner][paper][:, 2] - drawn[inner][paper][:, 2]  # less blue: yellow
    assert tint.mean() > 20
    assert np.abs(drawn[inner][paper][:, 0] - bare[inner][paper][:, 0]).mean() < 15


def test_correct_the_number_and_see_it_kept(browser, database):
    with serving(database, allow_edits=True) as base:
        page = _open(browser, base)
        _search_and_open_scan(page, base)
        row = page.locator("tr[data-field=number]")
        old = row.locator(".value").inner_text()
        head, rest = old.split("/", 1)
        new = f"{int(head) + 1}/{rest}"
        page.fill("#reviewer", "Người kiểm thử")  # asked once, kept for the session
        row.locator("input[name=value]").fill(new)
        with page.expect_navigation():
            row.locator("button.save").click()
        page.reload()
        row = page.locator("tr[data-field=number]")
        assert row.locator(".value").inner_text() == new
        assert "đã sửa" in row.locator(".mark").inner_text()
        assert f"{old} → {new}" in page.inner_text("body")
        assert "Người kiểm thử" in page.inner_text("body")
        url = page.url
    with serving(database) as base:  # the same database, read-only
        page = _open(browser, base)
        page.goto(base + "/documents/" + url.rstrip("/").split("/")[-1])
        assert page.locator("tr[data-field=number] .value").inner_text() == new
        assert page.locator("form.fix").count() == 0  # no edit controls
        doc_id = url.rstrip("/").split("/")[-1]
        status = page.evaluate(f"""fetch('/api/documents/{doc_id}/fields/number', {{
            method: 'PUT', headers: {{'Content-Type': 'application/json'}},
            body: JSON.stringify({{value: '1/TB-UBND', by: 'x'}})}}).then(r => r.status)""")
        assert status == 403


def test_hostile_text_stays_text_and_paths_stay_inside(browser, database):
    with serving(database) as base:
        page = _open(browser, base)
        page.fill("input[name=q]", "window owned")
        page.click("form.filters button")
        page.wait_for_url("**/?q=*")
        page.click("#results a")
        page.wait_for_load_state()
        assert "<script>window.owned = 1</script>" in page.inner_text("body")
        assert page.evaluate("window.owned") is None  # neither the script nor onerror ran
        for path in ("/api/documents/1/pages/..%2F..%2F..%2Fetc%2Fpasswd.png",
                     "/api/documents/1/pages/../../../../etc/passwd",
                     "/static/..%2F..%2F..%2F..%2Fetc%2Fpasswd", "/..%2f..%2fetc/passwd"):
            try:
                with urllib.request.urlopen(base + path) as answer:
                    body, status = answer.read(), answer.status
            except urllib.error.HTTPError as refused:
                body, status = refused.read(), refused.code
            assert status == 404 and b"root:" not in body, path
    assert Path("/etc/passwd").read_bytes().startswith(b"root:")  # the file was there
