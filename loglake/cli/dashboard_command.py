"""``loglake dashboard``: start the Streamlit dashboard over a lake."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import click

from loglake.cli.options import lake_option
from loglake.ingest.store import check_lake_url
from loglake.settings import LAKE

APP = Path(__file__).resolve().parents[1] / "dashboard" / "app.py"
DEFAULT_PORT = 8501
LOOPBACK = "127.0.0.1"


def streamlit_command(app: Path, host: str, port: int) -> list[str]:
    """Return the command that serves ``app`` on ``host:port`` with Streamlit.

    Usage statistics are off, no browser is opened, and the file watcher is off because
    an installed dashboard does not change while it runs.
    """
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app),
        "--server.address",
        host,
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--server.fileWatcherType",
        "none",
        "--server.runOnSave",
        "false",
        "--browser.gatherUsageStats",
        "false",
        "--browser.serverAddress",
        host,
        "--browser.serverPort",
        str(port),
        "--global.developmentMode",
        "false",
        "--client.toolbarMode",
        "viewer",
    ]


def streamlit_environment(lake: str, environ: dict[str, str]) -> dict[str, str]:
    """Return the environment of the Streamlit process: the lake and usage statistics off."""
    return {
        **environ,
        LAKE.env: lake,
        "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
        "STREAMLIT_SERVER_HEADLESS": "true",
    }


def dashboard_url(host: str, port: int) -> str:
    """Return the address people open, with IPv6 hosts in brackets."""
    address = f"[{host}]" if ":" in host else host
    return f"http://{address}:{port}/"


@click.command()
@lake_option
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=DEFAULT_PORT,
    show_default=True,
    help="TCP port to serve the dashboard on.",
)
@click.option(
    "--host",
    default=LOOPBACK,
    show_default=True,
    help="Address to listen on. The default serves this machine only; 0.0.0.0 serves "
    "every network the machine is on, with no sign-in.",
)
def dashboard(lake: str, port: int, host: str) -> None:
    """Serve the Streamlit dashboard over the lake until Ctrl-C.

    Pages: overview, errors, cold starts, request lookup, memory and cost, traces,
    Insights queries and the advisor's findings. Needs the dashboard extra:
    pip install 'loglake[dashboard]'.
    """
    if importlib.util.find_spec("streamlit") is None or importlib.util.find_spec("altair") is None:
        raise click.ClickException(
            "the dashboard needs Streamlit and Altair, which are not installed: "
            "run pip install 'loglake[dashboard]'"
        )
    if not host.strip():
        raise click.BadParameter(
            "the host is empty: use 127.0.0.1, ::1 or 0.0.0.0", param_hint="--host"
        )
    check_lake_url(lake)
    resolved = lake if lake.startswith("s3://") else str(Path(lake).resolve())
    click.echo(
        f"loglake dashboard: {dashboard_url(host, port)}  (lake: {resolved})\n"
        "Press Ctrl-C to stop.",
        err=True,
    )
    command = streamlit_command(APP, host, port)
    environment = streamlit_environment(resolved, dict(os.environ))
    # Streamlit replaces this process, so Ctrl-C and a stop signal reach the server itself.
    os.execve(command[0], command, environment)
