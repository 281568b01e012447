"""Per-function findings from the lake, with their evidence, impact and what to do.

:func:`advise` runs every finding family over a :class:`Scope` and returns a
:class:`Report` whose findings are ranked by estimated monthly impact. The report is
plain data (``Report.to_dict``), so the CLI and a dashboard page render the same
findings.
"""

from __future__ import annotations

from loglake.analytics.advisor.model import Chart, Finding, FindingKind, Impact, Report, Scope
from loglake.analytics.advisor.prices import (
    ARCHITECTURES,
    Architecture,
    PriceTable,
    PriceTableError,
    load_prices,
)
from loglake.analytics.advisor.render import report_to_json, report_to_markdown
from loglake.analytics.advisor.report import UnknownFunctionError, advise

__all__ = [
    "ARCHITECTURES",
    "Architecture",
    "Chart",
    "Finding",
    "FindingKind",
    "Impact",
    "PriceTable",
    "PriceTableError",
    "Report",
    "Scope",
    "UnknownFunctionError",
    "advise",
    "load_prices",
    "report_to_json",
    "report_to_markdown",
]
