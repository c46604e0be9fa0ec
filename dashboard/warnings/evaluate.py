"""Evaluate every grid as of a moment: the level each signal sets and the reasons in words.

Read-only: ``evaluate`` asks ``signals`` for the per-grid figures (three grouped queries), turns
them into levels with vectorised numpy, and writes words only for the grids that are above
normal. Hold time and history are ``store``'s business; this module answers "what do the signals
say right now".
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import pandas as pd
from sqlalchemy.engine import Engine

from dashboard import strings
from dashboard.timeutil import fmt_local, to_utc
from dashboard.warnings import signals
from dashboard.warnings.poisson import upper_tail
from dashboard.warnings.rules import CountDays, Rules

SIGNALS = ("major", "surge", "disputes", "overdue")  # automatic signals, in the order reasons are listed
SIGNAL_ORDER = {s: i for i, s in enumerate(SIGNALS + ("manual", "hold"))}


def worst(a, b):
    """The more severe of two levels (1 red … 4 blue; 0 normal never wins)."""
    a = np.asarray(a)
    b = np.asarray(b)
    return np.where(a == 0, b, np.where(b == 0, a, np.minimum(a, b)))


def reason(signal: str, level: int, text: str) -> dict:
    return {"signal": signal, "level": int(level), "text": text}


def sort_reasons(items: list[dict]) -> list[dict]:
    return sorted(items, key=lambda r: (r["level"] or 9, SIGNAL_ORDER.get(r["signal"], 99)))


def reasons_json(items: list[dict]) -> str:
    return json.dumps(sort_reasons(items), ensure_ascii=False)


@dataclass
class Evaluation:
    """What the signals say as of ``as_of``.

    ``grids``: one row per grid (index ``grid_code``) with each signal's level and figures,
    ``auto_level`` (worst automatic signal), ``manual_level`` (manual floor) and ``level``.
    ``auto_reasons`` / ``manual_reasons``: reasons in words for the grids above normal only.
    """

    as_of: datetime
    rules: Rules
    grids: pd.DataFrame
    auto_reasons: dict[str, list[dict]] = field(default_factory=dict)
    manual_reasons: dict[str, list[dict]] = field(default_factory=dict)

    def reasons(self, code: str) -> list[dict]:
        return sort_reasons(self.auto_reasons.get(code, []) + self.manual_reasons.get(code, []))

    def counts(self) -> dict[int, int]:
        vc = self.grids["level"].value_counts()
        return {lvl: int(vc.get(lvl, 0)) for lvl in (0, 1, 2, 3, 4)}


def _age_words(days: float) -> str:
    if days >= 1:
        return strings.AGE_DAYS.format(days=int(days))
    return strings.AGE_HOURS.format(hours=max(1, int(round(days * 24))))


def _count_days_level(count: np.ndarray, age_days: np.ndarray, levels: dict[int, CountDays]) -> np.ndarray:
    out = np.zeros(len(count), dtype=np.int64)
    for lvl in sorted(levels, reverse=True):  # blue first; more severe levels overwrite
        th = levels[lvl]
        hit = np.zeros(len(count), dtype=bool)
        if th.count is not None:
            hit |= count >= th.count
        if th.days is not None:
            hit |= (count > 0) & (age_days >= th.days)
        out = np.where(hit, lvl, out)
    return out


def _window_words(hours: float) -> str:
    return strings.REASON_WINDOW.get(int(hours)) if float(hours).is_integer() and int(hours) in strings.REASON_WINDOW \
        else strings.REASON_WINDOW_HOURS.format(hours=hours)


def _surge(df: pd.DataFrame, counts: pd.DataFrame, rules: Rules) -> None:
    s = rules.surge
    n_grids = len(df)
    best_level = np.zeros(n_grids, dtype=np.int64)
    best_p = np.ones(n_grids)
    best_win = np.zeros(n_grids, dtype=np.int64)
    best_n = np.zeros(n_grids, dtype=np.int64)
    best_lam_raw = np.zeros(n_grids)
    for i, hours in enumerate(s.windows_hours):
        n = counts[f"n{i}"].reindex(df.index, fill_value=0).to_numpy(dtype=np.int64)
        b = counts[f"b{i}"].reindex(df.index, fill_value=0).to_numpy(dtype=np.int64)
        rate = b / s.baseline_days
        lam_raw = rate * hours / 24.0
        lam = np.maximum(rate, s.min_baseline_per_day) * hours / 24.0
        p = upper_tail(n, lam)
        lvl = np.zeros(n_grids, dtype=np.int64)
        for level in sorted(s.levels, reverse=True):
            th = s.levels[level]
            lvl = np.where((p <= th.max_p) & (n >= th.min_count), level, lvl)
        better = (worst(lvl, best_level) != best_level) | ((lvl == best_level) & (p < best_p))
        best_level = np.where(better, lvl, best_level)
        best_p = np.where(better, p, best_p)
        best_win = np.where(better, i, best_win)
        best_n = np.where(better, n, best_n)
        best_lam_raw = np.where(better, lam_raw, best_lam_raw)
    df["surge_level"] = best_level
    df["surge_p"] = best_p
    df["surge_n"] = best_n
    df["surge_expected"] = best_lam_raw
    df["surge_window_hours"] = np.asarray(s.windows_hours, dtype=float)[best_win] if s.windows_hours else 0.0


def evaluate(engine: Engine, rules: Rules, as_of: datetime) -> Evaluation:
    """Every grid's signal levels and reasons as of ``as_of`` (aware). Reads only."""
    t = to_utc(as_of)
    index = signals.grid_codes(engine)
    df = pd.DataFrame(index=index)

    counts = signals.report_counts(engine, rules, t)
    _surge(df, counts, rules)

    open_ = signals.open_case_figures(engine, rules, t).reindex(index)
    for col in ("disputes", "overdue", "major"):
        df[col] = open_[col].fillna(0).to_numpy(dtype=np.int64)
    now_ts = pd.Timestamp(t)
    for col, since in (("dispute_age_days", "dispute_since"), ("overdue_age_days", "overdue_since")):
        ts = pd.to_datetime(open_[since], utc=True)
        df[col] = ((now_ts - ts).dt.total_seconds() / 86400.0).fillna(0.0).to_numpy()
    df["disputes_level"] = _count_days_level(df["disputes"].to_numpy(), df["dispute_age_days"].to_numpy(), rules.disputes)
    df["overdue_level"] = _count_days_level(df["overdue"].to_numpy(), df["overdue_age_days"].to_numpy(), rules.overdue)
    df["major_level"] = np.where(df["major"].to_numpy() > 0, rules.major.level, 0)

    auto = np.zeros(len(df), dtype=np.int64)
    for sig in SIGNALS:
        auto = worst(auto, df[f"{sig}_level"].to_numpy())
    df["auto_level"] = auto

    manual = signals.manual_in_force(engine, t)
    manual_level = np.zeros(len(df), dtype=np.int64)
    manual_reasons: dict[str, list[dict]] = {}
    codes = df.index.to_series()
    for w in manual.itertuples():
        mask = codes.str.startswith(w.scope_code).to_numpy()
        manual_level = np.where(mask, worst(manual_level, w.level), manual_level)
        text = _manual_text(w)
        for code in df.index[mask]:
            manual_reasons.setdefault(code, []).append(reason("manual", w.level, text))
    df["manual_level"] = manual_level
    df["level"] = worst(auto, manual_level)

    ev = Evaluation(t, rules, df, manual_reasons=manual_reasons)
    ev.auto_reasons = _auto_reasons(engine, rules, t, df)
    return ev


