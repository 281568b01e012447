"""Errors of Athena queries, each with the query execution ID and what to do next."""

from __future__ import annotations

WORKGROUP_HINT = (
    "check --workgroup: the stack's workgroup is its AthenaWorkGroupName output (`<stack>-loglake`)"
)
DATABASE_HINT = (
    "check --database: the stack's Glue database is its GlueDatabaseName output (`<stack>_loglake`)"
)

_HINTS: tuple[tuple[tuple[str, ...], str], ...] = (
    (
        ("bytes scanned", "data usage"),
        "the workgroup's limit on data scanned per query stopped it; narrow the time range or "
        "raise the workgroup's BytesScannedCutoffPerQuery",
    ),
    (
        ("output location", "outputlocation"),
        "give --output-location s3://BUCKET/PREFIX/ or set one on the workgroup",
    ),
    (("workgroup",), WORKGROUP_HINT),
    (("schema_not_found", "database_not_found", "entitynotfound"), DATABASE_HINT),
    (("table_not_found",), DATABASE_HINT + ", which contains the tables logs, traces and segments"),
    (
        ("access denied", "accessdenied", "not authorized"),
        "the caller needs athena:StartQueryExecution, GetQueryExecution, GetQueryResults and "
        "StopQueryExecution, glue:GetDatabase and GetTable, s3:GetObject and ListBucket on the "
        "lake, and s3:GetBucketLocation, GetObject and PutObject on the output location",
    ),
    (
        ("hive_cannot_open_split", "nosuchkey", "specified key does not exist"),
        "an object was deleted while the query read it, usually by compaction removing the "
        "objects it replaced; run the query again",
    ),
    (
        ("throttl", "too many", "rate exceeded"),
        "the account's Athena query quota is in use; wait and run the query again",
    ),
    (
        ("exhausted resources", "query timeout", "exceeded_"),
        "narrow the time range (--since, --start/--end) so that fewer partitions are read",
    ),
    (
        ("syntax_error", "mismatched input", "function_not_found", "invalid_function_argument"),
        "Athena rejected the compiled SQL; print it with --explain and report the query",
    ),
)


def hint_for(*texts: str | None) -> str | None:
    """Return what to do next for an Athena error whose reason contains known words."""
    haystack = " ".join(text for text in texts if text).lower()
    for needles, hint in _HINTS:
        if any(needle in haystack for needle in needles):
            return hint
    return None


class AthenaError(RuntimeError):
    """An Athena query that could not start, failed, was cancelled or returned bad data."""

    def __init__(
        self,
        message: str,
        *,
        query_execution_id: str | None = None,
        state: str | None = None,
        reason: str | None = None,
        hint: str | None = None,
    ) -> None:
        text = message if hint is None else f"{message}; {hint}"
        super().__init__(text)
        self.query_execution_id = query_execution_id
        self.state = state
        self.reason = reason
        self.hint = hint


class AthenaTimeoutError(AthenaError, TimeoutError):
    """A query that did not finish within the timeout; loglake asked Athena to stop it."""
