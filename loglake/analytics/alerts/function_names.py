"""Functions that rules list but the lake has no events of, such as a misspelled name.

A rule limited to ``functions: [ledger-wrker]`` reads no rows, so it stays OK (or counts zero
timeouts) forever. ``check`` and ``replay`` cannot tell a typo from a quiet function within
one window, so the commands look the names up over a longer period and warn.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from loglake.analytics.alerts.model import ErrorPatternCheck, FunctionHealthCheck, Rule
from loglake.analytics.alerts.observation import time_text
from loglake.analytics.alerts.snapshot import partition_range_sql
from loglake.analytics.lake import Lake
from loglake.analytics.sql import run_select

LOOKBACK = timedelta(days=7)
"""How far back before an evaluation the lake is searched for a rule's functions: the
baseline of a default ``new_pattern`` rule, which reads the same days."""

MAX_LISTED = 10
"""Function names a warning lists when none is close to the missing one."""


@dataclass(frozen=True, slots=True)
class MissingFunction:
    """A function a rule lists that has no events in the lake over the period searched."""

    rule: str
    function: str
    nearest: tuple[str, ...]
    """The lake's function names closest to ``function``, best first."""
    known: tuple[str, ...]
    """Every function name of the lake over the period, sorted."""
    start: datetime
    end: datetime

    def message(self) -> str:
        """Return the warning as one line of text."""
        text = (
            f"rule {self.rule}: function {self.function} has no events in the lake from "
            f"{time_text(self.start)} to {time_text(self.end)}, so the rule sees no data for it"
        )
        if self.nearest:
            return f"{text}; did you mean {', '.join(self.nearest)}?"
        if not self.known:
            return f"{text}; no function has events in that period"
        listed = ", ".join(self.known[:MAX_LISTED])
        more = ", ..." if len(self.known) > MAX_LISTED else ""
        return f"{text}; the lake's functions are {listed}{more}"


def missing_functions(
    lake: Lake, rules: Sequence[Rule], start: datetime, end: datetime
) -> list[MissingFunction]:
    """Return each function that a rule lists and that has no events in ``[start, end)``."""
    listed = [
        (rule.name, function)
        for rule in rules
        if isinstance(rule.check, FunctionHealthCheck | ErrorPatternCheck)
        for function in rule.check.functions
    ]
    if not listed:
        return []
    sql = (
        "SELECT DISTINCT function_name FROM logs "
        f"WHERE function_name IS NOT NULL AND {partition_range_sql(start, end)} "
        "ORDER BY function_name"
    )
    known = tuple(str(row[0]) for row in run_select(lake, sql).rows)
    return [
        MissingFunction(
            rule=rule,
            function=function,
            nearest=tuple(difflib.get_close_matches(function, known, n=3, cutoff=0.6)),
            known=known,
            start=start,
            end=end,
        )
        for rule, function in listed
        if function not in known
    ]
