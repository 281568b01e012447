"""Fixtures of the alert tests: a sample lake of one demo day and a webhook receiver."""

from __future__ import annotations

import importlib
import os
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import duckdb
import orjson
import pytest

DEMO_DAY = datetime(2026, 11, 2, tzinfo=UTC)


@pytest.fixture(scope="session")
def demo_lake(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Build the demo's sample day (seed 7, 2,000 invocations) once for the session.

    The ingest handler writes one object per delivery, 2,081 for the day, and DuckDB opens
    every one of them for each query. The lake the tests get contains the same rows rewritten
    as one object per hour, so each evaluation reads 24 objects.
    """
    from loglake.demo import generate_deliveries

    delivered = tmp_path_factory.mktemp("demo-deliveries")
    lake = tmp_path_factory.mktemp("demo-lake")
    saved = {name: os.environ.get(name) for name in ("LOGLAKE_LAKE", "LOGLAKE_LOG_LEVEL")}
    os.environ["LOGLAKE_LAKE"] = str(delivered)
    os.environ["LOGLAKE_LOG_LEVEL"] = "WARNING"
    try:
        name = "loglake.ingest.handler"
        module = sys.modules.get(name)
        handler = importlib.reload(module) if module else importlib.import_module(name)
        context = SimpleNamespace(aws_request_id="demo", function_name="loglake-ingest")
        for event in generate_deliveries(start=DEMO_DAY, invocations=2000, seed=7):
            handler.handler(event, context)
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value

    connection = duckdb.connect()
    source = f"{delivered}/logs/*/*/*.parquet"
    connection.execute(
        f"COPY (SELECT * FROM read_parquet('{source}', hive_partitioning = true, "
        "hive_types = {'date': DATE, 'hour': INTEGER}) ORDER BY log_group, timestamp) "
        f"TO '{lake}/logs' (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (date, hour))"
    )
    connection.close()
    # DuckDB names the folders hour=7; the lake's layout, which ingest writes, is hour=07.
    for folder in lake.glob("logs/date=*/hour=*"):
        hour = int(folder.name.removeprefix("hour="))
        folder.rename(folder.with_name(f"hour={hour:02d}"))
    return str(lake)


class Receiver:
    """Requests that a local HTTP server received, and the statuses it returns."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.statuses: list[int] = []
        self.url = ""

    @property
    def bodies(self) -> list[Any]:
        """Return the JSON bodies received, in order."""
        return [orjson.loads(request["body"]) for request in self.requests]


@pytest.fixture
def webhook_receiver() -> Iterator[Receiver]:
    """Serve HTTP on 127.0.0.1, returning the next queued status to each POST, else 200."""
    receiver = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            receiver.requests.append(
                {"path": self.path, "headers": dict(self.headers), "body": self.rfile.read(length)}
            )
            status = receiver.statuses.pop(0) if receiver.statuses else 200
            self.send_response(status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/alerts"
    yield receiver
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def rules_path(tmp_path: Path) -> Path:
    """Return a path for a test's rule file."""
    return tmp_path / "alerts.yaml"
