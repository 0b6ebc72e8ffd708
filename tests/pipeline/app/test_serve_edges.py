"""The edges of ``vanban serve`` found in issue 21, each on the real server process or the
real app over a real database: another site's Host header, integers past what SQL
stores, a body too large to read, a page image planted in the cache, and page rendering
that must not stall everyone else."""

from __future__ import annotations

import http.client
import json
import os
import threading
import time
import urllib.request
from pathlib import Path

import numpy as np
import pytest
from starlette.testclient import TestClient

from pipeline.app.serve import make_app, pages
from scripts.serving import serving
from tests.pipeline.app.test_faults_archive import _letter
from tests.pipeline.app.test_serve import _extract


@pytest.fixture(scope="module")
def database(tmp_path_factory, generated) -> str:
    folder = tmp_path_factory.mktemp("edges")
    db = str(folder / "v.db")
    scans = []
    for i in range(4):  # four scans, so four pages can be asked for at once, uncached
        scan = folder / f"scan{i}.png"
        scan.write_bytes(generated["cv-sonoivu"].read_bytes() + b"\0" * (i + 1))
        scans.append(scan)
    _extract(db, _letter(folder / "l.txt", 41), *scans)
    return db


def _raw(port: int, method: str, path: str, headers: dict, body: bytes = b"") -> tuple[int, dict]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request(method, path, body=body or None, headers=headers)
    answer = connection.getresponse()
    said = answer.read()
    connection.close()
    return answer.status, json.loads(said) if said.startswith(b"{") else {}


def test_a_request_naming_another_host_is_refused(database):
    with serving(database, allow_edits=True) as base:
        port = int(base.rsplit(":", 1)[1])
        doc = json.loads(urllib.request.urlopen(base + "/api/documents").read())["items"][0]
        put = f"/api/documents/{doc['id']}/fields/subject"
        body = json.dumps({"value": "đổi", "by": "x"}).encode()
        rebound = {"Host": f"evil.example:{port}", "Origin": f"http://evil.example:{port}",
                   "Content-Type": "application/json"}
        assert _raw(port, "PUT", put, rebound, body)[0] == 421
        assert _raw(port, "GET", "/api/documents", {"Host": "evil.example"})[0] == 421
        own = {"Host": f"127.0.0.1:{port}", "Content-Type": "application/json"}
        assert _raw(port, "PUT", put, own, body)[0] == 200
        assert _raw(port, "GET", "/api/documents", {"Host": f"localhost:{port}"})[0] == 200


def test_huge_integers_and_a_huge_body_are_answered_not_crashed(database):
    client = TestClient(make_app(f"sqlite:///{database}", allow_edits=True))
    huge = 2**63
    assert client.get(f"/api/documents/{huge}").status_code == 404
    assert client.get(f"/api/documents/{huge * 10**6}/pages/1.png").status_code == 404
    assert client.get("/api/documents", params={"offset": huge}).status_code == 400
    assert client.get("/api/tasks", params={"offset": str(huge)}).status_code == 400
    doc_id = client.get("/api/documents").json()["items"][0]["id"]

    def chunks():  # 8 MB sent as it is made, with no length said first
        for _ in range(128):
            yield b"x" * 65536

    answer = client.put(f"/api/documents/{doc_id}/fields/subject", content=chunks(),
                        headers={"Content-Type": "application/json"})
    assert answer.status_code == 413
    said_big = client.put(f"/api/documents/{doc_id}/fields/subject", content=b"{}",
                          headers={"Content-Type": "application/json",
                                   "Content-Length": str(400 * 2**20)})
    assert said_big.status_code == 413


