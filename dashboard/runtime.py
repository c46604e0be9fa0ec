"""What a running web process holds: its settings, its database engine, and its clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.engine import Engine

from .settings import Settings
from .timeutil import now_utc

EXTENSION_KEY = "gridscreen"


@dataclass
class Runtime:
    settings: Settings
    engine: Engine

    def now(self) -> datetime:
        """The screens' clock: frozen for replays and reproducible pictures, else real time."""
        return self.settings.frozen_now or now_utc()


def current() -> Runtime:
    """The runtime of the Flask app handling the current request."""
    from flask import current_app

    return current_app.extensions[EXTENSION_KEY]
