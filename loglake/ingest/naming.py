"""Function name and version from a log group and log stream name.

Lambda's default log group is ``/aws/lambda/<function>`` and its streams are named
``YYYY/MM/DD/[<version>]<32 hex>``, one per execution environment. A custom log group
(``LoggingConfig.LogGroup``) can be shared by several functions, so there the stream name
carries the function: ``YYYY/MM/DD/<function>[<version>]<32 hex>``.
"""

from __future__ import annotations

import re
from typing import NamedTuple

LAMBDA_LOG_GROUP_PREFIX = "/aws/lambda/"

_STREAM = re.compile(r"^\d{4}/\d{2}/\d{2}/(?P<function>[A-Za-z0-9_.-]*)\[(?P<version>[^\]]+)\]")


class FunctionIdentity(NamedTuple):
    """The Lambda function a log stream belongs to; both None for other log groups."""

    function_name: str | None
    function_version: str | None


def function_identity(log_group: str, log_stream: str) -> FunctionIdentity:
    """Derive the function name and version from a log group and stream name."""
    match = _STREAM.match(log_stream)
    version = match.group("version") if match else None
    if log_group.startswith(LAMBDA_LOG_GROUP_PREFIX):
        name = log_group[len(LAMBDA_LOG_GROUP_PREFIX) :]
        return FunctionIdentity(name or None, version)

    if match and match.group("function"):
        return FunctionIdentity(match.group("function"), version)

    return FunctionIdentity(None, None)
