"""Entry point of the ``loglake`` command.

Exit codes: 0 success; 1 the command ran but some input was bad, a query failed or a
service could not be reached, as the message names; 2 wrong usage or an invalid setting.
"""

from __future__ import annotations

from typing import Any

import click
import duckdb
from botocore.exceptions import BotoCoreError, ClientError

from loglake import __version__
from loglake.analytics.s3 import S3AccessError
from loglake.cli.advise_command import advise_command
from loglake.cli.alerts_command import alerts
from loglake.cli.compact_command import compact
from loglake.cli.dashboard_command import dashboard
from loglake.cli.demo_command import demo
from loglake.cli.import_command import import_
from loglake.cli.ingest_command import ingest
from loglake.cli.patterns_command import patterns
from loglake.cli.queries_command import queries
from loglake.cli.query_command import query
from loglake.cli.request_command import request, trace
from loglake.cli.sql_command import sql
from loglake.cli.xray_command import xray
from loglake.ingest.errors import IngestError


class LoglakeGroup(click.Group):
    """A command group that reports expected failures as one-line errors, not tracebacks."""

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command, turning invalid settings and service failures into messages."""
        try:
            return super().invoke(ctx)
        except ValueError as error:
            # Invalid settings, lake URLs and option values raise ValueError with the fix.
            raise click.UsageError(str(error), ctx) from error
        except (IngestError, S3AccessError, duckdb.Error, BotoCoreError, ClientError) as error:
            raise click.ClickException(str(error)) from error
        except OSError as error:
            raise click.ClickException(f"{error.strerror or error}: {error.filename}") from error


@click.group(
    cls=LoglakeGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, prog_name="loglake")
def cli() -> None:
    """Keep AWS Lambda logs in a Parquet lake you own, and query them with DuckDB."""


cli.add_command(ingest)
cli.add_command(import_)
cli.add_command(sql)
cli.add_command(query)
cli.add_command(queries)
cli.add_command(demo)
cli.add_command(xray)
cli.add_command(request)
cli.add_command(trace)
cli.add_command(advise_command)
cli.add_command(patterns)
cli.add_command(alerts)
cli.add_command(compact)
cli.add_command(dashboard)
