"""Settings from the environment. Every variable is documented in the README (Configuration)."""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

import platformdirs

from dashboard.timeutil import parse_time

APP_NAME = "gridscreen"


def default_data_dir() -> Path:
    return Path(os.environ.get("GRIDSCREEN_DATA_DIR") or platformdirs.user_data_dir(APP_NAME))


def default_database_url() -> str:
    return f"sqlite:///{default_data_dir() / 'gridscreen.sqlite3'}"


def _bool(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    v = value.strip().lower()
    if v in {"1", "true", "yes", "on"}:
        return True
    if v in {"0", "false", "no", "off"}:
        return False
    raise ValueError(f"expected on/off, got {value!r}")


def _int(env: dict, name: str, default: int) -> int:
    raw = env.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError:
        raise ValueError(f"{name} must be an integer, got {raw!r}") from None


def _at_least(env: dict, name: str, default: int, low: int) -> int:
    value = _int(env, name, default)
    if value < low:
        raise ValueError(f"{name} must be at least {low}, got {value}")
    return value


@dataclass(frozen=True)
class Settings:
    database_url: str = field(default_factory=default_database_url)
    # Where the screens' figures and the version poll read (a hot-standby replica); None = the
    # database above. Every write (logins, sessions, audit, 督办, warnings, exports, the API) goes
    # to ``database_url``.
    read_database_url: str | None = None
    # True when DATABASE_URL was not given: the embedded demo database, created and seeded on start.
    embedded: bool = True
    demo_profile: str = "nanling"
    demo_seed: int = 7
    host: str = "127.0.0.1"
    port: int = 8050
    # How often an open screen asks whether the data changed (ms). 500 keeps a new event's
    # commit-to-screen p95 near 0.6 s (1000 puts it at ~1 s); a poll costs ~1 ms of server time
    # (benchmarks/README.md).
    refresh_ms: int = 500
    # The costly charts (categories, trend, heatmaps, department ranking) follow new data at most
    # this often (ms), so that a new report reaches the KPIs, map and feed first.
    chart_refresh_ms: int = 5000
    # Time-based figures (overdue, ageing, online rate) are recomputed at least this often (s).
    tick_seconds: int = 60
    # The background runner (dashboard/runner.py): started by `gridscreen serve` (off: a web-only
    # node, e.g. one reading a replica), and how often it looks whether the warnings are due.
    runner: bool = True
    runner_every: float = 2.0
    # Freeze the screens' clock at this moment (replay / reproducible screenshots). None = live.
    frozen_now: datetime | None = None
    tile_url: str | None = None
    tile_attribution: str = ""
    tile_key: str | None = None
    tile_crs: str = "wgs84"  # wgs84 | gcj02 (Gaode, Tencent tiles)
    rules_file: Path | None = None
    # Run the demo simulator inside `gridscreen serve` (new reports, cases moving, app heartbeats),
    # so the embedded demo stays alive; on by default only for the embedded demo database.
    simulate: bool = False
    secret_key: str | None = None
    debug: bool = False
    # The cache shared by every screen (dashboard/web/cache.py): redis://…, filesystem:///…,
    # simple (in the process, the default) or null.
    cache_url: str | None = None
    warm_geometry: bool = True  # build the map's geometry in the background at start
    # Accounts and access (README: Accounts and roles).
    # GRIDSCREEN_AUTH: None = automatic (no login only for the embedded demo bound to loopback).
    auth: bool | None = None
    session_hours: int = 12  # a login lasts one shift
    display_session_days: int = 30  # a wall screen's session, renewed while the screen keeps asking
    cookie_secure: bool = False  # GRIDSCREEN_COOKIE_SECURE=on behind HTTPS
    login_rate: str = "10 per minute"  # login attempts per client address (Flask-Limiter syntax)
    login_account_rate: str = "5 per minute"  # login attempts on one account from one client address
    # Failed logins of one account from one client address within 15 minutes before that pair is
    # paused (the owner, from any other address, still logs in).
    login_failures: int = 10
    # Reverse proxies in front of the app that may be trusted to say who the client is
    # (X-Forwarded-For/-Proto/-Host, Werkzeug's ProxyFix): 0 = none (the default, the address
    # seen is the client's); 1 = one proxy (nginx) ...
    trusted_proxies: int = 0
    ratelimit_storage: str = "memory://"  # e.g. redis://host:6379 to share the count between workers
    trusted_origins: tuple[str, ...] = ()  # extra origins allowed to POST (a TLS proxy's public URL)
    # Chart exports (dashboard/export/limits.py): renders at once per web process (the renderer's
    # browser tabs), exports in flight per account on this machine, and how long an admitted
    # request may wait for a render slot before it is answered 429.
    render_pool: int = 2
    renders_per_account: int = 2
    render_wait_seconds: int = 30
    # Connector: a source with no successful sync for this long is late (the big screen names it, s).
    sync_late_seconds: int = 600
    # Sync every source this often inside `gridscreen serve` (s; 0 = not there: `gridscreen sync --every`).
    sync_every: int = 0

    @classmethod
    def from_env(cls, env: dict | None = None) -> "Settings":
        env = os.environ if env is None else env
        url = env.get("DATABASE_URL") or None
        frozen = env.get("GRIDSCREEN_FROZEN_NOW") or None
        crs = (env.get("GRIDSCREEN_TILE_CRS") or "wgs84").lower()
        if crs not in {"wgs84", "gcj02"}:
            raise ValueError(f"GRIDSCREEN_TILE_CRS must be wgs84 or gcj02, got {crs!r}")
        rules = env.get("GRIDSCREEN_RULES") or None
        return cls(
            database_url=url or default_database_url(),
            read_database_url=(env.get("GRIDSCREEN_READ_DATABASE_URL") or None) if url else None,
            embedded=url is None,
            demo_profile=env.get("GRIDSCREEN_DEMO_PROFILE") or "nanling",
            demo_seed=_int(env, "GRIDSCREEN_DEMO_SEED", 7),
            host=env.get("GRIDSCREEN_HOST") or "127.0.0.1",
            port=_int(env, "GRIDSCREEN_PORT", 8050),
            refresh_ms=_int(env, "GRIDSCREEN_REFRESH_MS", cls.refresh_ms),
            tick_seconds=_int(env, "GRIDSCREEN_TICK_SECONDS", 60),
            runner=_bool(env.get("GRIDSCREEN_RUNNER"), True),
            runner_every=float(_int(env, "GRIDSCREEN_RUNNER_EVERY", 2)),
            chart_refresh_ms=_int(env, "GRIDSCREEN_CHART_REFRESH_MS", cls.chart_refresh_ms),
            frozen_now=parse_time(frozen) if frozen else None,
            tile_url=env.get("GRIDSCREEN_TILE_URL") or None,
            tile_attribution=env.get("GRIDSCREEN_TILE_ATTRIBUTION") or "",
            tile_key=env.get("GRIDSCREEN_TILE_KEY") or None,
            tile_crs=crs,
            rules_file=Path(rules) if rules else None,
            simulate=_bool(env.get("GRIDSCREEN_SIMULATE"), url is None),
            secret_key=env.get("GRIDSCREEN_SECRET_KEY") or None,
            debug=_bool(env.get("GRIDSCREEN_DEBUG"), False),
            cache_url=env.get("GRIDSCREEN_CACHE_URL") or None,
            warm_geometry=_bool(env.get("GRIDSCREEN_WARM_GEOMETRY"), True),
            auth=_bool(env.get("GRIDSCREEN_AUTH"), None),
            session_hours=_int(env, "GRIDSCREEN_SESSION_HOURS", cls.session_hours),
            display_session_days=_int(env, "GRIDSCREEN_DISPLAY_SESSION_DAYS", cls.display_session_days),
            cookie_secure=_bool(env.get("GRIDSCREEN_COOKIE_SECURE"), False),
            login_rate=env.get("GRIDSCREEN_LOGIN_RATE") or cls.login_rate,
            login_account_rate=env.get("GRIDSCREEN_LOGIN_ACCOUNT_RATE") or cls.login_account_rate,
            login_failures=_int(env, "GRIDSCREEN_LOGIN_FAILURES", cls.login_failures),
            trusted_proxies=_int(env, "GRIDSCREEN_TRUSTED_PROXIES", cls.trusted_proxies),
            ratelimit_storage=env.get("GRIDSCREEN_RATELIMIT_STORAGE") or cls.ratelimit_storage,
            trusted_origins=tuple(o.strip().rstrip("/") for o in (env.get("GRIDSCREEN_TRUSTED_ORIGINS") or "").split(",")
                                  if o.strip()),
            render_pool=_at_least(env, "GRIDSCREEN_RENDER_POOL", cls.render_pool, 1),
            renders_per_account=_at_least(env, "GRIDSCREEN_RENDERS_PER_ACCOUNT", cls.renders_per_account, 1),
            render_wait_seconds=_at_least(env, "GRIDSCREEN_RENDER_WAIT", cls.render_wait_seconds, 0),
            sync_late_seconds=_int(env, "GRIDSCREEN_SYNC_LATE_SECONDS", cls.sync_late_seconds),
            sync_every=_int(env, "GRIDSCREEN_SYNC_EVERY", cls.sync_every),
        )

    def with_(self, **changes) -> "Settings":
        return replace(self, **changes)

    @property
    def auth_required(self) -> bool:
        """Whether every page, callback, export and API call needs a login (or an API token).
        Only the embedded demo on loopback opens without one, unless GRIDSCREEN_AUTH says otherwise."""
        if self.auth is not None:
            return self.auth
        return not (self.embedded and is_loopback(self.host))

    def check_web(self) -> None:
        """Refuse to serve with settings that would expose the data (``ConfigError`` in words)."""
        from dashboard import strings

        if not self.auth_required and not is_loopback(self.host):
            raise ConfigError(strings.CONFIG_AUTH_OFF_PUBLIC.format(host=self.host))
        if self.debug and not is_loopback(self.host):
            raise ConfigError(strings.CONFIG_DEBUG_PUBLIC.format(host=self.host))
        if self.auth_required and not self.secret_key:
            raise ConfigError(strings.CONFIG_NO_SECRET)
        if self.auth_required and len(self.secret_key) < 16:
            raise ConfigError(strings.CONFIG_SHORT_SECRET)
        if not 0 <= self.trusted_proxies <= 5:
            raise ConfigError(strings.CONFIG_BAD_PROXIES.format(n=self.trusted_proxies))
        if self.trusted_proxies and not self.auth_required:
            # Without login only this machine may ask; a proxy would let anyone through.
            raise ConfigError(strings.CONFIG_PROXY_AUTH_OFF)


class ConfigError(ValueError):
    """Settings the web app refuses to start with; the message says what to change."""


def is_loopback(host: str | None) -> bool:
    """True for an address only this machine can reach (127.0.0.0/8, ::1, localhost)."""
    host = (host or "").strip().strip("[]")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
