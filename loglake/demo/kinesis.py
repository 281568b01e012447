"""Lambda Kinesis events that carry CloudWatch Logs subscription payloads.

CloudWatch Logs writes each delivery as one Kinesis record whose data blob is the gzip
bytes of the subscription JSON. The Lambda event shows the blob base64-encoded, so
``Records[].kinesis.data`` has the same text as ``awslogs.data``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from random import Random
from typing import Any

STREAM_NAME = "loglake-logs"
"""Name of the sample Kinesis data stream."""

_SHARD_ID = "shardId-000000000000"
# Kinesis sequence numbers are increasing decimal strings of about 56 digits.
_SEQUENCE_BASE = 49_650_000_000_000_000_000_000_000_000_000_000_000_000_000_000_000


def kinesis_events(
    payloads: Iterable[tuple[int, str]],
    *,
    batch_size: int,
    account: str,
    region: str,
    partition: str,
    rng: Random,
) -> Iterator[dict[str, Any]]:
    """Group ``(send time in epoch ms, base64 data)`` pairs into Lambda Kinesis events."""
    stream_arn = f"arn:{partition}:kinesis:{region}:{account}:stream/{STREAM_NAME}"
    role_arn = f"arn:{partition}:iam::{account}:role/loglake-ingest"
    sequence = _SEQUENCE_BASE + rng.getrandbits(120)
    records: list[dict[str, Any]] = []
    for send_ms, data in payloads:
        sequence += 1 + rng.getrandbits(40)
        records.append(
            {
                "kinesis": {
                    "kinesisSchemaVersion": "1.0",
                    "partitionKey": f"{rng.getrandbits(128):032x}",
                    "sequenceNumber": str(sequence),
                    "data": data,
                    # Epoch seconds as a float, unlike CloudWatch's integer milliseconds.
                    "approximateArrivalTimestamp": (send_ms + rng.randrange(5, 200)) / 1000,
                },
                "eventSource": "aws:kinesis",
                "eventVersion": "1.0",
                "eventID": f"{_SHARD_ID}:{sequence}",
                "eventName": "aws:kinesis:record",
                "invokeIdentityArn": role_arn,
                "awsRegion": region,
                "eventSourceARN": stream_arn,
            }
        )
        if len(records) == batch_size:
            yield {"Records": records}
            records = []
    if records:
        yield {"Records": records}