def test_a_png_planted_in_a_shared_cache_is_not_served(database, tmp_path, monkeypatch):
    shared = tmp_path / "shared-cache"
    shared.mkdir()
    shared.chmod(0o777)  # a folder anyone may write to, as /tmp/vanban-page-cache was
    client = TestClient(make_app(f"sqlite:///{database}"))
    items = client.get("/api/documents").json()["items"]
    scan = next(d for d in items if d["source"].endswith(".png"))
    sha = client.get(f"/api/documents/{scan['id']}").json()["sha256"]
    planted = b"\x89PNG planted by another user"
    (shared / f"{sha}-1.png").write_bytes(planted)
    monkeypatch.setattr(pages, "CACHE", shared)
    served = client.get(f"/api/documents/{scan['id']}/pages/1.png")
    assert served.status_code == 200 and served.content != planted
    assert served.content.startswith(b"\x89PNG\r\n")
    private = tmp_path / "private"
    monkeypatch.setattr(pages, "CACHE", private)
    client.get(f"/api/documents/{scan['id']}/pages/1.png")
    assert oct(private.stat().st_mode & 0o777) == "0o700"
    assert (private / f"{sha}-1.png").is_file()


def test_pages_rendered_meanwhile_do_not_stall_the_api(database, tmp_path):
    os.environ["VANBAN_CACHE"] = str(tmp_path / "cold")  # the server renders every page
    try:
        with serving(database) as base:
            items = json.loads(urllib.request.urlopen(base + "/api/documents").read())["items"]
            scans = [d["id"] for d in items if d["source"].endswith(".png")]
            assert len(scans) == 4
            threads = [threading.Thread(target=lambda i=i: urllib.request.urlopen(
                f"{base}/api/documents/{i}/pages/1.png", timeout=120).read()) for i in scans]
            for thread in threads:
                thread.start()
            time.sleep(0.3)
            started = time.monotonic()
            urllib.request.urlopen(base + "/api/documents?limit=1", timeout=60).read()
            waited = time.monotonic() - started
            rendering = any(t.is_alive() for t in threads)
            for thread in threads:
                thread.join()
    finally:
        del os.environ["VANBAN_CACHE"]
    assert rendering  # the pages were still being made when the list was answered
    assert waited < 0.5, waited


def test_the_cache_is_named_for_its_user():
    assert Path(pages.CACHE).name.endswith(f"-{os.getuid()}") or "VANBAN_CACHE" in os.environ


def test_a_sideways_page_is_redrawn_with_the_turn_found_at_ingest(tmp_path, generated,
                                                                   monkeypatch):
    """The quarter turn the cleanup found is stored with the page; serve redraws the page
    with it (Tesseract's orientation detector not asked again: a second or two of a first
    view) and gets the very image the OCR read, so the field boxes fall where they were."""
    import cv2
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from models import Store
    from models.schema import PageRow
    from pipeline.ocr import tesseract

    upright = cv2.imread(str(generated["cv-sonoivu"]))
    scan = tmp_path / "sideways.png"
    cv2.imwrite(str(scan), cv2.rotate(upright, cv2.ROTATE_90_COUNTERCLOCKWISE))
    db = f"sqlite:///{tmp_path / 'v.db'}"
    _extract(db, scan)
    store = Store(db)
    with Session(store.engine) as session:
        doc_id, turn = session.execute(select(PageRow.document_id, PageRow.turn)).one()
    record = store.documents()[0]
    sha = record["sha256"]
    assert turn == 90  # turned a quarter clockwise to stand upright
    monkeypatch.setattr(pages, "CACHE", tmp_path / "cache")
    detected = pages.page_png(str(scan), sha, 1)  # as before: the turn detected again
    (tmp_path / "cache" / f"{sha}-1.png").unlink()
    asked = []
    monkeypatch.setattr(tesseract, "orientation", lambda *a, **k: asked.append(1) or (0, 0.0))
    redrawn = pages.page_png(str(scan), sha, 1, turn)
    assert redrawn == detected and not asked
    image = cv2.imdecode(np.frombuffer(redrawn, np.uint8), cv2.IMREAD_GRAYSCALE)
    assert image.shape[0] > image.shape[1]  # upright: taller than wide
    assert doc_id == record["id"]
