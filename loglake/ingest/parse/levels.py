"""Normalise log levels from runtimes and logging libraries to one vocabulary."""

from __future__ import annotations

LEVELS = frozenset({"TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"})
"""The level vocabulary of the ``logs`` table."""

# Upper-case level names mapped to the vocabulary. Sources: Python logging (WARNING,
# CRITICAL), Node.js console (TRACE..FATAL), zap (dpanic, panic), logrus (warning, panic),
# .NET (Information, Critical), java.util.logging (SEVERE, FINE, FINER, FINEST, CONFIG)
# and syslog severities (NOTICE, ALERT, EMERGENCY).
_LEVEL_NAMES: dict[str, str] = {
    "TRACE": "TRACE",
    "FINEST": "TRACE",
    "FINER": "TRACE",
    "VERBOSE": "TRACE",
    "DEBUG": "DEBUG",
    "FINE": "DEBUG",
    "CONFIG": "DEBUG",
    "INFO": "INFO",
    "INFORMATION": "INFO",
    "NOTICE": "INFO",
    "WARN": "WARN",
    "WARNING": "WARN",
    "ERROR": "ERROR",
    "ERR": "ERROR",
    "SEVERE": "ERROR",
    "FATAL": "FATAL",
    "CRITICAL": "FATAL",
    "CRIT": "FATAL",
    "PANIC": "FATAL",
    "DPANIC": "FATAL",
    "ALERT": "FATAL",
    "EMERG": "FATAL",
    "EMERGENCY": "FATAL",
}

# The names above as loggers commonly spell them ("info", "Information"), which map as
# their upper-case forms do, found without the strip and upper-casing below.
_LEVEL_SPELLINGS: dict[str, str] = {
    spelling: level
    for name, level in _LEVEL_NAMES.items()
    for spelling in (name, name.lower(), name.capitalize())
}

# pino's default numeric levels.
_PINO_LEVELS: dict[int, str] = {
    10: "TRACE",
    20: "DEBUG",
    30: "INFO",
    40: "WARN",
    50: "ERROR",
    60: "FATAL",
}

# Longer strings are messages, not level names, so they skip the upper-casing.
_MAX_LEVEL_NAME_LENGTH = 16


def normalise_level(value: object) -> str | None:
    """Map a level name or pino number to TRACE, DEBUG, INFO, WARN, ERROR or FATAL.

    Returns None for anything else, including Lambda's ``UNDEFINED`` (Java
    ``System.out`` in the JSON log format), booleans and unknown names.
    """
    if isinstance(value, str):
        return _normalise_level_name(value)

    if isinstance(value, int) and not isinstance(value, bool):
        return _PINO_LEVELS.get(value)

    return None


def _normalise_level_name(name: str) -> str | None:
    level = _LEVEL_SPELLINGS.get(name)
    if level is not None or len(name) > _MAX_LEVEL_NAME_LENGTH:
        return level

    name = name.strip().upper()
    level = _LEVEL_NAMES.get(name)
    if level is not None:
        return level

    # log/slog prints levels between the named ones as an offset, such as INFO+2 or ERROR-4.
    base, sign, offset = name.partition("+") if "+" in name else name.partition("-")
    if sign and offset.isdigit():
        return _LEVEL_NAMES.get(base)
    return None
