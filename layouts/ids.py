"""Component ids, one class per screen. Callbacks and layouts refer to these constants only."""


class Shell:
    PANEL = "panel-fp"  # pattern type {"type": PANEL, "panel": name}: what a panel shows (callbacks/panel.py)
    URL = "url"
    PAGE = "page"
    TICK = "live-tick"
    LIVE = "live-state"  # {"key", "stale", "changed_at", "now"} written by the poller
    LIVE_SLOW = "live-slow"  # follows LIVE at most every chart_refresh_ms: for the costly charts
    CONFIG = "live-config"
    BANNER = "stale-banner"
    DATE_WORDS = "date-words"  # the date pickers' calendar words (data-words), read by assets/dates.js


def panel_store(panel: str) -> dict:
    """The id of the store holding the fingerprint of what panel ``panel`` shows."""
    return {"type": Shell.PANEL, "panel": panel}


class BigScreen:
    ROOT = "bs-root"
    TITLE = "bs-title"
    CLOCK = "bs-clock"  # assets/live.js ticks it
    LIVE_DOT = "bs-live-dot"
    DATA_TIME = "bs-data-time"
    KPIS = "bs-kpis"  # pattern-matching type: {"type": KPIS, "field": ...}: a figure of the strip
    KPI_FLOW_LABEL = "bs-kpi-flow-label"  # the window the strip's flows count (近7日 ...)
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
    BOARD_LIST = "bs-board-list"  # the board's red and orange rows, paged by assets/live.js
    FEED = "bs-feed"
    FEED_PINNED = "bs-feed-pinned"  # unacknowledged alert cases, pinned atop the feed
    # Alerts (dashboard/warnings/alerts.py): the banner until a duty officer acknowledges them.
    ALERT_BANNER = "bs-alert-banner"
    ALERT_BODY = "bs-alert-body"
    ALERT_TOP = "bs-alert-top"  # {"id"}: the alert the banner names (what its button acknowledges)
    ALERT_ACK = "bs-alert-ack"  # only on the screens of those who may acknowledge
    ALERT_FEEDBACK = "bs-alert-feedback"
    ALERT_SOUND = "bs-alert-sound"  # the sound switch (assets/live.js beeps while alerts stand)
    MAP_PULSE = "bs-map-pulse"  # grids at Ⅰ/Ⅱ and alert grids, outlined pulsing by assets/map.js
    MAP_PULSED = "bs-map-pulsed"
    MAP_VIEW = "bs-map-view"  # set by assets/map.js fitTo: the county or the chosen town fills the map
    # Colours applied to the existing map layers in place (assets/map.js recolour).
    MAP_COLOURS = "bs-map-colours"  # the colours of every grid, aligned with the geometry's features
    MAP_PAINTED = "bs-map-painted"  # set by the clientside recolour: the fingerprint now on the map
    MAP_READY = "bs-map-ready"  # set by assets/map.js when the grids were first drawn: the charts come in
    LATER = "bs-later"  # pattern-matching type: {"type": LATER, "slot": ...}: a chart panel's body, filled then
    # Server-side print exports of the panels' charts.
    EXPORT = "bs-export"  # pattern-matching type: {"type": EXPORT, "chart": ..., "format": ...} links


# --- drill-down desk pages ---------------------------------------------------------------------


class Desk:
    """Shared by every desk page."""

    NAV = "desk-nav"  # the desk's navigation: links to the pages listed there
    WINDOW = "desk-window"  # the window label; its <time> children carry the ISO bounds
    WINDOW_START = "desk-window-start"
    WINDOW_END = "desk-window-end"
    DATES = "desk-dates"  # custom range picker
    DATES_PROMPT = "desk-dates-prompt"  # shown while the custom range lacks a date


class AreaPage:
    """/town/<code> and /community/<code>."""

    PARAMS = "ap-params"  # {"code", "level", "query"}: what the page is about, from the URL
    KPIS = "ap-kpis"  # pattern type {"type": KPIS, "field": ...}
    BADGE = "ap-badge"
    MAP = "ap-map"
    GRID_LAYER = "ap-grid-layer"
    OUTLINE_LAYER = "ap-outline-layer"
    LABELS = "ap-labels"
    MEASURE = "ap-measure"
    LEGEND = "ap-legend"
    CHILDREN = "ap-children"
    WARNED = "ap-warned"
    OPEN = "ap-open"
    TREND = "ap-trend"
    CATEGORY = "ap-category"


