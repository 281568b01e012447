"""Facts from platform lines, in one scan: runtime versions and ``Task timed out`` lines."""

from __future__ import annotations

from dataclasses import dataclass, field

from loglake.analytics.advisor.context import SCOPE_FILTER, AdviceContext
from loglake.analytics.advisor.totals import FunctionKey, VersionKey

# The text format's INIT_START and RESTORE_START lines store runtime_version; the JSON
# format's platform.initStart record stores record.runtimeVersion.
PLATFORM_LINES_SQL = f"""
SELECT
    account,
    region,
    function_name,
    function_version,
    arg_max(
        coalesce(fields->>'runtime_version', fields->'record'->>'runtimeVersion'), timestamp
    ) FILTER (WHERE type IN ('INIT_START', 'RESTORE_START')) AS runtime_version,
    list(TRY_CAST(fields->>'timeout_seconds' AS DOUBLE))
        FILTER (WHERE type = 'PLATFORM' AND (fields->>'timeout_seconds') IS NOT NULL)
        AS timeout_seconds
FROM logs
WHERE {SCOPE_FILTER}
  AND (type IN ('INIT_START', 'RESTORE_START') OR (type = 'PLATFORM' AND status = 'timeout'))
GROUP BY ALL
"""


@dataclass(slots=True)
class PlatformFacts:
    """Runtime version per function version, and timeout seconds per function."""

    runtime_versions: dict[VersionKey, str] = field(default_factory=dict)
    timeout_seconds: dict[FunctionKey, list[float]] = field(default_factory=dict)


def load_platform_facts(ctx: AdviceContext) -> PlatformFacts:
    """Return the latest runtime version of each function version and its timeout lines."""
    facts = PlatformFacts()
    for row in ctx.query(PLATFORM_LINES_SQL):
        function: FunctionKey = (row["account"], row["region"], row["function_name"])
        if row["runtime_version"] is not None:
            facts.runtime_versions[(*function, row["function_version"])] = row["runtime_version"]
        seconds = [value for value in row["timeout_seconds"] or [] if value is not None]
        if seconds:
            facts.timeout_seconds.setdefault(function, []).extend(seconds)
    return facts
