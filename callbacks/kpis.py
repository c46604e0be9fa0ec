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


def values(figures: dict, fields) -> list:
    """What ``outputs`` receive for ``figures`` (indicator key -> value)."""
    texts, classes = [], []
    for f in fields:
        ind, value = INDICATORS[f], figures.get(f)
        text = ind.text(value)
        texts.append(text)
        classes.append(" ".join(c for c in ("kpi", f"lv-{ind.level(value)}", "long" if len(text) > 7 else "") if c))
    return [*texts, *classes]
