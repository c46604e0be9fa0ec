"""A case row (``figures.caselist``) as people read it: local times, names, and labels in Chinese.
The explorer's table, the desk pages' lists and the event files show the same columns the same way."""

from __future__ import annotations

from dashboard import strings
from dashboard.timeutil import fmt_local

# Columns of the explorer's table and the files, in order (labels in ``strings.EXPLORER_COLUMNS``);
# ``caselist.SORTS`` sorts by the same names.
COLUMNS = ("id", "reported_at", "title", "category", "town", "community", "grid", "source", "severity", "status",
           "handler", "accepted_at", "deadline", "closed_at", "overdue", "overdue_hours", "supervised", "rework_count",
           "sendback_count")
TIMES = ("reported_at", "accepted_at", "deadline", "closed_at")


def _yes(flag) -> str:
    return strings.EXPLORER_YES if flag else strings.EXPLORER_NO


def present(r: dict) -> dict:
    """The row's cells by column (and a few codes and flags a screen needs beside them)."""
    return {
        "id": r["id"],
        "reported_at": fmt_local(r["reported_at"]),
        "title": r["title"],
        "category": r["category_name"],
        "town": r["town_name"],
        "community": r["community_name"],
        "grid": r["grid_name"],
        "grid_code": r["grid_code"],
        "source": strings.SOURCE_LABELS.get(r["source"], r["source"]),
        "severity": strings.SEVERITY_LABELS.get(r["severity"], r["severity"]),
        "status": strings.STATUS_LABELS.get(r["status"], r["status"]),
        "status_code": r["status"],
        "handler": r["handler_name"] or "",
        "accepted_at": fmt_local(r["accepted_at"]),
        "deadline": fmt_local(r["deadline"]),
        "closed_at": fmt_local(r["closed_at"]),
        "overdue": _yes(r["overdue"]),
        "overdue_hours": round(r["overdue_hours"], 1) if r["overdue_hours"] is not None else None,
        "supervised": _yes(r["supervised_at"] is not None),
        "rework_count": r["rework_count"],
        "sendback_count": r["sendback_count"],
        "open": r["open"],
        "kind": r["kind"],  # casestate.KINDS: what the table's row colours follow
    }


def headers() -> list[str]:
    return [strings.EXPLORER_COLUMNS[c] for c in COLUMNS]
