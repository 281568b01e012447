"""Trace summaries of ``GetTraceSummaries`` as rows of the ``traces`` table.

A summary's fields are all optional: responses from before 2018 lack ``StartTime``,
``EntryPoint`` and the root-cause lists, and boto3, the API's JSON and the AWS CLI each
write times differently (see ``values.epoch_us``).
"""

from __future__ import annotations

import re
from typing import Any

import orjson

from loglake.ingest.decode.records import InvalidPayload, preview, type_name
from loglake.ingest.parse.trace_ids import normalise_trace_id
from loglake.ingest.xray.rows import TraceRow
from loglake.ingest.xray.values import (
    boolean,
    epoch_us,
    int32,
    items,
    mapping,
    seconds_to_ms,
    text,
)

LAMBDA_TYPES = ("AWS::Lambda::Function", "AWS::Lambda")
"""X-Ray service types of a Lambda function and of the Lambda service in front of it."""

# arn:<partition>:lambda:<region>:<account>:function:<name>[:<version or alias>]
_FUNCTION_ARN = re.compile(
    r"^arn:[a-z-]+:lambda:(?P<region>[a-z0-9-]+):(?P<account>\d{12}):function:(?P<name>[^:]+)"
)
_EXAMPLE_TRACE_ID = "1-5759e988-bd862e3fe1be46a994272793"


def trace_row(summary: Any, *, ingestion_time_us: int, region: str | None = None) -> TraceRow:
    """Convert one ``TraceSummary`` to a row; ``region`` applies when no function ARN names one.

    Raises InvalidPayload for a summary that is not an object or has no usable ``Id``.
    """
    if not isinstance(summary, dict):
        raise InvalidPayload(f"is {type_name(summary)}; expected a TraceSummary object")
    trace_id = normalise_trace_id(summary.get("Id"))
    if trace_id is None:
        raise InvalidPayload(
            f"Id is {preview(summary.get('Id'))}; expected an X-Ray trace ID such as "
            f"{_EXAMPLE_TRACE_ID}"
        )

    start_us = epoch_us(summary.get("StartTime"))
    id_start_us = trace_id_start_us(trace_id)
    row = TraceRow(
        trace_id=trace_id,
        start_time=start_us or id_start_us or ingestion_time_us,
        partition_us=id_start_us or start_us or ingestion_time_us,
        ingestion_time=ingestion_time_us,
        duration_ms=seconds_to_ms(summary.get("Duration")),
        response_time_ms=seconds_to_ms(summary.get("ResponseTime")),
        has_fault=boolean(summary.get("HasFault")),
        has_error=boolean(summary.get("HasError")),
        has_throttle=boolean(summary.get("HasThrottle")),
        is_partial=boolean(summary.get("IsPartial")),
        revision=_revision(summary.get("Revision")),
        matched_event_time=epoch_us(summary.get("MatchedEventTime")),
        annotations=_annotations(summary.get("Annotations")),
    )
    _fill_http(row, mapping(summary.get("Http")))
    _fill_services(row, summary, region)
    _fill_root_cause(row, summary)
    return row


def trace_id_start_us(trace_id: str) -> int | None:
    """Return the start second that an X-Ray trace ID's second field records, in microseconds."""
    parts = trace_id.split("-")
    if len(parts) != 3:
        return None
    try:
        return int(parts[1], 16) * 1_000_000
    except ValueError:
        return None


def enters_lambda(summary: dict[str, Any]) -> bool | None:
    """Tell whether a trace reaches a Lambda function; None when the summary does not tell.

    Summaries from before 2018 carry no ``ServiceIds`` or ``ResourceARNs``.
    """
    services = items(summary.get("ServiceIds"))
    arns = items(summary.get("ResourceARNs"))
    if not services and not arns and "EntryPoint" not in summary:
        return None
    if any(mapping(service).get("Type") in LAMBDA_TYPES for service in services):
        return True
    if mapping(summary.get("EntryPoint")).get("Type") in LAMBDA_TYPES:
        return True
    return any(function_arn_parts(mapping(arn).get("ARN")) for arn in arns)


def function_arn_parts(arn: object) -> dict[str, str] | None:
    """Split a Lambda function ARN into ``name``, ``region`` and ``account``, or return None."""
    if not isinstance(arn, str):
        return None
    match = _FUNCTION_ARN.match(arn)
    return match.groupdict() if match else None


