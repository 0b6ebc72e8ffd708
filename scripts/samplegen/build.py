"""Turn a random seed into a document ``Spec``: header, body paragraphs, table, closing."""

from __future__ import annotations

import datetime as dt
import random

from scripts.samplegen.content import (
    CITABLE,
    ISSUERS,
    RECIPIENT_POOL,
    SENTENCES,
    SUBJECTS,
    TARGET_SECTIONS,
    TASKS,
    TYPE_CODES,
    Citation,
    Spec,
    person,
)


def _date(rng: random.Random, year: int) -> dt.date:
    return dt.date(year, rng.randint(1, 12), rng.randint(1, 28))


def make_spec(rng: random.Random, doc_type: str, issuer_index: int | tuple, *,
              table: bool = False, length: int = 4, targets: str | None = None) -> Spec:
    """``issuer_index``: an index into ISSUERS, or an issuer entry of that shape."""
    entry = ISSUERS[issuer_index] if isinstance(issuer_index, int) else issuer_index
    parent_line, issuer_line, parent, issuer, body_code, place = entry
    central = issuer.startswith(("Bộ ", "Cục "))  # a central body cites no provincial papers
    year = rng.randint(2019, 2025)
    issued = _date(rng, year)
    code = TYPE_CODES[doc_type]
    serial = rng.randint(12, 2980)
    unit = rng.choice(["VP", "KSTT", "NC", "KT"])
    number = f"{serial}/{code}-{body_code}" if code else f"{serial}/{body_code}-{unit}"
    subject = rng.choice(SUBJECTS[doc_type]).format(
        year=year, year2=year + 2, month=f"{issued.month:02d}"
    )
    citations = []
    for _ in range(rng.randint(1, 3)):
        ctype, pattern, cissuer = rng.choice(
            [c for c in CITABLE if not c[2]] if central else CITABLE)
        cnum = pattern.format(n=rng.randint(10, 3999))
        if cnum in {c.number for c in citations} or cnum == number:
            continue
        cdate = _date(rng, year - rng.randint(0, 1))
        if cdate >= issued:
            cdate = issued - dt.timedelta(days=rng.randint(5, 60))
        owner = f"{cissuer} {place}" if cissuer else None
        citations.append(Citation(ctype, cnum, cdate.isoformat(), owner))

    recipients: list[str] = []
    if doc_type in ("Công văn", "Tờ trình"):
        recipients = rng.sample(RECIPIENT_POOL, rng.randint(1, 3))

    paragraphs = _paragraphs(rng, doc_type, citations, length)
    rows = None
    tasks = []
    if table:
        rows = [["STT", "Nội dung công việc", "Cơ quan chủ trì", "Thời gian hoàn thành"]]
        for i, (content, lead, deadline, due) in enumerate(
            rng.sample(TASKS, rng.randint(3, 5)), 1
        ):
            rows.append([str(i), content, lead, deadline.format(year=year)])
            tasks.append({"content": content, "lead": lead,
                          "deadline": deadline.format(year=year),
                          "due_date": due.format(year=year) if due else None})

    target_rows, target_truth = (_targets(rng, year, doc_type, place) if targets
                                 else (None, []))
    if target_rows:
        at = paragraphs.index("#TABLE") + 1 if "#TABLE" in paragraphs else len(paragraphs) - 1
        paragraphs.insert(at, "#TARGETS")

    is_department = not issuer.startswith("Ủy ban")
    head = ("BỘ TRƯỞNG" if issuer.startswith("Bộ ") else "CỤC TRƯỞNG" if
            issuer.startswith("Cục ") else "GIÁM ĐỐC" if is_department else "CHỦ TỊCH")
    if rng.random() < 0.5:
        # a minister's deputy is a Thứ trưởng, every other head's a Phó
        deputy = "THỨ TRƯỞNG" if head == "BỘ TRƯỞNG" else f"PHÓ {head}"
        authority, title = f"KT. {head}", deputy
    elif is_department:
        authority, title = None, head
    else:
        authority, title = "TM. ỦY BAN NHÂN DÂN", head
    issuer_lines = [issuer_line] if parent_line is None else [parent_line, issuer_line]
    closing = ["Như trên;"] if recipients else ["Ủy ban nhân dân tỉnh;" if not central
                                                  else "Văn phòng Chính phủ;"]
    closing += rng.sample(["Thường trực HĐND;", "Các phòng, ban;", "Cổng thông tin điện tử;"], 2)
    closing.append("Lưu: VT.")
    return Spec(
        doc_type=doc_type, number=number, issued_date=issued.isoformat(), place=place,
        issuer_lines=issuer_lines, issuer=issuer, issuer_parent=parent, subject=subject,
        recipients=recipients, citations=citations, paragraphs=paragraphs, table=rows,
        closing_list=closing, authority=authority, title=title, signer=person(rng),
        extra={"head_line": f"{head} {issuer_line}", "tasks": tasks,
               "target_rows": target_rows, "targets": target_truth,
               "borderless": targets == "borderless",
               # the decisions a target table's section rows name are cited documents too
               "table_refs": [("Nghị quyết", "01/NQ-CP"), ("Quyết định", "766/QĐ-TTg")]
               if target_rows else []},
    )


