"""``loglake dashboard``: its options, and the Streamlit command and environment it runs."""

from __future__ import annotations

import sys
from pathlib import Path

from click.testing import CliRunner

from loglake.cli.dashboard_command import (
    APP,
    dashboard_url,
    streamlit_command,
    streamlit_environment,
)
from loglake.cli.main import cli


def option(command: list[str], name: str) -> str:
    return command[command.index(name) + 1]


def test_command_binds_loopback_without_statistics() -> None:
    command = streamlit_command(APP, "127.0.0.1", 8601)
    assert command[:5] == [sys.executable, "-m", "streamlit", "run", str(APP)]
    assert option(command, "--server.address") == "127.0.0.1"
    assert option(command, "--server.port") == "8601"
    assert option(command, "--browser.gatherUsageStats") == "false"
    assert option(command, "--server.headless") == "true"
    assert APP.is_file()


def test_environment_names_lake() -> None:
    environment = streamlit_environment("/data/lake", {"PATH": "/usr/bin"})
    assert environment["LOGLAKE_LAKE"] == "/data/lake"
    assert environment["STREAMLIT_BROWSER_GATHER_USAGE_STATS"] == "false"
    assert environment["PATH"] == "/usr/bin"


def test_url_brackets_ipv6() -> None:
    assert dashboard_url("127.0.0.1", 8501) == "http://127.0.0.1:8501/"
    assert dashboard_url("::1", 8501) == "http://[::1]:8501/"


def test_invalid_port_is_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["dashboard", "--lake", str(tmp_path), "--port", "0"])
    assert result.exit_code == 2
    assert "--port" in result.output


def test_glob_in_lake_is_usage_error() -> None:
    result = CliRunner().invoke(cli, ["dashboard", "--lake", "lake[1]"])
    assert result.exit_code == 2
    assert "glob" in result.output
