"""What a running web process holds: its settings, its database engine, and its clock."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.engine import Engine

from dashboard.settings import Settings
from dashboard.timeutil import now_utc

EXTENSION_KEY = "gridscreen"
_cache_lock = threading.Lock()


@dataclass
class Runtime:
    settings: Settings
    engine: Engine  # the primary: every write, and every read that is not a screen's figure
    read_engine: Engine | None = None  # the screens' figures and the version poll; None = ``engine``

    @property
    def reads(self) -> "Runtime":
        """This runtime with ``engine`` = the read engine (a replica when configured): what the
        panels and the version poll get. Same settings, same shared cache (answers are keyed by
        the data versions read beside them, so a lagging replica never poisons the cache)."""
        if self.read_engine is None or self.read_engine is self.engine:
            return self
        reader = self.__dict__.get("_reads")
        if reader is None:
            reader = Runtime(self.settings, self.read_engine)
            reader.__dict__["_writer"] = self
            self.__dict__["_reads"] = reader
        return reader

    # --- the shared cache (one per process, backed by Redis or files when configured) ---
    @property
    def cache(self):
        writer = self.__dict__.get("_writer")
        if writer is not None:
            return writer.cache
        shared = self.__dict__.get("_cache")
        if shared is None:
            with _cache_lock:
                shared = self.__dict__.get("_cache")
                if shared is None:
                    from dashboard.web.cache import SharedCache, config_for
                    from dashboard.settings import default_data_dir

                    shared = SharedCache(config_for(self.settings.cache_url,
                                                    default_dir=str(default_data_dir() / "cache")))
                    self.__dict__["_cache"] = shared
        return shared

    def now(self) -> datetime:
        """The screens' clock: frozen for replays and reproducible pictures, else real time."""
        return self.settings.frozen_now or now_utc()


def current() -> Runtime:
    """The runtime of the Flask app handling the current request."""
    from flask import current_app

    return current_app.extensions[EXTENSION_KEY]
