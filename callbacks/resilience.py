"""Screens keep their last data when the database goes away: a callback that fails on the
database answers "no update" (the stale banner, driven by the version poll, says since when)
instead of an error."""

from __future__ import annotations

import functools
import logging

from dash.exceptions import PreventUpdate
from sqlalchemy.exc import DBAPIError

log = logging.getLogger(__name__)


def keep_last_on_db_error(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except DBAPIError as exc:
            log.warning("%s: database unavailable, keeping the last data (%s)", fn.__name__, exc.__class__.__name__)
            raise PreventUpdate from None

    return wrapper
