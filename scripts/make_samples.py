"""Render the sample archive: realistic scanned Vietnamese directives with truth files.

    python scripts/make_samples.py data/samples            # the committed set
    python scripts/make_samples.py /tmp/x --only kh-chovam  # one document

Each document X gets X.pdf/.png/.jpg/.tif and X.truth.json (the contract's record keys
plus ``text``, the exact page text in vanban's reading order, pages joined by form feeds).
"""

from __future__ import annotations

import argparse
import io
import json
import random
import sys
import time
import unicodedata
from pathlib import Path

from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.samplegen.build import make_spec  # noqa: E402
from scripts.samplegen.content import Spec  # noqa: E402
from scripts.samplegen.degrade import Scan, degrade  # noqa: E402
from scripts.samplegen.render import render  # noqa: E402

# name, type, issuer index, table, body length, output format, scan, handwritten fields
# (chỉ tiêu tables are in TARGET_TABLES below)
SAMPLES: list[tuple[str, str, int, bool, int, str, Scan, set[str]]] = [
    ("kh-chovam", "Kế hoạch", 0, True, 5, "pdf", Scan(skew=0.7), set()),
    ("cv-hatien", "Công văn", 4, False, 5, "pdf", Scan(skew=-1.5, noise=8, jpeg_quality=55), set()),
    ("qd-kiengiang", "Quyết định", 1, False, 4, "pdf", Scan(dpi=200, photocopy=True), set()),
    ("cv-sonoivu", "Công văn", 2, False, 3, "png", Scan(skew=0.4, colour=False), {"number"}),
    ("bc-danang", "Báo cáo", 3, False, 4, "jpg", Scan(dpi=200, skew=2.5, jpeg_quality=70),
     set()),
    ("tb-haichau", "Thông báo", 7, False, 3, "pdf", Scan(dpi=150, blur=0.8), set()),
    ("kh-vinhhoahung", "Kế hoạch", 5, True, 4, "tif", Scan(colour=False), set()),
    ("qd-syt", "Quyết định", 6, False, 3, "pdf", Scan(skew=-3.0), {"day"}),
    ("ttr-lapvo", "Tờ trình", 9, False, 3, "pdf", Scan(dpi=200, noise=6), set()),
    ("ct-tnmt", "Chỉ thị", 8, False, 4, "png", Scan(dpi=200, noise=10, colour=False, bilevel=True),
     set()),
    ("cv-lapvo", "Công văn", 9, False, 4, "jpg", Scan(jpeg_quality=60, skew=1.0),
     {"number", "day"}),
    ("kh-hatien", "Kế hoạch", 4, True, 8, "pdf", Scan(photocopy=True, skew=-0.8), set()),
    ("bc-chovam", "Báo cáo", 0, False, 5, "pdf", Scan(skew=1.2, blur=0.7), set()),
    ("qd-haichau", "Quyết định", 7, False, 4, "tif", Scan(dpi=200, colour=False), set()),
    ("cv-danang", "Công văn", 3, False, 4, "pdf", Scan(dpi=150, noise=6), set()),
    ("tb-angiang", "Thông báo", 2, False, 4, "pdf", Scan(skew=-2.0), {"number"}),
    ("kh-chitieu", "Kế hoạch", 5, True, 5, "pdf", Scan(skew=0.5), set()),
    ("bc-ketqua", "Báo cáo", 2, False, 3, "pdf", Scan(dpi=200, skew=-0.6), set()),
]
# samples with a chỉ tiêu table: ruled (merged section cells, over a page break) or borderless
TARGET_TABLES = {"kh-chitieu": "ruled", "bc-ketqua": "borderless"}


def truth_of(spec: Spec, pages_text: list[str]) -> dict:
    def authority_case(text: str | None) -> str | None:
        if not text:
            return None
        prefix, rest = text.split(" ", 1)
        return f"{prefix} {rest.capitalize()}"

    title = spec.title.capitalize()
    if title.startswith("Phó "):
        title = "Phó " + spec.title[4:].capitalize()
    record = {
        "doc_type": spec.doc_type,
        "number": spec.number,
        "issued_date": spec.issued_date,
        "place": spec.place,
        "issuer": spec.issuer,
        "issuer_parent": spec.issuer_parent,
        "subject": spec.subject,
        "recipients": spec.recipients,
        "signer_name": spec.signer,
        "signer_title": title,
        "signing_authority": authority_case(spec.authority),
        "references": [
            {"number": c.number, "doc_type": c.doc_type, "date": c.date, "issuer": c.issuer}
            for c in spec.citations
        ],
        "text": "\f".join(pages_text),
    }
    if spec.extra.get("tasks"):
        record["tasks"] = spec.extra["tasks"]
    if spec.extra.get("target_rows"):
        record["targets"] = spec.extra["targets"]
    for doc_type, number in spec.extra.get("table_refs", []):
        if number not in {r["number"] for r in record["references"]}:
            record["references"].append(
                {"number": number, "doc_type": doc_type, "date": None, "issuer": None})
    return json.loads(unicodedata.normalize("NFC", json.dumps(record, ensure_ascii=False)))


def save(images: list[Image.Image], path: Path, fmt: str, scan: Scan) -> None:
    dpi = (scan.dpi, scan.dpi)
    if fmt == "pdf":
        # JPEG-compressed pages, as scanners write them
        frames = []
        for img in images:
            buf = io.BytesIO()
            img.save(buf, "JPEG", quality=scan.jpeg_quality, dpi=dpi, subsampling=2)
            frames.append(Image.open(io.BytesIO(buf.getvalue())))
        stamp = time.gmtime(1704067200)  # 2024-01-01, so a rebuild gives the same bytes
        frames[0].save(path, "PDF", resolution=scan.dpi, save_all=True,
                       append_images=frames[1:], creationDate=stamp, modDate=stamp)
    elif fmt == "jpg":
        images[0].save(path, "JPEG", quality=scan.jpeg_quality, dpi=dpi)
    elif fmt == "tif":
        images[0].save(path, "TIFF", compression="tiff_deflate", dpi=dpi, save_all=True,
                       append_images=images[1:])
    else:
        images[0].save(path, "PNG", dpi=dpi, optimize=True)


def make(name: str, out_dir: Path, seed: int = 2024) -> Path:
    entry = next(s for s in SAMPLES if s[0] == name)
    _, doc_type, issuer, table, length, fmt, scan, hand = entry
    rng = random.Random(f"{seed}-{name}")
    spec = make_spec(rng, doc_type, issuer, table=table, length=length,
                     targets=TARGET_TABLES.get(name))
    pages = render(spec, rng, hand)
    if fmt in ("png", "jpg") and len(pages) > 1:
        raise ValueError(f"{name}: {len(pages)} pages cannot be one {fmt} image")
    images = [degrade(p.image, scan, rng) for p in pages]
    path = out_dir / f"{name}.{fmt}"
    save(images, path, fmt, scan)
    truth = truth_of(spec, [p.text() for p in pages])
    (out_dir / f"{name}.truth.json").write_text(
        json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--only", nargs="*", help="names of samples to render")
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args(argv)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    for name, *_ in SAMPLES:
        if args.only and name not in args.only:
            continue
        path = make(name, args.out_dir, args.seed)
        print(f"{path} ({path.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
