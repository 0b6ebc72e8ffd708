"""Task and target tables drawn as other offices draw them: any column order and wording,
with or without an STT column, sections, report tables with plan and result side by side,
values in every comparator form, over page breaks with or without the header again.

``task_grid`` and ``target_grid`` return a ``Grid`` (what the renderer draws) and the truth
rows it means (tasks, or targets of both kinds).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from scripts.samplegen.content import TARGET_SECTIONS, TASKS

HEADINGS = {
    "number": ["STT", "TT", "Số TT"],
    "content": ["Nội dung công việc", "Nhiệm vụ", "Nội dung nhiệm vụ", "Nội dung"],
    "lead": ["Cơ quan chủ trì", "Đơn vị chủ trì", "Đơn vị thực hiện", "Cơ quan thực hiện"],
    "partners": ["Cơ quan phối hợp", "Đơn vị phối hợp"],
    "deadline": ["Thời gian hoàn thành", "Thời hạn", "Thời gian thực hiện", "Tiến độ"],
    "output": ["Sản phẩm", "Hình thức văn bản"],
    "indicator": ["Chỉ tiêu", "Tên chỉ tiêu", "Nội dung chỉ tiêu"],
    "unit": ["Đơn vị tính", "ĐVT"],
    "target": ["Chỉ tiêu năm {year}", "Kế hoạch năm {year}", "Chỉ tiêu giao", "Mục tiêu"],
    "actual": ["Kết quả thực hiện", "Thực hiện năm {year}", "Ước thực hiện năm {year}",
               "Kết quả năm {year}"],
    "responsible": ["Cơ quan chủ trì", "Đơn vị thực hiện", "Đơn vị chủ trì"],
}
WEIGHTS = {"number": 0.6, "content": 3.4, "lead": 1.8, "partners": 1.6, "deadline": 1.5,
           "output": 1.2, "indicator": 3.4, "unit": 0.9, "target": 1.2, "actual": 1.2,
           "responsible": 1.7}
PARTNERS = ["Văn phòng", "Công an xã", "Phòng Tư pháp", "Các đơn vị liên quan"]
OUTPUTS = ["Báo cáo", "Kế hoạch", "Quyết định", "Công văn"]
LEADS = ["Văn phòng HĐND và UBND", "Bộ phận một cửa", "Các phòng chuyên môn",
         "UBND các xã, thị trấn"]


@dataclass
class Grid:
    roles: list[str]
    header: list[str]
    rows: list[list[str]]  # a row shorter than the header: its last cell spans the rest
    repeat_header: bool = True  # printed again on a new page
    borderless: bool = False
    size: float = 12.0
    family: str = "Serif"
    centred: set[str] = field(default_factory=lambda: {"number", "unit", "target", "actual"})

    @property
    def widths(self) -> list[float]:
        total = sum(WEIGHTS[r] for r in self.roles)
        return [WEIGHTS[r] / total for r in self.roles]


def _columns(rng: random.Random, required: list[str], optional: list[str]) -> list[str]:
    """STT first when there is one; the rest in a drafter's order."""
    roles = required + [r for r in optional if rng.random() < 0.45]
    rng.shuffle(roles)
    roles.sort(key=lambda r: r != "content" and r != "indicator")  # the subject column early
    if rng.random() < 0.3 and len(roles) > 2:  # now and then it is not second
        roles.insert(rng.randint(1, len(roles) - 1), roles.pop(0))
    return (["number"] if rng.random() < 0.75 else []) + roles


def _style(rng: random.Random, grid: Grid) -> Grid:
    grid.repeat_header = rng.random() < 0.6
    grid.size = rng.choice([11.5, 12.0, 12.5, 13.0])
    grid.family = rng.choice(["Serif", "Serif", "Sans"])
    return grid


def task_grid(rng: random.Random, year: int) -> tuple[Grid, list[dict]]:
    roles = _columns(rng, ["content", "lead", "deadline"], ["partners", "output"])
    header = [rng.choice(HEADINGS[r]).format(year=year) for r in roles]
    rows, truth = [], []
    sections = rng.random() < 0.4
    items = rng.sample(TASKS, rng.randint(3, len(TASKS)))
    for i, (content, lead, deadline, due) in enumerate(items, 1):
        if sections and i in (1, 1 + len(items) // 2):
            title = "I. Nhiệm vụ trọng tâm" if i == 1 else "II. Nhiệm vụ thường xuyên"
            rows.append(_section(roles, title))
        partners = rng.sample(PARTNERS, rng.randint(0, 2)) if "partners" in roles else []
        values = {"number": str(i), "content": content, "lead": lead,
                  "partners": "; ".join(partners), "deadline": deadline.format(year=year),
                  "output": rng.choice(OUTPUTS)}
        rows.append([values[r] for r in roles])
        truth.append({"content": content, "lead": lead, "deadline": deadline.format(year=year),
                      "due_date": due.format(year=year) if due else None})
    return _style(rng, Grid(roles, header, rows)), truth


def _section(roles: list[str], title: str) -> list[str]:
    """A section row: the numeral in the STT column and the title across the rest, or the
    whole title across the table when there is no STT column."""
    numeral, _, words = title.partition(". ")
    return [numeral, words] if roles[0] == "number" else [title]


VALUE_FORMS = {  # how a bound is written in a cell: (text, comparator)
    ">=": ["Tối thiểu {v}", "≥ {v}%", "{v}% trở lên", "Ít nhất {v}%", "Tối thiểu {v}%"],
    "<=": ["Tối đa {v}", "Không quá {v}%", "≤ {v}%"],
    "=": ["{v}", "{v}%"],
}


def target_grid(rng: random.Random, year: int, report: bool) -> tuple[Grid, list[dict]]:
    """A plan's chỉ tiêu table, or a report's with the plan and what was reached."""
    values = ["target", "actual"] if report else ["target"]
    optional = ["unit", "responsible"]
    roles = _columns(rng, ["indicator", *values], optional)
    # plan before result, as reports print them
    if report and roles.index("actual") < roles.index("target"):
        a, t = roles.index("actual"), roles.index("target")
        roles[a], roles[t] = roles[t], roles[a]
    header = [rng.choice(HEADINGS[r]).format(year=year) for r in roles]
    unit_column = "unit" in roles
    rows, truth = [], []
    for roman, (section, items) in zip(("I", "II"), TARGET_SECTIONS, strict=True):
        rows.append(_section(roles, f"{roman}. {section}"))
        for k, (indicator, unit, _, comparator, value) in enumerate(
                rng.sample(items, rng.randint(2, 4)), 1):
            shown = f"{value:g}".replace(".", ",")
            form = rng.choice(VALUE_FORMS[comparator])
            if not unit_column and "%" not in form:
                form += "%"  # without a unit column the cell says it is a percentage
            cells = {"number": str(k), "indicator": indicator, "unit": unit,
                     "target": form.format(v=shown), "responsible": rng.choice(LEADS)}
            truth.append({"indicator": indicator, "value": value, "unit": unit,
                          "comparator": comparator, "kind": "target", "year": year})
            if report:
                reached = round(value - rng.choice([0, 0.5, 1.5, 3]), 1) if value > 10 else value
                cells["actual"] = f"{reached:g}".replace(".", ",") + ("" if unit_column else "%")
                truth.append({"indicator": indicator, "value": reached, "unit": unit,
                              "comparator": "=", "kind": "actual", "year": year})
            rows.append([cells[r] for r in roles])
    return _style(rng, Grid(roles, header, rows)), truth
