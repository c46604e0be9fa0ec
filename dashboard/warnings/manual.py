"""Manual warnings (人工预警): a duty officer issues one to a grid, community, town or the county
for a key period (holidays, flood season) with a level, a reason and an expiry, and may lift it
early. While in force it is a floor for every grid in its scope (``evaluate`` reads it); the
shown levels follow at the next ``run_once``, which the CLI makes right away and the page asks
the web process for in the background (``WarningRunner.evaluate_soon``).
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy.engine import Engine

from dashboard import strings
from dashboard.store import db
from dashboard import vocabulary
from dashboard.store.models import Area, Warning
from dashboard.timeutil import fmt_local, parse_time, to_utc

MAX_REASON = 200
MAX_ISSUER = 64


class ManualWarningError(ValueError):
    """Bad input for a manual warning; ``fields`` maps each bad field to the reason (in Chinese)."""

    def __init__(self, fields: dict[str, str], status: int = 400):
        self.fields = fields
        self.status = status
        super().__init__(strings.CLAUSE_SEP.join(f"{k}: {v}" for k, v in fields.items()))


def parse_until(text: str | None) -> datetime | None:
    """An expiry from ISO text (naive = Asia/Shanghai; a bare date means the end of that day)."""
    if text is None or not str(text).strip():
        return None
    try:
        return parse_time(str(text), end_of_day=True)
    except ValueError:
        raise ManualWarningError({"until": strings.MANUAL_BAD_TIME.format(text=text)}) from None


def issue(engine: Engine, *, scope: str, level, reason: str, until: datetime | None, issued_by: str,
          at: datetime) -> Warning:
    """Store a manual warning issued at ``at``; refuses bad input with every problem named."""
    errors: dict[str, str] = {}
    scope = (scope or "").strip()
    with db.transaction(engine) as s:
        area = s.get(Area, scope) if vocabulary.level_of_code(scope) else None
        if area is None:
            errors["scope"] = strings.MANUAL_BAD_SCOPE.format(code=scope or "—")
        try:
            level = int(level)
        except (TypeError, ValueError):
            level = None
        if level not in vocabulary.WARNING_LEVELS:
            errors["level"] = strings.MANUAL_BAD_LEVEL
        reason = (reason or "").strip()
        if not reason:
            errors["reason"] = strings.MANUAL_NO_REASON
        elif len(reason) > MAX_REASON:
            errors["reason"] = strings.MANUAL_REASON_TOO_LONG.format(n=MAX_REASON)
        issued_by = (issued_by or "").strip()
        if not issued_by:
            errors["issued_by"] = strings.MANUAL_NO_ISSUER
        elif len(issued_by) > MAX_ISSUER:
            errors["issued_by"] = strings.MANUAL_ISSUER_TOO_LONG.format(n=MAX_ISSUER)
        at = to_utc(at)
        if until is not None and to_utc(until) <= at:
            errors["until"] = strings.MANUAL_UNTIL_PAST
        if errors:
            raise ManualWarningError(errors)
        w = Warning(scope_code=scope, level=level, kind="manual", reasons=json.dumps([reason], ensure_ascii=False),
                    issued_at=at, expires_at=to_utc(until) if until else None, issued_by=issued_by)
        s.add(w)
        s.flush()
        db.bump(s, "warnings")
        return w


def lift(engine: Engine, warning_id: int, at: datetime) -> Warning:
    """End a manual warning early at ``at``. Refuses computed warnings and ended ones."""
    at = to_utc(at)
    with db.transaction(engine) as s:
        w = s.get(Warning, int(warning_id))
        if w is None:
            raise ManualWarningError({"id": strings.MANUAL_NOT_FOUND.format(id=warning_id)}, status=404)
        if w.kind != "manual":
            raise ManualWarningError({"id": strings.MANUAL_NOT_MANUAL.format(id=warning_id)}, status=409)
        ended = min([x for x in (w.lifted_at, w.expires_at) if x is not None], default=None)
        if ended is not None and ended <= at:
            raise ManualWarningError({"id": strings.MANUAL_ALREADY_ENDED.format(id=warning_id, when=fmt_local(ended))},
                                     status=409)
        # Lifted before it began: it never takes effect (issued_at < lifted_at keeps the row sane).
        w.lifted_at = max(at, w.issued_at)
        db.bump(s, "warnings")
        return w
