"""``loglake alerts``: check rules now or at an instant, replay them over history, snooze one."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import click
import orjson

from loglake.analytics.alerts.delivery import Sender
from loglake.analytics.alerts.durations import format_duration
from loglake.analytics.alerts.engine import (
    EmptyLakeError,
    RuleOutcome,
    check,
    replay,
    require_log_objects,
)
from loglake.analytics.alerts.function_names import LOOKBACK, missing_functions
from loglake.analytics.alerts.model import ErrorPatternCheck, FunctionHealthCheck, Rule, RuleFile
from loglake.analytics.alerts.notification import Notification, format_number
from loglake.analytics.alerts.rule_file import RuleFileError, load_rule_file
from loglake.analytics.alerts.state import load_state, save_state
from loglake.analytics.lake import Lake, open_lake
from loglake.analytics.output import plain_value
from loglake.analytics.saved_queries import (
    ALERT_RULES_FILE,
    SavedQueryError,
    default_queries_folder,
)
from loglake.analytics.sql import QueryResult
from loglake.cli.options import lake_option
from loglake.cli.render import print_result
from loglake.cli.timerange import parse_time, resolve_range
from loglake.ingest.store import open_store
from loglake.settings import load_settings

OutputFormat = Literal["table", "json"]
_DETAIL_CHARS = 100
"""Characters of a pattern or sample line that a replay table shows; JSON has all."""


def _rules_option(function: Any) -> Any:
    return click.option(
        "--rules",
        "rules_path",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Rule file.  [default: alerts.yaml in the saved queries folder]",
    )(function)


def _format_option(function: Any) -> Any:
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(["table", "json"]),
        default="table",
        show_default=True,
        help="table for people; json for scripts.",
    )(function)


@click.group()
def alerts() -> None:
    """Evaluate alert rules over the lake and send their notifications."""


@alerts.command()
@_rules_option
def validate(rules_path: Path | None) -> None:
    """Check a rule file and print its rules; exit 1 listing every mistake with its line and key."""
    rule_file = _load(rules_path)
    for rule in rule_file.rules:
        schedule = rule.schedule
        click.echo(
            f"{rule.name}: {_rule_type(rule)}, every {format_duration(schedule.interval)} "
            f"over {format_duration(schedule.window)}, notify {', '.join(rule.notify)}"
        )
    click.echo(f"{rule_file.path}: {len(rule_file.rules)} rules are valid")


@alerts.command(name="check")
@lake_option
@_rules_option
@click.option("--at", "at_text", help="Evaluate as if at this time, ISO 8601.  [default: now]")
@click.option(
    "--dry-run", is_flag=True, help="Evaluate and show what would be sent; write and send nothing."
)
@_format_option
def check_command(
    lake: str,
    rules_path: Path | None,
    at_text: str | None,
    dry_run: bool,
    output_format: OutputFormat,
) -> None:
    """Evaluate every rule once, update alert state in the lake and send notifications.

    Each rule is evaluated at the latest multiple of its interval at or before the time,
    over the window that ends there. State lives in <lake>/_state/alerts/.
    """
    rule_file = _load(rules_path)
    at = parse_time(at_text) if at_text else datetime.now(tz=UTC)
    settings = load_settings()
    opened = _open_lake(lake, rule_file, at - LOOKBACK, at)
    store = open_store(lake, endpoint_url=settings.s3_endpoint_url)
    # JSON output owns standard output, so the stdout channel writes to standard error then.
    stream = sys.stderr if output_format == "json" else sys.stdout
    sender = None if dry_run else Sender(channels=rule_file.channels, stdout=stream)
    outcomes = check(rule_file, opened, at, store=store, sender=sender, write_state=not dry_run)

    if output_format == "json":
        click.echo(orjson.dumps([_outcome_object(o) for o in outcomes], option=orjson.OPT_INDENT_2))
    else:
        if dry_run:
            for outcome in outcomes:
                for notification in outcome.notifications:
                    click.echo(f"would send to {', '.join(outcome.rule.notify)}:")
                    click.echo(notification.to_text() + "\n")
        print_result(_outcomes_table(outcomes), "table", title=f"Alerts at {at.isoformat()}")

    failed = [o for o in outcomes if o.error is not None or o.delivery_errors]
    for outcome in failed:
        for problem in [outcome.error, *outcome.delivery_errors]:
            if problem:
                click.echo(f"error: rule {outcome.rule.name}: {problem}", err=True)
    if failed:
        sys.exit(1)


@alerts.command(name="replay")
@lake_option
@_rules_option
@click.option("--start", required=True, help="Start time, ISO 8601 (UTC unless a zone is given).")
@click.option("--end", required=True, help="End time, ISO 8601 (UTC unless a zone is given).")
@_format_option
def replay_command(
    lake: str, rules_path: Path | None, start: str, end: str, output_format: OutputFormat
) -> None:
    """Replay every evaluation in a time range and list what would have fired and resolved.

    Reads and writes no alert state and sends nothing, so a rule can be tuned against
    history before it pages anyone.
    """
    rule_file = _load(rules_path)
    range_start, range_end = resolve_range(
        None, start, end, now=datetime.now(tz=UTC), default_since="1d"
    )
    opened = _open_lake(lake, rule_file, range_start - LOOKBACK, range_end)
    notifications, failures = replay(rule_file, opened, range_start, range_end)

    if output_format == "json":
        click.echo(orjson.dumps([n.to_dict() for n in notifications], option=orjson.OPT_INDENT_2))
    else:
        print_result(
            _replay_table(notifications),
            "table",
            title=f"Replay from {range_start.isoformat()} to {range_end.isoformat()}",
        )
    for failure in failures:
        click.echo(
            f"error: rule {failure.rule.name} at {failure.window.at.isoformat()}: {failure.error}",
            err=True,
        )
    if failures:
        sys.exit(1)


@alerts.command()
@lake_option
@_rules_option
@click.argument("rule")
@click.option("--until", "until_text", help="Snooze until this time, ISO 8601.")
@click.option("--clear", is_flag=True, help="End the rule's snooze now.")
def snooze(
    lake: str, rules_path: Path | None, rule: str, until_text: str | None, clear: bool
) -> None:
    """Send no notifications for RULE until a time; its state is still kept.

    An alert still in ALARM when the snooze ends is announced at the next evaluation.
    """
    if clear == (until_text is not None):
        raise click.UsageError("give either --until TIME or --clear")
    rule_file = _load(rules_path)
    if rule_file.rule(rule) is None:
        names = ", ".join(r.name for r in rule_file.rules) or "none"
        raise click.BadParameter(f"{rule_file.path} has no rule {rule!r}; its rules: {names}")
    store = open_store(lake, endpoint_url=load_settings().s3_endpoint_url)
    state = load_state(store, rule)
    state.snoozed_until = None if clear else parse_time(until_text or "")
    save_state(store, state)
    if state.snoozed_until is None:
        click.echo(f"{rule}: not snoozed")
    else:
        click.echo(f"{rule}: snoozed until {state.snoozed_until.isoformat()}")


def _load(rules_path: Path | None) -> RuleFile:
    try:
        path = rules_path or default_queries_folder() / ALERT_RULES_FILE
        return load_rule_file(path)
    except RuleFileError as error:
        if len(error.problems) == 1:
            raise click.ClickException(str(error)) from error
        for problem in error.problems:
            click.echo(f"error: {problem}", err=True)
        raise click.ClickException(
            f"{error.path} has {len(error.problems)} mistakes; no rule was evaluated"
        ) from error
    except SavedQueryError as error:
        raise click.ClickException(str(error)) from error


def _rule_type(rule: Rule) -> str:
    if isinstance(rule.check, FunctionHealthCheck | ErrorPatternCheck):
        return rule.check.check
    return "query"


def _open_lake(url: str, rule_file: RuleFile, start: datetime, end: datetime) -> Lake:
    """Open the lake for rules; exit 1 when it has no log objects.

    Warns on standard error about functions that rules list and that have no events in
    ``[start, end)``.
    """
    opened = open_lake(url, endpoint_url=load_settings().s3_endpoint_url)
    try:
        require_log_objects(opened)
    except EmptyLakeError as error:
        raise click.ClickException(str(error)) from error
    for missing in missing_functions(opened, rule_file.rules, start, end):
        click.echo(f"warning: {missing.message()}", err=True)
    return opened


def _labels_text(labels: dict[str, str]) -> str:
    return ", ".join(f"{name}={value}" for name, value in sorted(labels.items()))


def _outcomes_table(outcomes: list[RuleOutcome]) -> QueryResult:
    rows: list[tuple[Any, ...]] = []
    for outcome in outcomes:
        events = {_labels_text(n.labels): n.event for n in outcome.notifications}
        if outcome.error is not None:
            rows.append((outcome.rule.name, "", "ERROR", None, "", "", outcome.window.end))
            continue
        if not outcome.alerts:
            rows.append(
                (outcome.rule.name, "", "OK", None, _threshold(outcome), "", outcome.window.end)
            )
        for key, alert in sorted(outcome.alerts.items()):
            observation = outcome.observations.get(key)
            value = None if observation is None else observation.value
            labels = _labels_text(alert.labels)
            rows.append(
                (
                    outcome.rule.name,
                    labels,
                    alert.state,
                    value,
                    _threshold(outcome),
                    events.get(labels, ""),
                    outcome.window.end,
                )
            )
    return QueryResult(
        columns=["rule", "alert", "state", "value", "threshold", "sent", "window_end"],
        types=["VARCHAR", "VARCHAR", "VARCHAR", "DOUBLE", "VARCHAR", "VARCHAR", "TIMESTAMP"],
        rows=rows,
    )


def _threshold(outcome: RuleOutcome) -> str:
    return f"{outcome.rule.comparison} {format_number(outcome.rule.threshold)}"


def _outcome_object(outcome: RuleOutcome) -> dict[str, Any]:
    return {
        "rule": outcome.rule.name,
        "evaluated_at": plain_value(outcome.window.at),
        "window": {
            "start": plain_value(outcome.window.start),
            "end": plain_value(outcome.window.end),
        },
        "error": outcome.error,
        "alerts": [
            {
                "labels": alert.labels,
                "state": alert.state,
                "value": None
                if outcome.observations.get(key) is None
                else outcome.observations[key].value,
            }
            for key, alert in sorted(outcome.alerts.items())
        ],
        "notifications": [n.to_dict() for n in outcome.notifications],
        "delivery_errors": outcome.delivery_errors,
    }


def _replay_table(notifications: list[Notification]) -> QueryResult:
    rows = []
    for notification in notifications:
        first = notification.samples[0] if notification.samples else None
        detail = notification.pattern.template if notification.pattern else ""
        if not detail and first is not None and first.message:
            detail = first.message.splitlines()[0]
        if len(detail) > _DETAIL_CHARS:
            detail = detail[: _DETAIL_CHARS - 1] + "…"
        rows.append(
            (
                notification.evaluated_at,
                notification.rule,
                _labels_text(notification.labels),
                notification.event,
                notification.value,
                f"{notification.comparison} {format_number(notification.threshold)}",
                None if first is None else first.request_id,
                detail,
            )
        )
    return QueryResult(
        columns=["at", "rule", "alert", "event", "value", "threshold", "request_id", "detail"],
        types=["TIMESTAMP", *["VARCHAR"] * 3, "DOUBLE", "VARCHAR", "VARCHAR", "VARCHAR"],
        rows=rows,
    )
