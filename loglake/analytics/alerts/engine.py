"""Evaluate rules: ``check`` at one instant with stored state, ``replay`` over a time range.

Both evaluate each rule at multiples of its interval against an in-memory snapshot of the
lake, and advance the same state machine. ``check`` reads and writes the state in the lake
and sends notifications; ``replay`` starts from empty state, keeps it in memory and sends
nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path

import structlog

from loglake.analytics.alerts.delivery import Sender
from loglake.analytics.alerts.durations import align_down
from loglake.analytics.alerts.function_checks import evaluate_function_check
from loglake.analytics.alerts.function_checks import reproduce as function_reproduce
from loglake.analytics.alerts.model import (
    ErrorPatternCheck,
    FunctionHealthCheck,
    Rule,
    RuleFile,
)
from loglake.analytics.alerts.notification import Notification
from loglake.analytics.alerts.observation import Observation, Window
from loglake.analytics.alerts.pattern_checks import evaluate_pattern_check
from loglake.analytics.alerts.pattern_checks import reproduce as pattern_reproduce
from loglake.analytics.alerts.query_checks import QueryRuleError, evaluate_query_check
from loglake.analytics.alerts.query_checks import reproduce as query_reproduce
from loglake.analytics.alerts.snapshot import fetch_error_lines, snapshot_lake
from loglake.analytics.alerts.state import (
    AlertState,
    Due,
    RuleState,
    advance,
    load_state,
    record_sent,
    save_state,
)
from loglake.analytics.insights import InsightsError
from loglake.analytics.lake import Lake
from loglake.analytics.sql import QueryError
from loglake.ingest.store import LakeStore

REPLAY_CHUNK = timedelta(hours=24)
"""Evaluation instants that one snapshot of the lake serves during a replay. Each snapshot
contains every row of its span in memory, so a longer chunk reads the lake fewer times and
uses more memory."""
MAX_REPLAY_EVALUATIONS = 100_000


class EmptyLakeError(RuntimeError):
    """The lake does not exist or has no log objects, so no rule could see any data."""


def require_log_objects(lake: Lake) -> None:
    """Raise EmptyLakeError when the lake has no log objects.

    Without this check a mistyped lake URL would keep every rule OK (or in no data) forever.
    A lake that has log objects but none in a rule's window is evaluated as usual, and the
    rule's ``no_data`` setting applies.
    """
    if not lake.empty:
        return
    if not lake.url.startswith("s3://") and not Path(lake.url).is_dir():
        problem = f"the lake {lake.url} does not exist"
    else:
        problem = f"the lake {lake.url} has no log objects under logs/"
    raise EmptyLakeError(
        f"{problem}, so every rule would see no data: set the lake with --lake or "
        "LOGLAKE_LAKE to the one the ingest function writes, or ingest logs first "
        "(loglake ingest, loglake import)"
    )


@dataclass(slots=True)
class RuleOutcome:
    """One rule's evaluation at one instant: its alerts, notifications and any error."""

    rule: Rule
    window: Window
    alerts: dict[str, AlertState] = field(default_factory=dict)
    observations: dict[str, Observation] = field(default_factory=dict)
    notifications: list[Notification] = field(default_factory=list)
    due: list[Due] = field(default_factory=list)
    """The state changes behind ``notifications``, in the same order."""
    delivery_errors: list[str] = field(default_factory=list)
    error: str | None = None


def evaluation_window(rule: Rule, at: datetime) -> Window:
    """Return the window of the rule's evaluation due at or before ``at``."""
    schedule = rule.schedule
    instant = align_down(at, schedule.interval)
    end = instant - schedule.delay
    return Window(at=instant, start=end - schedule.window, end=end)


