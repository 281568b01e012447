"""Level names and trace IDs normalised to the vocabulary of the ``logs`` table."""

from __future__ import annotations

import pytest

from loglake.ingest.parse.levels import normalise_level
from loglake.ingest.parse.trace_ids import normalise_trace_id

LEVEL_CASES = [
    ("DEBUG", "DEBUG"),
    ("INFO", "INFO"),
    ("WARNING", "WARN"),  # Python
    ("CRITICAL", "FATAL"),  # Python
    ("warn", "WARN"),  # zap
    ("warning", "WARN"),  # logrus
    ("dpanic", "FATAL"),  # zap
    ("panic", "FATAL"),  # zap, logrus
    ("Information", "INFO"),  # .NET
    ("SEVERE", "ERROR"),  # java.util.logging
    ("ERROR+4", "ERROR"),  # log/slog offset
    ("DEBUG-4", "DEBUG"),  # log/slog offset
    (" info ", "INFO"),
    (10, "TRACE"),  # pino
    (20, "DEBUG"),
    (30, "INFO"),
    (40, "WARN"),
    (50, "ERROR"),
    (60, "FATAL"),
]

NOT_LEVELS: list[object] = [
    "UNDEFINED",
    "",
    "verbose-ish",
    "INFO+x",
    "x" * 100,
    35,
    True,
    None,
    3.0,
]

TRACE_ID_CASES = [
    ("1-5d8b9a23-721297377222d7283ab5a383", "1-5d8b9a23-721297377222d7283ab5a383"),
    # AWS documentation samples carry "xmpl" in place of hex digits.
    ("1-5e3af9c0-4a7exmpl93c08d1e62b7f04c", "1-5e3af9c0-4a7exmpl93c08d1e62b7f04c"),
    # X-Amzn-Trace-Id header, as Powertools logs xray_trace_id.
    (
        "Root=1-6545f9a3-2b7c4d1e9f0a3b5c7d9e1f20;Parent=5c1e4b2a9d3f7e60;Sampled=1",
        "1-6545f9a3-2b7c4d1e9f0a3b5c7d9e1f20",
    ),
    (
        "Parent=5c1e4b2a9d3f7e60;Root=1-6545f9a3-2b7c4d1e9f0a3b5c7d9e1f20",
        "1-6545f9a3-2b7c4d1e9f0a3b5c7d9e1f20",
    ),
    # W3C trace ID, as CloudWatch Transaction Search writes it.
    ("675b0346851bfd93d182e0d586e2e22b", "1-675b0346-851bfd93d182e0d586e2e22b"),
    ("675B0346851BFD93D182E0D586E2E22B", "1-675b0346-851bfd93d182e0d586e2e22b"),
    # W3C traceparent.
    (
        "00-675b0346851bfd93d182e0d586e2e22b-2c346234472d63d5-01",
        "1-675b0346-851bfd93d182e0d586e2e22b",
    ),
]

NOT_TRACE_IDS: list[object] = [
    "",
    "6668199796431703342",  # a Datadog trace ID
    "1-5d8b9a23-72129737",
    "1-5d8b9a23-721297377222d7283ab5a383-extra",
    "Root=1-5d8b9a23;Sampled=1",
    "0" * 32,
    "675b0346851bfd93d182e0d586e2e22g",
    None,
    42,
]


@pytest.mark.parametrize(("value", "expected"), LEVEL_CASES)
def test_normalise_level_known(value: object, expected: str) -> None:
    assert normalise_level(value) == expected


@pytest.mark.parametrize("value", NOT_LEVELS)
def test_normalise_level_unknown(value: object) -> None:
    assert normalise_level(value) is None


@pytest.mark.parametrize(("value", "expected"), TRACE_ID_CASES)
def test_normalise_trace_id_forms(value: str, expected: str) -> None:
    assert normalise_trace_id(value) == expected


@pytest.mark.parametrize("value", NOT_TRACE_IDS)
def test_normalise_trace_id_invalid(value: object) -> None:
    assert normalise_trace_id(value) is None
