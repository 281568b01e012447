"""A lake that does not exist or has no log objects fails check, replay and the handler."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

from loglake.analytics.alerts.engine import EmptyLakeError
from loglake.analytics.alerts.handler import handler
from loglake.cli.main import cli

RULES = "rules:\n  - name: function-timeouts\n    type: timeout\n"
EVENT = {"source": "aws.events", "detail-type": "Scheduled Event", "time": "2026-11-02T18:12:00Z"}


@pytest.fixture
def rules(tmp_path: Path) -> Path:
    path = tmp_path / "queries" / "alerts.yaml"
    path.parent.mkdir()
    path.write_text(RULES)
    return path


def test_check_fails_on_missing_lake(tmp_path: Path, rules: Path) -> None:
    missing = tmp_path / "typo"
    result = CliRunner().invoke(
        cli, ["alerts", "check", "--dry-run", "--lake", str(missing), "--rules", str(rules)]
    )
    assert result.exit_code == 1
    assert f"the lake {missing} does not exist" in result.output
    assert "--lake or LOGLAKE_LAKE" in result.output
    assert "OK" not in result.stdout
    assert not missing.exists()


def test_check_fails_on_lake_without_logs(tmp_path: Path, rules: Path) -> None:
    lake = tmp_path / "lake"
    (lake / "_state" / "alerts").mkdir(parents=True)
    result = CliRunner().invoke(
        cli, ["alerts", "check", "--lake", str(lake), "--rules", str(rules)]
    )
    assert result.exit_code == 1
    assert f"the lake {lake} has no log objects under logs/" in result.output
    assert not list((lake / "_state" / "alerts").iterdir())


def test_replay_fails_on_missing_lake(tmp_path: Path, rules: Path) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "alerts", "replay", "--lake", str(tmp_path / "typo"), "--rules", str(rules),
            "--start", "2026-11-02T00:00:00Z", "--end", "2026-11-02T01:00:00Z",
        ],
    )  # fmt: skip
    assert result.exit_code == 1
    assert "does not exist" in result.output
    assert "no rows" not in result.output


def test_handler_raises_on_missing_lake(
    tmp_path: Path, rules: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "typo"
    monkeypatch.setenv("LOGLAKE_LAKE", str(missing))
    monkeypatch.setenv("LOGLAKE_QUERIES", str(rules.parent))
    with pytest.raises(EmptyLakeError, match=f"the lake {missing} does not exist"):
        handler(EVENT, SimpleNamespace(aws_request_id="r-4"))
    assert '"event":"lake_empty"' in capsys.readouterr().out
    assert not missing.exists()


def test_patterns_warns_on_missing_lake(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["patterns", "--lake", str(tmp_path / "typo")])
    assert result.exit_code == 0, result.output
    assert "holds no log objects yet" in result.stderr
