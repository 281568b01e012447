"""Print query results in the format a command was asked for."""

from __future__ import annotations

import click
import orjson
from rich.console import Console
from rich.table import Table
from rich.text import Text

from loglake.analytics.output import OutputFormat, plain_value, to_csv, to_json, to_ndjson
from loglake.analytics.sql import QueryResult

PIPED_WIDTH = 200
"""Columns a table may use when standard output is not a terminal."""

# C0 and C1 control characters other than tab and newline, shown as escapes (\x1b) so a
# log line cannot drive the terminal.
_CONTROL_CHARACTERS = {
    code: f"\\x{code:02x}"
    for code in (*range(0x20), 0x7F, *range(0x80, 0xA0))
    if code not in (0x09, 0x0A)
}

MAX_CELL_CHARS = 200
"""Table cells longer than this are cut with an ellipsis; JSON and CSV output is never cut."""


def print_result(
    result: QueryResult, output_format: OutputFormat, *, title: str | None = None
) -> None:
    """Print ``result`` as a table, JSON or CSV on standard output."""
    if output_format == "json":
        click.echo(to_json(result))
    elif output_format == "csv":
        click.echo(to_csv(result), nl=False)
    elif output_format == "ndjson":
        click.echo(to_ndjson(result), nl=False)
    else:
        console = Console()
        if not console.is_terminal:
            # Piped output has no width to fit; keep rows on one line for logs and files.
            console = Console(width=PIPED_WIDTH)
        console.print(_table(result, title))


def _table(result: QueryResult, title: str | None) -> Table:
    table = Table(title=title, title_justify="left", show_lines=False)
    numeric = [_is_numeric(type_name) for type_name in result.types]
    for column, right in zip(result.columns, numeric, strict=True):
        table.add_column(_cell(column), justify="right" if right else "left", overflow="fold")
    for row in result.rows:
        table.add_row(*(_cell(value) for value in row))
    if not result.rows:
        table.caption = "no rows"
    return table


def _cell(value: object) -> Text:
    """Return a cell as literal text: log lines may hold ``[markup]`` and terminal escapes."""
    if value is None:
        return Text("")
    if isinstance(value, float):
        # Tables show 12 significant digits, so 7.000000000000001 reads as 7; JSON and CSV
        # keep every digit.
        return Text(f"{value:.12g}")
    plain = plain_value(value)
    # Objects and arrays read as JSON, as in the json format, not as Python's repr.
    text = orjson.dumps(plain).decode() if isinstance(plain, dict | list) else str(plain)
    text = text.translate(_CONTROL_CHARACTERS)
    if len(text) > MAX_CELL_CHARS:
        text = text[: MAX_CELL_CHARS - 1] + "…"
    return Text(text)


def _is_numeric(type_name: str) -> bool:
    return type_name.split("(")[0] in {
        "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT",
        "UINTEGER", "UBIGINT", "FLOAT", "DOUBLE", "DECIMAL",
    }  # fmt: skip
