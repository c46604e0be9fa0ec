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
    engine: Engine

    # --- the shared cache (one per process, backed by Redis or files when configured) ---
    @property
    def cache(self):
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
