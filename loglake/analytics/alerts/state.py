"""Alert state: the datapoints of each alert, M of N, and which notifications are due.

An alert is one rule and one set of labels (a function, a pattern, a query's group). Each
evaluation adds a datapoint, breaching or not; an alert is in ALARM while at least M of its
last N datapoints breach. Notifications follow what was last announced: a fire when an
ALARM has not been announced, a repeat every ``repeat`` while it lasts, and a resolve when
the alert is OK again after an announced ALARM. A snoozed rule keeps its state and
announces nothing, so an alarm still on when the snooze ends is announced then.

State lives in the lake at ``_state/alerts/<rule>.json``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

import orjson

from loglake.analytics.alerts.model import Rule
from loglake.analytics.alerts.notification import Event
from loglake.analytics.alerts.observation import Observation, alert_key
from loglake.ingest.store import LakeStore

AlarmState = Literal["OK", "ALARM"]
STATE_PREFIX = "_state/alerts/"
STATE_VERSION = 1


@dataclass(slots=True)
class AlertState:
    """One alert's datapoints and what was last announced about it."""

    labels: dict[str, str]
    state: AlarmState = "OK"
    since: datetime | None = None
    datapoints: list[tuple[datetime, bool]] = field(default_factory=list)
    """(evaluation instant, breaching) pairs, oldest first, at most N of them."""
    announced: AlarmState = "OK"
    last_notified: datetime | None = None
    last_value: float | None = None


@dataclass(slots=True)
class RuleState:
    """The state of a rule's alerts, its last evaluation and its snooze."""

    rule: str
    alerts: dict[str, AlertState] = field(default_factory=dict)
    last_evaluated: datetime | None = None
    snoozed_until: datetime | None = None

    def snoozed(self, at: datetime) -> bool:
        """Return whether the rule is snoozed at ``at``."""
        return self.snoozed_until is not None and at < self.snoozed_until


@dataclass(frozen=True, slots=True)
class Due:
    """A notification an evaluation makes due, with the observation behind it."""

    key: str
    event: Event
    observation: Observation


def advance(
    rule: Rule, state: RuleState, at: datetime, observations: list[Observation]
) -> list[Due]:
    """Add the datapoints of the evaluation at ``at`` and return the notifications due.

    Alerts in the state that the evaluation did not observe get a no-data
    datapoint. Evaluating the same instant again replaces its datapoint, so it gives the
    same states and no second notification. Call :func:`record_sent` for each
    notification once it is delivered.
    """
    schedule = rule.schedule
    observed = {observation.key: observation for observation in observations}
    for key in state.alerts:
        if key not in observed:
            observed[key] = Observation(labels=state.alerts[key].labels, value=None)

    due: list[Due] = []
    for key in sorted(observed):
        observation = observed[key]
        alert = state.alerts.get(key)
        if alert is None:
            alert = AlertState(labels=observation.labels)
            state.alerts[key] = alert

        breaching = _datapoint(rule, observation.value)
        alert.datapoints = [point for point in alert.datapoints if point[0] != at]
        if breaching is not None:
            alert.datapoints.append((at, breaching))
            alert.datapoints.sort(key=lambda point: point[0])
        alert.datapoints = alert.datapoints[-schedule.evaluation_periods :]
        if observation.value is not None:
            alert.last_value = observation.value

        breaches = sum(1 for _, breach in alert.datapoints if breach)
        new_state: AlarmState = "ALARM" if breaches >= schedule.datapoints_to_alarm else "OK"
        if new_state != alert.state:
            alert.state = new_state
            alert.since = at

        event = None if state.snoozed(at) else _due_event(rule, alert, at)
        if event is not None:
            due.append(Due(key=key, event=event, observation=observation))

    state.last_evaluated = at if state.last_evaluated is None else max(state.last_evaluated, at)
    _forget_quiet_alerts(state, observed, due)
    return due


def record_sent(state: RuleState, due: Due, at: datetime) -> None:
    """Record that a due notification was delivered at evaluation instant ``at``."""
    alert = state.alerts.get(due.key)
    if alert is None:
        return
    alert.announced = "OK" if due.event == "resolved" else "ALARM"
    alert.last_notified = at


def _datapoint(rule: Rule, value: float | None) -> bool | None:
    if value is not None:
        return rule.breaches(value)
    no_data = rule.schedule.no_data
    if no_data == "keep":
        return None
    return no_data == "breaching"


