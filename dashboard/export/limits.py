"""How much a chart export may ask of the renderer, and how many renders run at once for whom.

A chart is rendered by one headless Chromium per process (``browser.Renderer``), a few tabs wide.
A request that makes it draw 73,000 days (a 200-year range) holds a tab for a minute and then
times the browser out; a handful of such requests, or one account clicking fast, would block
exports for everyone. So:

- **Time range** (``check_window``): at most ``MAX_RANGE`` (three calendar years, 1,096 days) —
  the longest span a meeting compares on one chart (this year against the two before) — or, when
  the data go back further, the data's own span (the 全部 range: from the first report until
  now). Whatever is asked, a chart never has more days than that. A longer custom range is a 400
  naming ``start`` and ``end``.
- **Picture size**: ``images.check_size`` (sides, scale, output pixels).
- **Concurrency** (``RenderGate``): each account (a login, an API client, or the one open demo
  principal) has at most ``per_account`` chart exports in flight on this machine — counted with
  file locks under the export directory, so every gunicorn worker sees the same count, and a worker
  that dies releases its locks with it. Beyond that: 429 with ``Retry-After`` at once. Admitted
  requests then take one of ``pool`` render slots of this process in arrival order (FIFO); since
  no account holds more than ``per_account`` places in that queue, nobody waits behind more than
  ``per_account`` renders of any other account. A request that cannot get a slot within ``wait``
  seconds is a 429 too, rather than holding a server thread.
- **Bulletin jobs** (seven charts each, on the job runner's thread): the same share bounds the
  jobs an account has queued or running (``jobs.JobRunner.pending_of``), so nobody queues a year
  of weekly bulletins ahead of everyone else.
"""

from __future__ import annotations

import collections
import contextlib
import fcntl
import hashlib
import os
import threading
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path

from dashboard import strings
from dashboard.domain import windows
from dashboard.timeutil import to_local, to_utc

MAX_RANGE = timedelta(days=3 * 365 + 1)  # three calendar years, one of them a leap year
RETRY_AFTER_SECONDS = 5  # a chart renders in well under a second once the browser is warm


class LimitError(ValueError):
    """A request beyond a bound; ``fields`` names each parameter at fault."""

    def __init__(self, message: str, fields: dict[str, str]):
        self.fields = fields
        super().__init__(message)


class Busy(Exception):
    """No render for this request now: ``reason`` is ``account`` (its own exports in flight) or
    ``pool`` (every render slot taken for longer than the wait)."""

    def __init__(self, reason: str, message: str, retry_after: int = RETRY_AFTER_SECONDS):
        self.reason = reason
        self.retry_after = retry_after
        super().__init__(message)


# --- the time range --------------------------------------------------------------------------------


def longest_range(now: datetime, first: datetime | None) -> timedelta:
    """The longest window a chart may cover: ``MAX_RANGE``, or the data's span when longer."""
    if first is None:
        return MAX_RANGE
    return max(MAX_RANGE, to_utc(now) - to_utc(first) + timedelta(days=1))


def check_window(window: windows.Window, now: datetime, first: datetime | None) -> None:
    longest = longest_range(now, first)
    if window.end - window.start <= longest:
        return
    days = longest.days
    reason = strings.EXPORT_FIELD_ERRORS["too_long"].format(days=f"{days:,}")
    since = to_local(first).date().isoformat() if first is not None and longest > MAX_RANGE else None
    message = (strings.EXPORT_ERRORS["too_long_data"].format(days=f"{days:,}", since=since) if since
               else strings.EXPORT_ERRORS["too_long"].format(days=f"{days:,}"))
    raise LimitError(message, {"start": reason, "end": reason})


# --- concurrency -----------------------------------------------------------------------------------


class RenderGate:
    """Admission of chart renders: ``per_account`` in flight per account on this machine (file
    locks under ``root``), ``pool`` at once in this process, FIFO, waiting at most ``wait`` s."""

    def __init__(self, root: Path, *, per_account: int, pool: int, wait: float):
        if per_account < 1 or pool < 1 or wait < 0:
            raise ValueError("per_account and pool must be at least 1, wait not negative")
        self.root = Path(root)
        self.per_account, self.pool, self.wait = per_account, pool, wait
        self._cond = threading.Condition()
        self._running = 0
        self._queue: collections.deque = collections.deque()

    # -- per account (machine-wide) ------------------------------------------------------------
    def _claim(self, account: str) -> int | None:
        """A file descriptor holding one of the account's slots, or None when all are taken."""
        self.root.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256(account.encode()).hexdigest()[:32]
        for i in range(self.per_account):
            fd = os.open(self.root / f"{digest}-{i}.lock", os.O_CREAT | os.O_RDWR, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # per open file: also between threads
                return fd
            except BlockingIOError:
                os.close(fd)
        return None

    # -- the pool (this process) ---------------------------------------------------------------
    def _enter(self) -> None:
        ticket = object()
        with self._cond:
            self._queue.append(ticket)
            self._cond.notify_all()
            ok = self._cond.wait_for(lambda: self._queue[0] is ticket and self._running < self.pool, self.wait)
            self._queue.remove(ticket)
            if ok:
                self._running += 1
            self._cond.notify_all()  # the next in line may fit, or watchers see the change
        if not ok:
            raise Busy("pool", strings.EXPORT_ERRORS["busy_pool"].format(seconds=RETRY_AFTER_SECONDS))

    def _leave(self) -> None:
        with self._cond:
            self._running -= 1
            self._cond.notify_all()

    @contextlib.contextmanager
    def admit(self, account: str) -> Iterator[None]:
        """Hold a render slot for ``account`` for the duration of the block, or raise ``Busy``."""
        fd = self._claim(account)
        if fd is None:
            raise Busy("account", strings.EXPORT_ERRORS["busy_account"].format(n=self.per_account,
                                                                               seconds=RETRY_AFTER_SECONDS))
        try:
            self._enter()
            try:
                yield
            finally:
                self._leave()
        finally:
            os.close(fd)  # releases the lock

    def state(self) -> tuple[int, int]:
        """(renders running, requests waiting) in this process."""
        with self._cond:
            return self._running, len(self._queue)

    def wait_until(self, predicate: Callable[[int, int], bool], timeout: float) -> bool:
        """Block until ``predicate(running, waiting)`` holds (monitoring and tests)."""
        with self._cond:
            return self._cond.wait_for(lambda: predicate(self._running, len(self._queue)), timeout)


_gates: dict[tuple, RenderGate] = {}
_gates_lock = threading.Lock()


def gate(root: Path, *, per_account: int, pool: int, wait: float) -> RenderGate:
    """The process's gate for these settings (a fresh one after a fork: threads do not survive it)."""
    key = (os.getpid(), str(root), per_account, pool, wait)
    with _gates_lock:
        g = _gates.get(key)
        if g is None:
            g = _gates[key] = RenderGate(root, per_account=per_account, pool=pool, wait=wait)
        return g


def account_key(database: str, kind: str, ident: str | int | None) -> str:
    """Who counts as one account: accounts belong to a database, so its URL is part of the key."""
    return f"{database}|{kind}:{ident}"
