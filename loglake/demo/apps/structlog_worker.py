"""ledger-worker: a Python 3.12 SQS worker that logs with structlog and writes to PostgreSQL.

structlog renders through the standard library's ``logging``, so each JSON object sits
behind the runtime's ``[LEVEL]\\t<time>\\t<request ID>\\t`` prefix. The renderer is
``json.dumps`` with default separators; the message key is ``event``, and the processors
add ``logger``, ``level`` and ``timestamp`` after the call's own keys.

Database connection errors become likely when traffic nears its daily peak, as a
connection limit is reached then. The texts are libpq's, which puts two spaces after
``FATAL:``.
"""

from __future__ import annotations

import json
from random import Random

from loglake.demo.apps.base import AppWriter, InitContext, InvokeContext
from loglake.demo.apps.python_runtime import Frame, format_exception, logging_line

_QUEUE = "ledger-entries"
_DB_ADDRESS = "10.0.12.47"

_SLOTS_RESERVED = (
    "FATAL:  remaining connection slots are reserved for non-replication superuser connections"
)
_TOO_MANY_CLIENTS = "FATAL:  sorry, too many clients already"
_CONNECTION_RESET = "could not receive data from server: Connection reset by peer\n"

_CONNECT_FRAMES = (
    Frame("/var/task/ledger/worker.py", 58, "handler", "connection = db.connect()", "db.connect()"),
    Frame(
        "/var/task/ledger/db.py",
        41,
        "connect",
        "return psycopg2.connect(self.dsn, connect_timeout=5)",
        "psycopg2.connect(self.dsn, connect_timeout=5)",
    ),
    Frame(
        "/var/task/psycopg2/__init__.py",
        122,
        "connect",
        "conn = _connect(dsn, connection_factory=connection_factory, **kwasync)",
        "_connect(dsn, connection_factory=connection_factory, **kwasync)",
    ),
)

# Probability of a database error per invocation: a small base, plus a term that grows
# with the sixth power of the load so that errors cluster in the busiest hours.
_DB_ERROR_BASE = 0.001
_DB_ERROR_PEAK = 0.10
_TIMEOUT_RATE = 0.0005

_DB_ERRORS = ("db_slots_reserved", "db_too_many_clients", "db_connection_reset")


