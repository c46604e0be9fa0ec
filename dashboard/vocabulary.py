"""The domain's vocabulary: codes for levels, statuses, actions, roles and sources, and the life
cycle of an event (DESIGN.md: 上报 → 受理 → 派遣 → 处置 → 核查 → 结案).

Codes are English and stored in the database; their Chinese labels live in ``strings``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dashboard import strings

AREA_LEVELS = ("county", "town", "community", "grid")
# Code length of each level: county 6 digits, each level below adds three.
CODE_LENGTH = {"county": 6, "town": 9, "community": 12, "grid": 15}
LEVEL_OF_LENGTH = {v: k for k, v in CODE_LENGTH.items()}
PARENT_LEVEL = {"town": "county", "community": "town", "grid": "community"}
CHILD_LEVEL = {v: k for k, v in PARENT_LEVEL.items()}

# Who handled a case: a county department, or an area handling it itself.
HANDLER_LEVELS = ("county_department", "town", "community", "grid")

STAFF_ROLES = (
    "grid_leader",  # 网格长 (a community cadre)
    "grid_worker",  # 专职网格员
    "police",  # 民警/辅警
    "party_member",  # 党员
    "volunteer",  # 志愿者
    "lawyer",  # 律师
    "cadre",  # 联点单位干部
)

SOURCES = ("patrol", "public", "hotline", "video", "transfer")
SEVERITIES = ("normal", "major", "urgent")

STAT_DIMENSIONS = ("population", "housing")
POPULATION_TAGS = (
    "registered",
    "migrant",
    "party_member",
    "dibao",
    "wubao",
    "elderly_alone",
    "disabled",
    "left_behind_child",
    "veteran",
)
HOUSING_TAGS = ("self_occupied", "rented", "vacant", "commercial")

WARNING_KINDS = ("manual", "computed")
# National convention: Ⅰ red is the most severe. 0 means normal (no warning).
WARNING_LEVELS = (1, 2, 3, 4)
NORMAL = 0
# What raises an alert on the big screen: a new major/urgent case, or a grid entering Ⅰ/Ⅱ.
ALERT_KINDS = ("case", "grid")
ALERT_SEVERITIES = ("urgent", "major")  # the case severities that raise one, most severe first

# --- life cycle -------------------------------------------------------------------------------

STATUSES = ("reported", "accepted", "invalid", "dispatched", "in_progress", "disposed", "closed")
OPEN_STATUSES = ("accepted", "dispatched", "in_progress", "disposed")


FINAL_STATUSES = ("invalid", "closed")

# action -> (statuses it may start from, status it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "report": (frozenset(), "reported"),
    "accept": (frozenset({"reported"}), "accepted"),
    "invalidate": (frozenset({"reported"}), "invalid"),
    "dispatch": (frozenset({"accepted"}), "dispatched"),
    "start": (frozenset({"dispatched"}), "in_progress"),
    "dispose": (frozenset({"dispatched", "in_progress"}), "disposed"),
    "verify_ok": (frozenset({"disposed"}), "closed"),
    # 返工: verification failed, the case goes back to its handler.
    "verify_fail": (frozenset({"disposed"}), "dispatched"),
    # 退单: the handler sends the case back for re-dispatch.
    "send_back": (frozenset({"dispatched", "in_progress"}), "accepted"),
}
ACTIONS = tuple(TRANSITIONS)

# The closed loop's phases, by the status a case waits in: 受理 (waiting in 'reported'), 派遣
# ('accepted', also after a send-back), 处置 ('dispatched' and 'in_progress', also after a rework),
# 核查 ('disposed'). A closed case's dispatch + disposal + verification add up to its hours to close.
PHASES = ("intake", "dispatch", "disposal", "verification")
PHASE_OF_STATUS = {"reported": "intake", "accepted": "dispatch", "dispatched": "disposal", "in_progress": "disposal",
                   "disposed": "verification"}


def allowed_actions(status: str | None) -> list[str]:
    """Actions that may follow ``status`` (None: a case not yet reported)."""
    if status is None:
        return ["report"]
    return [a for a, (sources, _) in TRANSITIONS.items() if status in sources]


def level_of_code(code: str) -> str | None:
    return LEVEL_OF_LENGTH.get(len(code)) if code.isdigit() else None


def ancestors(code: str) -> dict[str, str]:
    """{'county': ..., 'town': ..., ...} for a code following the national pattern."""
    out = {}
    for level, n in CODE_LENGTH.items():
        if len(code) >= n:
            out[level] = code[:n]
    return out

# What an API client may write, each granted to its token (``apiclients``): 上报 a case, move a
# case along its life cycle, 督办 a case, keep a grid worker's app online. 督办 is a command
# act: it is never granted by default, a client gets it only when an administrator says so.
API_PERMISSIONS = ("report", "transition", "supervise", "heartbeat")
API_DEFAULT_PERMISSIONS = ("report", "transition", "heartbeat")

# --- accounts and roles -----------------------------------------------------------------
# admin: everything; leader: the whole county, read; duty_officer: the whole county, 督办 and manual
# warnings; town_officer: one town, read; display: a wall screen (the big screen only, read).
USER_ROLES = ("admin", "leader", "duty_officer", "town_officer", "display")


# --- spellings: coded fields people may write either way --------------------------------------
# The code (``hotline``) or its Chinese label (``12345热线``), as a spreadsheet column or an API
# client would: one vocabulary per field, shared by the file import and the REST API, so the two
# accept exactly the same spellings and name them the same way when refusing one.


@dataclass(frozen=True)
class Vocabulary:
    codes: tuple[str, ...]
    labels: dict[str, str]  # code -> Chinese label
    _lookup: dict[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        lookup = {code: code for code in self.codes}
        lookup.update({self.labels[code]: code for code in self.codes})
        object.__setattr__(self, "_lookup", lookup)

    def code(self, text) -> str | None:
        """The code ``text`` spells (a code or a label, surrounding blanks ignored); None if none."""
        if not isinstance(text, str):
            return None
        return self._lookup.get(text.strip())

    @property
    def spellings(self) -> tuple[str, ...]:
        """Everything accepted: each code, then each label."""
        return self.codes + tuple(self.labels[c] for c in self.codes)

    def choices(self) -> str:
        """The accepted values in words, for a refusal: ``patrol（网格员巡查）、public（群众求助）…``."""
        return strings.LIST_SEP.join(strings.WITH_NOTE.format(text=c, note=self.labels[c]) for c in self.codes)


SOURCE = Vocabulary(SOURCES, strings.SOURCE_LABELS)
SEVERITY = Vocabulary(SEVERITIES, strings.SEVERITY_LABELS)
