"""The request lookup page: from a request ID, a trace ID or a structured field value to the
invocation's lines, its REPORT and its trace.

Request and trace IDs are looked up in the whole lake through ``loglake request`` and
``loglake trace``'s own functions. A field value (such as an ``eventId``) is searched for
in the selected time range, because it needs a scan of the ``fields`` column.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import orjson

from loglake.analytics.dashboard_data.selection import Selection
from loglake.analytics.lake import Lake
from loglake.analytics.sql import QueryResult, run_select
from loglake.analytics.traces import RequestView, TraceView, find_request, find_trace
from loglake.ingest.parse.trace_ids import normalise_trace_id

LookupKind = Literal["request", "trace", "field", "none"]
MAX_FIELD_MATCHES = 50


@dataclass(slots=True)
class Lookup:
    """The target a looked-up value leads to.

    ``kind`` is ``request`` (a request ID), ``trace`` (a trace ID), ``field`` (a structured
    field value) or ``none``. A field value that only one request logged leads to that
    request too.
    """

    value: str
    kind: LookupKind
    request: RequestView | None = None
    trace: TraceView | None = None
    matches: QueryResult | None = None
    """For a field value: one row per request whose lines carry it."""


def look_up(lake: Lake, text: str, selection: Selection) -> Lookup:
    """Look up a request ID, a trace ID (X-Ray form or 32 hex digits) or a field value."""
    value = text.strip()
    if not value:
        raise ValueError("enter a request ID, a trace ID or a field value such as an eventId")

    if normalise_trace_id(value) is not None:
        trace = find_trace(lake, value)
        if trace is not None:
            return Lookup(value=value, kind="trace", trace=trace)

    found = find_request(lake, value)
    if found is not None:
        request, request_trace = found
        return Lookup(value=value, kind="request", request=request, trace=request_trace)

    matches = field_matches(lake, value, selection)
    if not matches.rows:
        return Lookup(value=value, kind="none")
    lookup = Lookup(value=value, kind="field", matches=matches)
    request_ids = [row[0] for row in matches.rows if row[0] is not None]
    if len(matches.rows) == 1 and len(request_ids) == 1:
        single = find_request(lake, request_ids[0])
        if single is not None:
            lookup.request, lookup.trace = single
    return lookup


def field_matches(
    lake: Lake, value: str, selection: Selection, *, limit: int = MAX_FIELD_MATCHES
) -> QueryResult:
    """Return the requests whose structured lines have a field equal to ``value``.

    Every key at any depth of ``fields`` counts; a number or boolean matches its JSON text
    (``42``, ``true``). Lines without a request ID form one row whose request ID is null.
    """
    condition, parameters = selection.where()
    # The text prefilter skips lines whose JSON cannot contain the value, before the more
    # costly walk of every key. Its needle is the value as JSON escapes it inside a string.
    needle = orjson.dumps(value).decode()[1:-1]
    return run_select(
        lake,
        f"""
        SELECT logs.request_id AS "request ID",
               min(logs.function_name) AS "function",
               min(logs.timestamp) AS "first line",
               count(DISTINCT logs.event_id) AS lines,
               list(DISTINCT field.fullkey ORDER BY field.fullkey) AS "fields"
        FROM logs, json_tree(logs.fields) AS field
        WHERE {condition}
          AND logs.fields IS NOT NULL
          AND contains(CAST(logs.fields AS VARCHAR), ?)
          AND field.type NOT IN ('OBJECT', 'ARRAY')
          AND json_extract_string(field.value, '$') = ?
        GROUP BY logs.request_id
        ORDER BY "first line", "request ID"
        LIMIT {int(limit)}
        """,
        [*parameters, needle, value],
    )
