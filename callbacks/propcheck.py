"""What a component property may hold: the vocabulary of the contracts in ``callbacks/contracts.py``.

A callback's inputs and state arrive in a request anyone can write (``/_dash-update-component``),
so every value a callback reads is checked against the contract of its component property before
the callback runs (``callbacks/guard.py``). A contract is an object with

- ``check(value)``: returns nothing, or raises ``Refused`` with the reason in Chinese;
- ``samples()``: values the app itself may send (the tests send them, and hostile ones, to every
  callback).

``None`` (a property the browser has not set) is accepted unless ``optional=False``. Types are
strict: ``True`` is not a number, ``"1"`` is not 1.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime

from dashboard import strings
from dashboard import vocabulary

R = strings.PROP_REASONS
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # tab and line breaks are text
CONTROL_ONE_LINE = re.compile(r"[\x00-\x1f\x7f]")
# Dates a person may pick: wide enough for any record, narrow enough that no conversion to UTC or
# step of a day can leave what datetime can hold.
YEARS = (1900, 2200)


class Refused(ValueError):
    """A value its contract does not accept; the message says why, in Chinese."""


def _type_name(kind: str) -> str:
    return R["type"].format(kind=strings.PROP_KINDS[kind])


class Contract:
    optional = True

    def check(self, value) -> None:
        if value is None:
            if not self.optional:
                raise Refused(R["required"])
            return
        self.check_value(value)

    def check_value(self, value) -> None:  # pragma: no cover - every contract defines it
        raise NotImplementedError

    def samples(self) -> list:
        return [None] if self.optional else []


class Choice(Contract):
    """One of ``values`` (compared with the type: 1 is not "1")."""

    def __init__(self, values, *, optional: bool = True):
        self.values = tuple(values)
        self.optional = optional

    def check_value(self, value) -> None:
        if isinstance(value, (dict, list)) or not any(type(value) is type(v) and value == v for v in self.values):
            raise Refused(R["choice"])

    def samples(self) -> list:
        return super().samples() + list(self.values)


class Text(Contract):
    """A string of at most ``max_len`` characters, without control characters (``multiline``:
    tab and line breaks allowed), matching ``pattern`` when given."""

    def __init__(self, max_len: int, *, pattern: str | None = None, multiline: bool = False, optional: bool = True,
                 example: str = ""):
        self.max_len = max_len
        self.pattern = re.compile(pattern) if pattern else None
        self.control = CONTROL if multiline else CONTROL_ONE_LINE
        self.optional = optional
        self.example = example

    def check_value(self, value) -> None:
        if not isinstance(value, str):
            raise Refused(_type_name("text"))
        if len(value) > self.max_len:
            raise Refused(R["too_long"].format(n=self.max_len))
        if self.control.search(value):
            raise Refused(R["control"])
        if self.pattern and value and not self.pattern.fullmatch(value):
            raise Refused(R["pattern"])

    def samples(self) -> list:
        return super().samples() + [self.example]


class DateText(Contract):
    """A date as the date pickers and date inputs send it: ``YYYY-MM-DD``, optionally followed by
    a time (``T08:30`` or ``T08:30:00``); ``""`` is a cleared input. ``time``: a time is required
    (a datetime-local input)."""

    def __init__(self, *, time: bool = False, optional: bool = True):
        self.time = time
        self.optional = optional

    def check_value(self, value) -> None:
        if not isinstance(value, str):
            raise Refused(_type_name("date"))
        if value == "":
            return
        if len(value) > 26 or not re.fullmatch(r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?)?", value):
            raise Refused(R["datetime" if self.time else "date"])
        if self.time and len(value) == 10:
            raise Refused(R["datetime"])
        try:
            d = datetime.fromisoformat(value) if len(value) > 10 else date.fromisoformat(value)
        except ValueError:
            raise Refused(R["datetime" if self.time else "date"]) from None
        if not YEARS[0] <= d.year <= YEARS[1]:
            raise Refused(R["year"].format(lo=YEARS[0], hi=YEARS[1]))

    def samples(self) -> list:
        return super().samples() + (["2026-11-20T08:30"] if self.time else ["", "2026-11-01", "2026-11-20"])


class AreaCode(Contract):
    """An area code of the national pattern (``vocabulary.level_of_code``), of one of ``levels``;
    ``""`` means "none chosen" when ``blank``. Whether the area exists and is the principal's is
    the callback's business (``dashboard.access``)."""

    def __init__(self, *levels: str, blank: bool = False, optional: bool = True, example: str = "340223100"):
        self.levels = levels or tuple(vocabulary.CODE_LENGTH)
        self.blank = blank
        self.optional = optional
        self.example = example

    def check_value(self, value) -> None:
        if not isinstance(value, str):
            raise Refused(_type_name("code"))
        if value == "" and self.blank:
            return
        if len(value) > 15 or vocabulary.level_of_code(value) not in self.levels:
            raise Refused(R["area"].format(levels=strings.LIST_SEP.join(strings.LEVEL_LABELS[lv] for lv in self.levels)))

    def samples(self) -> list:
        return super().samples() + ([""] if self.blank else []) + [self.example]


