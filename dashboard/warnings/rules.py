"""The warning rules file (TOML): loading, validation and the typed rules the engine uses.

The shipped defaults live in ``dashboard/rules/warnings.toml``; ``GRIDSCREEN_RULES`` points at a
county's own file. A file is checked as a whole on load and refused with every problem listed,
each naming its key (``surge.yellow.max_p``) and what is wrong, so a typo never silently turns a
signal off. docs/warnings.md is the reference.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from dashboard import strings
from dashboard import vocabulary

DEFAULT_RULES_FILE = Path(__file__).resolve().parent.parent / "rules" / "warnings.toml"

# Level names in the file, most severe first (national convention: Ⅰ red … Ⅳ blue).
LEVEL_NAMES = {"red": 1, "orange": 2, "yellow": 3, "blue": 4}
LEVEL_KEYS = {v: k for k, v in LEVEL_NAMES.items()}
# Blue first: each next level must be stricter than the one before.
ASCENDING = ("blue", "yellow", "orange", "red")


class RulesError(ValueError):
    """A rules file that cannot be used; ``problems`` lists each one (key: what is wrong)."""

    def __init__(self, source: str, problems: list[str]):
        self.source = source
        self.problems = problems
        head = strings.RULES_ERROR_TITLE.format(path=source)
        super().__init__(head + ":\n" + "\n".join(f"  - {p}" for p in problems))


@dataclass(frozen=True)
class SurgeLevel:
    max_p: float
    min_count: int


@dataclass(frozen=True)
class Surge:
    windows_hours: tuple[float, ...] = (24.0, 168.0)
    baseline_days: float = 28.0
    gap_days: float = 2.0
    min_baseline_per_day: float = 0.06
    levels: dict[int, SurgeLevel] = field(default_factory=dict)  # level (1..4) -> thresholds


@dataclass(frozen=True)
class CountDays:
    """A level is reached when ``count`` or more cases qualify, or the extreme one is ``days`` old
    (either threshold may be absent)."""

    count: int | None = None
    days: float | None = None


@dataclass(frozen=True)
class Major:
    level: int = 1  # 0 = off
    severities: tuple[str, ...] = ("major", "urgent")
    major_categories: bool = True


@dataclass(frozen=True)
class Rules:
    hold_hours: float = 6.0
    surge: Surge = field(default_factory=Surge)
    disputes: dict[int, CountDays] = field(default_factory=dict)
    overdue: dict[int, CountDays] = field(default_factory=dict)
    major: Major = field(default_factory=Major)
    source: str = "<defaults>"
    digest: str = ""  # sha256 of the file's bytes: a changed file re-evaluates the county


# --- validation helpers --------------------------------------------------------------------------


class _Checker:
    def __init__(self):
        self.problems: list[str] = []

    def add(self, template: str, **kw):
        self.problems.append(template.format(**kw))

    def keys(self, table: dict, prefix: str, allowed: tuple[str, ...], required: tuple[str, ...] = ()):
        for k in table:
            if k not in allowed:
                self.add(strings.RULES_UNKNOWN_KEY, key=_join(prefix, k), allowed=", ".join(allowed))
        for k in required:
            if k not in table:
                self.add(strings.RULES_MISSING_KEY, key=_join(prefix, k))

    def table(self, parent: dict, key: str, prefix: str) -> dict:
        v = parent.get(key, {})
        if not isinstance(v, dict):
            self.add(strings.RULES_WRONG_TYPE, key=_join(prefix, key), expected=strings.RULES_TYPE_NAMES["table"], value=v)
            return {}
        return v

    def number(self, table: dict, key: str, prefix: str, default=None, *, positive=True, integer=False):
        if key not in table:
            return default
        v = table[key]
        name = _join(prefix, key)
        ok = isinstance(v, int) if integer else isinstance(v, (int, float))
        if isinstance(v, bool) or not ok:
            self.add(strings.RULES_WRONG_TYPE, key=name, expected=strings.RULES_TYPE_NAMES["integer" if integer else "number"],
                     value=v)
            return default
        if positive and v <= 0:
            self.add(strings.RULES_NOT_POSITIVE, key=name, value=v)
            return default
        if not positive and v < 0:
            self.add(strings.RULES_NOT_NEGATIVE, key=name, value=v)
            return default
        return v

    def ordered(self, levels: dict[str, dict], prefix: str, key: str, stricter):
        """Values of ``key`` across the levels present must get stricter from blue to red."""
        prev = None
        for name in ASCENDING:
            if name in levels and levels[name].get(key) is not None:
                v = levels[name][key]
                if prev is not None and not stricter(v, prev[1]):
                    self.add(strings.RULES_NOT_ORDERED, key=f"{prefix}.{name}.{key}", value=v,
                             other_key=f"{prefix}.{prev[0]}.{key}", other=prev[1])
                prev = (name, v)


def _join(prefix: str, key: str) -> str:
    return f"{prefix}.{key}" if prefix else key


# --- the sections --------------------------------------------------------------------------------


def _surge(c: _Checker, raw: dict) -> Surge:
    p = "surge"
    allowed = ("windows_hours", "baseline_days", "gap_days", "min_baseline_per_day", "enabled") + ASCENDING
    c.keys(raw, p, allowed)
    windows = raw.get("windows_hours", [24, 168])
    if not isinstance(windows, list):
        c.add(strings.RULES_WRONG_TYPE, key=f"{p}.windows_hours", expected=strings.RULES_TYPE_NAMES["list"], value=windows)
        windows = [24, 168]
    elif not windows:
        c.add(strings.RULES_EMPTY_LIST, key=f"{p}.windows_hours")
    clean = []
    for i, w in enumerate(windows):
        v = c.number({f"windows_hours[{i}]": w}, f"windows_hours[{i}]", p)
        if v is not None:
            clean.append(float(v))
    baseline = c.number(raw, "baseline_days", p, 28)
    gap = c.number(raw, "gap_days", p, 2, positive=False)
    floor = c.number(raw, "min_baseline_per_day", p, 0.06)
    enabled = _enabled(c, raw, p)
    levels: dict[str, dict] = {}
    for name in ASCENDING:
        if name not in raw:
            continue
        t = c.table(raw, name, p)
        lp = f"{p}.{name}"
        c.keys(t, lp, ("max_p", "min_count"), ("max_p", "min_count"))
        max_p = c.number(t, "max_p", lp)
        if max_p is not None and not (0 < max_p < 1):
            c.add(strings.RULES_P_RANGE, key=f"{lp}.max_p", value=max_p)
            max_p = None
        levels[name] = {"max_p": max_p, "min_count": c.number(t, "min_count", lp, integer=True)}
    c.ordered(levels, p, "max_p", lambda v, prev: v < prev)
    c.ordered(levels, p, "min_count", lambda v, prev: v >= prev)
    typed = {}
    if enabled:
        typed = {LEVEL_NAMES[n]: SurgeLevel(float(v["max_p"]), int(v["min_count"])) for n, v in levels.items()
                 if v["max_p"] is not None and v["min_count"] is not None}
    return Surge(tuple(clean) or (24.0, 168.0), float(baseline), float(gap), float(floor), typed)


def _count_days(c: _Checker, raw: dict, p: str) -> dict[int, CountDays]:
    c.keys(raw, p, ASCENDING + ("enabled",))
    enabled = _enabled(c, raw, p)
    levels: dict[str, dict] = {}
    for name in ASCENDING:
        if name not in raw:
            continue
        t = c.table(raw, name, p)
        lp = f"{p}.{name}"
        c.keys(t, lp, ("count", "days"))
        if isinstance(raw[name], dict) and not t:
            c.add(strings.RULES_EMPTY_LEVEL, key=lp, allowed="count, days")
        levels[name] = {"count": c.number(t, "count", lp, integer=True), "days": c.number(t, "days", lp, positive=False)}
    c.ordered(levels, p, "count", lambda v, prev: v > prev)
    c.ordered(levels, p, "days", lambda v, prev: v > prev)
    if not enabled:
        return {}
    return {LEVEL_NAMES[n]: CountDays(v["count"], None if v["days"] is None else float(v["days"]))
            for n, v in levels.items() if v["count"] is not None or v["days"] is not None}


def _major(c: _Checker, raw: dict) -> Major:
    p = "major"
    c.keys(raw, p, ("level", "severities", "major_categories"))
    level = raw.get("level", "red")
    if not isinstance(level, str) or (level not in LEVEL_NAMES and level != "none"):
        c.add(strings.RULES_BAD_LEVEL, key=f"{p}.level", value=level)
        level = "red"
    sev = raw.get("severities", ["major", "urgent"])
    if not isinstance(sev, list):
        c.add(strings.RULES_WRONG_TYPE, key=f"{p}.severities", expected=strings.RULES_TYPE_NAMES["list"], value=sev)
        sev = []
    for s in sev:
        if s not in vocabulary.SEVERITIES:
            c.add(strings.RULES_BAD_SEVERITY, key=f"{p}.severities", value=s, allowed=", ".join(vocabulary.SEVERITIES))
    cats = raw.get("major_categories", True)
    if not isinstance(cats, bool):
        c.add(strings.RULES_WRONG_TYPE, key=f"{p}.major_categories", expected=strings.RULES_TYPE_NAMES["bool"], value=cats)
        cats = True
    return Major(0 if level == "none" else LEVEL_NAMES[level], tuple(s for s in sev if s in vocabulary.SEVERITIES), cats)


def _enabled(c: _Checker, raw: dict, p: str) -> bool:
    v = raw.get("enabled", True)
    if not isinstance(v, bool):
        c.add(strings.RULES_WRONG_TYPE, key=f"{p}.enabled", expected=strings.RULES_TYPE_NAMES["bool"], value=v)
        return True
    return v


# --- loading -------------------------------------------------------------------------------------


def parse_rules(text: str, source: str = "<text>") -> Rules:
    """Rules from TOML text; raises ``RulesError`` listing every problem."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RulesError(source, [strings.RULES_BAD_TOML.format(error=exc)]) from None
    c = _Checker()
    c.keys(raw, "", ("hold_hours", "surge", "disputes", "overdue", "major"))
    hold = c.number(raw, "hold_hours", "", 6, positive=False)
    rules = Rules(
        hold_hours=float(hold),
        surge=_surge(c, c.table(raw, "surge", "")),
        disputes=_count_days(c, c.table(raw, "disputes", ""), "disputes"),
        overdue=_count_days(c, c.table(raw, "overdue", ""), "overdue"),
        major=_major(c, c.table(raw, "major", "")),
        source=source,
        digest=hashlib.sha256(text.encode()).hexdigest(),
    )
    if c.problems:
        raise RulesError(source, c.problems)
    return rules


def load_rules(path: str | Path | None = None) -> Rules:
    """The rules in ``path``, or the shipped defaults when None."""
    path = Path(path) if path else DEFAULT_RULES_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RulesError(str(path), [strings.RULES_NOT_FOUND.format(path=path)]) from None
    except UnicodeDecodeError as exc:
        raise RulesError(str(path), [strings.RULES_BAD_TOML.format(error=exc)]) from None
    return parse_rules(text, str(path))


def rules_for(settings) -> Rules:
    """The rules a running process uses: ``GRIDSCREEN_RULES`` or the shipped defaults."""
    return load_rules(getattr(settings, "rules_file", None))
