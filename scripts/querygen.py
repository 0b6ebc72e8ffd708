"""Realistic synthetic directives for the query benchmark (scripts/bench_query.py): rows as
the store keeps them, made in bulk, from the project's own catalogues and the legal corpus.

- bodies: every tỉnh of the gazetteer with its Ủy ban nhân dân, eight Sở, its huyện and
  a few xã under each (about 4,000), issuing documents at skewed rates (a few bodies write
  most of them, as in a real archive);
- documents: types in the proportions of an office's register (công văn the most), dates
  over 2015-2026, 1-3 pages of consecutive sentences of the codified law
  (../shared/corpus; the generator's own sentences when it is absent), a signer drawn
  from 3,200 names;
- kế hoạch and quyết định carry task tables (lead, partners, deadline), kế hoạch and báo
  cáo carry targets of the indicator catalogue, most documents cite two or three others.
"""

from __future__ import annotations

import datetime as dt
import json
import lzma
import random
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from extractors.indicators import catalogue as indicator_catalogue
from extractors.organisations import describe
from scripts.samplegen.content import GIVEN, MIDDLE, SENTENCES, SUBJECTS, SURNAMES, TASKS

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "phapdien.jsonl.xz"
DATA = ROOT / "extractors" / "data"
TYPES = [("Công văn", None, 42), ("Quyết định", "QĐ", 16), ("Kế hoạch", "KH", 12),
         ("Báo cáo", "BC", 10), ("Thông báo", "TB", 8), ("Giấy mời", "GM", 5),
         ("Tờ trình", "TTr", 4), ("Chỉ thị", "CT", 2), ("Hướng dẫn", "HD", 1)]
DEPARTMENTS = ["Sở Nội vụ", "Sở Tài chính", "Sở Y tế", "Sở Giáo dục và Đào tạo", "Sở Tư pháp",
               "Sở Xây dựng", "Sở Công Thương", "Sở Khoa học và Công nghệ"]
FIRST_DAY, LAST_DAY = dt.date(2015, 1, 1).toordinal(), dt.date(2026, 11, 30).toordinal()
FIELDS = ("doc_type", "number", "issued_date", "issuer", "subject", "signer_name")


def sentences(limit_chars: int = 12_000_000) -> list[str]:
    """Sentences of the codified law (NFC), or the generator's own when it is absent."""
    if not CORPUS.exists():
        return list(SENTENCES)
    found: list[str] = []
    read = 0
    with lzma.open(CORPUS, "rt", encoding="utf-8") as handle:
        for line in handle:
            body = unicodedata.normalize("NFC", json.loads(line)["text"])
            read += len(body)
            for piece in body.replace("\n", ". ").split(". "):
                piece = " ".join(piece.split())
                if 40 <= len(piece) <= 400:
                    found.append(piece.rstrip(".") + ".")
            if read >= limit_chars:
                break
    return found


@dataclass
class Body:
    id: int
    name: str
    code: str
    parent: int | None
    weight: float


def bodies(rng: random.Random) -> list[Body]:
    """The state bodies that issue and lead: tỉnh, Sở, huyện, xã."""
    provinces: dict[str, list[str]] = {}
    for line in (DATA / "districts.tsv").read_text(encoding="utf-8").splitlines():
        district, province = line.split("\t")
        provinces.setdefault(province, []).append(district)
    communes = [name for kind, name in (line.split("\t") for line in (
        DATA / "places.tsv").read_text(encoding="utf-8").splitlines()) if kind == "xã"]
    out: list[Body] = []

    def add(name: str, code: str, parent: int | None) -> int:
        out.append(Body(len(out) + 1, name, code, parent, rng.paretovariate(1.2)))
        return len(out)

    for province, districts in sorted(provinces.items()):
        council = add(f"Ủy ban nhân dân {province}", "UBND", None)
        for department in DEPARTMENTS:
            add(department, "S" + "".join(w[0] for w in department.split()[1:]).upper(), council)
        for district in districts:
            home = add(f"Ủy ban nhân dân {district}", "UBND", council)
            for commune in rng.sample(communes, 4):
                add(f"Ủy ban nhân dân xã {commune}", "UBND", home)
    return out


def organisation_rows(found: list[Body]) -> list[dict]:
    rows = []
    for body in found:
        named = describe(body.name)
        rows.append({"id": body.id, "name": body.name, "key": named.key, "kind": named.kind,
                     "level": named.level, "parent_id": body.parent})
    return rows