def _manual_text(w) -> str:
    try:
        what = strings.CLAUSE_SEP.join(json.loads(w.reasons or "[]")) or "—"
    except (TypeError, ValueError):
        what = str(w.reasons)
    until = (strings.REASON_MANUAL_UNTIL.format(until=fmt_local(w.expires_at, "%m-%d %H:%M"))
             if w.expires_at is not None and not pd.isna(w.expires_at) else strings.REASON_MANUAL_OPEN)  # NaT: no expiry
    return strings.REASON_MANUAL.format(by=w.issued_by or strings.WARNING_DEFAULT_ISSUER, reason=what, until=until)


def _auto_reasons(engine: Engine, rules: Rules, t: datetime, df: pd.DataFrame) -> dict[str, list[dict]]:
    """Words for the grids with an automatic signal (a few, even at city scale)."""
    hot = df[df["auto_level"] > 0]
    if hot.empty:
        return {}
    titles: dict[str, list[str]] = {}
    if (hot["major_level"] > 0).any():
        for row in signals.open_major_events(engine, rules, t).itertuples():
            # "title（紧急）", or the category's name when only the category makes it major
            label = strings.SEVERITY_LABELS.get(row.severity, row.severity) if row.severity != "normal" else row.category
            titles.setdefault(row.grid_code, []).append(strings.WITH_NOTE.format(text=row.title, note=label))
    days = rules.surge.baseline_days
    out: dict[str, list[dict]] = {}
    for r in hot.itertuples():
        items = []
        if r.major_level:
            shown = titles.get(r.Index, [])
            text = strings.LIST_SEP.join(shown[:3])
            text = strings.LIST_AND_MORE.format(items=text) if len(shown) > 3 else text
            items.append(reason("major", r.major_level, strings.REASON_MAJOR.format(n=int(r.major), titles=text)))
        if r.surge_level:
            window = _window_words(r.surge_window_hours)
            if r.surge_expected > 0:
                text = strings.REASON_SURGE.format(window=window, n=int(r.surge_n), ratio=r.surge_n / r.surge_expected,
                                                   baseline_days=f"{days:g}",
                                                   rate=r.surge_expected * 24.0 / r.surge_window_hours)
            else:
                text = strings.REASON_SURGE_NO_BASELINE.format(window=window, n=int(r.surge_n), baseline_days=f"{days:g}")
            items.append(reason("surge", r.surge_level, text))
        if r.disputes_level:
            items.append(reason("disputes", r.disputes_level,
                                strings.REASON_DISPUTES.format(n=int(r.disputes), age=_age_words(r.dispute_age_days))))
        if r.overdue_level:
            items.append(reason("overdue", r.overdue_level,
                                strings.REASON_OVERDUE.format(n=int(r.overdue), age=_age_words(r.overdue_age_days))))
        out[r.Index] = sort_reasons(items)
    return out
