"""The four-level early warning engine (四级预警). No Dash here.

Levels follow the national convention: 1 = Ⅰ red (most severe), 2 = Ⅱ orange, 3 = Ⅲ yellow,
4 = Ⅳ blue, 0 = normal. Each grid is evaluated as of a moment from the database:

- ``rules``     the TOML rules file (defaults shipped in ``dashboard/rules/warnings.toml``)
- ``signals``   per-grid figures by grouped SQL (surge counts, open disputes/overdue/major, manual)
- ``poisson``   the small-count surge test (Poisson upper-tail probability)
- ``evaluate``  levels and reasons in words, vectorised (read-only)
- ``store``     hold time, current state, history, computed episodes; ``run_once`` (idempotent)
- ``manual``    issue and lift manual warnings
- ``runner``    ``WarningRunner`` for the web process, ``run_forever`` for the CLI
- ``read``      what the screens and API read
- ``board``     the big screen's board; ``alerts`` what nobody may miss until acknowledged

docs/warnings.md explains the method, the rules and how to run it.
"""

from dashboard.warnings.evaluate import Evaluation, evaluate
from dashboard.warnings.manual import ManualWarningError, issue, lift, parse_until
from dashboard.warnings.read import (county_rollup, evaluated_at, grid_history, grid_levels, history, levels_by_grid, list_warnings,
                   rollup, scope_options, top_grids)
from dashboard.warnings.rules import DEFAULT_RULES_FILE, Rules, RulesError, load_rules, parse_rules, rules_for
from dashboard.warnings.runner import WarningRunner, due, run_forever, runner_for
from dashboard.warnings.store import StoreResult, replay, run_once

__all__ = [
    "DEFAULT_RULES_FILE", "Evaluation", "ManualWarningError", "Rules", "RulesError", "StoreResult", "WarningRunner",
    "county_rollup", "due", "evaluate", "evaluated_at", "grid_history", "grid_levels", "history", "issue",
    "levels_by_grid", "lift", "list_warnings", "load_rules", "parse_rules", "parse_until", "replay", "rollup",
    "rules_for", "run_forever", "run_once", "runner_for", "scope_options", "top_grids",
]