def _revision(value: object) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if -(2**63) <= value < 2**63 else None


def _fill_http(row: TraceRow, http: dict[str, Any]) -> None:
    row.http_method = text(http.get("HttpMethod"))
    row.http_url = text(http.get("HttpURL"))
    row.http_status = int32(http.get("HttpStatus"))
    row.http_user_agent = text(http.get("UserAgent"))
    row.http_client_ip = text(http.get("ClientIp"))


def _fill_services(row: TraceRow, summary: dict[str, Any], region: str | None) -> None:
    """Fill the entry point, service names, ARNs, users and the Lambda function it enters."""
    entry = mapping(summary.get("EntryPoint"))
    row.entry_point = text(entry.get("Name"))
    row.entry_point_type = text(entry.get("Type"))

    services = [mapping(service) for service in items(summary.get("ServiceIds"))]
    names: list[str] = []
    for service in services:
        for name in [service.get("Name"), *items(service.get("Names"))]:
            value = text(name)
            if value is not None and value not in names:
                names.append(value)
    row.service_names = names
    arns = (text(mapping(item).get("ARN")) for item in items(summary.get("ResourceARNs")))
    row.resource_arns = [arn for arn in arns if arn is not None]
    users = (text(mapping(item).get("UserName")) for item in items(summary.get("Users")))
    row.users = [user for user in users if user is not None]

    function = _lambda_function(entry, services, row.resource_arns)
    row.function_name = function.get("name")
    row.account = function.get("account") or text(entry.get("AccountId"))
    row.region = function.get("region") or region


def _lambda_function(
    entry: dict[str, Any], services: list[dict[str, Any]], arns: list[str]
) -> dict[str, str]:
    """Find the Lambda function a trace enters: a function node first, then a Lambda service
    node (named after its function), then a function ARN."""
    by_arn = next((parts for parts in map(function_arn_parts, arns) if parts), None)
    candidates = [candidate for candidate in (entry, *services) if text(candidate.get("Name"))]
    for service_type in LAMBDA_TYPES:
        node = next((c for c in candidates if c.get("Type") == service_type), None)
        if node is None:
            continue
        found = {"name": str(node["Name"])}
        account = text(node.get("AccountId"))
        if account is not None:
            found["account"] = account
        if by_arn is not None and by_arn["name"] == found["name"]:
            found.setdefault("account", by_arn["account"])
            found["region"] = by_arn["region"]
        return found
    return by_arn or {}


def _annotations(value: object) -> str | None:
    """Return the annotations as JSON: each key maps to its value, or to a list of values."""
    annotations = mapping(value)
    if not annotations:
        return None
    plain: dict[str, Any] = {}
    for key, entries in annotations.items():
        values = [
            _annotation_value(mapping(entry).get("AnnotationValue")) for entry in items(entries)
        ]
        plain[str(key)] = values[0] if len(values) == 1 else values
    return orjson.dumps(plain, default=str).decode()


def _annotation_value(value: object) -> Any:
    annotation = mapping(value)
    for key in ("StringValue", "NumberValue", "BooleanValue"):
        if key in annotation:
            return annotation[key]
    return None


def _fill_root_cause(row: TraceRow, summary: dict[str, Any]) -> None:
    """Fill the root cause: of the faults first, then of the errors.

    The root cause is the deepest entity that recorded an exception, in the last service
    of the cause's path that has one.
    """
    for key in ("FaultRootCauses", "ErrorRootCauses"):
        fallback: str | None = None
        for cause in items(summary.get(key)):
            services = [mapping(service) for service in items(mapping(cause).get("Services"))]
            for service in reversed(services):
                exception = _deepest_exception(service)
                if exception is not None:
                    row.root_cause_service = text(service.get("Name"))
                    row.root_cause_error_type = text(exception.get("Name"))
                    row.root_cause_message = text(exception.get("Message"))
                    return
            if services and fallback is None:
                fallback = text(services[-1].get("Name"))
        if fallback is not None:
            row.root_cause_service = fallback
            return


def _deepest_exception(service: dict[str, Any]) -> dict[str, Any] | None:
    for entity in reversed(items(service.get("EntityPath"))):
        exceptions = items(mapping(entity).get("Exceptions"))
        if exceptions:
            return mapping(exceptions[0])
    return None
