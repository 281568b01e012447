"""Segment documents of ``BatchGetTraces`` flattened into rows of the ``segments`` table.

A document is JSON text inside the JSON response, so it is parsed a second time. Each
segment and each of its nested subsegments becomes one row. A subsegment's ``parent_id`` is
the enclosing segment or subsegment, and a segment's is the upstream segment.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import orjson

from loglake.ingest.decode.records import InvalidPayload, preview, type_name
from loglake.ingest.parse.trace_ids import normalise_trace_id
from loglake.ingest.xray.rows import SegmentRow
from loglake.ingest.xray.summaries import function_arn_parts
from loglake.ingest.xray.values import boolean, epoch_us, int32, items, mapping, text

# Keys that have columns of their own; the other keys of a (sub)segment go into ``fields``.
_COLUMN_KEYS = frozenset(
    {
        "id", "trace_id", "parent_id", "type", "name", "namespace", "origin", "start_time",
        "end_time", "in_progress", "error", "fault", "throttle", "annotations", "subsegments",
    }
)  # fmt: skip


@dataclass(slots=True)
class SegmentBatch:
    """The rows of some segment documents and the problems found in them."""

    rows: list[SegmentRow] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    """One message per document or subsegment that could not be read, naming where it is."""


def trace_segment_rows(
    trace: Any, *, ingestion_time_us: int, label: str, batch: SegmentBatch
) -> None:
    """Add the rows of one ``Trace`` of a BatchGetTraces response (``Id``, ``Segments``)."""
    if not isinstance(trace, dict):
        batch.failures.append(f"{label} is {type_name(trace)}; expected a Trace object")
        return
    trace_id = normalise_trace_id(trace.get("Id"))
    for index, segment in enumerate(items(trace.get("Segments"))):
        document = mapping(segment).get("Document") if isinstance(segment, dict) else segment
        document_label = f"{label}.Segments[{index}]"
        try:
            parsed = parse_document(document)
        except InvalidPayload as error:
            batch.failures.append(f"{document_label}.Document {error}")
            continue
        document_rows(
            parsed,
            trace_id=trace_id,
            ingestion_time_us=ingestion_time_us,
            label=document_label,
            batch=batch,
        )


def parse_document(document: object) -> dict[str, Any]:
    """Parse a segment document: JSON text as the API returns it, or an already parsed object."""
    if isinstance(document, dict):
        return document
    if not isinstance(document, str | bytes):
        raise InvalidPayload(f"is {type_name(document)}; expected a segment document as JSON text")
    try:
        parsed = orjson.loads(document)
    except orjson.JSONDecodeError as error:
        raise InvalidPayload(f"is not valid JSON ({error}): {preview(document)}") from None
    if not isinstance(parsed, dict):
        raise InvalidPayload(f"is {type_name(parsed)}; expected a segment document object")
    return parsed


def document_rows(
    document: dict[str, Any],
    *,
    trace_id: str | None,
    ingestion_time_us: int,
    label: str,
    batch: SegmentBatch,
) -> None:
    """Add a row for a segment document and one for each subsegment nested in it.

    ``trace_id`` applies when the document names none. A subsegment without an ``id`` or a
    ``start_time`` is reported with its path and skipped together with its subsegments.
    """
    own_trace_id = normalise_trace_id(document.get("trace_id")) or trace_id
    if own_trace_id is None:
        batch.failures.append(
            f"{label} has no trace_id and its trace has no valid Id: "
            f"{preview(document.get('trace_id'))}"
        )
        return

    kind = "subsegment" if document.get("type") == "subsegment" else "segment"
    pending: list[tuple[Any, str | None, str, str]] = [
        (document, text(document.get("parent_id")), kind, label)
    ]
    while pending:
        item, parent_id, item_kind, item_label = pending.pop()
        if not isinstance(item, dict):
            batch.failures.append(f"{item_label} is {type_name(item)}; expected an object")
            continue
        row = _row(item, own_trace_id, parent_id, item_kind, ingestion_time_us, item_label)
        if isinstance(row, str):
            batch.failures.append(row)
            continue
        batch.rows.append(row)
        children = items(item.get("subsegments"))
        for index in reversed(range(len(children))):
            child_label = f"{item_label}.subsegments[{index}]"
            pending.append((children[index], row.segment_id, "subsegment", child_label))


def _row(
    item: dict[str, Any],
    trace_id: str,
    parent_id: str | None,
    kind: str,
    ingestion_time_us: int,
    label: str,
) -> SegmentRow | str:
    """Build the row of one (sub)segment, or return why it cannot have one."""
    segment_id = text(item.get("id"))
    start = epoch_us(item.get("start_time"))
    if segment_id is None:
        return f"{label} has no id: {preview(item.get('id'))}"
    if start is None:
        return (
            f"{label} (id {segment_id}) has no valid start_time: {preview(item.get('start_time'))}"
        )

    end = epoch_us(item.get("end_time"))
    http = mapping(item.get("http"))
    aws = mapping(item.get("aws"))
    resource_arn = text(item.get("resource_arn")) or text(aws.get("function_arn"))
    row = SegmentRow(
        trace_id=trace_id,
        segment_id=segment_id,
        kind=kind,
        source="xray",
        start_time=start,
        ingestion_time=ingestion_time_us,
        parent_id=parent_id,
        name=text(item.get("name")),
        namespace=text(item.get("namespace")),
        origin=text(item.get("origin")),
        end_time=end,
        duration_ms=None if end is None else round((end - start) / 1000, 3),
        in_progress=boolean(item.get("in_progress")),
        http_method=text(mapping(http.get("request")).get("method")),
        http_url=text(mapping(http.get("request")).get("url")),
        http_status=int32(mapping(http.get("response")).get("status")),
        error=boolean(item.get("error")),
        fault=boolean(item.get("fault")),
        throttle=boolean(item.get("throttle")),
        aws_operation=text(aws.get("operation")),
        aws_request_id=text(aws.get("request_id")),
        resource_arn=resource_arn,
        function_name=_function_name(item, resource_arn),
        annotations=json_text(mapping(item.get("annotations"))),
        fields=json_text({key: value for key, value in item.items() if key not in _COLUMN_KEYS}),
    )
    row.exception_type, row.exception_message = _exception(item.get("cause"))
    return row


def _function_name(item: dict[str, Any], resource_arn: str | None) -> str | None:
    parts = function_arn_parts(resource_arn)
    if parts is not None:
        return parts["name"]
    if item.get("origin") in ("AWS::Lambda", "AWS::Lambda::Function"):
        return text(item.get("name"))
    return None


def _exception(cause: object) -> tuple[str | None, str | None]:
    """Return the type and message of the cause's first exception.

    A cause given as a string is the ID of an exception recorded in another subsegment.
    """
    exceptions = items(mapping(cause).get("exceptions"))
    for exception in map(mapping, exceptions):
        kind = text(exception.get("type"))
        message = text(exception.get("message"))
        if kind is not None or message is not None:
            return kind, message
    return None, None


def json_text(value: dict[str, Any]) -> str | None:
    if not value:
        return None
    try:
        return orjson.dumps(value, default=str).decode()
    except TypeError:
        # orjson rejects integers beyond 64 bits and strings with lone surrogates.
        return json.dumps(value, default=str).encode("utf-8", "backslashreplace").decode()
