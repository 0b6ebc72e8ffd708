"""Build extractors/data/places.tsv: Vietnamese administrative place names with diacritics,
and extractors/data/districts.tsv: each huyện-rank unit with the tỉnh it belongs to.

The names come from the ``vietnam-provinces`` package on PyPI: release 0.6.0 holds the
three-level tree before the 2025 merger (tỉnh → huyện → xã), release 2025.10.1 the
two-level tree after it. Both wheels are fetched with pip at build time only; the pipeline
reads the TSVs this script writes (unit, name; district, province), sorted, so a rebuild is
bit-for-bit equal. District → province comes from the three-level tree (before 2025), when
huyện still existed.

    python scripts/build_lexicon.py
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
from pathlib import Path

import regex

RELEASES = ("0.6.0", "2025.10.1")
OUT = Path(__file__).resolve().parent.parent / "extractors" / "data" / "places.tsv"
DISTRICTS = OUT.parent / "districts.tsv"
# names an archive still holds that the package's snapshots no longer have: the tỉnh became
# the centrally-run thành phố Huế on 2025-01-01, before release 0.6.0 was cut
HISTORIC = {("tỉnh", "Thừa Thiên Huế")}
UNITS = ("thành phố", "thị trấn", "thị xã", "tỉnh", "huyện", "quận", "xã", "phường", "đặc khu")


def split_unit(full: str) -> tuple[str, str] | None:
    """``Thị trấn Chợ Vàm`` → (``thị trấn``, ``Chợ Vàm``)."""
    full = unicodedata.normalize("NFC", full.strip())
    lowered = full.lower()
    for unit in UNITS:
        if lowered.startswith(unit + " "):
            name = full[len(unit) + 1 :].strip()
            return (unit, name) if regex.search(r"\p{L}", name) else None
    return None


def divisions(release: str, work: Path) -> list[dict]:
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(work),
         f"vietnam-provinces=={release}"],
        check=True,
    )
    wheel = next(work.glob(f"vietnam_provinces-{release}-*.whl"))
    with zipfile.ZipFile(wheel) as zf:
        return json.loads(zf.read("vietnam_provinces/data/flat-divisions.json"))


def _full(name: str) -> str | None:
    pair = split_unit(name)
    return f"{pair[0]} {pair[1]}" if pair else None


def main() -> int:
    places: set[tuple[str, str]] = set(HISTORIC)
    districts: set[tuple[str, str]] = set()
    with tempfile.TemporaryDirectory() as tmp:
        for release in RELEASES:
            work = Path(tmp) / release
            work.mkdir()
            for row in divisions(release, work):
                district, province = (_full(row.get(k) or "") for k in
                                      ("district_name", "province_name"))
                if district and province:
                    districts.add((district, province))
                for key in ("province_name", "district_name", "ward_name", "name"):
                    if row.get(key):
                        pair = split_unit(row[key])
                        if pair:
                            places.add(pair)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    lines = [f"{unit}\t{name}" for unit, name in sorted(places)]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(lines)} places")
    rows = [f"{district}\t{province}" for district, province in sorted(districts)]
    DISTRICTS.write_text("\n".join(rows) + "\n", encoding="utf-8")
    print(f"{DISTRICTS}: {len(rows)} districts")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