def _due_event(rule: Rule, alert: AlertState, at: datetime) -> Event | None:
    if alert.state == "ALARM" and alert.announced != "ALARM":
        return "fired"
    if alert.state == "OK" and alert.announced == "ALARM":
        return "resolved"
    repeat = rule.schedule.repeat
    if (
        alert.state == "ALARM"
        and repeat is not None
        and alert.last_notified is not None
        and at - alert.last_notified >= repeat
    ):
        return "repeat"
    return None


def _forget_quiet_alerts(
    state: RuleState, observed: dict[str, Observation], due: list[Due]
) -> None:
    """Drop alerts that are OK, announced OK, without data now and without a breach."""
    pending = {item.key for item in due}
    for key in list(state.alerts):
        alert = state.alerts[key]
        if (
            key not in pending
            and alert.state == "OK"
            and alert.announced == "OK"
            and observed[key].value is None
            and not any(breach for _, breach in alert.datapoints)
        ):
            del state.alerts[key]


# Storage


def state_key(rule_name: str) -> str:
    """Return the lake key of a rule's state object."""
    return f"{STATE_PREFIX}{rule_name}.json"


def load_state(store: LakeStore, rule_name: str) -> RuleState:
    """Read a rule's state from the lake; a rule never evaluated starts empty."""
    body = store.get(state_key(rule_name))
    if body is None:
        return RuleState(rule=rule_name)
    try:
        return state_from_dict(orjson.loads(body))
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError) as error:
        raise ValueError(
            f"alert state {store.url}/{state_key(rule_name)} is not valid ({error}): "
            "delete the object to start the rule afresh"
        ) from error


def save_state(store: LakeStore, state: RuleState) -> None:
    """Write a rule's state to the lake, replacing the previous object atomically."""
    store.put(state_key(state.rule), orjson.dumps(state_to_dict(state), option=orjson.OPT_INDENT_2))


def state_to_dict(state: RuleState) -> dict[str, Any]:
    """Return the state as the JSON document the lake keeps."""
    return {
        "version": STATE_VERSION,
        "rule": state.rule,
        "last_evaluated": _time(state.last_evaluated),
        "snoozed_until": _time(state.snoozed_until),
        "alerts": {
            key: {
                "labels": alert.labels,
                "state": alert.state,
                "since": _time(alert.since),
                "datapoints": [[_time(at), breach] for at, breach in alert.datapoints],
                "announced": alert.announced,
                "last_notified": _time(alert.last_notified),
                "last_value": alert.last_value,
            }
            for key, alert in sorted(state.alerts.items())
        },
    }


def state_from_dict(document: dict[str, Any]) -> RuleState:
    """Return the state a JSON document of :func:`state_to_dict` describes."""
    if document.get("version") != STATE_VERSION:
        raise ValueError(f"unknown state version {document.get('version')!r}")
    alerts = {}
    for key, item in document["alerts"].items():
        labels = {str(name): str(value) for name, value in item["labels"].items()}
        if key != alert_key(labels):
            raise ValueError(f"alert {key!r} does not match its labels")
        alerts[key] = AlertState(
            labels=labels,
            state=_alarm_state(item["state"]),
            since=_parse_time(item["since"]),
            datapoints=[(_required_time(at), bool(breach)) for at, breach in item["datapoints"]],
            announced=_alarm_state(item["announced"]),
            last_notified=_parse_time(item["last_notified"]),
            last_value=None if item["last_value"] is None else float(item["last_value"]),
        )
    return RuleState(
        rule=str(document["rule"]),
        alerts=alerts,
        last_evaluated=_parse_time(document["last_evaluated"]),
        snoozed_until=_parse_time(document["snoozed_until"]),
    )


def _alarm_state(value: Any) -> AlarmState:
    if value not in ("OK", "ALARM"):
        raise ValueError(f"unknown alarm state {value!r}")
    return "OK" if value == "OK" else "ALARM"


def _time(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def _parse_time(text: Any) -> datetime | None:
    return None if text is None else _required_time(text)


def _required_time(text: Any) -> datetime:
    moment = datetime.fromisoformat(str(text))
    if moment.tzinfo is None:
        raise ValueError(f"time {text!r} has no zone")
    return moment
