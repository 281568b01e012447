"""Entry point of the ``loglake`` command.

Exit codes: 0 success; 1 the command ran but some input was bad or a query failed (the
message says which); 2 wrong usage.
"""

from __future__ import annotations

import click

from loglake import __version__
from loglake.cli.demo_command import demo
from loglake.cli.import_command import import_
from loglake.cli.ingest_command import ingest
from loglake.cli.sql_command import sql


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="loglake")
def cli() -> None:
    """Keep AWS Lambda logs in a Parquet lake you own, and query them with DuckDB."""


cli.add_command(ingest)
cli.add_command(import_)
cli.add_command(sql)
cli.add_command(demo)
