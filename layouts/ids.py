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
    CLOCK = "bs-clock"
    LIVE_DOT = "bs-live-dot"
    DATA_TIME = "bs-data-time"
    KPIS = "bs-kpis"
    RANGE = "bs-range"


class NotFound:
    ROOT = "nf-root"
