"""Reviewing an archive in a real headless Chromium (Debian's, driven by Playwright)
against the real ``vanban serve --allow-edits``, at a desktop's 1366 px and a phone's
390 px: search without diacritics, open the first document of the review queue, give the
reviewer's name once, correct the missing number and confirm a field by keyboard alone;
the document leaves the queue, and its corrected number is found by the web search,
``vanban query documents --number``, ``vanban query tasks`` and the workbook."""

from __future__ import annotations

import json

import pytest

from scripts.serving import serving
from tests.pipeline.app.test_browser import browser  # noqa: F401 (the fixture)
from tests.pipeline.app.test_faults_archive import LETTER, vanban
from tests.pipeline.app.test_serve import _extract

playwright = pytest.importorskip("playwright.sync_api")
WIDTHS = (1366, 390)


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> str:
    """Letters whose number was not found (each first in the queue in turn), one whole."""
    folder = tmp_path_factory.mktemp("review")
    db = f"sqlite:///{folder / 'v.db'}"
    letters = []
    for i, words in enumerate(("thủy lợi nội đồng", "phòng chống thiên tai", "đủ trường")):
        path = folder / f"letter-{i}.txt"
        lines = LETTER.format(n=40 + i, tag=words).splitlines()
        if i < len(WIDTHS):
            lines = [line for line in lines if not line.startswith("Số:")]
        path.write_text("\n".join(lines), encoding="utf-8")
        letters.append(path)
    _extract(db, *letters)
    return db


def _queue(page, base: str) -> list[str]:  # noqa: ANN001
    page.goto(base + "/review")
    return [a.get_attribute("href") for a in page.locator("#queue a").all()]


@pytest.mark.parametrize("width", WIDTHS)
def test_review_a_document_by_keyboard_until_it_leaves_the_queue(browser, archive, width):  # noqa: F811
    new = f"{width}/UBND-VP"
    with serving(archive, allow_edits=True) as base:
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.on("dialog", lambda dialog: dialog.dismiss())
        page.goto(base + "/")
        page.fill("input[name=q]", "bao cao ket qua cai cach")  # typed without marks
        page.keyboard.press("Enter")
        page.wait_for_url("**/?q=*")
        assert page.locator("#results a").count() >= 2
        queued = _queue(page, base)
        assert queued and "Số ký hiệu: không tìm thấy" in page.inner_text("#queue")
        page.click("#queue a")  # the first: the weakest
        page.wait_for_url("**/documents/*?review=1")
        doc_id = page.url.split("/documents/")[1].split("?")[0]
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1  # no sideways
        assert page.evaluate("document.activeElement.id") == "reviewer"  # asked first, once
        page.keyboard.type("Trần Thị Lan")
        page.keyboard.press("Enter")  # on to the first flagged field: the missing number
        assert page.evaluate("document.activeElement.closest('tr').dataset.field") == "number"
        page.keyboard.type(new.lower())  # any case: stored canonical
        with page.expect_navigation():
            page.keyboard.press("Enter")
        while page.locator("tr[data-flagged] input[name=value]").count():  # any other flag
            field = page.evaluate("document.activeElement.closest('tr').dataset.field")
            with page.expect_navigation():
                page.keyboard.press("Control+Enter")  # đúng: the value shown is right
            assert page.locator(f"tr[data-field={field}][data-flagged]").count() == 0
        page.locator("tr[data-field=subject] input[name=value]").focus()
        with page.expect_navigation():
            page.keyboard.press("Control+Enter")  # confirm a field that was not flagged
        assert page.locator("tr[data-field=number] .value").inner_text() == new
        history = page.inner_text("#history")
        assert f"→ {new}" in history and "xác nhận đúng" in history
        assert "Trần Thị Lan" in history
        assert "đã xem xong" in page.inner_text("#review-banner")
        assert f"/documents/{doc_id}?review=1" not in _queue(page, base)  # left the queue
        page.goto(base + "/")
        page.fill("input[name=q]", new)  # the web search, by the corrected number
        page.keyboard.press("Enter")
        page.wait_for_url("**/?q=*")
        assert [a.get_attribute("href") for a in page.locator("#results a").all()] == [
            f"/documents/{doc_id}"]
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
    db = archive
    found = json.loads(vanban("query", "documents", "--number", new.lower(), "--format",
                              "json", "--db", db).stdout)
    assert [d["number"] for d in found] == [new]
    tasks = json.loads(vanban("query", "tasks", "--format", "json", "--db", db).stdout)
    assert new in {t["number"] for t in tasks}
    book = archive.removeprefix("sqlite:///") + f".{width}.xlsx"
    assert vanban("query", "documents", "--xlsx", book, "--db", db).returncode == 0
    from openpyxl import load_workbook

    sheet = load_workbook(book)["Văn bản"]
    assert new in [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
