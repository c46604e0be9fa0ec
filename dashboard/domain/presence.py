"""Grid workers' app presence: a heartbeat marks its owner seen now.

Online means seen within ``casestate.ONLINE_WINDOW`` (10 minutes). The ``staff`` data version is
bumped only when a heartbeat brings someone online: a heartbeat of a worker already online changes
no figure on any screen, and two hundred workers beating every minute would otherwise make every
open screen recompute every few seconds. Going offline is a matter of time passing, which the
screens' clock tick (``GRIDSCREEN_TICK_SECONDS``) already covers.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from dashboard.domain.casestate import is_online
from dashboard.store.db import bump
from dashboard.store.models import Staff


def heartbeat(session: Session, person: Staff, now: datetime) -> bool:
    """Record a heartbeat of ``person`` at ``now``; True when it brought them online."""
    came_online = not is_online(person.last_seen_at, now)
    if person.last_seen_at is None or person.last_seen_at < now:
        person.last_seen_at = now
    if came_online:
        bump(session, "staff")
    return came_online
