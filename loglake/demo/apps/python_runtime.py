"""Output of the AWS Lambda Python runtime: its logging prefix and its unhandled-error record.

The shapes follow aws-lambda-python-runtime-interface-client (``awslambdaric/bootstrap.py``):
the root logger's format is ``[%(levelname)s]\\t%(asctime)s.%(msecs)03dZ\\t%(aws_request_id)s
\\t%(message)s\\n``, and an unhandled exception becomes one record whose traceback lines are
joined with ``\\n`` and indented with NO-BREAK SPACE (U+00A0) in place of spaces.
"""

from __future__ import annotations

from typing import NamedTuple

LAMBDA_WARNING = (
    "LAMBDA_WARNING: Unhandled exception. The most likely cause is an issue in the function "
    "code. However, in rare cases, a Lambda runtime update can cause unexpected function "
    "behavior. For functions using managed runtimes, runtime updates can be triggered by a "
    "function change, or can be applied automatically. To determine if the runtime has been "
    "updated, check the runtime version in the INIT_START log entry. If this error correlates "
    "with a change in the runtime version, you may be able to mitigate this error by "
    "temporarily rolling back to the previous runtime version. For more information, see "
    "https://docs.aws.amazon.com/lambda/latest/dg/runtimes-update.html"
)
"""The fixed text the runtime logs before an unhandled exception (2023 and later runtimes)."""

_NBSP = "\u00a0"


class Frame(NamedTuple):
    """One stack frame as ``traceback.extract_tb`` reports it."""

    filename: str
    lineno: int
    name: str
    line: str
    expression: str = ""
    """The failing part of ``line`` that Python 3.11+ underlines with carets, if any."""


def logging_line(level: str, iso_timestamp: str, request_id: str, message: str) -> str:
    """Format a record of the runtime's root logger, whose request ID is empty during init."""
    return f"[{level}]\t{iso_timestamp}\t{request_id}\t{message}\n"


def warning_line(iso_timestamp: str) -> str:
    """Format the LAMBDA_WARNING record, which carries an empty request ID."""
    return logging_line("WARNING", iso_timestamp, "", LAMBDA_WARNING)


def stack_trace(frames: tuple[Frame, ...]) -> list[str]:
    """Return the frames as ``traceback.format_list`` does, one string per frame."""
    return [f'  File "{f.filename}", line {f.lineno}, in {f.name}\n    {f.line}\n' for f in frames]


def unhandled_error(error_type: str, error_message: str, frames: tuple[Frame, ...]) -> str:
    """Format the runtime's record of an unhandled exception in the TEXT log format.

    The record starts with the exception line and ends at the last frame, without a
    trailing newline.
    """
    lines = [f"[ERROR] {error_type}: {error_message}", "Traceback (most recent call last):"]
    for frame in frames:
        lines.append(f'{_NBSP * 2}File "{frame.filename}", line {frame.lineno}, in {frame.name}')
        lines.append(f"{_NBSP * 4}{frame.line}")
    return "\n".join(lines)


def format_exception(frames: tuple[Frame, ...], exception_line: str) -> str:
    """Format a traceback as ``traceback.format_exception`` does on Python 3.12.

    A frame gets a caret line when its ``expression`` is only part of its line. The
    result has no trailing newline, as ``logging`` and structlog store it.
    """
    parts = ["Traceback (most recent call last):\n"]
    for frame in frames:
        parts.append(f'  File "{frame.filename}", line {frame.lineno}, in {frame.name}\n')
        parts.append(f"    {frame.line}\n")
        if frame.expression and frame.expression != frame.line:
            column = frame.line.index(frame.expression)
            parts.append(" " * (4 + column) + "^" * len(frame.expression) + "\n")
    parts.append(exception_line)
    return "".join(parts)
