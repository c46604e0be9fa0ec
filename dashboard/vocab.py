"""Coded fields that people may write either way: the code (``hotline``) or its Chinese label
(``12345热线``), as a spreadsheet column or an API client would.

One vocabulary per field, shared by the file import and the REST API, so the two accept exactly
the same spellings and name them the same way when refusing one. Codes are the domain's
(``domain``); labels are the catalogue's (``strings``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import domain, strings


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
        return "、".join(f"{c}（{self.labels[c]}）" for c in self.codes)


SOURCE = Vocabulary(domain.SOURCES, strings.SOURCE_LABELS)
SEVERITY = Vocabulary(domain.SEVERITIES, strings.SEVERITY_LABELS)
