"""``loglake queries``: list the saved queries with their parameters and default range."""

from __future__ import annotations

from typing import Any, Literal

import click
import orjson

from loglake.analytics.saved_queries import (
    SavedQuery,
    SavedQueryError,
    default_queries_folder,
    format_value,
    load_saved_queries,
)
from loglake.analytics.sql import QueryResult
from loglake.cli.render import print_result

_COLUMNS = ["name", "description", "parameters", "since"]


@click.command()
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="table for people; json (one array of query objects) for scripts.",
)
def queries(output_format: Literal["table", "json"]) -> None:
    """List the saved queries: name, description, parameters and default time range.

    Run one with: loglake query NAME --param NAME=VALUE. The files are NAME.yaml in the
    folder that LOGLAKE_QUERIES names, else in the queries loglake ships.
    """
    try:
        folder = default_queries_folder()
        saved = load_saved_queries(folder)
    except SavedQueryError as error:
        raise click.ClickException(str(error)) from error

    if output_format == "json":
        listing = [_as_object(query) for query in saved.values()]
        click.echo(orjson.dumps(listing, option=orjson.OPT_INDENT_2).decode())
        return
    rows = [
        (query.name, query.description, _parameters_cell(query), query.since)
        for query in saved.values()
    ]
    result = QueryResult(columns=_COLUMNS, types=["VARCHAR"] * len(_COLUMNS), rows=rows)
    print_result(result, "table", title=f"Saved queries in {folder}")


def _parameters_cell(query: SavedQuery) -> str:
    lines = []
    for parameter in query.parameters:
        if parameter.default is None:
            lines.append(f"{parameter.name}: {parameter.type}, required")
        else:
            lines.append(f"{parameter.name}: {parameter.type} = {format_value(parameter.default)}")
    return "\n".join(lines)


def _as_object(query: SavedQuery) -> dict[str, Any]:
    return {
        "name": query.name,
        "description": query.description,
        "since": query.since,
        "parameters": [
            {
                "name": parameter.name,
                "type": parameter.type,
                "required": parameter.required,
                "default": parameter.default,
                "description": parameter.description,
            }
            for parameter in query.parameters
        ],
        "query": query.query,
        "path": str(query.path),
    }
