"""The state of a case at a moment ``t``: the one definition, as SQL conditions and, for one case,
as plain Python (the twin). Nothing else in the project writes ``deadline <``, ``closed_at <=``
or ``last_seen_at >``.

Every state is evaluated **as of** ``t`` from the stage times on the ``events`` row (a projection
of the append-only log), so a past moment replays exactly for the cohort figures (acceptance,
invalidation and closure happen once). Two stages can repeat and are kept as their latest time:
a dispatch (again after a send-back or a rework) and a disposal (again after a rework). A rework
sets ``dispatched_at`` to its own moment, so "disposed and not sent back to the handler since"
reads off the row; a send-back (退单) is seen from the current ``status`` for the present, and is
invisible for moments before the row's last change (documented approximation: a handler keeps a
sent-back case until it is dispatched again).

Whose clock (DESIGN.md): the area's and the county's figures run until closure (办结); a handler's
accountability stops when it reports the case disposed (已处置). Hence two "overdue" states:

| state | as of ``t`` |
|---|---|
| ``intake_done`` | accepted (valid) or judged invalid |
| ``invalid`` | judged invalid at intake |
| ``valid`` | accepted at intake |
| ``closed`` | valid and closed (结案) |
| ``open`` | valid and not closed (在办) |
| ``unresolved`` | reported and neither judged invalid nor closed (awaiting intake included) |
| ``overdue`` | open and past its deadline (超期: the area's clock) |
| ``due`` | closed, or open with its deadline reached (应办结) |
| ``closed_on_time`` | closed no later than its deadline |
| ``disposed`` | the handler reported it disposed and it was not sent back to them since, or closed |
| ``disposed_on_time`` | disposed no later than its deadline |
| ``with_handler`` | dispatched, and not disposed (nor closed, nor sent back) |
| ``handler_overdue`` | with its handler and past its deadline (超期未处置: the handler's clock) |
| ``disposal_due`` | disposed, or with its handler past its deadline |
| ``supervised`` | under 督办 |
| ``settled`` | closed or judged invalid: no flag changes any more (``settled_at``, the last step) |
| ``online`` (staff) | the app was seen in the last ``ONLINE_WINDOW`` |

SQL: ``Case(t)`` gives the conditions over the ``events`` table or over any selectable whose
columns carry the same names (``Case(t, subquery.c)``). Python: ``state(row, t)`` gives the same
flags for one case (a mapping or an object with those attributes); a test holds the two together.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, literal, not_, or_

from dashboard.vocabulary import PHASES
from dashboard.store.models import Event, Staff
from dashboard.timeutil import to_utc

ONLINE_WINDOW = timedelta(minutes=10)

# Kinds of a case for lists and map points, worst first.
KINDS = ("overdue", "open", "closed", "reported", "invalid")
# Where a case stands, as of a moment: in one of the closed loop's phases (``domain.PHASES``:
# waiting for intake, for dispatch, with its handler, waiting for verification), closed, or judged
# invalid. Unlike ``status`` (the present only), a stage replays.
STAGES = PHASES + ("closed", "invalid")


class Case:
    """SQL conditions for a case's state as of ``t`` over ``c`` (the ``Event`` model or a
    selectable's ``.c`` with the same column names)."""

    def __init__(self, t: datetime, c: Any = Event):
        self.t = to_utc(t)
        self.c = c

    # --- intake -------------------------------------------------------------------------------
    # Conditions that are negated somewhere are written NULL-safe (a missing time is "not yet"),
    # since NOT of SQL's NULL is NULL, not true.
    @property
    def valid(self):
        return and_(self.c.accepted_at.is_not(None), self.c.accepted_at <= self.t)

    @property
    def invalid(self):
        return and_(self.c.invalid_at.is_not(None), self.c.invalid_at <= self.t)

    @property
    def not_invalid(self):
        return or_(self.c.invalid_at.is_(None), self.c.invalid_at > self.t)

    @property
    def intake_done(self):
        return or_(self.valid, self.invalid)

    # --- the area's clock ---------------------------------------------------------------------
    @property
    def closed(self):
        return and_(self.valid, self.c.closed_at <= self.t)

    @property
    def not_closed(self):
        return or_(*self.not_closed_branches())

    def not_closed_branches(self) -> tuple:
        """``not_closed`` as two disjoint conditions (never closed; closed after ``t``), for a
        UNION ALL that reads each through the ``closed_at`` index instead of scanning reports."""
        return self.c.closed_at.is_(None), self.c.closed_at > self.t

    @property
    def unresolved(self):
        """Reported by ``t`` and neither judged invalid nor closed (awaiting intake included)."""
        return and_(self.reported, self.not_invalid, self.not_closed)

    @property
    def open(self):
        return and_(self.valid, self.not_closed)

    @property
    def overdue(self):
        return and_(self.open, self.c.deadline < self.t)

    @property
    def due(self):
        return or_(self.closed, and_(self.open, self.c.deadline <= self.t))

    @property
    def closed_on_time(self):
        return and_(self.closed, self.c.closed_at <= self.c.deadline)

    # --- the handler's clock ------------------------------------------------------------------
    @property
    def _disposal_stands(self):
        """The latest disposal happened by ``t`` and no rework sent the case back before ``t``."""
        c = self.c
        return and_(c.disposed_at.is_not(None), c.disposed_at <= self.t,
                    or_(c.dispatched_at.is_(None), c.dispatched_at <= c.disposed_at, c.dispatched_at > self.t))

    @property
    def disposed(self):
        return or_(self.closed, and_(self.valid, self._disposal_stands))

    @property
    def disposed_on_time(self):
        c = self.c
        # A closed case's disposal is its latest one; closure without a recorded disposal (an area
        # handling a case itself may close it directly in some imports) counts at closure.
        return and_(self.disposed, or_(and_(c.disposed_at.is_not(None), c.disposed_at <= c.deadline),
                                       and_(c.disposed_at.is_(None), c.closed_at <= c.deadline)))

    @property
    def with_handler(self):
        c = self.c
        sent_back_now = and_(c.status == "accepted", c.updated_at <= self.t)
        return and_(self.open, c.dispatched_at <= self.t, not_(self._disposal_stands), not_(sent_back_now))

    @property
    def handler_overdue(self):
        return and_(self.with_handler, self.c.deadline < self.t)

    @property
    def disposal_due(self):
        return or_(self.disposed, self.handler_overdue)

    # --- settled: nothing changes any more ------------------------------------------------------
    @property
    def settled(self):
        return and_(self.c.settled_at.is_not(None), self.c.settled_at <= self.t)

    @property
    def not_settled(self):
        """Not settled by ``t`` (every open case is among these): read through the ``settled_at``
        index, a day's cases and the open ones rather than every report."""
        return or_(self.c.settled_at.is_(None), self.settles_later)

    @property
    def settles_later(self):
        """Settled, but after ``t``."""
        return self.c.settled_at > self.t

    # --- flags ----------------------------------------------------------------------------------
    @property
    def supervised(self):
        return self.c.supervised_at <= self.t

    @property
    def reported(self):
        return self.c.reported_at <= self.t

    def kind(self):
        """The case's kind (``KINDS``) as a SQL CASE expression."""
        return case((self.overdue, literal("overdue")), (self.open, literal("open")), (self.closed, literal("closed")),
                    (self.invalid, literal("invalid")), else_=literal("reported"))

    def stage(self):
        """Where the case stands (``STAGES``) as a SQL CASE expression."""
        return case((self.closed, literal("closed")), (self.invalid, literal("invalid")),
                    (not_(self.valid), literal("intake")), (self.disposed, literal("verification")),
                    (self.with_handler, literal("disposal")), else_=literal("dispatch"))


