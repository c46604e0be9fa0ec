"""Event categories: the shape of their codes and the time limit their cases run on.

Real catalogues have major categories (大类) with no time limit of their own and minor categories
(小类) that carry one. A category without a limit runs on its nearest ancestor's; the deadline of
an accepted case is set from that limit (``lifecycle``). A category with neither its own limit nor
an ancestor's cannot have cases accepted without a deadline given by the source.
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard import strings
from dashboard.store.models import Category

# Codes as real catalogues write them: digits with leading zeros ("01", "0101"), letters, dots
# and dashes ("A01.02", "JT-001"), underscores; beginning with a letter or digit.
CODE_MAX = 32
CODE_PATTERN = r"[0-9A-Za-z][0-9A-Za-z._-]*"
_CODE = re.compile(CODE_PATTERN)


def code_problem(code: str) -> str | None:
    """Why ``code`` cannot be a category (or department) code, in words; None when it can."""
    if not code:
        return strings.CATEGORY_ERRORS["empty"]
    if len(code) > CODE_MAX:
        return strings.CATEGORY_ERRORS["too_long"].format(n=CODE_MAX)
    if not _CODE.fullmatch(code):
        return strings.CATEGORY_ERRORS["code"].format(code=code)
    return None


def effective_limits(catalogue: dict[str, tuple[str | None, float | None]]) -> dict[str, float | None]:
    """{code: limit} for a catalogue given as {code: (parent_code, own limit)}: a category's own
    limit, else its nearest ancestor's, else None. Cycles end the walk (the import refuses them)."""
    out: dict[str, float | None] = {}
    for code in catalogue:
        seen, c = set(), code
        limit = None
        while c in catalogue and c not in seen:
            seen.add(c)
            parent, own = catalogue[c]
            if own is not None:
                limit = own
                break
            c = parent
        out[code] = limit
    return out


def uninherited(catalogue: dict[str, tuple[str | None, float | None]], changed) -> dict[str, str]:
    """{code: reason} for the ``changed`` categories of ``catalogue`` (the stored one with the
    changes applied) that leave a category without a limit to run on: a minor category with no
    limit of its own and none above it, or an ancestor whose limit a minor category relies on."""
    limits = effective_limits(catalogue)
    changed = set(changed)
    out: dict[str, str] = {}
    for code, (parent, _) in catalogue.items():
        if parent is None or limits[code] is not None:
            continue
        if code in changed:
            out[code] = strings.CATEGORY_ERRORS["no_limit"].format(parent=parent)
            continue
        c, seen = parent, set()
        while c and c not in changed and c not in seen:
            seen.add(c)
            c = catalogue.get(c, (None, None))[0]
        if c in changed and c not in out:
            out[c] = strings.CATEGORY_ERRORS["limit_relied_on"].format(code=code)
    return out


def limit_of(session: Session, code: str) -> float | None:
    """The time limit (hours) the cases of category ``code`` run on (own, else inherited)."""
    seen = set()
    while code and code not in seen:
        seen.add(code)
        row = session.execute(select(Category.parent_code, Category.time_limit_hours).where(Category.code == code)).first()
        if row is None:
            return None
        if row.time_limit_hours is not None:
            return row.time_limit_hours
        code = row.parent_code
    return None


def stored_catalogue(conn) -> dict[str, tuple[str | None, float | None]]:
    """{code: (parent_code, own limit)} of every stored category (for ``effective_limits``)."""
    return {c: (p, lim) for c, p, lim in conn.execute(select(Category.code, Category.parent_code,
                                                             Category.time_limit_hours))}
