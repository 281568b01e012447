"""Error patterns as SQL: mask the variable parts of a message so equal shapes group together.

A pattern's template is a pure function of one message: an ordered list of RE2 regular
expressions, each replaced by a placeholder such as ``<UUID>`` or ``<NUM>``, then runs of
whitespace collapsed to one space. Its ID is a hash of the template. Neither depends on
other lines, their order or the partition they come from. So the same message has the same
pattern ID in every run, on every day and on every machine, and a pattern's first sighting
is a real date. The masks are plain ``regexp_replace`` calls in RE2 syntax without
back-references, which DuckDB and Athena both accept, so patterns are computed where the
data is.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from loglake.analytics.lake import Lake
from loglake.analytics.sql import QueryResult, run_select

PATTERN_ID_CHARS = 12
"""Hex digits of a pattern ID: 48 bits of SHA-256, so two of 100,000 patterns share an ID
with a probability below 2e-5."""


@dataclass(frozen=True, slots=True)
class Mask:
    """One masking step: every match of ``regex`` (RE2 syntax) becomes ``placeholder``."""

    name: str
    regex: str
    placeholder: str


_HEX = "[0-9a-fA-F]"
_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
_H16 = f"{_HEX}{{1,4}}"

MASKS: tuple[Mask, ...] = (
    Mask("uuid", f"{_HEX}{{8}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{12}}", "<UUID>"),
    # Request IDs that are not UUIDs, written as a field. API Gateway's HTTP API IDs
    # (I6Xv7wIJC7/e/BU=) have no fixed shape, so the key identifies them. The key, quotes and
    # separator are replaced too, because a placeholder cannot repeat matched text portably.
    Mask(
        "request_id_field",
        r"""["']?[A-Za-z_-]*(?i:request[_-]?id)["']?\s*[:=]\s*"""
        r"""["']?[A-Za-z0-9+/=_.-]{6,}["']?""",
        "<REQUEST_ID>",
    ),
    Mask("xray_trace_id", r"\b1-[0-9a-fA-F]{8}-[0-9a-fA-F]{24}\b", "<TRACE_ID>"),
    Mask("email", r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}", "<EMAIL>"),
    # S3 object URIs and ARNs. Placeholders hold no digits, so the "id" mask leaves them.
    Mask("s3_uri", r"""(?i:s3://|arn:aws[a-z-]*:s3:::)[^\s"'<>,;)\]}]+""", "<OBJECT_URI>"),
    Mask(
        "timestamp",
        # ISO 8601 with a date and a time (T or space, any fraction and zone), as Lambda
        # runtimes, Powertools, log4j and structlog write them.
        r"\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?",
        "<TIMESTAMP>",
    ),
    Mask(
        "clf_timestamp",
        # Common Log Format: 10/Oct/2026:13:55:36 +0000
        r"\b\d{2}/[A-Z][a-z]{2}/\d{4}:\d{2}:\d{2}:\d{2}(?: [+-]\d{4})?",
        "<TIMESTAMP>",
    ),
    Mask(
        "syslog_timestamp",
        # Syslog (RFC 3164): Oct 10 13:55:36
        r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ 0-3]\d \d{2}:\d{2}:\d{2}\b",
        "<TIMESTAMP>",
    ),
    Mask("date", r"\b\d{4}-\d{2}-\d{2}\b", "<DATE>"),
    Mask("time", r"\b\d{2}:\d{2}:\d{2}(?:[.,]\d+)?\b", "<TIME>"),
    Mask(
        "ipv6",
        # Eight groups, or a :: compression with at least one group on its right.
        f"\\b(?:{_H16}:){{7}}{_H16}\\b|\\b(?:{_H16}:){{1,6}}:{_H16}(?::{_H16}){{0,5}}\\b"
        f"|::(?:ffff:)?{_OCTET}(?:\\.{_OCTET}){{3}}\\b|::1\\b",
        "<IP>",
    ),
    Mask("ipv4", f"\\b{_OCTET}(?:\\.{_OCTET}){{3}}(?::\\d{{1,5}})?\\b", "<IP>"),
    Mask(
        "duration",
        r"(?i)\b\d+(?:\.\d+)?\s?(?:ns|us|µs|ms|s|sec|secs|seconds?|m|min|mins|minutes?|h|hours?)\b",
        "<DURATION>",
    ),
    Mask("size", r"(?i)\b\d+(?:\.\d+)?\s?(?:[kmgtp]i?b|bytes?|b)\b", "<SIZE>"),
    Mask("hex_literal", r"\b0[xX][0-9a-fA-F]+\b", "<HEX>"),
    # An exponent needs a fraction or a sign (1.5e3, 2e-6), because 4305e986 is hex.
    Mask("number", r"\b\d+(?:\.\d+(?:[eE][-+]?\d+)?|[eE][-+]\d+)?\b", "<NUM>"),
    # Hex strings of 8 or more digits (f22d2882, 4442587FB7D0A2F9) become <NUM> as decimal
    # numbers do: a hex ID is sometimes all decimal digits, and one placeholder keeps its
    # lines in one pattern.
    Mask("hex", r"\b[0-9a-fA-F]{8,}\b", "<NUM>"),
    Mask("boolean", r"\b(?:true|false)\b", "<BOOL>"),
    # A word with a digit left after the masks above: pay_f8a3026e4a, IMG_2961, c8x2kq7rzt1p.
    Mask("id", r"[A-Za-z0-9_]*[0-9][A-Za-z0-9_]*", "<ID>"),
    # Single-quoted values without whitespace: KeyError: 'customer_id', font 'Inter-Bold'.
    Mask("single_quoted", r"'[^'\s]+'", "<STR>"),
    # A double-quoted word followed by whitespace, as prose and logfmt quote a value:
    # user "bob" not found. JSON keys (followed by a colon) and JSON values (followed by a
    # comma or a bracket) stay, because structured loggers keep their message there.
    Mask("double_quoted", r'"[^"\s]+"(?:\s|$)', "<STR> "),
    # Unicode spaces too: the Python runtime indents traceback lines with U+00A0.
    Mask("whitespace", r"[\s\p{Z}]+", " "),
    Mask("trim", r"^ | $", ""),
)
"""The masks in the order they apply; earlier masks see the text before later ones."""