def online(t: datetime, c: Any = Staff):
    """A person whose app was seen within ``ONLINE_WINDOW`` before ``t``."""
    t = to_utc(t)
    return and_(c.last_seen_at > t - ONLINE_WINDOW, c.last_seen_at <= t)


# --- the Python twin ----------------------------------------------------------------------------


def _get(row, name):
    if isinstance(row, dict):
        return row.get(name)
    return getattr(row, name, None)


def _le(a, b) -> bool:
    """``a <= b`` where a missing time (None, NaT) is never reached, like SQL's NULL."""
    return a is not None and b is not None and a == a and b == b and a <= b


def _lt(a, b) -> bool:
    return a is not None and b is not None and a == a and b == b and a < b


@dataclass(frozen=True)
class State:
    """The flags of one case as of a moment (see the module's table)."""

    valid: bool
    invalid: bool
    closed: bool
    open: bool
    overdue: bool
    due: bool
    closed_on_time: bool
    disposed: bool
    disposed_on_time: bool
    with_handler: bool
    handler_overdue: bool
    supervised: bool
    reported: bool
    unresolved: bool
    settled: bool

    @property
    def intake_done(self) -> bool:
        return self.valid or self.invalid

    @property
    def disposal_due(self) -> bool:
        return self.disposed or self.handler_overdue

    @property
    def stage(self) -> str:
        if self.closed:
            return "closed"
        if self.invalid:
            return "invalid"
        if not self.valid:
            return "intake"
        if self.disposed:
            return "verification"
        return "disposal" if self.with_handler else "dispatch"

    @property
    def kind(self) -> str:
        if self.overdue:
            return "overdue"
        if self.open:
            return "open"
        if self.closed:
            return "closed"
        return "invalid" if self.invalid else "reported"