def _targets(rng: random.Random, year: int, doc_type: str, place: str
             ) -> tuple[list[list[str]], list[dict]]:
    """A chỉ tiêu table: header, section rows (one merged cell) and indicator rows."""
    actual = doc_type == "Báo cáo"
    column = f"Kết quả năm {year}" if actual else f"Chỉ tiêu năm {year}"
    rows = [["STT", "Chỉ tiêu", "Đơn vị tính", column, "Cơ quan chủ trì"]]
    truth = []
    leads = ["Văn phòng HĐND và UBND", "Bộ phận một cửa", "Các phòng chuyên môn",
             "UBND các xã, thị trấn"]
    for roman, (section, items) in zip(("I", "II"), TARGET_SECTIONS, strict=True):
        rows.append([roman, section])
        for k, (indicator, unit, written, comparator, value) in enumerate(
                rng.sample(items, rng.randint(3, len(items))), 1):
            if actual:  # a report states what was reached, not a bound
                value = round(value - rng.choice([0, 0.5, 1.3, 2]), 1) if value > 10 else value
                written, comparator = f"{value:g}".replace(".", ","), "="
            rows.append([f"{k}", indicator, unit, written, rng.choice(leads)])
            truth.append({"indicator": indicator, "value": value, "unit": unit,
                          "comparator": comparator, "kind": "actual" if actual else "target",
                          "year": year})
    return rows, truth


def _paragraphs(rng: random.Random, doc_type: str, citations: list[Citation], length: int
                ) -> list[str]:
    lead = "Thực hiện" if doc_type == "Công văn" else "Căn cứ"
    paras = [f"{lead} {c.phrase()};" for c in citations]
    body = rng.sample(SENTENCES, min(length, len(SENTENCES)))
    if doc_type == "Quyết định":
        paras.append("@QUYẾT ĐỊNH:")
        paras += [f"Điều {i}. {s}" for i, s in enumerate(body[:3], 1)]
    elif doc_type == "Kế hoạch":
        paras.append("@I. MỤC ĐÍCH, YÊU CẦU")
        paras += [f"- {s}" for s in body[:2]]
        paras.append("@II. NỘI DUNG THỰC HIỆN")
        paras.append("#TABLE")
        paras.append("@III. TỔ CHỨC THỰC HIỆN")
        paras += body[2:]
    else:
        paras += [f"- {s}" if i else s for i, s in enumerate(body)]
    paras.append("Đề nghị các cơ quan, đơn vị nghiêm túc triển khai thực hiện./.")
    return paras
