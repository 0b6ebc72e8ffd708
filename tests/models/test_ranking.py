"""The web search's ranking (models/ranking) over real extractions, on SQLite and
PostgreSQL: relevance first (the document saying it most, and the phrase, ahead), a date
sort to switch to, quoted phrases, prefixes, and the matched words marked in the snippet."""

from __future__ import annotations

import pytest

from models import Store
from models.ranking import ranked
from tests.pipeline.app.test_faults_archive import LETTER
from tests.pipeline.app.test_serve import _extract

BODIES = {  # number → the letter's subject words; newer numbers are issued later
    51: "chuyển đổi số trong cải cách hành chính",
    52: "cải cách hành chính, cải cách thủ tục hành chính và hành chính công",
    53: "số hóa hồ sơ, hành chính điện tử",
}


@pytest.fixture
def archive(db_url, tmp_path) -> Store:
    paths = []
    for n, words in BODIES.items():
        path = tmp_path / f"l{n}.txt"
        letter = LETTER.replace("kết quả cải cách hành chính ", "")  # the tag alone says it
        path.write_text(letter.format(n=n, tag=words).replace("ngày 12 tháng 3",
                                                              f"ngày {n - 40} tháng 3"),
                        encoding="utf-8")
        paths.append(path)
    _extract(db_url, *paths)
    return Store(db_url)


def _numbers(hits: list[dict]) -> list[str]:
    return [h["number"] for h in hits]


def test_relevance_first_then_by_date_on_request(archive):
    total, hits = ranked(archive.engine, "cai cach hanh chinh")  # no marks typed
    assert total == 2 and _numbers(hits) == ["52/UBND-VP", "51/UBND-VP"]  # says it most
    assert hits[0]["score"] > hits[1]["score"]
    _, by_date = ranked(archive.engine, "cai cach hanh chinh", order="date")
    assert _numbers(by_date) == ["52/UBND-VP", "51/UBND-VP"]  # the 12th before the 11th
    _, by_date = ranked(archive.engine, "hanh chinh", order="date")
    assert _numbers(by_date) == ["53/UBND-VP", "52/UBND-VP", "51/UBND-VP"]
    _, relevant = ranked(archive.engine, "hanh chinh")
    assert _numbers(relevant)[0] == "52/UBND-VP"  # "hành chính" four times


def test_phrases_prefixes_and_marked_snippets(archive):
    _, hits = ranked(archive.engine, '"chuyen doi so"')
    assert _numbers(hits) == ["51/UBND-VP"]
    _, hits = ranked(archive.engine, '"so chuyen doi"')  # the words, not in that order
    assert hits == []
    _, hits = ranked(archive.engine, "dien tu*")  # tử, and every word beginning "tu"
    assert _numbers(hits) == ["53/UBND-VP"]
    _, hits = ranked(archive.engine, "ho so*")
    assert set(_numbers(hits)) == {"53/UBND-VP"}
    _, hits = ranked(archive.engine, "thu tuc")
    snippet = hits[0]["snippet"]
    assert ("thủ", True) in snippet and ("tục", True) in snippet
    assert "".join(p for p, hit in snippet if not hit).strip()  # context around them
    assert hits[0]["page"] == 1
