"""Render the sample archive: realistic scanned Vietnamese directives with truth files.

    python scripts/make_samples.py data/samples            # the committed set
    python scripts/make_samples.py /tmp/x --only kh-chovam  # one document
    python scripts/make_samples.py build/heldout --varied 40 --seed 2027  # tables of every kind
    python scripts/make_samples.py build/heldout-text --text 40 --seed 2028  # other engines' text

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
from scripts.samplegen.content import ISSUERS, OTHER_ISSUERS, Spec  # noqa: E402
from scripts.samplegen.degrade import Scan, degrade  # noqa: E402
from scripts.samplegen.othertext import other_engine_text  # noqa: E402
from scripts.samplegen.render import render  # noqa: E402
from scripts.samplegen.tables import target_grid, task_grid  # noqa: E402

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
    if spec.extra.get("targets"):
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


SCANS = [Scan(), Scan(skew=1.2), Scan(skew=-0.8, noise=6), Scan(dpi=200, jpeg_quality=65),
         Scan(photocopy=True, skew=0.5), Scan(colour=False, blur=0.6), Scan(dpi=200, skew=-1.5)]
# dusty glass and old toner, drawn only by --speckled sets (the held-out tables keep theirs)
SPECKLED = [Scan(speckle=0.4), Scan(speckle=0.8, skew=0.6), Scan(speckle=0.6, photocopy=True)]
# as harsh as real archives (issue 21): a copy of a copy, and a dirty scanner at low resolution
HARSH = {
    "photocopy": [
        Scan(photocopy=True, contrast=0.55, bleed=1, toner=0.25, streaks=3, uneven=30,
             dpi=200, jpeg_quality=40, skew=0.6),
        Scan(photocopy=True, contrast=0.6, toner=0.4, streaks=2, uneven=45, dpi=150,
             bilevel=True, skew=-0.9),
        Scan(photocopy=True, contrast=0.5, bleed=1, toner=0.3, uneven=20, dpi=200,
             jpeg_quality=40, blur=0.6, skew=1.1),
    ],
    "noisy": [
        Scan(noise=22, speckle=0.6, salt=0.004, dpi=200, jpeg_quality=40, skew=-0.7,
             colour=False),
        Scan(noise=18, toner=0.3, salt=0.003, dpi=150, bilevel=True, skew=0.8),
        Scan(noise=25, speckle=0.8, blur=0.8, dpi=200, jpeg_quality=40, skew=1.4),
    ],
}
# doc type, weight, what tables it holds: (task table?, target table?, a report's?)
VARIED = [("Kế hoạch", 5, (True, None)), ("Kế hoạch", 2, (True, "plan")),
          ("Kế hoạch", 2, (False, "plan")), ("Báo cáo", 3, (False, "report")),
          ("Báo cáo", 1, (True, "report")), ("Công văn", 2, (True, None))]


# the faces a varied document is set in: Times-like twice as often, as offices use it most
TYPEFACES = ["Serif", "Serif", "Sans", "Condensed"]


def make_varied(index: int, out_dir: Path, seed: int, speckled: bool = False,
                harsh: str | None = None) -> Path:
    """A document with tables laid out as other offices lay them out (samplegen/tables):
    column orders and wordings, STT or none, sections, plan and result columns, every
    comparator form, headers repeated over a page break or not, serif or sans, 11.5-13 pt,
    now and then a page scanned sideways; the whole document in a Times-like, Arial-like or
    condensed face at 12.5-14 pt, from any office (ministry, Cục, Sở, UBND huyện or xã)."""
    name = f"var{seed}-{index:02d}"
    rng = random.Random(f"{seed}-{name}")
    doc_type, _, (tasks, targets) = rng.choices(VARIED, weights=[v[1] for v in VARIED])[0]
    spec = make_spec(rng, doc_type, rng.choice(ISSUERS + OTHER_ISSUERS),
                     length=rng.randint(2, 4))
    family, scale = rng.choice(TYPEFACES), rng.choice([0.9, 0.95, 1.0])
    year = int(spec.issued_date[:4])
    grids = []
    spec.extra.update(tasks=[], targets=[], target_rows=None, table_refs=[])
    if tasks:
        grid, truth = task_grid(rng, year)
        grids.append(grid)
        spec.extra["tasks"] = truth
    if targets:
        grid, truth = target_grid(rng, year, report=targets == "report")
        grids.append(grid)
        spec.extra["targets"] = truth
        spec.extra["table_refs"] = [("Nghị quyết", "01/NQ-CP"), ("Quyết định", "766/QĐ-TTg")]
    markers = [f"#GRID{i}" for i in range(len(grids))]
    spec.extra["grids"] = grids
    paragraphs = [p for p in spec.paragraphs if p != "#TABLE"]
    at = next((i + 1 for i, p in enumerate(paragraphs) if p.startswith("@II.")),
              max(1, len(paragraphs) - 1))
    spec.paragraphs = paragraphs[:at] + markers + paragraphs[at:]
    scan = rng.choice(HARSH[harsh] if harsh else SPECKLED if speckled else SCANS)
    pages = render(spec, rng, set(), family, scale)
    fmt = rng.choice(["pdf", "pdf", "tif"]) if len(pages) > 1 else rng.choice(["pdf", "png", "jpg"])
    images = [degrade(p.image, scan, rng) for p in pages]
    if len(images) > 1 and rng.random() < 0.3:  # a table page fed into the scanner sideways
        k = rng.randrange(1, len(images))
        images[k] = images[k].rotate(rng.choice([90, 270]), expand=True)
    path = out_dir / f"{name}.{fmt}"
    save(images, path, fmt, scan)
    truth = truth_of(spec, [p.text() for p in pages])
    (out_dir / f"{name}.truth.json").write_text(
        json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path


HEADER_FIELDS = ("doc_type", "number", "issued_date", "place", "issuer", "issuer_parent",
                 "subject", "signer_name", "signer_title", "signing_authority")


def make_text_case(index: int, out_dir: Path, seed: int) -> Path:
    """A document as another engine's ``.txt`` gives it (samplegen/othertext), with the truth
    of its header fields (the text itself is garbled, so its tables and citations are not
    scored)."""
    name = f"txt{seed}-{index:02d}"
    rng = random.Random(f"{seed}-{name}")
    doc_type = rng.choice(["Công văn", "Công văn", "Kế hoạch", "Quyết định", "Báo cáo",
                           "Thông báo", "Tờ trình", "Chỉ thị"])
    spec = make_spec(rng, doc_type, rng.choice(ISSUERS + OTHER_ISSUERS),
                     table=doc_type == "Kế hoạch",
                     length=rng.randint(2, 4))
    pages = render(spec, rng, set())
    path = out_dir / f"{name}.txt"
    path.write_text(other_engine_text([p.regions for p in pages], rng) + "\n", encoding="utf-8")
    truth = {k: v for k, v in truth_of(spec, []).items() if k in HEADER_FIELDS}
    (out_dir / f"{name}.truth.json").write_text(
        json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--only", nargs="*", help="names of samples to render")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--varied", type=int, metavar="N",
                        help="render N documents with tables of every layout instead")
    parser.add_argument("--speckled", action="store_true",
                        help="with --varied: scans with dust and toner specks")
    parser.add_argument("--harsh", choices=sorted(HARSH),
                        help="with --varied: a copier's or a dirty scanner's worst pages")
    parser.add_argument("--text", type=int, metavar="N",
                        help="write N documents as other OCR engines' .txt instead")
    args = parser.parse_args(argv)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    if args.text:
        for index in range(args.text):
            path = make_text_case(index, args.out_dir, args.seed)
            print(f"{path} ({path.stat().st_size // 1024} KB)")
        return 0
    if args.varied:
        for index in range(args.varied):
            path = make_varied(index, args.out_dir, args.seed, args.speckled, args.harsh)
            print(f"{path} ({path.stat().st_size // 1024} KB)")
        return 0
    for name, *_ in SAMPLES:
        if args.only and name not in args.only:
            continue
        path = make(name, args.out_dir, args.seed)
        print(f"{path} ({path.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