@dataclass
class Generator:
    """Documents ``start``… as rows per table, drawn from ``seed`` (reproducible)."""

    seed: int
    text: list[str]
    found: list[Body]

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.issuers = self.rng.choices(self.found, weights=[b.weight for b in self.found],
                                        k=50_000)  # a skewed pool drawn from once
        self.indicators = list(enumerate(indicator_catalogue().values(), 1))
        self.people = [f"{s} {m} {g}" for s in SURNAMES for m in MIDDLE for g in GIVEN]

    def page(self) -> str:
        start = self.rng.randrange(len(self.text))
        return " ".join(self.text[start:start + self.rng.randint(6, 14)])

    def documents(self, start: int, count: int) -> Iterator[dict[str, list[dict]]]:
        rng = self.rng
        kinds = rng.choices(TYPES, weights=[t[2] for t in TYPES], k=count)
        for offset, (doc_type, code, _) in enumerate(kinds):
            doc_id = start + offset
            issuer = rng.choice(self.issuers)
            issued = dt.date.fromordinal(rng.randint(FIRST_DAY, LAST_DAY))
            number = f"{rng.randint(1, 3000)}/{code + '-' if code else ''}{issuer.code}"
            parent = self.found[issuer.parent - 1] if issuer.parent else None
            subject = rng.choice(SUBJECTS.get(doc_type) or SUBJECTS["Công văn"]).format(
                year=issued.year, year2=issued.year + 4, month=issued.month)
            pages = [self.page() for _ in range(rng.choices((1, 2, 3), (6, 3, 1))[0])]
            yield {
                "documents": [{
                    "id": doc_id, "source": f"/archive/{issued.year}/{doc_id:07d}.pdf",
                    "path": f"/archive/{issued.year}/{doc_id:07d}.pdf",
                    "sha256": f"{rng.getrandbits(256):064x}", "page_count": len(pages),
                    "doc_type": doc_type, "number": number, "issued_date": issued,
                    "place": None, "issuer": issuer.name,
                    "issuer_parent": parent.name if parent else None, "subject": subject,
                    "signer_name": rng.choice(self.people), "signer_title": "Phó Chủ tịch",
                    "signing_authority": "KT. Chủ tịch", "issuer_id": issuer.id,
                    "warnings": [], "timings": {}, "pipeline_version": "bench"}],
                "pages": [{"document_id": doc_id, "number": n, "text": t,
                           "ocr_confidence": 90.0, "source": "ocr", "search_text": ""}
                          for n, t in enumerate(pages, 1)],
                "recipients": [{"document_id": doc_id, "position": i,
                                "name": rng.choice(self.found).name}
                               for i in range(rng.randint(1, 4))],
                "references": [{"document_id": doc_id,
                                "number": f"{rng.randint(1, 3000)}/QĐ-UBND",
                                "cited_document_id": (rng.randint(1, doc_id - 1)
                                                      if doc_id > 1 and rng.random() < 0.5
                                                      else None)}
                               for _ in range(rng.choice((0, 1, 2, 3, 4)))],
                "tasks": self._tasks(doc_id, doc_type, issued, issuer),
                "targets": self._targets(doc_id, doc_type, issued),
                "field_provenance": [{"document_id": doc_id, "field": f, "page": 1,
                                      "box": [200, 100 + 60 * i, 1200, 150 + 60 * i],
                                      "confidence": 88.0} for i, f in enumerate(FIELDS)],
                "field_confidence": [{"document_id": doc_id, "field": f,
                                      "confidence": round(rng.uniform(0.5, 1.0), 2)}
                                     for f in FIELDS],
            }

    def _tasks(self, doc_id: int, doc_type: str, issued: dt.date, issuer: Body) -> list[dict]:
        rng = self.rng
        count = {"Kế hoạch": rng.randint(5, 20), "Quyết định": rng.choice((0, 0, 0, 0, 5)),
                 "Công văn": rng.choice((0, 0, 1, 2))}.get(doc_type, 0)
        rows = []
        for _ in range(count):
            content, lead, deadline, _ = rng.choice(TASKS)
            due = None if rng.random() < 0.15 else issued + dt.timedelta(rng.randint(15, 400))
            rows.append({"document_id": doc_id, "content": content, "lead": lead,
                         "lead_id": rng.choice((issuer.id, issuer.parent or issuer.id)),
                         "deadline": deadline.format(year=issued.year), "due_date": due,
                         "output": None, "page": 1, "extra": {},
                         "partners": [rng.choice(self.found).name
                                      for _ in range(rng.choice((0, 1, 2)))]})
        return rows

    def _targets(self, doc_id: int, doc_type: str, issued: dt.date) -> list[dict]:
        if doc_type not in ("Kế hoạch", "Báo cáo"):
            return []
        rng = self.rng
        return [{"document_id": doc_id, "indicator": indicator.name, "indicator_id": number,
                 "value":
                 float(rng.choice((50, 80, 90, 95, 100))), "unit": "%", "comparator": ">=",
                 "kind": "target" if doc_type == "Kế hoạch" else "actual",
                 "year": issued.year, "page": 1, "extra": {}}
                for number, indicator in rng.sample(self.indicators, rng.randint(2, 6))]
