"""Property tests: arbitrary input never raises, and valid payloads decode to what was sent."""

from __future__ import annotations

import base64
import gzip
from typing import Any

import orjson
from hypothesis import given, settings
from hypothesis import strategies as st

from loglake.ingest.decode import DecodedRecord, decode_file, decode_lambda_event
from loglake.ingest.errors import DecodeError

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**64 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
log_event_fields = st.fixed_dictionaries(
    {},
    optional={"id": json_values, "timestamp": json_values, "message": json_values},
)
subscription_payloads = st.fixed_dictionaries(
    {},
    optional={
        "messageType": st.sampled_from(["DATA_MESSAGE", "CONTROL_MESSAGE", "OTHER"]) | json_values,
        "owner": json_values,
        "logGroup": json_values,
        "logStream": json_values,
        "subscriptionFilters": json_values,
        "logEvents": st.lists(log_event_fields, max_size=4) | json_values,
    },
)


def _envelopes(data: str) -> list[dict[str, Any]]:
    return [
        {"awslogs": {"data": data}},
        {"Records": [{"kinesis": {"data": data, "sequenceNumber": "1"}, "eventID": "s:1"}]},
        {"region": "us-west-2", "records": [{"recordId": "r1", "data": data}]},
    ]


def _check_record(record: DecodedRecord) -> None:
    assert isinstance(record.payload, bytes)
    if record.error is not None:
        assert record.batches == []
        assert not record.control_message

    for batch in record.batches:
        assert isinstance(batch.log_group, str)
        assert isinstance(batch.log_stream, str)
        for event in batch.events:
            assert event.event_id is None or isinstance(event.event_id, str)
            assert event.timestamp_ms is None or isinstance(event.timestamp_ms, int)
            assert isinstance(event.message, str)


def _check_envelopes(data: str) -> None:
    for event in _envelopes(data):
        decoding = decode_lambda_event(event)
        assert len(decoding.records) == 1
        _check_record(decoding.records[0])


@given(st.binary(max_size=2048))
def test_file_arbitrary_bytes(data: bytes) -> None:
    for record in decode_file(data, name="f", log_group="g", log_stream="s"):
        _check_record(record)


@given(st.binary(max_size=2048))
def test_file_arbitrary_gzip(data: bytes) -> None:
    for record in decode_file(gzip.compress(data, mtime=0), name="f"):
        _check_record(record)


@given(st.lists(subscription_payloads | json_values, min_size=1, max_size=3))
def test_file_arbitrary_json(documents: list[Any]) -> None:
    data = b"".join(orjson.dumps(document) for document in documents)

    for record in decode_file(data, name="f"):
        _check_record(record)


@given(st.text(max_size=200))
def test_envelope_arbitrary_text(data: str) -> None:
    _check_envelopes(data)


@given(st.binary(max_size=1024))
def test_envelope_arbitrary_base64(data: bytes) -> None:
    _check_envelopes(base64.b64encode(data).decode("ascii"))


@given(st.binary(max_size=1024))
def test_envelope_arbitrary_gzip(data: bytes) -> None:
    _check_envelopes(base64.b64encode(gzip.compress(data, mtime=0)).decode("ascii"))


@given(subscription_payloads | json_values)
def test_envelope_arbitrary_payload(document: Any) -> None:
    data = gzip.compress(orjson.dumps(document), mtime=0)

    _check_envelopes(base64.b64encode(data).decode("ascii"))


@given(st.dictionaries(st.text(max_size=10), json_values, max_size=4))
def test_event_arbitrary_object(event: dict[str, Any]) -> None:
    try:
        decoding = decode_lambda_event(event)
    except DecodeError:
        return

    for record in decoding.records:
        _check_record(record)


@settings(max_examples=50)
@given(
    st.lists(
        st.tuples(
            st.text(min_size=1, max_size=56),
            st.integers(min_value=0, max_value=2**53),
            st.text(max_size=300),
        ),
        max_size=20,
    )
)
def test_payload_round_trip(rows: list[tuple[str, int, str]]) -> None:
    document = {
        "messageType": "DATA_MESSAGE",
        "owner": "123456789012",
        "logGroup": "/aws/lambda/orders-api",
        "logStream": "2026/10/21/[$LATEST]bad06c278ced402f3bfa5ca25f4bce51",
        "logEvents": [{"id": i, "timestamp": t, "message": m} for i, t, m in rows],
    }
    event = {"awslogs": {"data": base64.b64encode(gzip.compress(orjson.dumps(document))).decode()}}

    [record] = decode_lambda_event(event).records
    events = record.batches[0].events

    assert [(e.event_id, e.timestamp_ms, e.message) for e in events] == rows
