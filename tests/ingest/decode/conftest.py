"""Fixtures that load the recorded deliveries under ``tests/events/deliveries/``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest

DELIVERIES = Path(__file__).resolve().parents[2] / "events" / "deliveries"


def _read(name: str) -> bytes:
    return (DELIVERIES / name).read_bytes()


def _read_json(name: str) -> dict[str, Any]:
    document = orjson.loads(_read(name))
    assert isinstance(document, dict)
    return document


@pytest.fixture
def delivery() -> Callable[[str], bytes]:
    """Return a function that reads a recorded delivery's bytes by file name."""
    return _read


@pytest.fixture
def lambda_event() -> Callable[[str], dict[str, Any]]:
    """Return a function that loads a recorded Lambda event by file name."""
    return _read_json
