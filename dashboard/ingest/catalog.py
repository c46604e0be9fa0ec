"""Import of departments (``code, name, level``) and event categories
(``code, name, parent_code, time_limit_hours, default_handler_code`` [, ``is_major``, ``is_dispute``]).

Catalogues are taken as real ones are written: codes such as "01", "0101", "A01.02" or "JT-001",
major categories (大类) without a time limit of their own, minor categories (小类) that carry one; a
category without a limit runs on its nearest ancestor's, and one that has none to inherit is refused.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import Engine

from dashboard import strings
from dashboard.domain import categories
from dashboard import vocabulary
from dashboard.store.db import bump, transaction
from dashboard.store.models import Area, Category, Department
from dashboard.ingest import ImportFailed, ImportReport, RowError, read_table

# Yes and no as files write them, in the words the exports write too.
TRUE = {"1", "true", "yes", "y", "t", strings.YES_NO[True]}
FALSE = {"", "0", "false", "no", "n", "f", strings.YES_NO[False]}
E = strings.IMPORT_ROW_ERRORS


def import_departments(engine: Engine, path: str | Path) -> ImportReport:
    df = read_table(path, ["code", "name", "level"])
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    for r in df.itertuples():
        problem = categories.code_problem(r.code)
        if problem:
            errors.append(RowError(r.row, "code", problem))
        elif r.code in seen:
            errors.append(RowError(r.row, "code", E["duplicate"].format(n=seen[r.code])))
        else:
            seen[r.code] = r.row
        if not r.name:
            errors.append(RowError(r.row, "name", E["empty"]))
        elif len(r.name) > 64:
            errors.append(RowError(r.row, "name", E["too_long"].format(n=64)))
        if r.level not in vocabulary.HANDLER_LEVELS:
            levels = ", ".join(vocabulary.HANDLER_LEVELS)
            errors.append(RowError(r.row, "level", E["handler_level"].format(level=r.level, levels=levels)))
    with engine.connect() as conn:
        areas = dict(conn.execute(select(Area.code, Area.level)).all())
    for r in df.itertuples():
        if r.level in ("town", "community", "grid") and r.code in areas and areas[r.code] != r.level:
            reason = E["area_level"].format(code=r.code, area=areas[r.code], level=r.level)
            errors.append(RowError(r.row, "level", reason))
    if errors:
        raise ImportFailed(errors, strings.IMPORT_FILES["departments"])
    report = ImportReport(strings.IMPORT_KINDS["departments"])
    with transaction(engine) as s:
        existing = {d.code: d for d in s.scalars(select(Department))}
        for r in df.itertuples():
            area_code = r.code if r.code in areas and r.level != "county_department" else None
            d = existing.get(r.code)
            if d is None:
                s.add(Department(code=r.code, name=r.name, level=r.level, area_code=area_code))
                report.created += 1
            elif (d.name, d.level, d.area_code) != (r.name, r.level, area_code):
                d.name, d.level, d.area_code = r.name, r.level, area_code
                report.updated += 1
            else:
                report.unchanged += 1
        bump(s, "catalog")
    return report


def _bool(value: str, row: int, column: str, errors: list) -> bool | None:
    v = value.lower()
    if v in TRUE:
        return True
    if v in FALSE:
        return False
    errors.append(RowError(row, column, E["not_bool"].format(value=value)))
    return None


def import_categories(engine: Engine, path: str | Path) -> ImportReport:
    df = read_table(path, ["code", "name", "parent_code", "time_limit_hours", "default_handler_code"],
                    optional=["is_major", "is_dispute"])
    errors: list[RowError] = []
    with engine.connect() as conn:
        stored = {c.code: c for c in conn.execute(select(Category)).all()}
        depts = set(conn.scalars(select(Department.code)))
    in_file = {}
    for r in df.itertuples():
        problem = categories.code_problem(r.code)
        if problem:
            errors.append(RowError(r.row, "code", problem))
        elif r.code in in_file:
            errors.append(RowError(r.row, "code", E["duplicate"].format(n=in_file[r.code])))
        else:
            in_file[r.code] = r.row
        if not r.name:
            errors.append(RowError(r.row, "name", E["empty"]))
    parsed = []
    for r in df.itertuples():
        limit = None
        if r.time_limit_hours:  # empty: a major category, or one running on its parent's limit
            try:
                limit = float(r.time_limit_hours)
                if not 0 < limit < float("inf"):
                    raise ValueError
            except ValueError:
                errors.append(RowError(r.row, "time_limit_hours", E["not_positive"].format(value=r.time_limit_hours)))
        if r.parent_code and r.parent_code not in in_file and r.parent_code not in stored:
            errors.append(RowError(r.row, "parent_code", E["no_parent"].format(code=r.parent_code)))
        if r.parent_code and r.parent_code == r.code:
            errors.append(RowError(r.row, "parent_code", E["self_parent"]))
        if r.default_handler_code and r.default_handler_code not in depts:
            reason = E["no_handler_yet"].format(code=r.default_handler_code)
            errors.append(RowError(r.row, "default_handler_code", reason))
        major = _bool(r.is_major, r.row, "is_major", errors)
        dispute = _bool(r.is_dispute, r.row, "is_dispute", errors)
        parsed.append((r, limit, major, dispute))
    # Parents before children; a cycle in the file is an error.
    parent_of = {r.code: r.parent_code or None for r, *_ in parsed}
    for r, *_ in parsed:
        seen, c = set(), r.code
        while c in parent_of and parent_of[c]:
            if c in seen:
                errors.append(RowError(r.row, "parent_code", E["cycle"]))
                break
            seen.add(c)
            c = parent_of[c]
    errors.extend(_uninherited(parsed, stored))
    if errors:
        raise ImportFailed(errors, strings.IMPORT_FILES["categories"])

    def depth(code):
        d = 0
        while parent_of.get(code):
            code, d = parent_of[code], d + 1
        return d

    report = ImportReport(strings.IMPORT_KINDS["categories"])
    with transaction(engine) as s:
        existing = {c.code: c for c in s.scalars(select(Category))}
        for r, limit, major, dispute in sorted(parsed, key=lambda p: depth(p[0].code)):
            parent = existing.get(r.parent_code) if r.parent_code else None
            # Major / dispute flags are inherited from the parent unless the row says otherwise.
            major = major if r.is_major else bool(parent and parent.is_major)
            dispute = dispute if r.is_dispute else bool(parent and parent.is_dispute)
            values = dict(name=r.name, parent_code=r.parent_code or None, time_limit_hours=limit,
                          default_handler_code=r.default_handler_code or None, is_major=major, is_dispute=dispute)
            c = existing.get(r.code)
            if c is None:
                c = Category(code=r.code, **values)
                s.add(c)
                s.flush()
                existing[r.code] = c
                report.created += 1
            elif any(getattr(c, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(c, k, v)
                report.updated += 1
            else:
                report.unchanged += 1
        bump(s, "catalog")
    return report


def _uninherited(parsed: list, stored: dict) -> list[RowError]:
    """Rows that would leave a category (in the file or stored) without a time limit to run on."""
    catalogue = {code: (c.parent_code, c.time_limit_hours) for code, c in stored.items()}
    row_of = {}
    for r, limit, *_ in parsed:
        catalogue[r.code] = (r.parent_code or None, limit)
        row_of[r.code] = r.row
    return [RowError(row_of[code], "time_limit_hours", reason)
            for code, reason in categories.uninherited(catalogue, row_of).items()]
