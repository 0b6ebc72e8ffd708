"""Every header field points back at where it was read on the scan (real OCR runs)."""

from __future__ import annotations

import pytest

from extractors.common import fold
from pipeline.app.run import process_file
from pipeline.core.settings import Settings


@pytest.fixture(scope="module", params=["qd-syt", "tb-haichau"])
def processed(request, generated):
    return process_file(generated[request.param], Settings())


def _words_in(page, box) -> str:
    x0, y0, x1, y1 = box
    inside = [w.text for w in page.words if x0 <= w.box.cx <= x1 and y0 <= w.box.cy <= y1]
    return fold(" ".join(inside)).lower()


def test_fields_are_found_where_the_template_puts_them(processed):
    document, record = processed
    where = record["provenance"]
    assert {"number", "issued_date", "issuer", "subject", "signer_name"} <= set(where)
    first = document.pages[0]

    def centre(field: str) -> tuple[float, float]:
        x0, y0, x1, y1 = where[field]["box"]
        page = document.pages[where[field]["page"] - 1]
        return (x0 + x1) / 2 / page.width, (y0 + y1) / 2 / page.height

    assert where["number"]["page"] == 1 and first.width > 0
    nx, ny = centre("number")
    assert nx < 0.5 and ny < 0.3  # Số: under the issuer, left column
    dx, dy = centre("issued_date")
    assert dx > 0.5 and dy < 0.3  # the date line, right column
    assert centre("issuer")[1] < ny
    sx, _ = centre("signer_name")
    assert sx > 0.5  # the signature block, right column
    assert 0 < where["number"]["confidence"] <= 100


def test_each_box_holds_the_words_of_its_value(processed):
    document, record = processed
    for field in ("number", "signer_name", "subject"):
        where = record["provenance"][field]
        words = _words_in(document.pages[where["page"] - 1], where["box"])
        value = fold(record[field]).lower()
        first_word = value.replace("/", " ").split()[0]
        assert first_word in words, (field, value, words)