def evaluate_rule(lake: Lake, rule: Rule, window: Window) -> list[Observation]:
    """Return what the rule observes in the window."""
    check = rule.check
    if isinstance(check, FunctionHealthCheck):
        return evaluate_function_check(lake, check, window)
    if isinstance(check, ErrorPatternCheck):
        return evaluate_pattern_check(lake, check, window)
    return evaluate_query_check(lake, check, window)


def _baseline(rule: Rule) -> timedelta:
    return rule.check.baseline if isinstance(rule.check, ErrorPatternCheck) else timedelta(0)


def check(
    rule_file: RuleFile,
    lake: Lake,
    at: datetime,
    *,
    store: LakeStore,
    sender: Sender | None,
    write_state: bool = True,
) -> list[RuleOutcome]:
    """Evaluate every rule once at ``at`` with its stored state.

    With a sender, due notifications are sent, and an alert's notification counts as
    announced only once delivered, so a failed delivery is tried again at the next
    evaluation. ``write_state=False`` (a dry run) reads the state and writes nothing.
    Raises EmptyLakeError before evaluating anything when the lake has no log objects.
    """
    require_log_objects(lake)
    windows = {rule.name: evaluation_window(rule, at) for rule in rule_file.rules}
    if not windows:
        return []
    start = min(window.start for window in windows.values())
    end = max(window.end for window in windows.values())
    errors_from = min(windows[rule.name].start - _baseline(rule) for rule in rule_file.rules)
    older = fetch_error_lines(lake, errors_from, start) if errors_from < start else None
    snapshot = snapshot_lake(lake, start=start, end=end, older_errors=older)

    outcomes = []
    for rule in rule_file.rules:
        state = load_state(store, rule.name)
        outcome = _step(snapshot, rule, state, windows[rule.name])
        if sender is not None and outcome.error is None:
            _deliver(sender, rule, state, outcome)
        if write_state and outcome.error is None:
            save_state(store, state)
        outcomes.append(outcome)
    return outcomes


def _deliver(sender: Sender, rule: Rule, state: RuleState, outcome: RuleOutcome) -> None:
    sent = []
    for notification, due in zip(outcome.notifications, outcome.due, strict=True):
        errors = sender.send(notification, rule.notify)
        if errors:
            outcome.delivery_errors.extend(errors)
            for error in errors:
                _logger().error("notification_failed", rule=rule.name, alert=due.key, error=error)
            continue
        record_sent(state, due, outcome.window.at)
        sent.append(notification)
        _logger().info("notification_sent", rule=rule.name, alert=due.key, change=due.event)
    outcome.notifications = sent


def replay(
    rule_file: RuleFile,
    lake: Lake,
    start: datetime,
    end: datetime,
    *,
    progress: Callable[[datetime], None] | None = None,
) -> tuple[list[Notification], list[RuleOutcome]]:
    """Evaluate every rule at each of its instants in ``(start, end]`` from empty state.

    Returns the notifications that would have been sent, in time order, and the outcomes
    of evaluations that failed. Reads and writes no stored state and sends nothing.
    Raises EmptyLakeError when the lake has no log objects.
    """
    require_log_objects(lake)
    schedule = _replay_schedule(rule_file, start, end)
    if not schedule:
        return [], []
    errors_from = min(window.start - _baseline(rule) for _, rule, window in schedule)
    errors = fetch_error_lines(lake, errors_from, max(window.end for _, _, window in schedule))

    states = {rule.name: RuleState(rule=rule.name) for rule in rule_file.rules}
    notifications: list[Notification] = []
    failures: list[RuleOutcome] = []
    chunk_start = align_down(schedule[0][0], REPLAY_CHUNK)
    index = 0
    while index < len(schedule):
        chunk_end = chunk_start + REPLAY_CHUNK
        batch = []
        while index < len(schedule) and schedule[index][0] < chunk_end:
            batch.append(schedule[index])
            index += 1
        chunk_start = chunk_end
        if not batch:
            continue
        snapshot = snapshot_lake(
            lake,
            start=min(window.start for _, _, window in batch),
            end=max(window.end for _, _, window in batch),
            older_errors=errors,
        )
        for instant, rule, window in batch:
            outcome = _step(snapshot, rule, states[rule.name], window)
            if outcome.error is not None:
                failures.append(outcome)
                continue
            for notification, due in zip(outcome.notifications, outcome.due, strict=True):
                record_sent(states[rule.name], due, instant)
                notifications.append(notification)
        if progress is not None:
            progress(batch[-1][0])
        snapshot.connection.close()
    return notifications, failures


