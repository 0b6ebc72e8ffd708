"""The indicators page's chart: one indicator's values by year, as coordinates for an
inline SVG (its labels escaped by the template)."""

from __future__ import annotations

from typing import Any

CHART = {"width": 640, "height": 280, "left": 48, "right": 160, "top": 16, "bottom": 32}


def chart_of(rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    """One indicator's values by year, a line per issuer and kind (chỉ tiêu dashed, kết quả
    solid), as coordinates for an inline SVG the template draws (its labels escaped there)."""
    points = [r for r in rows if r["year"] and r["value"] is not None]
    if not points:
        return None
    years = sorted({r["year"] for r in points})
    top = max(100.0, max(r["value"] for r in points))
    width = CHART["width"] - CHART["left"] - CHART["right"]
    height = CHART["height"] - CHART["top"] - CHART["bottom"]

    def x(year: int) -> float:
        return CHART["left"] + (width * years.index(year) / max(1, len(years) - 1)
                                if len(years) > 1 else width / 2)

    def y(value: float) -> float:
        return CHART["top"] + height * (1 - value / top)

    series: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for r in sorted(points, key=lambda r: r["year"]):
        series.setdefault((r["issuer"] or "?", r["kind"] or "target"), []).append(
            (round(x(r["year"]), 1), round(y(r["value"]), 1)))
    colours = ["#7a1414", "#1a5fb4", "#26a269", "#c64600", "#613583", "#865e3c"]
    issuers = sorted({issuer for issuer, _ in series})
    return {
        **CHART, "years": [(year, round(x(year), 1)) for year in years],
        "ticks": [(v, round(y(v), 1)) for v in (0, top / 2, top)],
        "series": [{"issuer": issuer, "kind": kind, "points": pts,
                    "colour": colours[issuers.index(issuer) % len(colours)],
                    "dashed": kind == "target",
                    "path": " ".join(f"{px},{py}" for px, py in pts)}
                   for (issuer, kind), pts in sorted(series.items())],
    }
