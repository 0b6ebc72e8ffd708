"""vanban as an OCRmyPDF OCR engine (a plugin), to measure OCRmyPDF's route to a searchable
PDF/A against vanban's direct one (scripts/bench_pdf.py). Not shipped with the pipeline:
the numbers chose the direct route (README, "Searchable PDF").

    ocrmypdf --plugin scripts/ocrmypdf_vanban.py -l vie --output-type pdfa in.pdf out.pdf

OCRmyPDF rasterises each page and hands the image to ``generate_ocr``; vanban cleans it,
reads it, restores its diacritics and gives the words back on that image's pixels.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from ocrmypdf import hookimpl
from ocrmypdf.hocrtransform import BoundingBox, OcrClass, OcrElement
from ocrmypdf.pluginspec import OcrEngine, OrientationConfidence
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.app.run import restore_document  # noqa: E402
from pipeline.core.document import Box, Document, Geometry  # noqa: E402
from pipeline.core.settings import Settings  # noqa: E402
from pipeline.ocr.ocr import ocr_page  # noqa: E402
from pipeline.ocr.preprocess import preprocess_mapped  # noqa: E402


def _source_box(box: Box, geometry: Geometry) -> BoundingBox:
    corners = [geometry.to_source(x, y) for x in (box.x0, box.x1) for y in (box.y0, box.y1)]
    xs, ys = [c[0] for c in corners], [c[1] for c in corners]
    return BoundingBox(left=min(xs), top=min(ys), right=max(xs), bottom=max(ys))


class VanbanEngine(OcrEngine):
    @staticmethod
    def version() -> str:
        from pipeline import __version__

        return __version__

    @staticmethod
    def creator_tag(options) -> str:  # noqa: ANN001
        return "vanban (OCRmyPDF plugin)"

    def __str__(self) -> str:
        return "vanban"

    @staticmethod
    def languages(options) -> set[str]:  # noqa: ANN001
        return {"vie"}

    @staticmethod
    def get_orientation(input_file: Path, options) -> OrientationConfidence:  # noqa: ANN001
        return OrientationConfidence(angle=0, confidence=0.0)  # vanban turns pages itself

    @staticmethod
    def get_deskew(input_file: Path, options) -> float:  # noqa: ANN001
        return 0.0

    @staticmethod
    def supports_generate_ocr() -> bool:
        return True

    @staticmethod
    def generate_ocr(input_file: Path, options, page_number: int = 0):  # noqa: ANN001, ANN205
        settings = Settings()
        with Image.open(input_file) as img:
            dpi = int(round(img.info.get("dpi", (300, 300))[0]))
            rgb = np.asarray(img.convert("RGB"))
        image, clean_dpi, to_clean = preprocess_mapped(rgb, settings, dpi)
        page = ocr_page(image, settings, page_number + 1, clean_dpi)
        page.geometry = Geometry(rgb.shape[1], rgb.shape[0],
                                 tuple(float(v) for v in to_clean[:2].ravel()))
        restore_document(Document(source=str(input_file), sha256="", pages=[page]), settings)
        lines = []
        for block in page.blocks:
            for line in block.lines:
                words = [OcrElement(ocr_class=OcrClass.WORD, text=w.text,
                                    bbox=_source_box(w.box, page.geometry),
                                    confidence=w.confidence / 100)
                         for w in line.words if w.text.strip()]
                if words:
                    lines.append(OcrElement(ocr_class=OcrClass.LINE,
                                            bbox=_source_box(line.box, page.geometry),
                                            children=words))
        root = OcrElement(ocr_class=OcrClass.PAGE, dpi=float(dpi), page_number=page_number,
                          bbox=BoundingBox(left=0, top=0, right=rgb.shape[1],
                                           bottom=rgb.shape[0]),
                          children=[OcrElement(ocr_class=OcrClass.PARAGRAPH, children=lines,
                                               bbox=BoundingBox(left=0, top=0,
                                                                right=rgb.shape[1],
                                                                bottom=rgb.shape[0]))])
        return root, page.text

    @staticmethod
    def generate_hocr(input_file, output_hocr, output_text, options) -> None:  # noqa: ANN001
        raise NotImplementedError("vanban gives OCRmyPDF an OcrElement tree (generate_ocr)")

    @staticmethod
    def generate_pdf(input_file, output_pdf, output_text, options) -> None:  # noqa: ANN001
        raise NotImplementedError("vanban gives OCRmyPDF an OcrElement tree (generate_ocr)")


@hookimpl
def get_ocr_engine(options):  # noqa: ANN001, ANN201
    return VanbanEngine()
