"""Options shared by several commands."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from loglake.settings import LAKE, load_settings

F = TypeVar("F", bound=Callable[..., Any])


def lake_option(function: F) -> F:
    """Add ``--lake URL``, defaulting to ``LOGLAKE_LAKE`` and then ``./lake``."""
    return click.option(
        "--lake",
        default=lambda: load_settings().lake,
        show_default=f"${LAKE.env} or ./{LAKE.default}",
        help="Lake URL: a local folder or s3://bucket/prefix.",
    )(function)


def format_option(function: F) -> F:
    """Add ``--format table|json|csv``."""
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(["table", "json", "csv"]),
        default="table",
        show_default=True,
        help="table for people; json (one array of row objects) or csv for scripts.",
    )(function)


def time_range_options(function: F) -> F:
    """Add ``--since``, ``--start`` and ``--end``."""
    function = click.option("--end", help="End time, ISO 8601 (UTC unless a zone is given).")(
        function
    )
    function = click.option(
        "--start", help="Start time, ISO 8601 (UTC unless a zone is given) or epoch ms."
    )(function)
    return click.option("--since", help="How far back from now: 15m, 2h, 7d.")(function)
