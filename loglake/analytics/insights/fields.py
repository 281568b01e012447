"""Fields of a log event: the ``@`` fields of Insights and loglake, and structured fields.

``@``-fields map to columns of the ``logs`` view, in the units Insights reports: the two
memory fields are MB times 1,000,000. Any other name is a dotted path into the event's JSON
``fields`` column.
"""

from __future__ import annotations

from loglake.analytics.insights.dialects import ROW, Dialect
from loglake.analytics.insights.values import Kind, Value


def _column(name: str, kind: Kind) -> Value:
    # Every column of the logs view is a plain lower-case name that needs no quotes.
    return Value(f"{ROW}.{name}", kind, row_level=True, stable=True)


def _computed(sql: str, kind: Kind) -> Value:
    # Computed only from columns, so it stays valid wherever the columns pass through.
    return Value(sql, kind, row_level=True, stable=True)


def _on_report(column: str) -> Value:
    # Insights discovers the X-Ray fields from REPORT lines only.
    sql = f"CASE WHEN {ROW}.type = 'REPORT' THEN {ROW}.{column} END"
    return _computed(sql, Kind.STRING)


INSIGHTS_FIELDS: dict[str, Value] = {
    "@timestamp": _column("timestamp", Kind.TIMESTAMP),
    "@ingestionTime": _column("ingestion_time", Kind.TIMESTAMP),
    "@message": _column("message", Kind.STRING),
    "@logStream": _column("log_stream", Kind.STRING),
    "@log": _computed(f"concat_ws(':', {ROW}.account, {ROW}.log_group)", Kind.STRING),
    "@requestId": _column("request_id", Kind.STRING),
    "@type": _column("type", Kind.STRING),
    "@duration": _column("duration_ms", Kind.NUMBER),
    "@billedDuration": _column("billed_duration_ms", Kind.NUMBER),
    "@initDuration": _column("init_duration_ms", Kind.NUMBER),
    "@restoreDuration": _column("restore_duration_ms", Kind.NUMBER),
    "@memorySize": _computed(f"(CAST({ROW}.memory_size_mb AS BIGINT) * 1000000)", Kind.NUMBER),
    "@maxMemoryUsed": _computed(
        f"(CAST({ROW}.max_memory_used_mb AS BIGINT) * 1000000)", Kind.NUMBER
    ),
    "@xrayTraceId": _on_report("trace_id"),
    "@xraySegmentId": _on_report("segment_id"),
}
"""The fields Insights discovers in Lambda log groups."""

LOGLAKE_FIELDS: dict[str, Value] = {
    "@level": _column("level", Kind.STRING),
    "@function": _column("function_name", Kind.STRING),
    "@version": _column("function_version", Kind.STRING),
    "@coldStart": _column("cold_start", Kind.BOOLEAN),
    "@status": _column("status", Kind.STRING),
    "@errorType": _column("error_type", Kind.STRING),
    "@traceId": _column("trace_id", Kind.STRING),
    "@segmentId": _column("segment_id", Kind.STRING),
    "@logGroup": _column("log_group", Kind.STRING),
    "@account": _column("account", Kind.STRING),
    "@region": _column("region", Kind.STRING),
    "@eventId": _column("event_id", Kind.STRING),
    "@memorySizeMB": _column("memory_size_mb", Kind.NUMBER),
    "@maxMemoryUsedMB": _column("max_memory_used_mb", Kind.NUMBER),
}
"""loglake's own fields, documented in docs/insights.md."""

SYSTEM_FIELDS = {**INSIGHTS_FIELDS, **LOGLAKE_FIELDS}
_BY_LOWER_NAME = {name.lower(): value for name, value in SYSTEM_FIELDS.items()}


def system_field(name: str) -> Value | None:
    """Return the ``@``-field of that name; ``@``-names match regardless of case."""
    return _BY_LOWER_NAME.get(name.lower())


def structured_field(segments: tuple[str, ...], dialect: Dialect) -> Value:
    """Return the value at a dotted path inside the event's JSON ``fields``.

    ``a.b`` is first the key ``b`` inside the object ``a``, then the key ``a.b`` itself, as
    Insights flattens both to the same name. A numeric segment indexes an array too.
    """
    paths = [dialect.json_path(segments)]
    if len(segments) > 1:
        paths.append(dialect.json_path((".".join(segments),)))
    document = f"{ROW}.fields"
    extracts = [dialect.json_extract(document, path) for path in paths]
    texts = [dialect.json_extract_text(document, path) for path in paths]
    if len(extracts) == 1:
        return Value(extracts[0], Kind.JSON, row_level=True, stable=True, text_sql=texts[0])
    return Value(
        f"coalesce({', '.join(extracts)})",
        Kind.JSON,
        row_level=True,
        stable=True,
        text_sql=f"coalesce({', '.join(texts)})",
    )
