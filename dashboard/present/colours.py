"""Colour by meaning: a value's colour is its level against its indicator's thresholds
(``dashboard.domain.indicators``: good / warn / crit, or none when the indicator judges nothing),
drawn in the palette of where it is shown. KPI tiles, tables, bar charts, the bulletin's deck and
its workbook all ask here, so 综合得分 58.5 or 办结率 50 % is red wherever it appears.
"""

from __future__ import annotations

from dashboard.domain import indicators

# Marks (bars, text) per theme; "none" is the theme's neutral bar colour. The screen's match the
# CSS variables of assets/gridscreen.css (--good, --warn, --bad, --accent).
MARKS = {
    "screen": {"good": "#2ed47a", "warn": "#ffb020", "crit": "#ff4d4f", "none": "#35c8ff"},
    "print": {"good": "#15803d", "warn": "#d97706", "crit": "#b91c1c", "none": "#1d4ed8"},
}
# Cell fills on paper (deck tables, workbook cells): pale, so dark text stays readable.
FILLS = {"good": "#dcfce7", "warn": "#fef3c7", "crit": "#fee2e2"}


def level(key: str, value) -> str:
    return indicators.level(key, value)


def mark(key: str, value, theme: str = "screen") -> str:
    """The colour of a bar or a figure showing ``value`` of indicator ``key``."""
    return MARKS[theme][level(key, value)]


def marks(key: str, values, theme: str = "screen") -> list[str]:
    return [mark(key, v, theme) for v in values]


def fill(key: str, value) -> str | None:
    """A table cell's fill on paper, or None when the value is not judged."""
    return FILLS.get(level(key, value))


def css_class(key: str, value) -> str:
    """The class of an HTML element showing the value (``lv-good``, ``lv-warn``, ``lv-crit``,
    ``lv-none``; assets/gridscreen.css and desk.css colour them)."""
    return f"lv-{level(key, value)}"
