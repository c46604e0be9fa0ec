"""A cache shared by every screen, keyed by the data versions.

N screens asking the same question cost one computation: a panel's answer is stored under its
question (panel, filters), the **data versions** of the channels it reads and the clock's tick
bucket. A write bumps a channel (``db.bump``) in the same transaction, so the next refresh asks
under a new key and nothing stale is ever served; old entries just age out. Time-based figures
(overdue, online rate) may be up to one tick old, exactly as the screens already refresh them
(``GRIDSCREEN_TICK_SECONDS``).

Backends (Flask-Caching), chosen by ``GRIDSCREEN_CACHE_URL``:

- ``redis://host:6379/0``: one cache for every worker on every machine (production, scale-out);
- ``filesystem:///path``: shared by the workers of one machine (``gridscreen serve --workers N``
  picks this under the data directory when nothing is configured);
- ``simple`` (default): in the process; ``null``: no caching at all.

While one process computes an answer, the other threads of that process wait for it instead of
computing it again; across processes a short-lived lock key in the cache does the same (Redis'
``add`` is atomic; the filesystem's is nearly so, and at worst two workers compute once each).
"""

from __future__ import annotations

import hashlib
import logging
import pickle
import threading
import time
from datetime import datetime
from typing import Any, Callable
from urllib.parse import urlparse

from flask import Flask
from flask_caching import Cache

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 15 * 60  # seconds an answer is kept after it was computed
LOCK_TIMEOUT = 60  # a computing worker that died releases its lock after this long
WAIT_STEP = 0.02


def config_for(url: str | None, *, default_dir: str | None = None) -> dict:
    """Flask-Caching config for a ``GRIDSCREEN_CACHE_URL``."""
    url = (url or "simple").strip()
    base = {"CACHE_DEFAULT_TIMEOUT": DEFAULT_TIMEOUT, "CACHE_KEY_PREFIX": "gs:"}
    if url in ("simple", "memory"):
        return {**base, "CACHE_TYPE": "SimpleCache", "CACHE_THRESHOLD": 2000}
    if url in ("null", "none", "off"):
        return {**base, "CACHE_TYPE": "NullCache"}
    parsed = urlparse(url)
    if parsed.scheme in ("redis", "rediss", "unix"):
        return {**base, "CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": url}
    if parsed.scheme == "filesystem" or url == "filesystem":
        path = parsed.path or default_dir
        if not path:
            raise ValueError("GRIDSCREEN_CACHE_URL=filesystem needs a path: filesystem:///var/cache/gridscreen")
        return {**base, "CACHE_TYPE": "FileSystemCache", "CACHE_DIR": path, "CACHE_THRESHOLD": 5000}
    raise ValueError(f"GRIDSCREEN_CACHE_URL: unknown cache {url!r} (redis://…, filesystem:///path, simple or null)")


class SharedCache:
    """``memo(key, compute)``: the answer for ``key`` computed once, whoever asks."""

    def __init__(self, config: dict):
        self.config = config
        # Flask-Caching builds the backend; it is used directly (not through ``current_app``) so
        # the cache works the same inside a request, in a background thread and in a benchmark.
        holder = Flask("gridscreen-cache")
        Cache(holder, config=dict(config))
        (self.cache,) = holder.extensions["cache"].values()
        self._locks: dict[str, threading.Lock] = {}
        self._locks_guard = threading.Lock()
        self.stats = {"hits": 0, "misses": 0, "waited": 0}

    @property
    def kind(self) -> str:
        return self.config["CACHE_TYPE"]

    @staticmethod
    def key(*parts) -> str:
        """A short, stable key for any repr-able parts (same in every worker process)."""
        return hashlib.sha1(repr(parts).encode()).hexdigest()

    def get(self, key: str):
        try:
            return self.cache.get(key)
        except Exception as exc:  # a cache that went away must not take the screens with it
            log.warning("cache get failed: %s", exc)
            return None

    def set(self, key: str, value, timeout: int | None = None) -> None:
        try:
            self.cache.set(key, value, timeout=DEFAULT_TIMEOUT if timeout is None else timeout)
        except Exception as exc:
            log.warning("cache set failed: %s", exc)

    def add(self, key: str, value, timeout: int | None = None) -> None:
        """Store ``value`` unless ``key`` is already there (cheap: nothing is read back)."""
        try:
            self.cache.add(key, value, timeout=DEFAULT_TIMEOUT if timeout is None else timeout)
        except Exception as exc:  # noqa: BLE001
            log.warning("cache add failed: %s", exc)

    def clear(self) -> None:
        self.cache.clear()

    def _local_lock(self, key: str) -> threading.Lock:
        with self._locks_guard:
            lock = self._locks.get(key)
            if lock is None:
                if len(self._locks) > 256:  # forget idle locks
                    self._locks = {k: v for k, v in self._locks.items() if v.locked()}
                lock = self._locks[key] = threading.Lock()
            return lock

    def memo(self, key: str, compute: Callable[[], Any], timeout: int | None = None, wait: float = 30.0):
        hit = self.get(key)
        if hit is not None:
            self.stats["hits"] += 1
            return _unwrap(hit)
        with self._local_lock(key):  # threads of this process: one computes, the others wait here
            hit = self.get(key)
            if hit is not None:
                self.stats["waited"] += 1
                return _unwrap(hit)
            lock_key = key + ":computing"
            owner = self._try_add(lock_key)
            if not owner:  # another process is computing it: wait for its answer a while
                deadline = time.monotonic() + wait
                while time.monotonic() < deadline:
                    time.sleep(WAIT_STEP)
                    hit = self.get(key)
                    if hit is not None:
                        self.stats["waited"] += 1
                        return _unwrap(hit)
            try:
                self.stats["misses"] += 1
                value = compute()
                self.set(key, _wrap(value), timeout)
                return value
            finally:
                if owner:
                    try:
                        self.cache.delete(lock_key)
                    except Exception:  # noqa: BLE001
                        pass

    def _try_add(self, key: str) -> bool:
        try:
            return bool(self.cache.add(key, 1, timeout=LOCK_TIMEOUT))
        except Exception:  # noqa: BLE001
            return True


class _Boxed:
    """Lets ``None`` be a cached answer (Flask-Caching's ``get`` answers None for a miss)."""

    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value

    def __reduce__(self):
        return (_Boxed, (self.value,))


def _wrap(value):
    return _Boxed(value)


def _unwrap(hit):
    return hit.value if isinstance(hit, _Boxed) else hit


def tick_bucket(now: datetime, tick_seconds: int, frozen: bool) -> str:
    """The clock part of a key: the frozen moment itself, or which tick of the live clock."""
    if frozen:
        return now.isoformat()
    return str(int(now.timestamp() // max(1, tick_seconds)))


def picklable(value) -> bool:  # used by the tests of what the screens cache
    try:
        pickle.dumps(value)
        return True
    except Exception:  # noqa: BLE001
        return False


def answer(runtime, question: tuple, channels: tuple[str, ...], compute: Callable[[], Any],
           versions: dict | None = None):
    """``compute()`` for ``question`` once per data version of ``channels`` and clock tick, for
    every screen and worker sharing the cache. ``question`` holds what the answer depends on
    besides the data (panel, filters); ``versions`` may be passed when already read."""
    from dashboard.store import db

    if versions is None:
        versions = db.versions(runtime.engine)
    now = runtime.now()
    key = SharedCache.key(runtime.settings.database_url, question, tuple(versions.get(c) for c in channels),
                          tick_bucket(now, runtime.settings.tick_seconds, runtime.settings.frozen_now is not None))
    return runtime.cache.memo(key, compute)