def sql_literal(text: str) -> str:
    """Return ``text`` as a single-quoted SQL string literal (DuckDB and Athena)."""
    return "'" + text.replace("'", "''") + "'"


def _duckdb_replace_all(text: str, pattern: str, replacement: str) -> str:
    return f"regexp_replace({text}, {pattern}, {replacement}, 'g')"


def _duckdb_sha256_hex(text: str) -> str:
    return f"sha256({text})"


def pattern_template_sql(
    text_sql: str,
    replace_all: Callable[[str, str, str], str] = _duckdb_replace_all,
) -> str:
    """Return a SQL expression that masks the variable parts of the text expression.

    ``text_sql`` is an already-compiled SQL expression of type VARCHAR, such as
    ``message``. A NULL text gives a NULL template. ``replace_all`` writes the engine's
    call that replaces every match (DuckDB's by default).
    """
    expression = text_sql
    for mask in MASKS:
        expression = replace_all(expression, sql_literal(mask.regex), sql_literal(mask.placeholder))
    return expression


def pattern_id_sql(template_sql: str, sha256_hex: Callable[[str], str] = _duckdb_sha256_hex) -> str:
    """Return a SQL expression for the stable ID of a template (a short hash of it).

    The ID is the first 12 hex digits of the SHA-256 of the template's UTF-8 bytes, the
    same value :func:`pattern_id` computes in Python. ``sha256_hex`` writes the engine's
    lower-case hex digest of text (DuckDB's by default).
    """
    return f"substr({sha256_hex(template_sql)}, 1, {PATTERN_ID_CHARS})"


def pattern_id(template: str) -> str:
    """Return the ID of a template, equal to what :func:`pattern_id_sql` computes."""
    return hashlib.sha256(template.encode()).hexdigest()[:PATTERN_ID_CHARS]


ERROR_LINES_SQL = (
    "(type <> 'REPORT' AND (level IN ('ERROR', 'FATAL') OR error_type IS NOT NULL "
    "OR status IN ('error', 'timeout')))"
)
"""Lines that report an error: ERROR and FATAL records, lines with an exception type, and
platform lines of a failed or timed-out invocation. ``REPORT`` lines carry the same outcome
as metrics and are left out, so each failure counts once. :func:`error_lines_select` adds
the ``REPORT`` of a failure that has no such line."""

