"""Alert state: OK -> ALARM -> repeat -> OK, M of N, no data, snoozes and storage."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from loglake.analytics.alerts.model import Rule
from loglake.analytics.alerts.observation import Observation
from loglake.analytics.alerts.rule_file import parse_rule_file
from loglake.analytics.alerts.state import (
    RuleState,
    advance,
    load_state,
    record_sent,
    save_state,
)
from loglake.ingest.store import open_store

START = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)
STEP = timedelta(minutes=5)


def make_rule(**settings: object) -> Rule:
    lines = [f"    {key}: {value}" for key, value in settings.items()]
    text = "rules:\n  - name: errors\n    type: timeout\n" + "\n".join(lines) + "\n"
    return parse_rule_file(text, Path("alerts.yaml")).rules[0]


def observe(value: float | None) -> list[Observation]:
    return [Observation(labels={"function": "orders-api"}, value=value)]


class Clock:
    """Evaluation instants the test moves forward by hand."""

    def __init__(self) -> None:
        self.now = START

    def tick(self, steps: int = 1) -> datetime:
        self.now += steps * STEP
        return self.now


def evaluate(rule: Rule, state: RuleState, at: datetime, value: float | None) -> list[str]:
    """Advance the state, record every due notification as delivered, return the events."""
    due = advance(rule, state, at, observe(value))
    for item in due:
        record_sent(state, item, at)
    return [item.event for item in due]


def test_walk_ok_alarm_repeat_ok() -> None:
    rule = make_rule(repeat="15m")
    state = RuleState(rule=rule.name)
    clock = Clock()
    key = "function=orders-api"

    assert evaluate(rule, state, clock.tick(), 0) == []
    assert state.alerts[key].state == "OK"

    fired_at = clock.tick()
    assert evaluate(rule, state, fired_at, 2) == ["fired"]
    assert state.alerts[key].state == "ALARM"
    assert state.alerts[key].since == fired_at

    assert evaluate(rule, state, clock.tick(), 1) == []
    assert evaluate(rule, state, clock.tick(), 1) == []
    assert evaluate(rule, state, clock.tick(), 3) == ["repeat"]
    assert evaluate(rule, state, clock.tick(), 1) == []

    assert evaluate(rule, state, clock.tick(), 0) == ["resolved"]
    assert state.alerts[key].state == "OK"
    assert state.alerts[key].announced == "OK"
    assert state.alerts[key].last_value == 0


def test_same_instant_twice_same_result() -> None:
    rule = make_rule()
    state = RuleState(rule=rule.name)
    at = START + STEP
    assert evaluate(rule, state, at, 4) == ["fired"]
    datapoints = list(state.alerts["function=orders-api"].datapoints)
    assert evaluate(rule, state, at, 4) == []
    assert state.alerts["function=orders-api"].datapoints == datapoints
    assert state.alerts["function=orders-api"].state == "ALARM"


def test_m_of_n() -> None:
    rule = make_rule(datapoints_to_alarm=2, evaluation_periods=3)
    state = RuleState(rule=rule.name)
    clock = Clock()
    assert evaluate(rule, state, clock.tick(), 1) == []
    assert evaluate(rule, state, clock.tick(), 0) == []
    assert evaluate(rule, state, clock.tick(), 1) == ["fired"]
    assert evaluate(rule, state, clock.tick(), 1) == []
    assert evaluate(rule, state, clock.tick(), 0) == []
    # The last three are 1, 0, 0: one breach of three is below two.
    assert evaluate(rule, state, clock.tick(), 0) == ["resolved"]


def test_no_data_choices() -> None:
    for no_data, expected in (("ok", ["resolved"]), ("breaching", []), ("keep", [])):
        rule = make_rule(no_data=no_data)
        state = RuleState(rule=rule.name)
        assert evaluate(rule, state, START + STEP, 1) == ["fired"]
        assert evaluate(rule, state, START + 2 * STEP, None) == expected, no_data
        assert state.alerts["function=orders-api"].state == ("OK" if no_data == "ok" else "ALARM")


def test_unannounced_until_delivered() -> None:
    rule = make_rule()
    state = RuleState(rule=rule.name)
    due = advance(rule, state, START + STEP, observe(1))
    assert [item.event for item in due] == ["fired"]
    # Delivery failed, so nothing was recorded: the next evaluation fires again.
    due = advance(rule, state, START + 2 * STEP, observe(1))
    assert [item.event for item in due] == ["fired"]


def test_snooze_holds_notifications() -> None:
    rule = make_rule()
    state = RuleState(rule=rule.name, snoozed_until=START + 3 * STEP)
    assert evaluate(rule, state, START + STEP, 1) == []
    assert state.alerts["function=orders-api"].state == "ALARM"
    assert evaluate(rule, state, START + 2 * STEP, 1) == []
    assert evaluate(rule, state, START + 3 * STEP, 1) == ["fired"]


def test_quiet_alerts_are_forgotten() -> None:
    rule = make_rule()
    state = RuleState(rule=rule.name)
    evaluate(rule, state, START + STEP, 0)
    assert "function=orders-api" in state.alerts
    advance(rule, state, START + 2 * STEP, [])
    assert state.alerts == {}


def test_state_round_trip(tmp_path: Path) -> None:
    rule = make_rule(repeat="never")
    store = open_store(str(tmp_path))
    state = load_state(store, rule.name)
    assert state.alerts == {}
    evaluate(rule, state, START + STEP, 2)
    state.snoozed_until = START + timedelta(days=1)
    save_state(store, state)
    assert (tmp_path / "_state" / "alerts" / "errors.json").is_file()

    loaded = load_state(store, rule.name)
    assert loaded == state
    assert evaluate(rule, loaded, START + 30 * STEP, 2) == []


def test_state_in_s3(s3_lake: str) -> None:
    store = open_store(s3_lake)
    rule = make_rule()
    state = RuleState(rule=rule.name)
    evaluate(rule, state, START + STEP, 1)
    save_state(store, state)
    assert load_state(store, rule.name) == state
