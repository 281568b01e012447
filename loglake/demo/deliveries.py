"""CloudWatch Logs subscription deliveries: batching of a stream's events and the envelope.

A delivery contains 1 to 50 consecutive events of one log stream. A batch closes when it
reaches its size, drawn uniformly from 1 to 50, or when its first event is older than its
window, drawn uniformly from 1 to 5 s. CloudWatch sends it at that moment, and deliveries
come out in order of that send time.

NOTE: CloudWatch does not document how it batches subscription deliveries. The sizes and
windows are a model, not a measurement.
"""

from __future__ import annotations

import base64
import heapq
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from random import Random
from typing import Any

import orjson

from loglake.demo.apps.base import LogLines

MAX_BATCH_EVENTS = 50
MAX_WINDOW_MS = 5_000
_MIN_WINDOW_MS = 1_000

SUBSCRIPTION_FILTER = "loglake-ingest"
"""Name of the subscription filter that sends the sample account's log groups to loglake."""

# The header of CloudWatch Logs' documented sample payload: no file name, mtime 0, no
# extra flags, OS byte 0.
_GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x00"


@dataclass(slots=True)
class Delivery:
    """The events of one log stream that one subscription delivery carries."""

    log_group: str
    log_stream: str
    events: LogLines
    send_ms: int = 0
    """Epoch ms at which CloudWatch sends the delivery."""


@dataclass(slots=True)
class _OpenBatch:
    delivery: Delivery
    deadline_ms: int
    max_events: int
    closed: bool = False


class DeliveryBatcher:
    """Cutter of log streams into deliveries, released in order of their send time."""

    def __init__(self, rng: Random) -> None:
        self._rng = rng
        self._open: dict[str, _OpenBatch] = {}
        # Heaps ordered by time, then by creation so that ties come out in a fixed order.
        self._deadlines: list[tuple[int, int, _OpenBatch]] = []
        self._ready: list[tuple[int, int, Delivery]] = []
        self._sequence = 0

    def add(self, log_group: str, log_stream: str, events: LogLines) -> None:
        """Append events of one stream, which must not be older than that stream's last event."""
        # Open batches are found by stream name alone: each name ends in 128 random bits.
        batch = self._open.get(log_stream)
        for event in events:
            if batch is not None and event[0] > batch.deadline_ms:
                self._close(batch, batch.deadline_ms)
                batch = None
            if batch is None:
                batch = self._start(log_group, log_stream, event[0])
            batch.delivery.events.append(event)
            if len(batch.delivery.events) >= batch.max_events:
                self._close(batch, event[0])
                batch = None

    def release(self, now_ms: int) -> Iterator[Delivery]:
        """Yield the deliveries sent at or before ``now_ms``.

        The send order holds only if later calls never pass an earlier ``now_ms`` and
        ``add`` never receives events older than the last ``now_ms``.
        """
        while self._deadlines and self._deadlines[0][0] <= now_ms:
            deadline_ms, _, batch = heapq.heappop(self._deadlines)
            if not batch.closed:
                self._close(batch, deadline_ms)
        while self._ready and self._ready[0][0] <= now_ms:
            yield heapq.heappop(self._ready)[2]

    def release_all(self) -> Iterator[Delivery]:
        """Close every open batch and yield all remaining deliveries."""
        for batch in list(self._open.values()):
            self._close(batch, batch.deadline_ms)
        while self._ready:
            yield heapq.heappop(self._ready)[2]

    def _start(self, log_group: str, log_stream: str, first_ms: int) -> _OpenBatch:
        rng = self._rng
        window_ms = _MIN_WINDOW_MS + int(rng.random() * (MAX_WINDOW_MS - _MIN_WINDOW_MS))
        batch = _OpenBatch(
            delivery=Delivery(log_group, log_stream, []),
            deadline_ms=first_ms + window_ms,
            max_events=1 + int(rng.random() * MAX_BATCH_EVENTS),
        )
        self._open[log_stream] = batch
        self._sequence += 1
        heapq.heappush(self._deadlines, (batch.deadline_ms, self._sequence, batch))
        return batch

    def _close(self, batch: _OpenBatch, send_ms: int) -> None:
        batch.closed = True
        delivery = batch.delivery
        if self._open.get(delivery.log_stream) is batch:
            del self._open[delivery.log_stream]
        delivery.send_ms = send_ms
        self._sequence += 1
        heapq.heappush(self._ready, (send_ms, self._sequence, delivery))


class SubscriptionEncoder:
    """Encoder of deliveries into CloudWatch Logs subscription payloads."""

    def __init__(self, *, account: str, rng: Random) -> None:
        self._account = account
        self._rng = rng

    def log_data(self, delivery: Delivery) -> dict[str, Any]:
        """Build the decoded subscription JSON document of a delivery.

        An event ID's integer value shifted right by 144 bits equals its timestamp, as in
        CloudWatch's IDs. Below that, an ID carries a time 20 to 400 ms later at bit 80,
        a random token shared by the delivery, and the event's position in the delivery
        in the low 16 bits. That layout is modelled on published sample IDs, and AWS does
        not document it.
        """
        token = self._rng.getrandbits(64) << 16
        latency_ms = 20 + int(self._rng.random() * 380)
        log_events = [
            {
                "id": str(timestamp << 144 | (timestamp + latency_ms) << 80 | token | position),
                "timestamp": timestamp,
                "message": message,
            }
            for position, (timestamp, message) in enumerate(delivery.events)
        ]
        return {
            "messageType": "DATA_MESSAGE",
            "owner": self._account,
            "logGroup": delivery.log_group,
            "logStream": delivery.log_stream,
            "subscriptionFilters": [SUBSCRIPTION_FILTER],
            "logEvents": log_events,
        }

    def awslogs_data(self, document: dict[str, Any]) -> str:
        """Return the ``awslogs.data`` text of a document: base64 of gzip of JSON."""
        return base64.b64encode(gzip_member(orjson.dumps(document))).decode("ascii")


def gzip_member(data: bytes) -> bytes:
    """Compress ``data`` into one gzip member with the header CloudWatch Logs writes."""
    # Deflate level 6 ran at about 75 MB/s on these payloads (zlib 1.2.13, one AMD EPYC
    # core at 2.6 GHz), so it bounds the speed of generate_deliveries. Level 1 was 18 %
    # faster at a slightly lower ratio.
    body = zlib.compress(data, 6, -15)
    trailer = struct.pack("<II", zlib.crc32(data), len(data) & 0xFFFFFFFF)
    return b"".join((_GZIP_HEADER, body, trailer))