class StructlogLedgerWorker(AppWriter):
    """SQS batch handler that posts ledger entries to PostgreSQL."""

    daily_scenarios = (*_DB_ERRORS, "timeout_with_line", "timeout_silent")
    busy_hour_scenarios = _DB_ERRORS

    def pick_scenario(self, rng: Random, load: float) -> str | None:
        """Draw a database error with a load-dependent probability, or a rare timeout."""
        draw = rng.random()
        db_error_rate = _DB_ERROR_BASE + _DB_ERROR_PEAK * load**6
        if draw < db_error_rate:
            share = rng.random()
            if share < 0.4:
                return "db_slots_reserved"
            return "db_too_many_clients" if share < 0.8 else "db_connection_reset"
        if draw < db_error_rate + _TIMEOUT_RATE:
            return "timeout_with_line" if rng.random() < 0.5 else "timeout_silent"
        return None

    def write_init(self, ctx: InitContext) -> None:
        """Append botocore's credentials line and the connection pool line."""
        first = ctx.at(0.4)
        message = "Found credentials in environment variables."
        ctx.events.append((first, logging_line("INFO", ctx.clock.iso_ms(first), "", message)))

        second = ctx.at(0.9)
        fields = f'"host": "{_db_host(ctx.deployment.region)}", "max_connections": 2, '
        timestamp = ctx.clock.iso_us(second, ctx.draw(0, 1000))
        body = _render(fields, "db_pool_configured", "ledger.db", "info", timestamp)
        ctx.events.append((second, logging_line("INFO", ctx.clock.iso_ms(second), "", body)))

    def write_invoke(self, ctx: InvokeContext) -> None:
        """Append the batch lines, the database errors or a timeout."""
        scenario = ctx.scenario
        records = ctx.draw(1, 11)
        if scenario in ("timeout_with_line", "timeout_silent"):
            ctx.run_for()
            ctx.time_out(with_line=scenario == "timeout_with_line")
        else:
            ctx.run_for(4.0 if scenario in _DB_ERRORS else 1.0)
        fields = f'"records": {records}, "queue": "{_QUEUE}", '
        self._log(ctx, 0.0, "info", "ledger.worker", "batch_received", fields)

        if ctx.status == "timeout":
            fields = f'"entries": {records * 3}, '
            self._log(ctx, 0.01, "info", "ledger.worker", "posting_entries", fields)
            fields = f'"table": "ledger_entries", "waited_ms": {int(ctx.duration_ms * 0.39)}, '
            self._log(ctx, 0.4, "warning", "ledger.db", "lock_wait", fields)
            return
        if scenario in _DB_ERRORS:
            self._db_error(ctx, scenario, records)
            return
        fields = f'"entries": {records * 3}, "duration_ms": {int(ctx.duration_ms * 0.9)}, '
        self._log(ctx, 0.97, "info", "ledger.worker", "entries_posted", fields)

    def _db_error(self, ctx: InvokeContext, scenario: str, records: int) -> None:
        if scenario == "db_connection_reset":
            fields = (
                '"statement": "INSERT INTO ledger_entries", '
                f'"error": {json.dumps(_CONNECTION_RESET)}, '
            )
            self._log(ctx, 0.3, "error", "ledger.db", "db_query_failed", fields)
            fields = (
                f'"entries": {records * 3}, "duration_ms": {int(ctx.duration_ms * 0.9)}, '
                '"retried": true, '
            )
            self._log(ctx, 0.97, "info", "ledger.worker", "entries_posted", fields)
            return

        # The worker tries to connect up to three times.
        host = _db_host(ctx.deployment.region)
        fatal = _SLOTS_RESERVED if scenario == "db_slots_reserved" else _TOO_MANY_CLIENTS
        error = f'connection to server at "{host}" ({_DB_ADDRESS}), port 5432 failed: {fatal}\n'
        failures = ctx.draw(1, 4)
        for attempt in range(1, failures + 1):
            fields = f'"attempt": {attempt}, "host": "{host}", "error": {json.dumps(error)}, '
            self._log(ctx, 0.25 * attempt, "error", "ledger.db", "db_connect_failed", fields)
        if failures < 3:
            fields = f'"entries": {records * 3}, "duration_ms": {int(ctx.duration_ms * 0.2)}, '
            self._log(ctx, 0.97, "info", "ledger.worker", "entries_posted", fields)
            return

        # The handler reports the batch as failed (an SQS partial batch response) and
        # returns normally, so Lambda records no function error.
        exception_line = f"psycopg2.OperationalError: {error.rstrip()}"
        exception = format_exception(_CONNECT_FRAMES, exception_line)
        fields = f'"failed_records": {records}, '
        self._log(ctx, 0.98, "error", "ledger.worker", "batch_failed", fields, exception)

    def _log(
        self,
        ctx: InvokeContext,
        fraction: float,
        level: str,
        logger: str,
        event: str,
        fields: str,
        exception: str | None = None,
    ) -> None:
        at_ms = ctx.at(fraction)
        timestamp = ctx.clock.iso_us(at_ms, ctx.draw(0, 1000))
        body = _render(fields, event, logger, level, timestamp, exception)
        line = logging_line(_STDLIB_LEVELS[level], ctx.clock.iso_ms(at_ms), ctx.request_id, body)
        ctx.events.append((at_ms, line))


def _render(
    fields: str, event: str, logger: str, level: str, timestamp: str, exception: str | None = None
) -> str:
    """Render a structlog event as ``JSONRenderer`` does with ``json.dumps`` defaults.

    ``fields`` contains the call's own keys as JSON members, each followed by ``", "``.
    """
    tail = "" if exception is None else f', "exception": {json.dumps(exception)}'
    return (
        f'{{{fields}"event": "{event}", "logger": "{logger}", "level": "{level}", '
        f'"timestamp": "{timestamp}"{tail}}}'
    )


_STDLIB_LEVELS = {"info": "INFO", "warning": "WARNING", "error": "ERROR"}


def _db_host(region: str) -> str:
    return f"ledger-db.cluster-c8x2kq7rzt1p.{region}.rds.amazonaws.com"
