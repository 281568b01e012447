"""Lambda entry point of the ingest function.

One handler serves a CloudWatch Logs subscription (``awslogs.data``), a Kinesis event source
mapping and a Firehose transformation, and it detects which from the event's shape. Clients and
settings are created once per execution environment, outside the handler.

The handler drops the events of its own log group (``AWS_LAMBDA_LOG_GROUP_NAME``, which
Lambda sets), so that a subscription to that group cannot make it ingest its own log lines,
each of which would write another line. It counts them in its log line.

Failures split by whether a retry can help. A payload that cannot be decoded is quarantined and
the invocation succeeds. A failed lake write raises, so Lambda retries the delivery, and after
the last retry the dead-letter queue keeps it. Kinesis batches report the records whose write
failed in ``batchItemFailures``.
"""

from __future__ import annotations

import base64
import json
import os
import time
from typing import Any

import orjson
import pyarrow as pa
import structlog

from loglake.ingest.decode import DecodedRecord, decode_lambda_event
from loglake.ingest.errors import DecodeError, LakeWriteError
from loglake.ingest.pipeline import Ingestor, IngestReport
from loglake.ingest.quarantine import quarantine_payload
from loglake.ingest.store import open_store
from loglake.ingest.structured_logging import configure_logging
from loglake.settings import LAKE, load_settings

FIREHOSE_RESPONSE_LIMIT_BYTES = 6 * 1024 * 1024
"""Lambda's synchronous response limit, which caps a Firehose transformation's output."""

_settings = load_settings()
if "AWS_LAMBDA_FUNCTION_NAME" in os.environ and LAKE.env not in os.environ:
    # A Lambda function's file system is read-only outside /tmp, so ./lake cannot work there.
    raise RuntimeError(f"{LAKE.env} is not set: set it to the lake, s3://bucket/prefix")
configure_logging(_settings.log_level)
_log = structlog.get_logger("loglake.ingest")
_ingestor = Ingestor(
    store=open_store(_settings.lake, endpoint_url=_settings.s3_endpoint_url),
    row_group_rows=_settings.row_group_rows,
    default_region=_settings.region,
)
_cold_start = True
_own_log_group = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME") or None


def handler(event: dict[str, Any], context: Any) -> dict[str, Any] | None:
    """Ingest one delivery and write one JSON log line describing it."""
    global _cold_start
    cold_start, _cold_start = _cold_start, False
    started = time.perf_counter()
    log = _log.bind(aws_request_id=getattr(context, "aws_request_id", None), cold_start=cold_start)

    try:
        decoding = decode_lambda_event(event, region=_settings.region)
    except DecodeError as error:
        key = quarantine_payload(
            _ingestor.store,
            _event_bytes(event),
            source="lambda-event",
            record_id=getattr(context, "aws_request_id", None) or "unknown",
            reason=error.reason,
            received_at_ms=_ingestor.clock_ms(),
        )
        log.error("ingest.unrecognised_event", error=str(error), quarantined=key)  # noqa: TRY400
        return None

    own_events_dropped = _drop_own_log_group(decoding.records)
    report = IngestReport()
    try:
        response = _dispatch(decoding.shape, decoding.records, report, log)
    except LakeWriteError as error:
        # Raised again so that Lambda retries the delivery.
        log.error("ingest.write_failed", shape=decoding.shape, error=str(error))  # noqa: TRY400
        raise
    log.info(
        "ingest",
        shape=decoding.shape,
        log_groups=sorted(report.log_groups),
        records=report.records,
        events_in=report.events_in,
        rows_out=report.rows_out,
        objects_written=len(report.objects),
        bytes_written=report.bytes_written,
        control_messages=report.control_messages,
        own_log_group_events_dropped=own_events_dropped,
        quarantined=len(report.quarantined),
        failures=report.failures[:10],
        duration_ms=round((time.perf_counter() - started) * 1000, 2),
    )
    return response


def _drop_own_log_group(records: list[DecodedRecord]) -> int:
    """Remove the batches of this function's own log group; return how many events they had."""
    if _own_log_group is None:
        return 0

    dropped = 0
    for record in records:
        other_groups = [batch for batch in record.batches if batch.log_group != _own_log_group]
        if len(other_groups) != len(record.batches):
            dropped += record.event_count - sum(len(batch.events) for batch in other_groups)
            record.batches = other_groups
    return dropped


def _dispatch(
    shape: str, records: list[DecodedRecord], report: IngestReport, log: Any
) -> dict[str, Any] | None:
    if shape == "kinesis":
        return _ingest_kinesis(records, report, log)
    if shape == "firehose":
        return _ingest_firehose(records, report)

    unit_report, _ = _ingestor.ingest(records, source=shape)
    report.merge(unit_report)
    return None


def _ingest_kinesis(records: list[DecodedRecord], report: IngestReport, log: Any) -> dict[str, Any]:
    """Write each Kinesis record as its own unit, so a retry of any subset stays exactly-once."""
    failed: list[dict[str, str]] = []
    for record in records:
        if failed:
            failed.append({"itemIdentifier": record.sequence_number or record.record_id})
            continue
        try:
            unit_report, _ = _ingestor.ingest([record], source="kinesis")
        except LakeWriteError as error:
            log.warning("ingest.write_failed", record_id=record.record_id, error=str(error))
            failed.append({"itemIdentifier": record.sequence_number or record.record_id})
            continue
        report.merge(unit_report)
    return {"batchItemFailures": failed}


def _ingest_firehose(records: list[DecodedRecord], report: IngestReport) -> dict[str, Any]:
    """Write each record and return the rows to Firehose as newline-delimited JSON."""
    results = []
    budget = FIREHOSE_RESPONSE_LIMIT_BYTES
    for record in records:
        unit_report, table = _ingestor.ingest([record], source="firehose")
        report.merge(unit_report)
        result = _firehose_result(record, table, budget)
        budget -= len(result.get("data", ""))
        results.append(result)
    return {"records": results}


def _firehose_result(record: DecodedRecord, table: pa.Table, budget: int) -> dict[str, str]:
    if record.error is not None:
        return {"recordId": record.record_id, "result": "ProcessingFailed", "data": ""}
    if table.num_rows == 0:
        return {"recordId": record.record_id, "result": "Dropped", "data": ""}

    lines = b"".join(orjson.dumps(row, default=str) + b"\n" for row in table.to_pylist())
    data = base64.b64encode(lines).decode("ascii")
    if len(data) > budget:
        # The rows are in the lake; only the copy Firehose would forward is left out.
        return {"recordId": record.record_id, "result": "Dropped", "data": ""}
    return {"recordId": record.record_id, "result": "Ok", "data": data}


def _event_bytes(event: Any) -> bytes:
    """Serialise an event for quarantine, whatever JSON values its invocation carried."""
    try:
        return orjson.dumps(event, default=str)
    except TypeError:
        # orjson rejects integers beyond 64 bits and strings with lone surrogates.
        return json.dumps(event, default=str).encode()
