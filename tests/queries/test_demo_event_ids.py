"""The demo's zap function logs an eventId per object, and plants abc123 once per run."""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator
from typing import Any

from loglake.demo import generate_log_data
from loglake.demo.apps.zap import PLANTED_EVENT_ID
from tests.queries.lakes import DEMO_DAY

UUID4 = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")


def zap_records(documents: Iterator[dict[str, Any]]) -> list[tuple[int, dict[str, Any]]]:
    """Return the thumbnail-generator's zap lines as (timestamp, record), in time order."""
    records = [
        (event["timestamp"], json.loads(event["message"]))
        for document in documents
        if document["logGroup"] == "/aws/lambda/thumbnail-generator"
        for event in document["logEvents"]
        if event["message"].startswith('{"level":')
    ]
    return sorted(records, key=lambda item: item[0])


def test_every_object_line_has_event_id() -> None:
    records = zap_records(generate_log_data(start=DEMO_DAY))
    object_lines = [record for _, record in records if record["msg"] != "starting"]

    assert object_lines
    for record in object_lines:
        assert list(record)[:5] == ["level", "ts", "caller", "msg", "eventId"]
    assert all("eventId" not in record for _, record in records if record["msg"] == "starting")


def test_event_ids_unique_per_object() -> None:
    records = zap_records(generate_log_data(start=DEMO_DAY))
    processed = [record["eventId"] for _, record in records if record["msg"] == "processing object"]

    assert len(processed) == len(set(processed))
    assert processed[0] == PLANTED_EVENT_ID
    for event_id in processed[1:]:
        assert UUID4.fullmatch(event_id), event_id


def test_planted_id_on_one_object() -> None:
    records = zap_records(generate_log_data(start=DEMO_DAY))
    planted = [record for _, record in records if record.get("eventId") == PLANTED_EVENT_ID]

    assert planted[0]["msg"] == "processing object"
    assert sum(record["msg"] == "processing object" for record in planted) == 1
    assert len({record["key"].removeprefix("thumbs/") for record in planted}) == 1


def test_planted_once_per_interleaved_run() -> None:
    first = generate_log_data(start=DEMO_DAY, hours=48, invocations=600, seed=3)
    second = generate_log_data(start=DEMO_DAY, invocations=300, seed=4)
    documents: list[list[dict[str, Any]]] = [[], []]
    for pair in itertools.zip_longest(first, second):
        for index, document in enumerate(pair):
            if document is not None:
                documents[index].append(document)

    for run in documents:
        processed = [
            record["eventId"]
            for _, record in zap_records(iter(run))
            if record["msg"] == "processing object"
        ]
        assert processed.count(PLANTED_EVENT_ID) == 1
