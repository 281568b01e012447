"""Regular-expression fragments shared by the parsers of text prefixes."""

from __future__ import annotations

ISO_TIME = (
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:[.,][0-9]{1,9})?"
    r"(?:Z|[+-][0-9]{2}:?[0-9]{2})?"
)
"""An ISO 8601 date and time with ``T``, optional fraction and optional zone."""

REQUEST_ID = r"[0-9a-fA-F]{8}-[0-9a-zA-Z]{4}-[0-9a-zA-Z]{4}-[0-9a-zA-Z]{4}-[0-9a-zA-Z]{12}"
"""A Lambda request ID (a UUID). Letters are allowed beyond hex because AWS documentation
samples replace digits with ``xmpl``."""

LEVEL_WORD = r"TRACE|DEBUG|INFO|WARN|ERROR|FATAL"
"""The upper-case level names of Node.js's console and of log4j."""
