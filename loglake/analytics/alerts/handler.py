"""Scheduled Lambda entry point: ``loglake alerts check`` at the time of an EventBridge schedule.

Configure the function with ``LOGLAKE_LAKE`` (the lake, ``s3://bucket/prefix``) and, when
the rules are not the packaged ``queries/alerts.yaml``, ``LOGLAKE_QUERIES`` (the folder that
contains ``alerts.yaml`` and the saved queries it names). The function needs the analytics
extra; it is not part of the ingest package.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from typing import Any

import structlog

from loglake.analytics.alerts.delivery import Sender
from loglake.analytics.alerts.engine import EmptyLakeError, check, require_log_objects
from loglake.analytics.alerts.function_names import LOOKBACK, missing_functions
from loglake.analytics.alerts.rule_file import load_rule_file
from loglake.analytics.lake import open_lake
from loglake.analytics.saved_queries import ALERT_RULES_FILE, default_queries_folder
from loglake.ingest.store import open_store
from loglake.ingest.structured_logging import configure_logging
from loglake.settings import LAKE, load_settings


class AlertCheckError(RuntimeError):
    """Some rules could not be evaluated or their notifications not delivered."""


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Evaluate every rule at the schedule's time, update state and send notifications.

    The EventBridge event's ``time`` is the evaluation instant, so a retried invocation
    evaluates the same instant and sends nothing twice. Raises AlertCheckError after
    saving state when a rule failed or a notification was not delivered, so the failure
    shows in the function's error metrics and Lambda retries it. Raises EmptyLakeError
    when the lake does not exist or has no log objects, so a wrong ``LOGLAKE_LAKE`` fails
    every invocation instead of keeping every alert OK.
    """
    settings = load_settings()
    configure_logging(settings.log_level)
    if not os.environ.get(LAKE.env):
        raise ValueError(
            f"{LAKE.env} is not set: set it to the lake, such as s3://bucket/prefix, in the "
            "function's environment"
        )
    lake_url = settings.lake
    at = _event_time(event)
    rules_path = default_queries_folder() / ALERT_RULES_FILE
    rule_file = load_rule_file(rules_path)

    lake = open_lake(lake_url, endpoint_url=settings.s3_endpoint_url)
    try:
        require_log_objects(lake)
    except EmptyLakeError as error:
        _logger().error("lake_empty", lake=lake.url, error=str(error))
        raise
    for missing in missing_functions(lake, rule_file.rules, at - LOOKBACK, at):
        _logger().warning(
            "function_without_events",
            rule=missing.rule,
            function=missing.function,
            nearest=list(missing.nearest),
            message=missing.message(),
        )
    store = open_store(lake_url, endpoint_url=settings.s3_endpoint_url)
    sender = Sender(channels=rule_file.channels)
    outcomes = check(rule_file, lake, at, store=store, sender=sender)

    failures = [
        {"rule": o.rule.name, "error": o.error, "delivery_errors": o.delivery_errors}
        for o in outcomes
        if o.error is not None or o.delivery_errors
    ]
    summary = {
        "at": at.isoformat(),
        "rules": len(outcomes),
        "alarms": sum(1 for o in outcomes for alert in o.alerts.values() if alert.state == "ALARM"),
        "notifications": sum(len(o.notifications) for o in outcomes),
        "failures": failures,
    }
    _logger().info(
        "alerts_checked",
        request_id=getattr(context, "aws_request_id", None),
        **{key: value for key, value in summary.items() if key != "failures"},
    )
    if failures:
        raise AlertCheckError(f"{len(failures)} rules failed at {at.isoformat()}: {failures}")
    return summary


def _event_time(event: dict[str, Any]) -> datetime:
    text = event.get("time") if isinstance(event, dict) else None
    if not isinstance(text, str):
        return datetime.now(tz=UTC)
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _logger() -> structlog.typing.FilteringBoundLogger:
    # A logger per call: a module-level one would keep the output stream of the first
    # configure_logging call, which tests and reused Lambda environments replace.
    return structlog.get_logger("loglake.alerts")  # type: ignore[no-any-return]