def state(row, t: datetime) -> State:
    """The same flags as ``Case(t)`` for one case: ``row`` is a mapping or an object with the
    ``events`` columns (``status``, the stage times, ``deadline``, ``supervised_at``, ``updated_at``)."""
    t = to_utc(t)
    g = lambda n: _get(row, n)  # noqa: E731
    accepted, closed_at, deadline = g("accepted_at"), g("closed_at"), g("deadline")
    disposed_at, dispatched_at = g("disposed_at"), g("dispatched_at")
    valid = _le(accepted, t)
    invalid = _le(g("invalid_at"), t)
    closed = valid and _le(closed_at, t)
    is_open = valid and not _le(closed_at, t)
    stands = _le(disposed_at, t) and (dispatched_at is None or _le(dispatched_at, disposed_at) or _lt(t, dispatched_at))
    disposed = closed or (valid and stands)
    if disposed_at is not None:
        disposed_on_time = disposed and _le(disposed_at, deadline)
    else:
        disposed_on_time = disposed and _le(closed_at, deadline)
    sent_back_now = g("status") == "accepted" and _le(g("updated_at"), t)
    with_handler = is_open and _le(dispatched_at, t) and not stands and not sent_back_now
    return State(
        valid=valid,
        invalid=invalid,
        closed=closed,
        open=is_open,
        overdue=is_open and _lt(deadline, t),
        due=closed or (is_open and _le(deadline, t)),
        closed_on_time=closed and _le(closed_at, deadline),
        disposed=disposed,
        disposed_on_time=disposed_on_time,
        with_handler=with_handler,
        handler_overdue=with_handler and _lt(deadline, t),
        supervised=_le(g("supervised_at"), t),
        reported=_le(g("reported_at"), t),
        unresolved=_le(g("reported_at"), t) and not invalid and not _le(closed_at, t),
        settled=_le(g("settled_at"), t),
    )


def is_online(last_seen_at: datetime | None, t: datetime) -> bool:
    """``online`` for one person."""
    t = to_utc(t)
    return last_seen_at is not None and t - ONLINE_WINDOW < last_seen_at <= t
