"""Keep payloads that could not be decoded, with the reason, under ``quarantine/``.

A quarantined object is gzip'd JSON: ``reason``, ``source``, ``record_id``, ``received_at``,
the payload's bytes in base64 and ``rows_written``. Its name is a hash of the payload, so a
payload quarantined twice on the same day is stored once.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
from datetime import UTC, datetime

import orjson

from loglake.ingest.store import LakeStore

QUARANTINE_PREFIX = "quarantine"


def quarantine_payload(
    store: LakeStore,
    payload: bytes,
    *,
    source: str,
    record_id: str,
    reason: str,
    received_at_ms: int,
    rows_written: bool = False,
) -> str:
    """Store ``payload`` with the reason it was set aside, and return its key.

    ``rows_written`` marks a payload whose events were written anyway (with U+FFFD for
    bytes that are not UTF-8), so ingesting the quarantine again skips it.
    """
    received_at = datetime.fromtimestamp(received_at_ms / 1000, tz=UTC)
    document = {
        "reason": _utf8(reason),
        "source": source,
        "record_id": _utf8(record_id),
        "received_at": received_at.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "payload_base64": base64.b64encode(payload).decode("ascii"),
        "rows_written": rows_written,
    }
    name = hashlib.blake2b(payload, digest_size=16).hexdigest()
    key = f"{QUARANTINE_PREFIX}/date={received_at:%Y-%m-%d}/{name}.json.gz"
    store.put(key, gzip.compress(orjson.dumps(document), mtime=0))
    return key


def _utf8(text: str) -> str:
    """Escape lone surrogates, which file names that are not UTF-8 decode to."""
    return text.encode("utf-8", "backslashreplace").decode()
