"""Properties of the whole ingest path on arbitrary messages and arbitrary payload bytes."""

from __future__ import annotations

import base64
import gzip
import tempfile
from pathlib import Path

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loglake.ingest.decode import decode_lambda_event
from loglake.ingest.parse import parse_message
from loglake.ingest.pipeline import Ingestor
from loglake.ingest.store import LocalStore
from tests.helpers import awslogs_event, subscription_payload

PLATFORM_PREFIXES = ["", "START ", "REPORT ", "END ", "INIT_START ", "{", "[ERROR]\t", "XRAY "]

messages = st.lists(
    st.builds(lambda prefix, body: prefix + body, st.sampled_from(PLATFORM_PREFIXES), st.text()),
    min_size=1,
    max_size=20,
)

HYPOTHESIS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def ingest_event(event: dict[str, object], root: Path) -> tuple[int, int, int]:
    """Ingest one Lambda event; return events decoded, rows written and payloads quarantined."""
    decoding = decode_lambda_event(event)
    ingestor = Ingestor(store=LocalStore(root), row_group_rows=1000)
    report, table = ingestor.ingest(decoding.records, source=decoding.shape)
    assert report.rows_out == table.num_rows
    return report.events_in, report.rows_out, len(report.quarantined)


@HYPOTHESIS
@given(messages)
def test_every_message_becomes_one_row(texts: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        events_in, rows_out, quarantined = ingest_event(
            awslogs_event(subscription_payload(texts)), Path(folder)
        )
    assert events_in == len(texts)
    assert rows_out == len(texts)
    assert quarantined == 0


@HYPOTHESIS
@given(st.text())
def test_parse_never_raises(text: str) -> None:
    parse_message(text)


@HYPOTHESIS
@given(st.binary(max_size=2000), st.booleans())
def test_arbitrary_payload_rows_or_quarantine(payload: bytes, compress: bool) -> None:
    body = gzip.compress(payload) if compress else payload
    event = {"awslogs": {"data": base64.b64encode(body).decode()}}
    with tempfile.TemporaryDirectory() as folder:
        events_in, rows_out, quarantined = ingest_event(event, Path(folder))
    assert rows_out == events_in
    assert quarantined == 1 or events_in > 0 or _is_control_or_empty(payload)


def _is_control_or_empty(payload: bytes) -> bool:
    try:
        document = orjson.loads(payload)
    except orjson.JSONDecodeError:
        return False
    return isinstance(document, dict) and (
        document.get("messageType") == "CONTROL_MESSAGE" or document.get("logEvents") == []
    )
