"""Every indicator declared once: what it counts (a flow over the window's cohort or a stock at the
window's end), whose clock it runs on, how it is written, which direction is good and where its
colours change. KPI strips, tables, maps, the bulletin's deck and workbook and the API's levels
all read these declarations; the formulas themselves are ``metrics``' and the states behind them
``casestate``'s. Labels, units and definitions are words, so they live in ``strings``.

Flows and stocks (DESIGN.md): a *flow* counts the cases reported in the window, evaluated as of
its end; a *stock* counts what stands at the window's end whatever the report time (当前在办,
当前超期). Every label says which one it is: stocks begin with 当前.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from dashboard import strings

FLOW, STOCK, CONTEXT = "flow", "stock", "context"
AREA, HANDLER, CENTRE = "area", "handler", "centre"
HIGHER, LOWER = "higher", "lower"
# Levels a value can have against its thresholds (CSS classes and colours follow these words).
LEVELS = ("good", "warn", "crit", "none")


def _missing(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def _count(v) -> str:
    return f"{int(v):,}"


def _rate(v) -> str:
    return f"{v * 100:.1f}%"


def _hours(v) -> str:
    return f"{v:.1f}" if v < 100 else f"{v:,.0f}"


def _score(v) -> str:
    return f"{v:.1f}"


FORMATS = {"count": _count, "rate": _rate, "hours": _hours, "score": _score}


@dataclass(frozen=True)
class Indicator:
    key: str
    kind: str = FLOW  # FLOW | STOCK | CONTEXT (population, houses ...: neither judged nor coloured)
    format: str = "count"  # a key of FORMATS
    better: str | None = None  # HIGHER | LOWER | None (neither: reports, population)
    # Where the colours change: with HIGHER, a value below ``warn`` (``crit``) is "warn" ("crit");
    # with LOWER, a value at or above it is.
    warn: float | None = None
    crit: float | None = None
    clock: str = AREA  # whose clock the figure runs on: the area's, the handler's or the centre's

    @property
    def label(self) -> str:
        return strings.INDICATOR_LABELS[self.key]

    @property
    def unit(self) -> str:
        return strings.UNITS.get(self.key, "")

    def text(self, v) -> str:
        """The value as people read it, without its unit: '1,234', '96.6%', '12.5'."""
        return "—" if _missing(v) else FORMATS[self.format](v)

    def level(self, v) -> str:
        """"good", "warn" or "crit" against the thresholds; "none" when undefined or unjudged."""
        if _missing(v) or self.better is None or (self.warn is None and self.crit is None):
            return "none"
        worse = (lambda a, b: a < b) if self.better == HIGHER else (lambda a, b: a >= b)
        if self.crit is not None and worse(v, self.crit):
            return "crit"
        if self.warn is not None and worse(v, self.warn):
            return "warn"
        return "good"

    def direction(self, change) -> int:
        """+1 when a change is an improvement, -1 a deterioration, 0 neither."""
        if not change or self.better is None:
            return 0
        sign = 1 if change > 0 else -1
        return sign if self.better == HIGHER else -sign


def _flow(key, fmt="count", better=None, warn=None, crit=None, clock=AREA):
    return Indicator(key, FLOW, fmt, better, warn, crit, clock)


def _stock(key, fmt="count", better=None, warn=None, crit=None, clock=AREA):
    return Indicator(key, STOCK, fmt, better, warn, crit, clock)


def _context(key, fmt="count"):
    return Indicator(key, CONTEXT, fmt)


INDICATORS: dict[str, Indicator] = {i.key: i for i in (
    # --- the cohort of reports in the window, as of its end (the area's clock: until closure) ---
    _flow("reported"),
    _flow("accepted"),
    _flow("invalid", better=LOWER),
    _flow("valid"),
    _flow("closed", better=HIGHER),
    _flow("in_progress", better=LOWER),
    _flow("due"),
    _flow("closed_on_time", better=HIGHER),
    _flow("overdue", better=LOWER, warn=1),
    _flow("closure_rate", "rate", HIGHER, warn=0.9, crit=0.8),
    _flow("on_time_rate", "rate", HIGHER, warn=0.9, crit=0.8),
    _flow("rework_rate", "rate", LOWER, warn=0.05, crit=0.1),
    _flow("mean_hours_to_close", "hours", LOWER),
    _flow("reworked"),
    _flow("supervised", better=LOWER),
    _flow("supervised_open", better=LOWER, warn=1),
    # --- the handler's clock: accountability stops at disposal ---
    _flow("disposed", clock=HANDLER),
    _flow("disposed_on_time", clock=HANDLER),
    _flow("disposal_due", clock=HANDLER),
    _flow("on_time_disposal_rate", "rate", HIGHER, warn=0.9, crit=0.8, clock=HANDLER),
    _flow("handler_overdue", better=LOWER, warn=1, clock=HANDLER),
    _flow("score", "score", HIGHER, warn=80, crit=60, clock=HANDLER),
    _flow("score_on_time", "score", clock=HANDLER),
    _flow("score_closure", "score", clock=HANDLER),
    _flow("score_rework", "score", clock=HANDLER),
    _flow("score_supervision", "score", clock=HANDLER),
    # --- the centre's clock: from disposal to closure (核查) ---
    _flow("mean_hours_to_verify", "hours", LOWER, warn=24, crit=72, clock=CENTRE),
    # --- stocks at the window's end, whatever the report time ---
    _stock("open_now"),
    _stock("overdue_now", better=LOWER, warn=1),
    _stock("handler_overdue_now", better=LOWER, warn=1, clock=HANDLER),
    _stock("supervised_open_now", better=LOWER, warn=1),
    _stock("grid_workers_online"),
    _stock("online_rate", "rate", HIGHER, warn=0.8, crit=0.6),
    # --- the area itself ---
    _context("population"),
    _context("houses"),
    _context("households"),
    _context("grids"),
    _context("grid_workers"),
)}


def get(key: str) -> Indicator:
    return INDICATORS[key]


def text(key: str, v) -> str:
    return INDICATORS[key].text(v)


def text_with_unit(key: str, v) -> str:
    i = INDICATORS[key]
    return i.text(v) if _missing(v) else i.text(v) + i.unit


def level(key: str, v) -> str:
    return INDICATORS[key].level(v)
