"""A small job runner for long exports (the weekly bulletin), off the request thread.

A bulletin takes a few seconds (mostly chart renders): the web process runs it on one background
thread, so neither the big screen's refresh nor any other request waits for it, and the page polls
its progress. State lives in files under one directory (``status.json`` and the outputs per job):
any gunicorn worker on the machine can answer a progress poll or serve the files, whichever
worker runs the job.

A job's id is derived from what it would produce — database, week, area, the window's end and the
data version — so asking twice for the same bulletin of the same data reuses the first job
instead of rendering again. Jobs older than ``KEEP`` are removed when new ones are submitted.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path

from dashboard import strings
from dashboard.store import db
from dashboard.timeutil import now_utc, to_utc
from dashboard.export import bulletin as bulletin_mod
from dashboard.export import bundle, limits

log = logging.getLogger(__name__)

KEEP = timedelta(hours=24)
STALE = timedelta(minutes=10)  # a job "running" this long without a word has died with its process


def default_root() -> Path:
    return Path(os.environ.get("GRIDSCREEN_EXPORT_DIR") or Path(tempfile.gettempdir()) / f"gridscreen-exports-{os.getuid()}")


class JobRunner:
    def __init__(self, root: Path | None = None, workers: int = 1):
        self.root = Path(root or default_root())
        self.root.mkdir(parents=True, exist_ok=True)
        self._pool: ThreadPoolExecutor | None = None
        self._pool_pid = None
        self._workers = workers
        self._lock = threading.Lock()

    # -- state on disk -----------------------------------------------------------------------
    def _dir(self, job_id: str) -> Path:
        if not _is_job_id(job_id):
            raise KeyError(job_id)
        return self.root / job_id

    def _write(self, job_id: str, **state):
        path = self._dir(job_id) / "status.json"
        current = self.status(job_id) or {}
        current.update(state, updated=time.time())
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(current, ensure_ascii=False))
        tmp.replace(path)  # atomic: a poll never reads half a file

    def status(self, job_id: str) -> dict | None:
        try:
            return json.loads((self._dir(job_id) / "status.json").read_text())
        except (KeyError, FileNotFoundError, json.JSONDecodeError):
            return None

    def file(self, job_id: str, kind: str) -> tuple[Path, str] | None:
        """(path, download name) of a finished job's output of ``kind`` (pptx, xlsx, zip)."""
        st = self.status(job_id)
        if not st or st.get("state") != "done" or kind not in st.get("files", {}):
            return None
        path = self._dir(job_id) / st["files"][kind]
        return (path, st["files"][kind]) if path.exists() else None

    # -- running -------------------------------------------------------------------------------
    def _executor(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._pool is None or self._pool_pid != os.getpid():  # threads do not survive a fork
                self._pool = ThreadPoolExecutor(max_workers=self._workers, thread_name_prefix="gridscreen-export")
                self._pool_pid = os.getpid()
            return self._pool

    def bulletin_id(self, engine, week: bulletin_mod.Week, area: str | None, now: datetime) -> str:
        window, _prev, _partial = bulletin_mod.week_windows(week, now)
        key = json.dumps([engine.url.render_as_string(hide_password=True), week.label, area or "",
                          window.end.isoformat(), db.versions(engine)], sort_keys=True)
        return hashlib.sha1(key.encode()).hexdigest()[:20]

    def submit_bulletin(self, engine, week: str | bulletin_mod.Week, area: str | None = None,
                        now: datetime | None = None, *, owner: str | None = None,
                        per_owner: int | None = None) -> str:
        """Start (or reuse) the job that builds this bulletin; returns its id at once. Bad
        arguments raise ``BulletinError`` here, before anything is queued. With ``per_owner``,
        an ``owner`` (an account, ``limits.account_key``) with that many jobs still pending gets
        ``limits.Busy`` instead of another one: nobody fills the queue ahead of everyone else."""
        week = bulletin_mod.Week.parse(week) if isinstance(week, str) else week
        now = to_utc(now or now_utc())
        bulletin_mod.week_windows(week, now)  # validates the week against now
        job_id = self.bulletin_id(engine, week, area, now)
        st = self.status(job_id)
        if st and (st["state"] == "done" or self._pending(st)):
            return job_id
        if owner is not None and per_owner is not None and self.pending_of(owner) >= per_owner:
            raise limits.Busy("account", strings.EXPORT_ERRORS["busy_jobs"].format(n=per_owner))
        self._cleanup()
        self._dir(job_id).mkdir(parents=True, exist_ok=True)
        self._write(job_id, state="queued", progress=0.0, text=strings.BULLETIN_STEPS["queued"], week=week.label,
                    area=area, files={}, error=None, created=time.time(), owner=_owner_digest(owner))
        self._executor().submit(self._run_bulletin, job_id, engine, week, area, now)
        return job_id

    @staticmethod
    def _pending(st: dict) -> bool:
        return st.get("state") in ("queued", "running") and time.time() - st.get("updated", 0) < STALE.total_seconds()

    def pending_of(self, owner: str) -> int:
        """Jobs of ``owner`` queued or running (by any worker of this machine)."""
        digest = _owner_digest(owner)
        n = 0
        for d in self.root.iterdir():
            try:
                st = json.loads((d / "status.json").read_text())
            except (OSError, ValueError):
                continue
            n += st.get("owner") == digest and self._pending(st)
        return n

    def _run_bulletin(self, job_id, engine, week, area, now):
        out = self._dir(job_id)

        def progress(step, fraction, text):
            self._write(job_id, state="running", step=step, progress=round(fraction, 3), text=text)

        try:
            progress("data", 0.01, strings.BULLETIN_STEPS["data"])
            res = bundle.build(engine, week, area, out, now=now, progress=progress)
            self._write(job_id, state="done", progress=1.0, text=strings.BULLETIN_STEPS["done"],
                        files={k: p.name for k, p in res.files.items()},
                        seconds={k: round(v, 3) for k, v in res.seconds.items()})
        except Exception as exc:  # noqa: BLE001 - the page shows the failure in words, the log has the trace
            log.error("bulletin job %s failed:\n%s", job_id, traceback.format_exc())
            self._write(job_id, state="failed", text=strings.BULLETIN_STEPS["failed"],
                        error=strings.EXPORT_ERRORS["busy"].format(error=exc))

    def wait(self, job_id: str, timeout: float = 120) -> dict:
        """Block until the job ends (CLI and tests)."""
        t0 = time.monotonic()
        while time.monotonic() - t0 < timeout:
            st = self.status(job_id)
            if st and st["state"] in ("done", "failed"):
                return st
            time.sleep(0.1)
        raise TimeoutError(job_id)

    def _cleanup(self):
        """Remove old jobs' directories (only those: the directory also holds the render gate's
        lock files, which must never vanish while held)."""
        cutoff = time.time() - KEEP.total_seconds()
        for d in self.root.iterdir():
            try:
                if _is_job_id(d.name) and d.is_dir() and d.stat().st_mtime < cutoff:
                    shutil.rmtree(d, ignore_errors=True)
            except OSError:
                pass


def _is_job_id(name: str) -> bool:
    return bool(name) and all(c in "0123456789abcdef" for c in name)


def _owner_digest(owner: str | None) -> str | None:
    """Who asked, as stored in a job's status file (a digest: the file is no place for names)."""
    return hashlib.sha256(owner.encode()).hexdigest()[:32] if owner else None


_runners: dict[Path, JobRunner] = {}
_runners_lock = threading.Lock()


def runner(root: Path | None = None) -> JobRunner:
    """The process's runner for ``root`` (default ``GRIDSCREEN_EXPORT_DIR`` or a temp directory)."""
    root = Path(root or default_root())
    with _runners_lock:
        if root not in _runners:
            _runners[root] = JobRunner(root)
        return _runners[root]
