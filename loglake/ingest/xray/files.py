"""Saved output of ``aws xray get-trace-summaries`` and ``aws xray batch-get-traces``.

A file contains one or more JSON values (pages saved one after another, or a JSON array of
pages), gzip'd or not. A value with ``TraceSummaries`` is a GetTraceSummaries page and a
value with ``Traces`` a BatchGetTraces page. ``read_xray_file`` returns None for a file of
another kind, so the caller can decode it as log deliveries instead.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, field
from typing import Any

from loglake.ingest.decode.records import InvalidPayload, preview, type_name
from loglake.ingest.decode.streams import (
    GZIP_MAGIC,
    GzipStreamError,
    gunzip,
    parse_json_values,
)
from loglake.ingest.xray.rows import SegmentRow, TraceRow
from loglake.ingest.xray.segments import SegmentBatch, trace_segment_rows
from loglake.ingest.xray.summaries import trace_row

SNIFF_BYTES = 64 * 1024
"""Bytes at the start of a file's content searched for a GetTraceSummaries or BatchGetTraces
key. The AWS CLI writes that key first; a file whose key comes later is read as logs."""

_PAGE_KEY = re.compile(rb'"(TraceSummaries|Traces)"\s*:')
_EXPECTED = (
    "expected the JSON output of aws xray get-trace-summaries (an object with TraceSummaries) "
    "or aws xray batch-get-traces (an object with Traces)"
)


@dataclass(slots=True)
class XrayFileContent:
    """The rows of one saved X-Ray output file and what could not be read in it."""

    traces: list[TraceRow] = field(default_factory=list)
    segments: list[SegmentRow] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    """One message per value, summary, trace or segment that was skipped, naming where."""
    unprocessed_trace_ids: list[str] = field(default_factory=list)
    """Trace IDs a BatchGetTraces page lists as unprocessed: their segments are not in it."""


def looks_like_xray_output(data: bytes) -> bool:
    """Tell from the start of the content whether a file is saved X-Ray API output."""
    head = data[:SNIFF_BYTES]
    if data.startswith(GZIP_MAGIC):
        try:
            head = zlib.decompressobj(wbits=31).decompress(data[: SNIFF_BYTES * 4], SNIFF_BYTES)
        except zlib.error:
            return False
    stripped = head.lstrip()
    return stripped[:1] in (b"{", b"[") and _PAGE_KEY.search(head) is not None


def read_xray_file(
    data: bytes,
    *,
    name: str,
    ingestion_time_us: int,
    region: str | None = None,
    max_decompressed_bytes: int,
) -> XrayFileContent | None:
    """Read the pages of a saved X-Ray output file, or return None when it is not one."""
    if not looks_like_xray_output(data):
        return None

    content = XrayFileContent()
    try:
        text = _content(data, max_decompressed_bytes)
    except GzipStreamError as error:
        content.failures.append(f"file {name}: {error}")
        return content

    pages: list[tuple[str, Any]] = []
    for index, value in enumerate(parse_json_values(text)):
        label = f"file {name}#{index}"
        if value.error is not None:
            content.failures.append(f"{label}: {value.error}; {_EXPECTED}")
        elif isinstance(value.value, list):
            pages += [(f"{label}[{n}]", page) for n, page in enumerate(value.value)]
        else:
            pages.append((label, value.value))

    for label, page in pages:
        try:
            _read_page(page, label, content, ingestion_time_us, region)
        except InvalidPayload as error:
            content.failures.append(f"{label}: {error}")
    return content


def _content(data: bytes, max_decompressed_bytes: int) -> bytes:
    if not data.startswith(GZIP_MAGIC):
        return data
    return gunzip(data, max_decompressed_bytes=max_decompressed_bytes)


def _read_page(
    page: Any, label: str, content: XrayFileContent, ingestion_time_us: int, region: str | None
) -> None:
    if not isinstance(page, dict):
        raise InvalidPayload(f"JSON value is {type_name(page)}; {_EXPECTED}")
    if "TraceSummaries" in page:
        _read_summaries(page["TraceSummaries"], label, content, ingestion_time_us, region)
    elif "Traces" in page:
        _read_traces(page, label, content, ingestion_time_us)
    else:
        raise InvalidPayload(f"JSON object has the keys {preview(sorted(page))}; {_EXPECTED}")


def _read_summaries(
    summaries: Any, label: str, content: XrayFileContent, ingestion_time_us: int, region: str | None
) -> None:
    if not isinstance(summaries, list):
        raise InvalidPayload(f"TraceSummaries is {type_name(summaries)}; expected an array")
    for index, summary in enumerate(summaries):
        try:
            content.traces.append(
                trace_row(summary, ingestion_time_us=ingestion_time_us, region=region)
            )
        except InvalidPayload as error:
            content.failures.append(f"{label}: TraceSummaries[{index}] {error}")


def _read_traces(
    page: dict[str, Any], label: str, content: XrayFileContent, ingestion_time_us: int
) -> None:
    traces = page["Traces"]
    if not isinstance(traces, list):
        raise InvalidPayload(f"Traces is {type_name(traces)}; expected an array")
    batch = SegmentBatch()
    for index, trace in enumerate(traces):
        trace_segment_rows(
            trace, ingestion_time_us=ingestion_time_us, label=f"Traces[{index}]", batch=batch
        )
    content.segments += batch.rows
    content.failures += [f"{label}: {failure}" for failure in batch.failures]
    unprocessed = page.get("UnprocessedTraceIds")
    if isinstance(unprocessed, list):
        content.unprocessed_trace_ids += [str(trace_id) for trace_id in unprocessed]
