"""Digital signatures of real signed PDFs (pipeline/read/signatures.py), read with pyHanko."""

from __future__ import annotations

import datetime as dt
import shutil

from pipeline.read.signatures import read_signatures


def test_a_signed_real_scan_gives_signer_time_and_validity(shared) -> None:
    found = read_signatures(shared / "real" / "bca-3.pdf")
    assert len(found) == 1
    sig = found[0]
    assert sig.signer == "Bộ Công an" and sig.organisation == "Bộ Công an"
    assert sig.signed_at == dt.datetime(2025, 10, 1, 17, 8, 18,
                                        tzinfo=dt.timezone(dt.timedelta(hours=7)))
    assert sig.valid is True
    assert sig.as_record()["signed_at"] == "2025-10-01T17:08:18+07:00"


def test_a_changed_byte_inside_the_signed_range_fails_validation(shared, tmp_path) -> None:
    copy = tmp_path / "changed.pdf"
    shutil.copy(shared / "real" / "bca-3.pdf", copy)
    data = bytearray(copy.read_bytes())
    at = data.find(b"/Producer")  # a byte of the document info, inside /ByteRange
    assert at > 0
    data[at + 2] ^= 0x01
    copy.write_bytes(bytes(data))
    found = read_signatures(copy)
    assert [s.valid for s in found] == [False]


def test_unsigned_and_non_pdf_files_have_none(shared, tmp_path) -> None:
    assert read_signatures(shared / "real" / "epu-1.pdf") == []
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"<html>not a pdf</html>")
    assert read_signatures(junk) == []
