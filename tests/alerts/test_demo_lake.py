"""Rules over the demo's sample day: replay finds its incidents, check keeps state and sends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner

from loglake.analytics.alerts.delivery import Sender
from loglake.analytics.alerts.engine import check
from loglake.analytics.alerts.rule_file import load_rule_file
from loglake.analytics.alerts.state import load_state
from loglake.analytics.lake import open_lake
from loglake.cli.main import cli
from loglake.ingest.store import open_store

EXAMPLE = Path(__file__).parents[2] / "queries" / "alerts.yaml"
OOM_REQUEST_ID = "852c15a7-9075-4252-9db2-00d56205d9b5"
LONE_TIMEOUT_REQUEST_ID = "bc53ced7-7cf0-4db2-aa64-c20a7f6d67a2"
DAY = ["--start", "2026-11-02T00:00:00Z", "--end", "2026-11-03T00:00:00Z"]
INCIDENT_RULES = """
rules:
  - name: function-timeouts
    type: timeout
  - name: function-out-of-memory
    type: out_of_memory
  - name: new-error-patterns
    type: new_pattern
"""


def fired(notifications: list[dict]) -> set[tuple[str, str, str]]:  # type: ignore[type-arg]
    return {
        (n["evaluated_at"], n["rule"], n["labels"].get("function", ""))
        for n in notifications
        if n["event"] == "fired"
    }


@pytest.fixture(scope="module")
def demo_replay(demo_lake: str, tmp_path_factory: pytest.TempPathFactory) -> list[dict]:  # type: ignore[type-arg]
    """Replay the example rules over the demo day through the CLI, as JSON."""
    result = CliRunner().invoke(
        cli,
        [
            "alerts",
            "replay",
            "--lake",
            demo_lake,
            "--rules",
            str(EXAMPLE),
            "--start",
            "2026-11-02T00:00:00Z",
            "--end",
            "2026-11-03T00:00:00Z",
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    return orjson.loads(result.stdout)  # type: ignore[no-any-return]


def test_replay_reports_timeouts_and_oom(demo_lake: str, demo_replay: list[dict]) -> None:  # type: ignore[type-arg]
    events = fired(demo_replay)
    # The demo's timeouts end at 15:35:35, 18:06:51 and 21:57:35, its OOM kill at 21:24:46.
    assert ("2026-11-02T15:40:00.000Z", "function-timeouts", "ledger-worker") in events
    assert ("2026-11-02T18:10:00.000Z", "function-timeouts", "ledger-worker") in events
    assert ("2026-11-02T22:00:00.000Z", "function-timeouts", "ledger-worker") in events
    assert ("2026-11-02T21:25:00.000Z", "function-out-of-memory", "thumbnail-generator") in events

    lake = open_lake(demo_lake)
    failures = lake.connection.execute(
        "SELECT function_name, status, error_type, request_id FROM invocations "
        "WHERE status = 'timeout' OR error_type = 'Runtime.OutOfMemory'"
    ).fetchall()
    reported = {
        sample["request_id"]
        for n in demo_replay
        if n["rule"] in ("function-timeouts", "function-out-of-memory")
        for sample in n["samples"]
    }
    assert reported == {row[3] for row in failures}


def test_replay_reports_new_patterns(demo_lake: str, demo_replay: list[dict]) -> None:  # type: ignore[type-arg]
    new = [n for n in demo_replay if n["rule"] == "new-error-patterns" and n["event"] == "fired"]
    lake = open_lake(demo_lake)
    from loglake.analytics.patterns import PatternFilter, list_patterns

    day = PatternFilter(
        datetime(2026, 11, 2, tzinfo=UTC),
        datetime(2026, 11, 3, tzinfo=UTC),
        errors_only=True,
        failed_reports=True,
    )
    patterns = list_patterns(lake, day)
    columns = patterns.columns
    expected = {}
    for row in patterns.rows:
        record = dict(zip(columns, row, strict=True))
        for function in record["functions"]:
            expected[(record["pattern_id"], function)] = record

    assert {(n["pattern"]["id"], n["function"]) for n in new} == set(expected)
    for n in new:
        record = expected[(n["pattern"]["id"], n["function"])]
        first_seen = record["first_seen"]
        window_start = datetime.fromisoformat(n["window"]["start"])
        window_end = datetime.fromisoformat(n["window"]["end"])
        # Each fires at the interval of its first line, with samples from that window.
        assert window_start <= first_seen < window_end
        assert n["samples"]
        for sample in n["samples"]:
            assert window_start <= datetime.fromisoformat(sample["timestamp"]) < window_end

    # The out-of-memory kill wrote no error line but its REPORT, which is a new pattern too.
    oom = next(
        n
        for n in new
        if n["function"] == "thumbnail-generator" and "REPORT" in n["pattern"]["template"]
    )
    assert oom["evaluated_at"] == "2026-11-02T21:25:00.000Z"
    assert oom["samples"][0]["request_id"] == OOM_REQUEST_ID
    assert "Error Type: Runtime.OutOfMemory" in oom["pattern"]["template"]


def test_replay_table_matches_json(demo_lake: str, demo_replay: list[dict]) -> None:  # type: ignore[type-arg]
    result = CliRunner().invoke(
        cli,
        [
            "alerts",
            "replay",
            "--lake",
            demo_lake,
            "--rules",
            str(EXAMPLE),
            "--start",
            "2026-11-02T21:00:00Z",
            "--end",
            "2026-11-02T22:30:00Z",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "function-out-of-memory" in result.output
    assert "852c15a7-9075-4252-9db2-00d56205d9" in result.output
    in_range = [
        n for n in demo_replay if "2026-11-02T21:00" <= n["evaluated_at"] <= "2026-11-02T22:30"
    ]
    assert result.output.count("fired") == sum(1 for n in in_range if n["event"] == "fired")


def test_replay_reads_no_state(demo_lake: str, demo_replay: list[dict]) -> None:  # type: ignore[type-arg]
    assert demo_replay
    assert not (Path(demo_lake) / "_state").exists()


def test_check_sends_once_and_keeps_state(
    demo_lake: str,
    tmp_path: Path,
    webhook_receiver,  # type: ignore[no-untyped-def]
) -> None:
    rules = tmp_path / "alerts.yaml"
    rules.write_text(
        "channels:\n  hook:\n    type: webhook\n"
        f"    url: {webhook_receiver.url}\n"
        "defaults:\n  notify: [hook]\n" + INCIDENT_RULES
    )
    rule_file = load_rule_file(rules)
    lake = open_lake(demo_lake)
    store = open_store(str(tmp_path / "state-lake"))
    sender = Sender(channels=rule_file.channels)
    at = datetime(2026, 11, 2, 21, 27, tzinfo=UTC)

    outcomes = check(rule_file, lake, at, store=store, sender=sender)
    assert all(outcome.error is None for outcome in outcomes)
    bodies = webhook_receiver.bodies
    # The kill wrote only its REPORT, whose pattern is new to the function.
    assert [(b["rule"], b["event"], b["function"]) for b in bodies] == [
        ("function-out-of-memory", "fired", "thumbnail-generator"),
        ("new-error-patterns", "fired", "thumbnail-generator"),
    ]
    body = bodies[0]
    assert body["window"] == {
        "start": "2026-11-02T21:20:00.000Z",
        "end": "2026-11-02T21:25:00.000Z",
    }
    assert body["samples"][0]["request_id"] == "852c15a7-9075-4252-9db2-00d56205d9b5"
    assert "Runtime.OutOfMemory" in body["samples"][0]["message"]
    assert body["reproduce"].startswith("loglake sql --lake ")
    state = load_state(store, "function-out-of-memory")
    assert state.alerts["function=thumbnail-generator"].state == "ALARM"

    # The same instant again changes nothing and sends nothing.
    check(rule_file, lake, at, store=store, sender=sender)
    assert len(webhook_receiver.requests) == 2
    assert load_state(store, "function-out-of-memory") == state

    # Five minutes later the window is clean, and the alerts resolve.
    check(rule_file, lake, at + timedelta(minutes=5), store=store, sender=sender)
    assert [(b["rule"], b["event"]) for b in webhook_receiver.bodies[2:]] == [
        ("function-out-of-memory", "resolved"),
        ("new-error-patterns", "resolved"),
    ]


def test_check_cli_dry_run_writes_nothing(demo_lake: str, tmp_path: Path) -> None:
    rules = tmp_path / "alerts.yaml"
    rules.write_text(INCIDENT_RULES)
    result = CliRunner().invoke(
        cli,
        [
            "alerts",
            "check",
            "--lake",
            demo_lake,
            "--rules",
            str(rules),
            "--at",
            "2026-11-02T15:41:00Z",
            "--dry-run",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "would send to stdout:" in result.output
    assert "[ALARM] function-timeouts on ledger-worker: 1 > 0" in result.output
    assert not (Path(demo_lake) / "_state").exists()


def test_check_cli_json_and_state(tmp_path: Path, demo_lake: str) -> None:
    import shutil

    lake = tmp_path / "lake"
    shutil.copytree(demo_lake, lake)
    rules = tmp_path / "alerts.yaml"
    rules.write_text(INCIDENT_RULES)
    arguments = ["alerts", "check", "--lake", str(lake), "--rules", str(rules)]
    result = CliRunner().invoke(
        cli, [*arguments, "--at", "2026-11-02T15:41:00Z", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    outcomes = orjson.loads(result.stdout)
    timeouts = next(o for o in outcomes if o["rule"] == "function-timeouts")
    assert timeouts["notifications"][0]["event"] == "fired"
    assert (lake / "_state" / "alerts" / "function-timeouts.json").is_file()

    snoozed = CliRunner().invoke(
        cli,
        [
            "alerts",
            "snooze",
            "--lake",
            str(lake),
            "--rules",
            str(rules),
            "function-timeouts",
            "--until",
            "2026-11-03T00:00:00Z",
        ],
    )
    assert snoozed.exit_code == 0, snoozed.output
    later = CliRunner().invoke(
        cli, [*arguments, "--at", "2026-11-02T18:11:00Z", "--format", "json"]
    )
    outcomes = orjson.loads(later.stdout)
    timeouts = next(o for o in outcomes if o["rule"] == "function-timeouts")
    assert timeouts["alerts"][0]["state"] == "ALARM"
    assert timeouts["notifications"] == []


def test_patterns_cli_lists_errors(demo_lake: str) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "patterns", "--lake", demo_lake, "--errors-only", "--function", "ledger-worker",
            "--start", "2026-11-02T00:00:00Z", "--end", "2026-11-03T00:00:00Z",
            "--format", "json",
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    patterns = orjson.loads(result.stdout)
    assert {p["functions"][0] for p in patterns} == {"ledger-worker"}
    timeout = next(p for p in patterns if "Task timed out" in p["template"])
    assert timeout["count"] == 2
    assert timeout["template"] == "<TIMESTAMP> <UUID> Task timed out after <DURATION>"
    assert timeout["sample_request_id"] == "379f8a69-c4fe-4f61-a61b-bcbafc6ff7cc"


def test_patterns_cli_counts_lone_reports(demo_lake: str) -> None:
    result = CliRunner().invoke(
        cli, ["patterns", "--lake", demo_lake, "--errors-only", *DAY, "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    reports = [p for p in orjson.loads(result.stdout) if p["template"].startswith("REPORT ")]
    # Only the two failures that wrote nothing but their REPORT: the other failures count
    # by their error lines.
    assert sorted(p["sample_request_id"] for p in reports) == sorted(
        [OOM_REQUEST_ID, LONE_TIMEOUT_REQUEST_ID]
    )
    assert all(p["count"] == 1 for p in reports)


def test_patterns_table_lists_plain_names(demo_lake: str) -> None:
    result = CliRunner().invoke(
        cli, ["patterns", "--lake", demo_lake, "--errors-only", "--function", "ledger-worker", *DAY]
    )
    assert result.exit_code == 0, result.output
    assert "│ ledger-worker" in result.stdout
    assert "['ledger-worker']" not in result.stdout


def test_patterns_note_on_empty_range(demo_lake: str) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "patterns", "--lake", demo_lake,
            "--start", "2026-10-01T00:00:00Z", "--end", "2026-10-02T00:00:00Z",
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert (
        "note: no lines between 2026-10-01T00:00:00+00:00 and 2026-10-02T00:00:00+00:00"
        in result.stderr
    )


def test_check_warns_of_unknown_functions(demo_lake: str, tmp_path: Path) -> None:
    rules = tmp_path / "alerts.yaml"
    rules.write_text(
        "rules:\n  - name: worker-errors\n    type: error_rate\n    threshold: 0.05\n"
        "    functions: [nope, ledger-wrker, ledger-worker]\n"
    )
    result = CliRunner().invoke(
        cli,
        ["alerts", "check", "--lake", demo_lake, "--rules", str(rules), "--dry-run",
         "--at", "2026-11-02T15:41:00Z"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning: ")]
    assert len(warnings) == 2
    assert warnings[0].startswith(
        "warning: rule worker-errors: function nope has no events in the lake from "
        "2026-10-26T15:41:00.000Z to 2026-11-02T15:41:00.000Z"
    )
    assert "the lake's functions are checkout-web, invoice-renderer, ledger-worker" in warnings[0]
    assert "function ledger-wrker has no events" in warnings[1]
    assert warnings[1].endswith("did you mean ledger-worker?")


def test_check_window_without_rows_is_no_data(demo_lake: str, tmp_path: Path) -> None:
    rules = tmp_path / "alerts.yaml"
    rules.write_text(
        "defaults:\n  no_data: breaching\n"
        "rules:\n  - name: worker-errors\n    type: error_rate\n    threshold: 0.05\n"
        "    functions: [ledger-worker]\n"
    )
    result = CliRunner().invoke(
        cli,
        ["alerts", "check", "--lake", demo_lake, "--rules", str(rules), "--dry-run",
         "--at", "2026-11-05T12:00:00Z", "--format", "json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    outcome = orjson.loads(result.stdout)[0]
    assert outcome["error"] is None
    assert outcome["alerts"][0]["state"] == "ALARM"
    assert outcome["alerts"][0]["value"] is None