def _replay_schedule(
    rule_file: RuleFile, start: datetime, end: datetime
) -> list[tuple[datetime, Rule, Window]]:
    schedule = []
    for order, rule in enumerate(rule_file.rules):
        interval = rule.schedule.interval
        instant = align_down(start, interval) + interval
        count = 0
        while instant <= end:
            schedule.append((instant, order, rule, evaluation_window(rule, instant)))
            instant += interval
            count += 1
            if len(schedule) > MAX_REPLAY_EVALUATIONS:
                raise ValueError(
                    f"replaying {start.isoformat()} to {end.isoformat()} takes more than "
                    f"{MAX_REPLAY_EVALUATIONS} evaluations: replay a shorter range"
                )
    schedule.sort(key=lambda item: (item[0], item[1]))
    return [(instant, rule, window) for instant, _, rule, window in schedule]


def _step(lake: Lake, rule: Rule, state: RuleState, window: Window) -> RuleOutcome:
    """Evaluate one rule and advance its state; an evaluation error leaves the state as is."""
    outcome = RuleOutcome(rule=rule, window=window)
    try:
        observations = evaluate_rule(lake, rule, window)
    except (QueryError, QueryRuleError, InsightsError) as error:
        outcome.error = str(error)
        _logger().error("rule_failed", rule=rule.name, at=window.at.isoformat(), error=str(error))
        return outcome

    outcome.observations = {observation.key: observation for observation in observations}
    due = advance(rule, state, window.at, observations)
    for item in due:
        if item.event != "resolved" and item.observation.load_samples is not None:
            samples = item.observation.load_samples()
            item = replace(item, observation=replace(item.observation, samples=samples))
        outcome.observations.setdefault(item.key, item.observation)
        outcome.notifications.append(_notification(lake, rule, window, item, state))
        outcome.due.append(item)
    outcome.alerts = dict(state.alerts)
    return outcome


def _notification(
    lake: Lake, rule: Rule, window: Window, due: Due, state: RuleState
) -> Notification:
    observation = due.observation
    alert = state.alerts.get(due.key)
    value = observation.value
    if value is None and alert is not None and due.event != "resolved":
        value = alert.last_value
    return Notification(
        rule=rule.name,
        description=rule.description,
        event=due.event,
        evaluated_at=window.at,
        window_start=window.start,
        window_end=window.end,
        labels=observation.labels,
        value=value,
        comparison=rule.comparison,
        threshold=rule.threshold,
        samples=observation.samples,
        reproduce=observation.reproduce or reproduce_command(lake.url, rule, window, due),
        pattern=observation.pattern,
        details=observation.details,
    )


def reproduce_command(lake_url: str, rule: Rule, window: Window, due: Due) -> str:
    """Return the command that shows the rows of an alert that saw no data this time."""
    check = rule.check
    if isinstance(check, FunctionHealthCheck):
        return function_reproduce(lake_url, check, window)
    if isinstance(check, ErrorPatternCheck):
        return pattern_reproduce(lake_url, window, due.observation.labels.get("function"))
    return query_reproduce(lake_url, check, window)


def _logger() -> structlog.typing.FilteringBoundLogger:
    # A logger per call: a module-level one would keep the output stream of the first
    # configure_logging call, which tests and reused Lambda environments replace.
    return structlog.get_logger("loglake.alerts")  # type: ignore[no-any-return]