class Int(Contract):
    """An integer in [lo, hi] (n_clicks, counters, ids)."""

    def __init__(self, lo: int = 0, hi: int = 10**9, *, optional: bool = True):
        self.lo, self.hi = lo, hi
        self.optional = optional

    def check_value(self, value) -> None:
        if isinstance(value, bool) or not isinstance(value, int):
            raise Refused(_type_name("int"))
        if not self.lo <= value <= self.hi:
            raise Refused(R["range"].format(lo=self.lo, hi=self.hi))

    def samples(self) -> list:
        return super().samples() + [self.lo, min(self.lo + 1, self.hi)]


class Number(Contract):
    """A finite number (int or float) in [lo, hi]."""

    def __init__(self, lo: float = -1e15, hi: float = 1e15, *, optional: bool = True):
        self.lo, self.hi = lo, hi
        self.optional = optional

    def check_value(self, value) -> None:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise Refused(_type_name("number"))
        if not self.lo <= value <= self.hi:
            raise Refused(R["range"].format(lo=self.lo, hi=self.hi))

    def samples(self) -> list:
        return super().samples() + [0]


class Bool(Contract):
    def __init__(self, *, optional: bool = True):
        self.optional = optional

    def check_value(self, value) -> None:
        if not isinstance(value, bool):
            raise Refused(_type_name("bool"))

    def samples(self) -> list:
        return super().samples() + [True, False]


class ListOf(Contract):
    """A list of at most ``max_items`` items, each meeting ``item``; ``unique``: no repeats."""

    def __init__(self, item: Contract, max_items: int, *, unique: bool = False, optional: bool = True):
        self.item = item
        self.max_items = max_items
        self.unique = unique
        self.optional = optional

    def check_value(self, value) -> None:
        if not isinstance(value, list):
            raise Refused(_type_name("list"))
        if len(value) > self.max_items:
            raise Refused(R["too_many"].format(n=self.max_items))
        for v in value:
            if v is None:
                raise Refused(R["required"])
            self.item.check_value(v)
        if self.unique and len({repr(v) for v in value}) != len(value):
            raise Refused(R["repeat"])

    def samples(self) -> list:
        some = [v for v in self.item.samples() if v is not None][: self.max_items]
        return super().samples() + [[], some]


def Options(values, *, optional: bool = True) -> ListOf:
    """A checklist's or multi-dropdown's value: some of ``values``, each once."""
    return ListOf(Choice(values, optional=False), len(tuple(values)), unique=True, optional=optional)


class Record(Contract):
    """A dict of the given fields (each optional unless in ``required``). Other keys are refused,
    unless ``extra`` names the contract they must meet (a third-party component's value that
    may carry more than we read)."""

    def __init__(self, fields: dict[str, Contract], *, required=(), extra: Contract | None = None,
                 optional: bool = True):
        self.fields = fields
        self.required = tuple(required)
        self.extra = extra
        self.optional = optional

    def check_value(self, value) -> None:
        if not isinstance(value, dict):
            raise Refused(_type_name("object"))
        for k in self.required:
            if value.get(k) is None:
                raise Refused(R["missing_key"].format(key=k))
        for k, v in value.items():
            contract = self.fields.get(k)
            if contract is None:
                if self.extra is None or not isinstance(k, str) or len(k) > 64:
                    raise Refused(R["unknown_key"].format(key=str(k)[:32]))
                contract = self.extra
            try:
                contract.check(v)
            except Refused as exc:
                raise Refused(strings.LABELLED.format(label=k, value=exc)) from None

    def samples(self) -> list:
        full = {}
        for k, c in self.fields.items():
            s = [v for v in c.samples() if v is not None]
            if s:
                full[k] = s[-1]
        minimal = {k: full[k] for k in self.required if k in full}
        return super().samples() + [minimal, full]


class OneOf(Contract):
    """Any one of several shapes (a store shared by pages that write it differently)."""

    def __init__(self, *choices: Contract, optional: bool = True):
        self.choices = choices
        self.optional = optional

    def check_value(self, value) -> None:
        reasons = []
        for c in self.choices:
            try:
                c.check(value)
                return
            except Refused as exc:
                reasons.append(str(exc))
        raise Refused(strings.WITH_NOTE.format(text=R["none_of"], note=strings.CLAUSE_SEP.join(reasons[:3])))

    def samples(self) -> list:
        return super().samples() + [v for c in self.choices for v in c.samples() if v is not None]


class Json(Contract):
    """Plain JSON of bounded size: at most ``depth`` levels, ``items`` entries per list or dict,
    ``text`` characters per string (what a third-party component reports about itself)."""

    def __init__(self, *, depth: int = 4, items: int = 50, text: int = 500, optional: bool = True):
        self.depth, self.items, self.text = depth, items, text
        self.optional = optional

    def check_value(self, value, level: int = 0) -> None:
        if value is None or isinstance(value, (bool, int)):
            return
        if isinstance(value, float):
            if not math.isfinite(value):
                raise Refused(_type_name("number"))
            return
        if isinstance(value, str):
            if len(value) > self.text:
                raise Refused(R["too_long"].format(n=self.text))
            return
        if not isinstance(value, (list, dict)):
            raise Refused(_type_name("object"))
        if level >= self.depth:
            raise Refused(R["too_deep"])
        if len(value) > self.items:
            raise Refused(R["too_many"].format(n=self.items))
        for k, v in (value.items() if isinstance(value, dict) else enumerate(value)):
            if isinstance(k, str) and len(k) > 64:
                raise Refused(R["too_long"].format(n=64))
            self.check_value(v, level + 1)

    def samples(self) -> list:
        return super().samples() + [{}]