class GridPage:
    """/grid/<code>."""

    PARAMS = "gp-params"  # {"code", "query"}
    KPIS = "gp-kpis"
    BADGE = "gp-badge"
    MAP = "gp-map"
    NEIGHBOURS = "gp-neighbours"
    POINTS = "gp-points"
    TEAM = "gp-team"
    PEOPLE = "gp-people"
    WARNING = "gp-warning"
    FIELDWORK = "gp-fieldwork"
    EVENTS = "gp-events"
    TREND = "gp-trend"
    CATEGORY = "gp-category"


class EventPage:
    """/event/<id>: the case file."""

    PARAMS = "ep-params"  # {"id"}
    HEAD = "ep-head"
    DETAILS = "ep-details"
    MAP = "ep-map"
    TIMELINE = "ep-timeline"
    STAGES = "ep-stages"
    STAGE_CHART = "ep-stage-chart"
    SUPERVISIONS = "ep-supervisions"
    SUPERVISE_FORM = "ep-supervise-form"
    ACTOR = "ep-actor"  # who supervises: the logged-in account (shown, never typed)
    NOTE = "ep-note"
    SUPERVISE = "ep-supervise"
    MESSAGE = "ep-message"
    REFRESH = "ep-refresh"  # bumped after a supervision so the case file redraws at once


class DeptPage:
    """/department/<code>."""

    PARAMS = "dp-params"  # {"code", "query"}
    KPIS = "dp-kpis"
    SCORE = "dp-score"
    SCORE_VALUE = "dp-score-value"
    STATUS = "dp-status"
    RATES = "dp-rates"
    STAGES = "dp-stages"
    OVERDUE = "dp-overdue"


class Explorer:
    """/events."""

    # The explorer's own view of the URL: it reads and writes the filter in the query, and the
    # shell's router (which owns the path) never needs to hear about it.
    URL = "ex-url"
    RANGE = "ex-range"
    DATES = "ex-dates"
    DATES_PROMPT = "ex-dates-prompt"  # shown while the custom range lacks a date
    TOWN = "ex-town"
    COMMUNITY = "ex-community"
    GRID = "ex-grid"
    CATEGORY = "ex-category"
    STATUS = "ex-status"
    HANDLER = "ex-handler"
    FLAGS = "ex-flags"
    SEARCH = "ex-search"
    RESET = "ex-reset"
    STATE = "ex-state"  # the current filter as a query string: what the table and the exports read
    REFRESH = "ex-refresh"  # bumped after a supervision: the table reloads its rows in place
    PURGED = "ex-purged"  # output of the clientside cache purge (nothing reads it)
    COUNT = "ex-count"
    CSV = "ex-csv"
    XLSX = "ex-xlsx"
    LINK = "ex-link"
    TABLE = "ex-table"
    SELECTED = "ex-selected"
    ACTOR = "ex-actor"  # who supervises (shown, never typed)
    NOTE = "ex-note"
    SUPERVISE = "ex-supervise"
    MESSAGE = "ex-message"


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
    ACTOR = "wn-actor"  # who issues: the logged-in account (shown, never typed)
    SUBMIT = "wn-submit"
    FEEDBACK = "wn-feedback"
    LIFT = "wn-lift"  # pattern-matching: {"type": LIFT, "id": warning id}; asks for confirmation
    LIFT_CONFIRM = "wn-lift-confirm"  # the confirmation bar: which warning, 确认解除 / 取消
    LIFT_CONFIRM_TEXT = "wn-lift-confirm-text"
    LIFT_YES = "wn-lift-yes"
    LIFT_NO = "wn-lift-no"
    LIFT_PENDING = "wn-lift-pending"  # {"id": warning id} awaiting confirmation, or None
    CHANGED = "wn-changed"  # a counter bumped after an issue or a lift: the tables reload
    TABLES = ("current", "history", "list")  # each shown a page at a time

    @staticmethod
    def pager(table: str, part: str) -> str:
        """A table's pager: ``prev`` / ``next`` buttons, ``text``, the ``page`` store (0-based) and
        the ``shown`` store (the fingerprint of the rows on screen: unchanged rows are not sent)."""
        return f"wn-{table}-{part}"

# The weekly bulletin page (/bulletin).
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
