"""Deliveries of the sample generator at any size, generated once and cached on disk.

A corpus is the ``awslogs.data`` text of every subscription delivery that ``loglake.demo``
produces for one day of traffic, one delivery per line. The number of invocations is scaled
so that the day contains about the requested number of log events. The cache is keyed by size,
seed and a digest of the generator's source, so a changed generator is never read from a
stale cache.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import re
import time
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import orjson

import loglake.demo
from loglake.demo import generate_deliveries, generate_log_data

START = datetime(2026, 11, 2, tzinfo=UTC)
HOURS = 24
SEED = 7

# Invocations of the pilot run that measures how many events one invocation writes.
_PILOT_INVOCATIONS = 4000
_SIZE_PATTERN = re.compile(r"(\d+(?:\.\d+)?)([kKmM]?)")


@dataclass(frozen=True, slots=True)
class Corpus:
    """Cached deliveries and what they contain."""

    payloads: list[str]
    """The ``awslogs.data`` text of each delivery: base64 of gzip'd subscription JSON."""
    events: int
    invocations: int
    payload_bytes: int
    """Bytes of base64 text, as the Lambda function receives them."""
    gzip_bytes: int
    json_bytes: int
    """Bytes of the subscription JSON documents after gunzip."""
    start: datetime
    hours: int
    generate_seconds: float | None
    """Time the generation took, or None when the corpus came from the cache."""

    @property
    def deliveries(self) -> int:
        """Number of deliveries."""
        return len(self.payloads)


def parse_size(text: str) -> int:
    """Read an event count such as ``200k``, ``10M`` or ``50000``."""
    match = _SIZE_PATTERN.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"size {text!r} is not a count of events: use a form such as 200k or 10M")
    number, unit = match.groups()
    multiplier = {"": 1, "k": 1_000, "m": 1_000_000}[unit.lower()]
    events = int(float(number) * multiplier)
    if events < 100:
        raise ValueError(f"size {text!r} is below 100 events: use at least 100")
    return events


def load_corpus(events: int, cache: Path) -> Corpus:
    """Return the corpus of about ``events`` events, generating it when the cache lacks it."""
    folder = cache / f"corpus-{events}-seed{SEED}"
    digest = _generator_digest()
    meta_path = folder / "meta.json"
    if meta_path.exists():
        meta = json.loads(meta_path.read_text())
        if meta.get("generator_digest") == digest:
            payloads = (folder / "payloads.txt").read_text().splitlines()
            return _corpus(payloads, meta, generate_seconds=None)

    started = time.perf_counter()
    invocations = _invocations_for(events)
    folder.mkdir(parents=True, exist_ok=True)
    counts = {"events": 0, "payload_bytes": 0, "gzip_bytes": 0, "json_bytes": 0}
    payloads = []
    for delivery in generate_deliveries(
        start=START, hours=HOURS, invocations=invocations, seed=SEED
    ):
        data: str = delivery["awslogs"]["data"]
        payloads.append(data)
        compressed = base64.b64decode(data)
        counts["payload_bytes"] += len(data)
        counts["gzip_bytes"] += len(compressed)
        document = zlib.decompress(compressed, 31)
        counts["json_bytes"] += len(document)
        counts["events"] += len(orjson.loads(document)["logEvents"])
    seconds = time.perf_counter() - started

    # The payloads go first and the metadata last, each through a rename, so an interrupted
    # generation leaves no metadata and is generated again on the next run.
    _write_atomically(folder / "payloads.txt", "\n".join(payloads) + "\n")
    meta = {**counts, "invocations": invocations, "generator_digest": digest}
    _write_atomically(meta_path, json.dumps(meta, indent=2))
    return _corpus(payloads, meta, generate_seconds=seconds)


def _corpus(
    payloads: list[str], meta: dict[str, int | str], generate_seconds: float | None
) -> Corpus:
    return Corpus(
        payloads=payloads,
        events=int(meta["events"]),
        invocations=int(meta["invocations"]),
        payload_bytes=int(meta["payload_bytes"]),
        gzip_bytes=int(meta["gzip_bytes"]),
        json_bytes=int(meta["json_bytes"]),
        start=START,
        hours=HOURS,
        generate_seconds=generate_seconds,
    )


def _invocations_for(events: int) -> int:
    """Scale invocations so that the day contains about ``events`` events."""
    pilot_events = sum(
        len(document["logEvents"])
        for document in generate_log_data(
            start=START, hours=HOURS, invocations=_PILOT_INVOCATIONS, seed=SEED
        )
    )
    return max(1, math.ceil(events * _PILOT_INVOCATIONS / pilot_events))


def _generator_digest() -> str:
    digest = hashlib.blake2b(digest_size=16)
    package = Path(loglake.demo.__file__).parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _write_atomically(path: Path, text: str) -> None:
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text)
    temporary.replace(path)
