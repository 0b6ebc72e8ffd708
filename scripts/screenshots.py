"""The README's pictures of ``vanban serve``, taken by headless Chromium from the real server,
every page at a desktop's width (1366 px) and a phone's (390 px).

    python scripts/screenshots.py --db sqlite:///demo.db docs/screenshots

Writes NAME.png (desktop) and phone-NAME.png for: search (a search typed without
diacritics), document (a scanned document with its header fields highlighted on the page
image, opened from the review queue), review (the queue), tasks (the tasks board),
indicators and runs.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import sync_playwright  # noqa: E402

from scripts.serving import serving  # noqa: E402

WIDTHS = {"": (1366, 900), "phone-": (390, 844)}


def _scanned(page, base: str, hrefs: list[str]) -> bool:  # noqa: ANN001
    for href in hrefs:
        page.goto(base + href)
        if page.locator(".page img").count():
            page.wait_for_function("document.querySelector('.page img').complete")
            return True
    return False


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--db", default="sqlite:///demo.db")
    parser.add_argument("--query", default="cai cach hanh chinh")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    written = []
    with serving(args.db) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"),
                                    args=["--no-sandbox"])
        for prefix, (width, height) in WIDTHS.items():
            page = browser.new_page(viewport={"width": width, "height": height})

            def shot(name: str, page=page, prefix: str = prefix) -> None:  # noqa: ANN001
                path = args.out / f"{prefix}{name}.png"
                page.screenshot(path=path)
                written.append(path)

            page.goto(base + "/")
            page.fill("input[name=q]", args.query)
            page.click("form.filters button")
            page.wait_for_load_state("networkidle")
            shot("search")
            page.goto(base + "/review")
            shot("review")
            queued = [a.get_attribute("href") for a in page.locator("#queue a").all()]
            if _scanned(page, base, queued):
                shot("document")
            for name in ("tasks", "indicators", "runs"):
                page.goto(f"{base}/{name}")
                shot(name)
        browser.close()
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
