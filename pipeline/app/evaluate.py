"""``vanban eval DIR``: score the pipeline against ``X.truth.json`` files (CONTRACT.md)."""

from __future__ import annotations

import json
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import regex
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from extractors.register import vote
from pipeline.app.batch import run_many
from pipeline.core.document import CELL_RULE
from pipeline.core.settings import Settings

TEXT_FIELDS = (
    "doc_type", "number", "issued_date", "place", "issuer", "issuer_parent", "subject",
    "signer_name", "signer_title", "signing_authority",
)
INPUT_SUFFIXES = (".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".txt")


def norm(value: Any) -> str:
    text = unicodedata.normalize("NFC", str(value))
    return regex.sub(r"\s+", " ", text).strip().casefold()


def f1(predicted: set, truth: set) -> float:
    if not predicted and not truth:
        return 1.0
    hits = len(predicted & truth)
    if not hits:
        return 0.0
    p, r = hits / len(predicted), hits / len(truth)
    return 2 * p * r / (p + r)


def _match_f1(pred: list[dict], truth: list[dict], same) -> tuple[float, list[tuple[dict, dict]]]:
    """Greedy one-to-one matching; returns F1 and the matched pairs."""
    used: set[int] = set()
    pairs = []
    for t in truth:
        for i, p in enumerate(pred):
            if i not in used and same(p, t):
                used.add(i)
                pairs.append((p, t))
                break
    if not pred and not truth:
        return 1.0, pairs
    if not pairs:
        return 0.0, pairs
    prec, rec = len(pairs) / len(pred), len(pairs) / len(truth)
    return 2 * prec * rec / (prec + rec), pairs


def _same_target(p: dict, t: dict) -> bool:
    if p.get("value") is None or t.get("value") is None:
        return False
    if abs(float(p["value"]) - float(t["value"])) > 0.01:
        return False
    a = unicodedata.normalize("NFC", str(p.get("indicator", ""))).lower()
    b = unicodedata.normalize("NFC", str(t.get("indicator", ""))).lower()
    return fuzz.token_set_ratio(a, b) >= 80


def _same_task(p: dict, t: dict) -> bool:
    a = unicodedata.normalize("NFC", str(p.get("content", ""))).lower()
    b = unicodedata.normalize("NFC", str(t.get("content", ""))).lower()
    return fuzz.token_set_ratio(a, b) >= 80


@dataclass
class TaskTally:
    """Tasks counted over documents (micro): every task of every document weighs the same."""

    predicted: int = 0
    true: int = 0
    matched: int = 0
    lead_right: int = 0
    due_right: int = 0

    def add(self, predicted: list[dict], true: list[dict]) -> None:
        _, pairs = _match_f1(predicted, true, _same_task)
        self.predicted += len(predicted)
        self.true += len(true)
        self.matched += len(pairs)
        self.lead_right += sum(_same_lead(p, t) for p, t in pairs)
        self.due_right += sum((p.get("due_date") or None) == (t.get("due_date") or None)
                              for p, t in pairs)

    def merge(self, other: TaskTally) -> None:
        """Add another set of documents' counts (a cross-validation fold's) to these."""
        for name in ("predicted", "true", "matched", "lead_right", "due_right"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def f1(self) -> float:
        if not self.matched:
            return 0.0
        precision, recall = self.matched / self.predicted, self.matched / self.true
        return 2 * precision * recall / (precision + recall)

    def line(self) -> str:
        matched = max(self.matched, 1)
        return (f"tasks (micro): F1 {self.f1:.3f}, {self.matched} of {self.true} true found, "
                f"{self.predicted} given; lead right {self.lead_right / matched:.3f}, "
                f"due_date right {self.due_right / matched:.3f} of matched")


def _same_lead(p: dict, t: dict) -> bool:
    """The same body, as TASKS.md scores it: at least 90 % alike."""
    a = unicodedata.normalize("NFC", str(p.get("lead") or "")).lower()
    b = unicodedata.normalize("NFC", str(t.get("lead") or "")).lower()
    return a == b or fuzz.ratio(a, b) >= 90


def score_document(record: dict, truth: dict) -> dict[str, float]:
    """Per-field scores of one document (only the fields its truth file scores)."""
    return _score(record, truth)[0]


def _score(record: dict, truth: dict) -> tuple[dict[str, float], list[tuple[dict, dict]]]:
    """The scores, and the matched (predicted, true) task pairs for -v."""
    scores: dict[str, float] = {}
    pairs: list[tuple[dict, dict]] = []
    for field in TEXT_FIELDS:
        if field in truth and truth[field] is not None:
            scores[field] = float(norm(record.get(field) or "") == norm(truth[field]))
    if "references" in truth:
        pred = {norm(r["number"]) for r in record.get("references") or []}
        true = {norm(r["number"]) for r in truth["references"]}
        if "annotated_pages" in truth:  # truth lists the annotated pages only: recall
            scores["references"] = len(pred & true) / len(true) if true else 1.0
        else:
            scores["references"] = f1(pred, true)
    if truth.get("targets"):
        scores["targets"], _ = _match_f1(record.get("targets") or [], truth["targets"],
                                         _same_target)
    if truth.get("tasks"):
        scores["tasks"], pairs = _match_f1(record.get("tasks") or [], truth["tasks"], _same_task)
        if pairs:
            right = sum(
                norm(p.get("lead") or "") == norm(t.get("lead") or "")
                and (p.get("due_date") or None) == (t.get("due_date") or None)
                for p, t in pairs
            )
            scores["tasks_lead_due"] = right / len(pairs)
    return scores, pairs


def true_cells(truth: dict) -> list[str]:
    """The cells of a truth file's tables: its ``pages[].tables`` when it has them, else the
    rows of its text (cells written with a rule between them, as the generator writes)."""
    tables = [t for page in truth.get("pages") or [] for t in page.get("tables") or []]
    if tables:
        return record_cells({"pages": truth["pages"]})
    rule = f" {CELL_RULE} "
    return [norm(cell) for line in (truth.get("text") or "").splitlines() if rule in line
            for cell in line.split(rule)]


def record_cells(record: dict) -> list[str]:
    """The non-empty cells of every table a record's pages hold."""
    return [norm(cell["text"]) for page in record.get("pages") or []
            for table in page.get("tables") or [] for row in table["rows"] for cell in row
            if cell["text"]]


def cell_matches(record: dict, truth: dict) -> tuple[int, int]:
    """(true cells found exactly, true cells): the table-cell exact-match rate."""
    remaining = Counter(record_cells(record))
    true = true_cells(truth)
    found = 0
    for cell in true:
        if remaining[cell] > 0:
            remaining[cell] -= 1
            found += 1
    return found, len(true)


def find_cases(root: Path) -> list[tuple[Path, Path]]:
    cases = []
    for truth in sorted(root.rglob("*.truth.json")):
        stem = truth.name[: -len(".truth.json")]
        for suffix in INPUT_SUFFIXES:
            candidates = [truth.with_name(stem + suffix), truth.with_name(stem + ".ocr" + suffix)]
            found = next((c for c in candidates if c.exists()), None)
            if found:
                cases.append((found, truth))
                break
    return cases


def evaluate(root: Path, workers: int | None = None, verbose: bool = False,
             force_ocr: bool = False, restore: bool = True, vote_folder: bool = True) -> int:
    cases = find_cases(root)
    if not cases:
        print(f"vanban: {root}: no input with a .truth.json beside it")
        return 2
    settings = Settings(force_ocr=force_ocr, restore=restore)
    records = list(run_many([str(c[0]) for c in cases], settings, workers=workers))
    if vote_folder:  # as an ingest of the folder does: an office's papers vote on its numbers
        vote([r for r in records if "error" not in r])
    by_field: dict[str, list[float]] = defaultdict(list)
    all_scores: list[float] = []
    distance = length = 0
    cells_found = cells_total = 0
    failed = 0
    calibration: list[tuple[float, bool]] = []  # (confidence, right) of every scored field
    by_field_confidence: dict[str, list[tuple[float, bool]]] = defaultdict(list)
    tally = TaskTally()
    queue: list[tuple[bool, bool, bool, float]] = []  # models/review's flags, scored
    for (path, truth_path), record in zip(cases, records, strict=True):
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        if "error" in record:
            failed += 1
            print(f"  {path.name}: ERROR {record['error']}")
            record = {}
        scores, task_pairs = _score(record, truth)
        if "tasks" in truth:
            tally.add(record.get("tasks") or [], truth["tasks"] or [])
        confidence = record.get("confidence") or {}
        for f in TEXT_FIELDS:
            if f in scores:
                pair = (float(confidence.get(f, 0.0)), scores[f] == 1.0)
                calibration.append(pair)
                by_field_confidence[f].append(pair)
        queue.append(review_flags(record, {f: s for f, s in scores.items() if f in TEXT_FIELDS}))
        for field, value in scores.items():
            by_field[field].append(value)
            if field != "tasks_lead_due":
                all_scores.append(value)
        page_cer = None
        if truth.get("text"):
            true_text = unicodedata.normalize("NFC", truth["text"])
            got = unicodedata.normalize("NFC", record.get("text") or "")
            edits = Levenshtein.distance(got, true_text)
            distance, length = distance + edits, length + len(true_text)
            page_cer = edits / max(1, len(true_text))
            found, total = cell_matches(record, truth)
            cells_found, cells_total = cells_found + found, cells_total + total
        wrong = {f: s for f, s in scores.items() if s < 1}
        if verbose and (wrong or page_cer):
            print(f"  {path.name}:" + (f" cer {page_cer:.4f}" if page_cer is not None else ""))
            for field in wrong:
                got = record.get(field)
                if field == "tasks_lead_due":
                    for p, t in task_pairs:
                        if (p.get("lead"), p.get("due_date")) != (t.get("lead"), t.get("due_date")):
                            print(f"    task {t['content'][:40]!r}: got lead/due "
                                  f"{p.get('lead')!r}/{p.get('due_date')} want "
                                  f"{t.get('lead')!r}/{t.get('due_date')}")
                    continue
                if field == "references":
                    got = sorted(r["number"] for r in got or [])
                    want = sorted(r["number"] for r in truth[field])
                else:
                    want = truth.get(field)
                conf = confidence.get(field)
                shown = f" (confidence {conf:.2f})" if conf is not None else ""
                print(f"    {field}: got {got!r} want {want!r}{shown}")
    for field in sorted(by_field, key=lambda f: (f not in TEXT_FIELDS, f)):
        values = by_field[field]
        print(f"{field:18s} {sum(values) / len(values):.3f}  (n={len(values)})")
    if cells_total:  # not a field: how exactly table cells were read (issue 4)
        print(f"table cells exact {cells_found / cells_total:.3f}  ({cells_found}/{cells_total})")
    if tally.true:
        print(tally.line())
    for line in reliability_lines(by_field_confidence):
        print(line)
    for line in calibration_lines(calibration):
        print(line)
    for line in queue_lines(queue):
        print(line)
    field_f1 = sum(all_scores) / len(all_scores) if all_scores else 0.0
    cer = distance / length if length else float("nan")
    print(f"eval: {len(cases)} docs, field_f1={field_f1:.3f}, cer={cer:.4f}")
    return 1 if failed else 0


SURE_CONFIDENCE = 0.9


def review_flags(record: dict, scores: dict[str, float]) -> tuple[bool, bool, bool, float]:
    """Whether a document has a wrong header field, whether the review queue
    (models/review: ``--needs-review``, ``/review``) holds it, and whether it would by the
    fields' confidences alone (no missing field, no lost page); and its weakest flag's
    confidence, the queue's order (1.0 when not queued)."""
    from models.review import PAGES, record_flags

    found = record_flags(record)
    by_confidence = any(not f.missing and f.field != PAGES for f in found)
    return (any(v < 1 for v in scores.values()), bool(found), by_confidence,
            min((f.confidence for f in found), default=1.0))


def queue_lines(flags: list[tuple[bool, bool, bool, float]]) -> list[str]:
    """The review queue measured: how many documents it holds, what share of the documents
    with a wrong header field it holds (recall) and what share of it has one (precision);
    and its order: of the first W documents (W: how many have a wrong field), how many do."""
    if not flags:
        return []
    wrong = sum(f[0] for f in flags)
    lines = []
    for label, k in (("review queue (/review, --needs-review)", 1),
                     ("review queue by confidence alone", 2)):
        queued = [f for f in flags if f[k]]
        hits = sum(f[0] for f in queued)
        recall = f"{hits / wrong:.3f}" if wrong else "-"
        precision = f"{hits / len(queued):.3f}" if queued else "-"
        lines.append(f"{label}: {len(queued)} of {len(flags)} documents; holds {hits} of the "
                     f"{wrong} with a wrong header field (recall {recall}, precision {precision})")
    if wrong:
        first = sorted((f for f in flags if f[1]), key=lambda f: f[3])[:wrong]
        lines.append(f"review queue order, weakest first: {sum(f[0] for f in first)} of the "
                     f"first {wrong} have a wrong header field")
    return lines


def reliability_lines(by_field: dict[str, list[tuple[float, bool]]]) -> list[str]:
    """Per field: its mean confidence beside the share right (a calibrated field's two
    agree), and how many of its values are sure (>= 0.9) and how right those are."""
    if not by_field:
        return []
    lines = ["reliability        fields  mean conf  right   sure  sure right"]
    for field in (f for f in TEXT_FIELDS if by_field.get(f)):
        pairs = by_field[field]
        sure = [ok for conf, ok in pairs if conf >= SURE_CONFIDENCE]
        sure_right = f"{sum(sure) / len(sure):.3f}" if sure else "-"
        lines.append(f"  {field:16s} {len(pairs):6d}  {sum(c for c, _ in pairs) / len(pairs):9.3f}"
                     f"  {sum(ok for _, ok in pairs) / len(pairs):5.3f}  {len(sure):5d}  {sure_right:>10s}")
    return lines


def calibration_lines(pairs: list[tuple[float, bool]]) -> list[str]:
    """How well the header fields' confidences predict being right: the share right in each
    confidence band, and the line the issue asks for (fields at ≥ 0.9: how many, how right)."""
    if not pairs:
        return []
    lines = ["confidence band    fields  right"]
    for low, high in ((0.0, 0.5), (0.5, 0.7), (0.7, 0.9), (0.9, 1.01)):
        band = [ok for conf, ok in pairs if low <= conf < high]
        if band:
            label = f"{low:.1f}-{min(high, 1.0):.1f}"
            lines.append(f"  {label:16s} {len(band):6d}  {sum(band) / len(band):.3f}")
    sure = [ok for conf, ok in pairs if conf >= SURE_CONFIDENCE]
    right = sum(sure) / len(sure) if sure else float("nan")
    lines.append(f"calibration: {len(sure)} of {len(pairs)} fields at confidence >= 0.9 "
                 f"(coverage {len(sure) / len(pairs):.3f}), right {right:.3f}")
    return lines
