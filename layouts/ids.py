"""Component ids, one class per screen. Callbacks and layouts refer to these constants only."""


class Shell:
    URL = "url"
    PAGE = "page"
    TICK = "live-tick"
    LIVE = "live-state"  # {"key", "stale", "changed_at", "now"} written by the poller
    CONFIG = "live-config"
    BANNER = "stale-banner"


class BigScreen:
    ROOT = "bs-root"
    TITLE = "bs-title"
    CLOCK = "bs-clock"  # assets/live.js ticks it
    LIVE_DOT = "bs-live-dot"
    DATA_TIME = "bs-data-time"
    KPIS = "bs-kpis"  # pattern-matching type: {"type": KPIS, "field": ...}
    RANGE = "bs-range"
    DATES = "bs-dates"
    DATES_WRAP = "bs-dates-wrap"
    TOWN = "bs-town"
    MAP = "bs-map"
    GRID_LAYER = "bs-grid-layer"
    TOWN_LAYER = "bs-town-layer"
    TOWN_LABELS = "bs-town-labels"
    HEAT_LAYER = "bs-heat-layer"
    MEASURE = "bs-measure"
    HEAT_TOGGLE = "bs-heat-toggle"
    LEGEND = "bs-legend"
    SELECTED = "bs-selected"
    CATEGORY = "bs-category"
    TREND = "bs-trend"
    HEATMAP = "bs-heatmap"
    HEATMAP_MODE = "bs-heatmap-mode"
    DEPTS = "bs-depts"
    SPLIT = "bs-split"
    BOARD = "bs-board"
    FEED = "bs-feed"
    CACHE = "bs-cache"  # fingerprints of what each panel shows, so unchanged panels are not resent
    # --- issue 7: server-side print exports of the panels' charts ---
    EXPORT = "bs-export"  # pattern-matching type: {"type": EXPORT, "chart": ..., "format": ...} links


class NotFound:
    ROOT = "nf-root"


# --- warnings ---
class Warnings:
    """/warnings: the duty officers' desk page for the four-level warnings."""

    ROOT = "wn-root"
    SUMMARY = "wn-summary"
    EVALUATED = "wn-evaluated"
    LEVELS = "wn-levels"  # level filter (checklist)
    TOWN = "wn-town"
    KIND = "wn-kind"
    STATUS = "wn-status"
    FROM = "wn-from"
    TO = "wn-to"
    CURRENT = "wn-current"
    CURRENT_COUNT = "wn-current-count"
    HISTORY = "wn-history"
    HISTORY_COUNT = "wn-history-count"
    LIST = "wn-list"
    LIST_COUNT = "wn-list-count"
    SCOPE = "wn-scope"
    LEVEL = "wn-level"
    REASON = "wn-reason"
    UNTIL = "wn-until"
    BY = "wn-by"
    SUBMIT = "wn-submit"
    FEEDBACK = "wn-feedback"
    LIFT = "wn-lift"  # pattern-matching: {"type": LIFT, "id": warning id}
    CHANGED = "wn-changed"  # a counter bumped after an issue or a lift: the tables reload

# --- issue 7: the weekly bulletin page (/bulletin) ---
class Bulletin:
    ROOT = "bl-root"
    WEEK = "bl-week"
    AREA = "bl-area"
    PREVIEW = "bl-preview"
    GENERATE = "bl-generate"
    JOB = "bl-job"  # dcc.Store: the running job's id
    POLL = "bl-poll"  # dcc.Interval while a job runs
    PROGRESS = "bl-progress"
    PROGRESS_BAR = "bl-progress-bar"
    PROGRESS_TEXT = "bl-progress-text"
    DOWNLOADS = "bl-downloads"
    FIGURE = "bl-figure"  # pattern-matching type: {"type": FIGURE, "chart": ...}