FAILED_REPORT_SQL = "(type = 'REPORT' AND status IN ('error', 'timeout'))"
"""``REPORT`` lines of failed or timed-out invocations."""

REPORT_ONLY_FAILURES_QUALIFY = (
    "type <> 'REPORT' OR NOT bool_or(type <> 'REPORT') OVER (PARTITION BY request_id)"
)
"""Over rows of ``ERROR_LINES_SQL OR FAILED_REPORT_SQL``: keep every error line, and a
failed ``REPORT`` only when no other selected line names its request ID. An out-of-memory
kill or a timeout often writes nothing but its ``REPORT``."""


def error_lines_select(columns: str, condition: str) -> str:
    """Return a SELECT of ``columns`` from ``logs`` for the error lines that match ``condition``.

    The error lines are those of ``ERROR_LINES_SQL``, plus the ``REPORT`` line of each failed
    or timed-out invocation that has no such line among the rows ``condition`` selects. So
    each failure counts once, and a failure that wrote only its ``REPORT`` still counts.
    """
    return (
        f"SELECT {columns} FROM logs "
        f"WHERE ({condition}) AND ({ERROR_LINES_SQL} OR {FAILED_REPORT_SQL}) "
        f"QUALIFY {REPORT_ONLY_FAILURES_QUALIFY}"
    )


def time_range_sql(start: datetime, end: datetime) -> tuple[str, list[Any]]:
    """Return a condition for ``[start, end)`` on ``logs`` and its parameters.

    The condition also names the ``date`` partitions, so DuckDB reads no other folders.
    """
    start_utc = start.astimezone(UTC)
    end_utc = end.astimezone(UTC)
    last_day = (end_utc - timedelta(microseconds=1)).date()
    condition = "timestamp >= ? AND timestamp < ? AND date >= ? AND date <= ?"
    return condition, [start_utc, end_utc, start_utc.date(), last_day]


@dataclass(frozen=True, slots=True)
class PatternFilter:
    """Selection of the lines ``list_patterns`` groups: a time range, errors only, functions."""

    start: datetime
    end: datetime
    errors_only: bool = False
    functions: tuple[str, ...] = ()
    failed_reports: bool = False
    """With ``errors_only``, also the ``REPORT`` of each failed or timed-out invocation that
    has no other error line in the range (see :func:`error_lines_select`)."""


def patterns_sql(selection: PatternFilter, *, limit: int) -> tuple[str, list[Any]]:
    """Return the SELECT that lists patterns with their counts, and its parameters."""
    condition, parameters = time_range_sql(selection.start, selection.end)
    conditions = [condition]
    if selection.errors_only and not selection.failed_reports:
        conditions.append(ERROR_LINES_SQL)
    if selection.functions:
        conditions.append(f"function_name IN ({', '.join('?' for _ in selection.functions)})")
        parameters.extend(selection.functions)

    columns = (
        "timestamp, function_name, request_id, message, log_stream, event_id, "
        f"{pattern_template_sql('message')} AS template"
    )
    where = " AND ".join(conditions)
    if selection.errors_only and selection.failed_reports:
        selected = error_lines_select(columns, where)
    else:
        selected = f"SELECT {columns} FROM logs WHERE {where}"
    sample_order = "ORDER BY timestamp, log_stream, event_id"
    sql = f"""
        WITH lines AS ({selected})
        SELECT {pattern_id_sql("template")} AS pattern_id,
               count(*) AS count,
               min(timestamp) AS first_seen,
               max(timestamp) AS last_seen,
               list(DISTINCT function_name ORDER BY function_name)
                   FILTER (WHERE function_name IS NOT NULL) AS functions,
               first(request_id {sample_order}) AS sample_request_id,
               first(message {sample_order}) AS sample,
               template
        FROM lines
        GROUP BY template
        ORDER BY count DESC, pattern_id
        LIMIT {int(limit)}
    """
    return sql, parameters


def list_patterns(lake: Lake, selection: PatternFilter, *, limit: int = 100) -> QueryResult:
    """Group the selected lines of the lake into patterns, most frequent first.

    Each row has the pattern ID, its count, first and last time seen in the range, the
    functions that wrote it, the earliest line of the pattern with its request ID, and the
    template.
    """
    sql, parameters = patterns_sql(selection, limit=limit)
    return run_select(lake, sql, parameters)
