"""structlog set-up for loglake's services: one JSON object per line on standard output."""

from __future__ import annotations

import logging
import sys
from typing import TextIO

import orjson
import structlog


def configure_logging(level: str = "INFO", stream: TextIO | None = None) -> None:
    """Render structlog events as JSON lines with an ISO UTC timestamp and the level."""
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.format_exc_info,
            structlog.processors.JSONRenderer(serializer=_dumps),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelNamesMapping()[level]),
        logger_factory=structlog.WriteLoggerFactory(file=stream or sys.stdout),
        cache_logger_on_first_use=True,
    )


def _dumps(event: object, **_: object) -> str:
    return orjson.dumps(event, default=str).decode()
