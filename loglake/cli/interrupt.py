"""Run a lake query so that Ctrl-C interrupts it."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

import click

from loglake.analytics.lake import Lake

T = TypeVar("T")


def run_interruptibly(lake: Lake, work: Callable[[], T]) -> T:
    """Run ``work`` on a worker thread, so Ctrl-C (SIGINT) can interrupt DuckDB.

    Python handles signals only on the main thread, between bytecodes, and DuckDB runs a
    query inside one long call, so the main thread waits and interrupts the connection.
    """
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["result"] = work()
        except BaseException as error:  # handed to the main thread, which raises it
            outcome["error"] = error

    # Not a daemon: a DuckDB call still running when the interpreter exits aborts the process.
    worker = threading.Thread(target=run, name="loglake-query")
    worker.start()
    try:
        while worker.is_alive():
            worker.join(0.1)
    except KeyboardInterrupt:
        lake.connection.interrupt()
        worker.join()
        lake.connection.close()
        raise click.Abort() from None

    error = outcome.get("error")
    if isinstance(error, BaseException):
        raise error
    return outcome["result"]  # type: ignore[return-value]
