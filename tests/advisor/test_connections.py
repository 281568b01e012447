"""Connection exhaustion findings: limit errors, and resets that rise with load."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from loglake.analytics.advisor import Finding, FindingKind, advise
from loglake.analytics.advisor.concurrency import HourlyLoad
from loglake.analytics.advisor.connections import load_relation
from tests.advisor.fixture_lake import DAY, Function, day_scope, python_line, spread, write_lake

TOO_MANY = (
    'connection to server at "db" (10.0.12.47), port 5432 failed: '
    "FATAL:  sorry, too many clients already"
)
RESET = "could not receive data from server: Connection reset by peer"


def connection_findings(tmp_path: Path, function: Function) -> list[Finding]:
    report = advise(write_lake(tmp_path, [function]), day_scope())
    return [f for f in report.findings if f.kind == FindingKind.CONNECTION_EXHAUSTION]


def worker(busy_error: str | None, quiet_error: str | None) -> Function:
    """Return a worker with 6 invocations an hour, 40 an hour from 14:00 to 17:59.

    ``busy_error`` goes into every fifth invocation of the busy hours, ``quiet_error``
    into every third invocation of the other hours.
    """
    function = Function("ledger")
    for hour in range(24):
        busy = 14 <= hour < 18
        count = 40 if busy else 6
        error, every = (busy_error, 5) if busy else (quiet_error, 3)
        for index, at in enumerate(spread(count, hours=1, start=DAY + timedelta(hours=hour))):
            lines = []
            if error is not None and index % every == 0:
                lines = [python_line("", "ERROR", error)]
            function.invoke(at, 300.0, memory_size_mb=512, app_lines=lines)
    return function


def test_limit_errors_fire(tmp_path: Path) -> None:
    [finding] = connection_findings(tmp_path, worker(TOO_MANY, None))
    evidence = finding.evidence
    assert evidence["affected_invocations"] == 32
    assert evidence["patterns"][0]["pattern"] == "postgresql_too_many_clients"
    assert evidence["patterns"][0]["lines"] == 32
    assert evidence["rises_with_load"] is True
    assert evidence["affected_share_in_busy_hours"] == 1.0
    assert len(finding.request_ids) == 32
    assert "RDS Proxy" in finding.recommendation


def test_limit_errors_fire_without_load_relation(tmp_path: Path) -> None:
    [finding] = connection_findings(tmp_path, worker(None, TOO_MANY))
    assert finding.evidence["rises_with_load"] is False


def test_resets_rising_with_load_fire(tmp_path: Path) -> None:
    [finding] = connection_findings(tmp_path, worker(RESET, None))
    assert finding.evidence["patterns"][0]["pattern"] == "connection_reset"


def test_resets_flat_across_load_do_not_fire(tmp_path: Path) -> None:
    # Every fifth invocation when busy and every third when quiet: a lower rate when busy.
    assert connection_findings(tmp_path, worker(RESET, RESET)) == []


def test_no_connection_errors_no_finding(tmp_path: Path) -> None:
    assert connection_findings(tmp_path, worker(None, None)) == []


def test_load_relation_compares_busy_and_quiet_hours() -> None:
    hours = [
        HourlyLoad(DAY + timedelta(hours=index), invocations, peak)
        for index, (invocations, peak) in enumerate([(10, 1), (10, 1), (10, 1), (50, 4)])
    ]
    affected: list[datetime] = [DAY + timedelta(hours=3, minutes=minute) for minute in range(5)]
    relation = load_relation(hours, affected)
    assert relation.busy_hours == (DAY + timedelta(hours=3),)
    assert relation.busy_rate == 0.1
    assert relation.other_rate == 0.0
    assert relation.busy_share == 1.0
    assert relation.rises_with_load
    assert relation.concurrency_correlation == 1.0
