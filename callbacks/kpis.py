"""A KPI strip as a panel sends it, the same on every screen: each figure written by its
indicator's declaration (``dashboard.domain.indicators``), and its tile's class by the figure's
level against the indicator's thresholds (colour by meaning)."""

from __future__ import annotations

from dash import Output

from dashboard.domain.indicators import INDICATORS
from layouts.common import kpi_tile_id, kpi_value_id


def outputs(kpi_type: str, fields) -> list[Output]:
    """The strip's outputs: every figure's text, then every tile's class."""
    return [*(Output(kpi_value_id(kpi_type, f), "children") for f in fields),
            *(Output(kpi_tile_id(kpi_type, f), "className") for f in fields)]


def _length(text: str) -> str:
    """A long figure is written smaller, so that it and its unit stay inside the tile:
    "166,329" (long), "87,911" (mid)."""
    return "long" if len(text) >= 7 else "mid" if len(text) == 6 else ""


def values(figures: dict, fields) -> list:
    """What ``outputs`` receive for ``figures`` (indicator key -> value)."""
    texts, classes = [], []
    for f in fields:
        ind, value = INDICATORS[f], figures.get(f)
        text = ind.text(value)
        texts.append(text)
        classes.append(" ".join(c for c in ("kpi", f"lv-{ind.level(value)}", _length(text)) if c))
    return [*texts, *classes]
