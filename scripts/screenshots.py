"""The README's pictures of ``vanban serve``, taken by headless Chromium from the real server.

    python scripts/screenshots.py --db sqlite:///demo.db docs/screenshots

Writes search.png (a search typed without diacritics), document.png (a scanned document
with its header fields highlighted on the page image) and tasks.png (the tasks board).
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import sync_playwright  # noqa: E402

from scripts.serving import serving  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--db", default="sqlite:///demo.db")
    parser.add_argument("--query", default="cai cach hanh chinh")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with serving(args.db) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"),
                                    args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(base + "/")
        page.fill("input[name=q]", args.query)
        page.click("form.filters button")
        page.wait_for_load_state("networkidle")
        page.screenshot(path=args.out / "search.png")
        hrefs = [a.get_attribute("href") for a in page.locator("#results a").all()]
        for href in hrefs:
            page.goto(base + href)
            if page.locator(".page img").count():
                page.wait_for_function("[...document.querySelectorAll('.page img')]"
                                       ".every(i => i.complete)")
                page.screenshot(path=args.out / "document.png")
                break
        page.goto(base + "/tasks")
        page.screenshot(path=args.out / "tasks.png")
        browser.close()
    for name in ("search", "document", "tasks"):
        print(args.out / f"{name}.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
