"""Read and check an alert rule file, reporting the first mistake with its file, line and key.

The whole file is checked before any rule is evaluated: every key, duration, comparison,
channel reference, saved query and its parameters, and the syntax of every Insights query.
"""

from __future__ import annotations

import difflib
import math
import os
import re
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any, NoReturn, cast

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from loglake.analytics.alerts.durations import format_duration, parse_duration
from loglake.analytics.alerts.model import (
    COMPARISONS,
    FUNCTION_CHECKS,
    PATTERN_CHECKS,
    Channel,
    Check,
    Comparison,
    ErrorPatternCheck,
    FunctionCheck,
    FunctionHealthCheck,
    NoData,
    PatternCheck,
    QueryCheck,
    Rule,
    RuleFile,
    Schedule,
    SnsChannel,
    StdoutChannel,
    WebhookChannel,
)
from loglake.analytics.alerts.webhook import check_webhook_url
from loglake.analytics.insights import InsightsError, compile_query

RULE_NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,99}")
"""Rule and channel names: lower-case letters, digits and hyphens. A rule's name is also
the name of its state object in the lake."""
_FUNCTION_NAME = re.compile(r"[A-Za-z0-9_-]{1,140}")
_SNS_TOPIC_ARN = re.compile(r"arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?")
_HEADER_NAME = re.compile(r"[A-Za-z0-9-]{1,100}")

TOP_KEYS = ("defaults", "channels", "rules")
SCHEDULE_KEYS = (
    "window",
    "interval",
    "delay",
    "datapoints_to_alarm",
    "evaluation_periods",
    "no_data",
    "repeat",
    "notify",
)
RULE_TYPES = ("query", *FUNCTION_CHECKS, *PATTERN_CHECKS)
RULE_KEYS = (
    "name",
    "description",
    "type",
    "query",
    "insights",
    "parameters",
    "value",
    "comparison",
    "threshold",
    "functions",
    "min_invocations",
    "min_count",
    "baseline",
    "factor",
    *SCHEDULE_KEYS,
)
CHANNEL_TYPES = ("webhook", "sns", "stdout")
CHANNEL_KEYS = ("type", "url", "url_env", "format", "timeout", "retries", "headers", "topic_arn")
STDOUT = "stdout"
"""The channel every rule file has without declaring it."""

BUILT_IN_DEFAULTS: Mapping[str, Any] = {
    "window": "5m",
    "interval": "5m",
    "delay": "0s",
    "datapoints_to_alarm": 1,
    "evaluation_periods": 1,
    "no_data": "ok",
    "repeat": "1h",
    "notify": [STDOUT],
}

FUNCTION_CHECK_UNITS: Mapping[FunctionCheck, str] = {
    "error_rate": "a fraction of invocations from 0 to 1, such as 0.05",
    "cold_start_rate": "a fraction of invocations from 0 to 1, such as 0.2",
    "p99_duration": "milliseconds, such as 3000",
    "timeout": "a count of timed-out invocations",
    "out_of_memory": "a count of out-of-memory kills",
}
_COUNT_CHECKS = ("timeout", "out_of_memory")

MAX_BASELINE = timedelta(days=90)
MAX_WINDOW = timedelta(days=7)


class RuleFileError(ValueError):
    """A rule file that is not valid, with the place of the problem."""

    def __init__(self, path: Path, line: int | None, key: str | None, problem: str) -> None:
        self.path = path
        self.line = line
        self.key = key
        self.problem = problem
        place = str(path) if line is None else f"{path}:{line}"
        super().__init__(f"{place}: {key}: {problem}" if key else f"{place}: {problem}")


def load_rule_file(path: Path, *, queries_folder: Path | None = None) -> RuleFile:
    """Read and check the rule file at ``path``.

    Saved queries that rules name come from ``queries_folder`` (by default the saved
    queries folder). Raises RuleFileError at the first problem.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RuleFileError(
            path, None, None, "the rule file does not exist: pass --rules FILE"
        ) from None
    except UnicodeDecodeError as error:
        raise RuleFileError(path, None, None, f"is not UTF-8 text ({error.reason})") from None
    except OSError as error:
        raise RuleFileError(path, None, None, f"cannot be read: {error.strerror}") from None
    return parse_rule_file(text, path, queries_folder=queries_folder)


def parse_rule_file(text: str, path: Path, *, queries_folder: Path | None = None) -> RuleFile:
    """Check rule file ``text``; ``path`` names it in messages. Raises RuleFileError."""
    loader = yaml.SafeLoader(text)
    try:
        try:
            root = loader.get_single_node()
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            line = mark.line + 1 if mark is not None else None
            problem = error.problem or error.context or "invalid YAML"
            raise RuleFileError(path, line, None, f"invalid YAML: {problem}") from None
        except yaml.YAMLError as error:
            raise RuleFileError(path, None, None, f"invalid YAML: {error}") from None
        if root is None:
            raise RuleFileError(path, 1, None, "the file is empty: expected a 'rules' list")
        return _Reader(path, loader, queries_folder).rule_file(root)
    finally:
        loader.dispose()


class _Reader:
    """Checker of one rule file's node tree."""

    def __init__(self, path: Path, loader: yaml.SafeLoader, queries_folder: Path | None) -> None:
        self._path = path
        self._loader = loader
        self._queries_folder = queries_folder
        self._saved: dict[str, Any] | None = None

    # The file

    def rule_file(self, root: Node) -> RuleFile:
        entries = self._mapping(root, None, TOP_KEYS, "rule file")
        if "rules" not in entries:
            self._fail(root, None, "the key 'rules' is missing: expected a list of rules")

        defaults: dict[str, tuple[Node, Any]] = {
            key: (root, value) for key, value in BUILT_IN_DEFAULTS.items()
        }
        if "defaults" in entries:
            given = self._mapping(entries["defaults"][1], "defaults", SCHEDULE_KEYS, "defaults")
            for key, (_, value_node) in given.items():
                defaults[key] = (value_node, self._value(value_node))

        channels: dict[str, Channel] = {STDOUT: StdoutChannel(STDOUT)}
        if "channels" in entries:
            channels.update(self._channels(entries["channels"][1]))

        rules_node = entries["rules"][1]
        if not isinstance(rules_node, SequenceNode):
            self._fail(rules_node, "rules", f"expected a list of rules, found {_kind(rules_node)}")
        rules: list[Rule] = []
        seen: dict[str, int] = {}
        for index, rule_node in enumerate(rules_node.value):
            rule = self._rule(rule_node, index, defaults, channels)
            if rule.name in seen:
                self._fail(
                    rule_node,
                    f"rules[{index}].name",
                    f"the rule name {rule.name!r} is already used on line {seen[rule.name]}: "
                    "rule names must be unique, because each names its alert state",
                )
            seen[rule.name] = rule.line
            rules.append(rule)
        return RuleFile(path=self._path, rules=tuple(rules), channels=channels)

    # Channels

    def _channels(self, node: Node) -> dict[str, Channel]:
        channels: dict[str, Channel] = {}
        for name, (key_node, value_node) in self._mapping(node, "channels", None, "").items():
            key = f"channels.{name}"
            if not RULE_NAME.fullmatch(name):
                self._fail(key_node, key, "use lower-case letters, digits and hyphens for a name")
            if name == STDOUT:
                self._fail(key_node, key, "stdout is built in: choose another name")
            channels[name] = self._channel(name, value_node, key)
        return channels

    def _channel(self, name: str, node: Node, key: str) -> Channel:
        entries = self._mapping(node, key, CHANNEL_KEYS, "channel")
        kind = self._choice(entries, "type", key, CHANNEL_TYPES, node)
        allowed = {
            "webhook": ("type", "url", "url_env", "format", "timeout", "retries", "headers"),
            "sns": ("type", "topic_arn"),
            "stdout": ("type",),
        }[kind]
        for entry, (key_node, _) in entries.items():
            if entry not in allowed:
                self._fail(
                    key_node,
                    f"{key}.{entry}",
                    f"a {kind} channel has no key {entry!r}: its keys are {', '.join(allowed)}",
                )
        if kind == "stdout":
            return StdoutChannel(name)
        if kind == "sns":
            if "topic_arn" not in entries:
                self._fail(node, key, "the key 'topic_arn' is missing: give the SNS topic's ARN")
            arn = self._text(entries["topic_arn"], f"{key}.topic_arn")
            if not _SNS_TOPIC_ARN.fullmatch(arn):
                self._fail(
                    entries["topic_arn"][1],
                    f"{key}.topic_arn",
                    f"{arn!r} is not an SNS topic ARN such as "
                    "arn:aws:sns:us-east-1:123456789012:loglake-alerts",
                )
            return SnsChannel(name, arn)
        return self._webhook(name, node, key, entries)

    def _webhook(
        self, name: str, node: Node, key: str, entries: dict[str, tuple[Node, Node]]
    ) -> WebhookChannel:
        if ("url" in entries) == ("url_env" in entries):
            self._fail(
                node,
                key,
                "give exactly one of 'url' and 'url_env' (the environment variable that holds "
                "the URL, for URLs that are secrets such as Slack's)",
            )
        if "url" in entries:
            url_node = entries["url"][1]
            url = self._text(entries["url"], f"{key}.url")
            url_key = f"{key}.url"
        else:
            url_node = entries["url_env"][1]
            variable = self._text(entries["url_env"], f"{key}.url_env")
            url_key = f"{key}.url_env"
            # An unset variable is reported when the channel sends, so files stay checkable
            # on machines without the secret.
            url = os.environ.get(variable, f"${variable}")
        if not url.startswith("$"):
            problem = check_webhook_url(url)
            if problem is not None:
                self._fail(url_node, url_key, problem)

        message_format = "json"
        if "format" in entries:
            message_format = self._choice(entries, "format", key, ("slack", "json"), node)
        timeout = 5.0
        if "timeout" in entries:
            duration = self._duration(entries["timeout"], f"{key}.timeout")
            if duration > timedelta(seconds=60):
                self._fail(entries["timeout"][1], f"{key}.timeout", "use at most 60s")
            timeout = duration.total_seconds()
        retries = 3
        if "retries" in entries:
            retries = self._integer(entries["retries"], f"{key}.retries", 0, 10)
        headers: dict[str, str] = {}
        if "headers" in entries:
            header_entries = self._mapping(entries["headers"][1], f"{key}.headers", None, "")
            for header, (header_key, header_value) in header_entries.items():
                if not _HEADER_NAME.fullmatch(header):
                    self._fail(header_key, f"{key}.headers", f"{header!r} is not a header name")
                value = self._value(header_value)
                if not isinstance(value, str) or "\n" in value or "\r" in value:
                    self._fail(header_value, f"{key}.headers.{header}", "expected one line of text")
                headers[header] = value
        return WebhookChannel(
            name=name,
            url=url,
            format=cast("Any", message_format),
            timeout=timeout,
            retries=retries,
            headers=headers,
        )

    # Rules

    def _rule(
        self,
        node: Node,
        index: int,
        defaults: Mapping[str, tuple[Node, Any]],
        channels: Mapping[str, Channel],
    ) -> Rule:
        where = f"rules[{index}]"
        named = _scalar_entry(node, "name")
        if named is not None and RULE_NAME.fullmatch(named):
            where = f"rules.{named}"
        entries = self._mapping(node, where, RULE_KEYS, "rule")
        if "name" not in entries:
            self._fail(node, where, "the key 'name' is missing: every rule needs a unique name")
        name = self._text(entries["name"], f"rules[{index}].name")
        if not RULE_NAME.fullmatch(name):
            self._fail(
                entries["name"][1],
                f"rules[{index}].name",
                f"{name!r} is not a valid rule name: use lower-case letters, digits and "
                "hyphens, such as orders-api-errors",
            )
        key = f"rules.{name}"
        description = ""
        if "description" in entries:
            description = self._text(entries["description"], f"{key}.description").strip()

        rule_type = self._rule_type(node, key, entries)
        check: Check
        if rule_type == "query":
            check = self._query_check(node, key, entries)
        elif rule_type in FUNCTION_CHECKS:
            check = self._function_check(rule_type, key, entries)
        else:
            check = self._pattern_check(cast("PatternCheck", rule_type), key, entries)
        self._reject_keys_of_other_types(rule_type, key, entries)

        comparison, threshold = self._condition(rule_type, node, key, entries)
        schedule, notify = self._schedule(key, entries, defaults, channels)
        return Rule(
            name=name,
            description=description,
            check=check,
            comparison=comparison,
            threshold=threshold,
            schedule=schedule,
            notify=notify,
            line=node.start_mark.line + 1,
        )

    def _rule_type(self, node: Node, key: str, entries: dict[str, tuple[Node, Node]]) -> str:
        if "type" in entries:
            return self._choice(entries, "type", key, RULE_TYPES, node)
        if "query" in entries or "insights" in entries:
            return "query"
        self._fail(
            node,
            key,
            "the key 'type' is missing: give one of " + ", ".join(RULE_TYPES) + ", or a "
            "'query' (a saved query's name) or 'insights' (a query's text)",
        )

    _TYPE_KEYS: Mapping[str, tuple[str, ...]] = {
        "query": ("query", "insights", "parameters", "value"),
        "function": ("functions", "min_invocations"),
        "pattern": ("functions", "min_count", "baseline", "factor"),
    }

    def _reject_keys_of_other_types(
        self, rule_type: str, key: str, entries: dict[str, tuple[Node, Node]]
    ) -> None:
        family = (
            "query"
            if rule_type == "query"
            else "function"
            if rule_type in FUNCTION_CHECKS
            else "pattern"
        )
        allowed = set(self._TYPE_KEYS[family])
        if rule_type == "new_pattern":
            allowed.discard("factor")
        specific = {k for keys in self._TYPE_KEYS.values() for k in keys}
        for entry, (key_node, _) in entries.items():
            if entry in specific and entry not in allowed:
                self._fail(
                    key_node,
                    f"{key}.{entry}",
                    f"a rule of type {rule_type} has no key {entry!r}: remove it",
                )

    def _query_check(
        self, node: Node, key: str, entries: dict[str, tuple[Node, Node]]
    ) -> QueryCheck:
        if ("query" in entries) == ("insights" in entries):
            self._fail(
                node,
                key,
                "give exactly one of 'query' (the name of a saved query) and 'insights' "
                "(the text of a Logs Insights query)",
            )
        if "value" not in entries:
            self._fail(
                node,
                key,
                "the key 'value' is missing: name the query's result column to compare "
                "with the threshold, such as the alias in stats count(*) as errors",
            )
        value_column = self._text(entries["value"], f"{key}.value").strip()
        parameters: dict[str, str | int | float] = {}
        if "parameters" in entries:
            parameter_entries = self._mapping(
                entries["parameters"][1], f"{key}.parameters", None, ""
            )
            for parameter, (_, value_node) in parameter_entries.items():
                value = self._value(value_node)
                if isinstance(value, bool) or not isinstance(value, str | int | float):
                    self._fail(
                        value_node,
                        f"{key}.parameters.{parameter}",
                        "expected text or a number",
                    )
                parameters[parameter] = value

        saved_query: str | None = None
        if "query" in entries:
            saved_query = self._text(entries["query"], f"{key}.query").strip()
            insights, bound = self._saved_query(entries["query"][1], key, saved_query, parameters)
            parameters = dict(bound)
        else:
            if parameters:
                self._fail(
                    entries["parameters"][0],
                    f"{key}.parameters",
                    "parameters belong to a saved query: remove them, or name the saved "
                    "query with 'query' instead of 'insights'",
                )
            insights = self._text(entries["insights"], f"{key}.insights")
        query_key = "query" if saved_query is not None else "insights"
        self._check_insights(entries[query_key][1], f"{key}.{query_key}", insights, parameters)
        return QueryCheck(
            insights=insights,
            saved_query=saved_query,
            parameters=parameters,
            value_column=value_column,
        )

    def _saved_query(
        self, node: Node, key: str, name: str, parameters: Mapping[str, str | int | float]
    ) -> tuple[str, Mapping[str, str | int | float]]:
        from loglake.analytics.saved_queries import (
            SavedQueryError,
            bind_parameters,
            format_value,
            load_saved_queries,
        )

        if self._saved is None:
            try:
                self._saved = dict(load_saved_queries(self._queries_folder))
            except SavedQueryError as error:
                self._fail(node, f"{key}.query", f"the saved queries could not be loaded: {error}")
        saved = self._saved.get(name)
        if saved is None:
            nearest = difflib.get_close_matches(name, list(self._saved), n=1, cutoff=0.5)
            hint = f"did you mean {nearest[0]!r}? " if nearest else ""
            self._fail(
                node,
                f"{key}.query",
                f"no saved query is called {name!r}: {hint}list them with loglake queries list",
            )
        texts = {
            parameter: format_value(value) if not isinstance(value, str) else value
            for parameter, value in parameters.items()
        }
        try:
            bound = bind_parameters(saved, texts)
        except SavedQueryError as error:
            self._fail(node, f"{key}.parameters", str(error).replace("--param ", ""))
        return saved.query, bound

    def _check_insights(
        self, node: Node, key: str, text: str, parameters: Mapping[str, str | int | float]
    ) -> None:
        try:
            compile_query(text, None, parameters)
        except InsightsError as error:
            self._fail(node, key, f"the Insights query is invalid: {error}")

    def _function_check(
        self, check: FunctionCheck, key: str, entries: dict[str, tuple[Node, Node]]
    ) -> FunctionHealthCheck:
        min_invocations = 1
        if "min_invocations" in entries:
            min_invocations = self._integer(
                entries["min_invocations"], f"{key}.min_invocations", 1, 1_000_000
            )
        return FunctionHealthCheck(
            check=check,
            functions=self._functions(key, entries),
            min_invocations=min_invocations,
        )

    def _pattern_check(
        self, check: PatternCheck, key: str, entries: dict[str, tuple[Node, Node]]
    ) -> ErrorPatternCheck:
        baseline = timedelta(days=7) if check == "new_pattern" else timedelta(days=1)
        if "baseline" in entries:
            baseline = self._duration(entries["baseline"], f"{key}.baseline")
            if baseline > MAX_BASELINE:
                self._fail(entries["baseline"][1], f"{key}.baseline", "use at most 90d")
        min_count = 1 if check == "new_pattern" else 5
        if "min_count" in entries:
            min_count = self._integer(entries["min_count"], f"{key}.min_count", 1, 1_000_000)
        return ErrorPatternCheck(
            check=check,
            functions=self._functions(key, entries),
            baseline=baseline,
            min_count=min_count,
        )

    def _functions(self, key: str, entries: dict[str, tuple[Node, Node]]) -> tuple[str, ...]:
        if "functions" not in entries:
            return ()
        node = entries["functions"][1]
        if not isinstance(node, SequenceNode):
            self._fail(
                node, f"{key}.functions", f"expected a list of function names, found {_kind(node)}"
            )
        names = []
        for item in node.value:
            value = self._value(item)
            if not isinstance(value, str) or not _FUNCTION_NAME.fullmatch(value):
                self._fail(
                    item,
                    f"{key}.functions",
                    f"{value!r} is not a Lambda function name (letters, digits, - and _)",
                )
            names.append(value)
        return tuple(names)

    def _condition(
        self, rule_type: str, node: Node, key: str, entries: dict[str, tuple[Node, Node]]
    ) -> tuple[Comparison, float]:
        if rule_type == "new_pattern":
            for entry in ("comparison", "threshold"):
                if entry in entries:
                    self._fail(
                        entries[entry][0],
                        f"{key}.{entry}",
                        "a new_pattern rule breaches when a new pattern has min_count lines: "
                        "remove it and set min_count",
                    )
            # The value is the count of a new pattern's lines in the window.
            check = self._pattern_check("new_pattern", key, entries)
            return ">=", float(check.min_count)
        if rule_type == "pattern_rate":
            for entry in ("comparison", "threshold"):
                if entry in entries:
                    self._fail(
                        entries[entry][0],
                        f"{key}.{entry}",
                        "a pattern_rate rule breaches when a pattern's rate reaches 'factor' "
                        "times its baseline rate: remove it and set factor",
                    )
            factor = 3.0
            if "factor" in entries:
                factor = self._number(entries["factor"], f"{key}.factor")
                if factor <= 1:
                    self._fail(entries["factor"][1], f"{key}.factor", "use a factor above 1")
            return ">=", factor

        comparison: str = ">"
        if "comparison" in entries:
            comparison = self._choice(entries, "comparison", key, tuple(COMPARISONS), node)
        if "threshold" in entries:
            threshold = self._number(entries["threshold"], f"{key}.threshold")
        elif rule_type in _COUNT_CHECKS:
            threshold = 0.0
        else:
            unit = FUNCTION_CHECK_UNITS.get(cast("FunctionCheck", rule_type), "a number")
            self._fail(node, key, f"the key 'threshold' is missing: give {unit}")
        return cast("Comparison", comparison), threshold

    def _schedule(
        self,
        key: str,
        entries: dict[str, tuple[Node, Node]],
        defaults: Mapping[str, tuple[Node, Any]],
        channels: Mapping[str, Channel],
    ) -> tuple[Schedule, tuple[str, ...]]:
        def setting(name: str) -> tuple[Node, Any, str]:
            if name in entries:
                value_node = entries[name][1]
                return value_node, self._value(value_node), f"{key}.{name}"
            default_node, value = defaults[name]
            return default_node, value, f"defaults.{name}"

        durations: dict[str, timedelta] = {}
        for name in ("window", "interval", "delay"):
            value_node, value, where = setting(name)
            durations[name] = self._duration_value(value_node, value, where, zero=name == "delay")
        if durations["window"] > MAX_WINDOW:
            value_node, _, where = setting("window")
            self._fail(value_node, where, "use at most 7d")

        m_node, m_value, m_where = setting("datapoints_to_alarm")
        n_node, n_value, n_where = setting("evaluation_periods")
        evaluation_periods = self._integer_value(n_node, n_value, n_where, 1, 100)
        datapoints_to_alarm = self._integer_value(m_node, m_value, m_where, 1, 100)
        if datapoints_to_alarm > evaluation_periods:
            self._fail(
                m_node,
                m_where,
                f"{datapoints_to_alarm} of {evaluation_periods} cannot happen: "
                "datapoints_to_alarm must be at most evaluation_periods",
            )

        no_data_node, no_data, no_data_where = setting("no_data")
        if no_data not in ("ok", "breaching", "keep"):
            self._fail(
                no_data_node,
                no_data_where,
                f"{no_data!r} is not a choice: use ok, breaching or keep (keep the state)",
            )

        repeat_node, repeat_value, repeat_where = setting("repeat")
        repeat: timedelta | None = None
        if repeat_value not in ("never", None):
            repeat = self._duration_value(repeat_node, repeat_value, repeat_where, zero=False)

        notify_node, notify_value, notify_where = setting("notify")
        if isinstance(notify_value, str):
            notify_value = [notify_value]
        if not isinstance(notify_value, list) or not notify_value:
            self._fail(notify_node, notify_where, "expected a list of channel names")
        for channel in notify_value:
            if channel not in channels:
                self._fail(
                    notify_node,
                    notify_where,
                    f"no channel is called {channel!r}: declare it under 'channels', or use "
                    f"one of {', '.join(sorted(channels))}",
                )
        schedule = Schedule(
            window=durations["window"],
            interval=durations["interval"],
            delay=durations["delay"],
            datapoints_to_alarm=datapoints_to_alarm,
            evaluation_periods=evaluation_periods,
            no_data=cast("NoData", no_data),
            repeat=repeat,
        )
        return schedule, tuple(dict.fromkeys(notify_value))

    # Values

    def _mapping(
        self, node: Node, key: str | None, allowed: tuple[str, ...] | None, what: str
    ) -> dict[str, tuple[Node, Node]]:
        if not isinstance(node, MappingNode):
            expected = (
                "expected a mapping with the keys " + ", ".join(TOP_KEYS)
                if key is None
                else "expected a mapping"
            )
            self._fail(node, key, f"{expected}, found {_kind(node)}")
        entries: dict[str, tuple[Node, Node]] = {}
        for key_node, value_node in node.value:
            entry = self._value(key_node)
            if not isinstance(entry, str):
                self._fail(key_node, key, f"the key {entry!r} is not text")
            qualified = entry if key is None else f"{key}.{entry}"
            if entry in entries:
                self._fail(key_node, qualified, "the key appears twice: keep one")
            if allowed is not None and entry not in allowed:
                nearest = difflib.get_close_matches(entry, allowed, n=1, cutoff=0.6)
                hint = f"did you mean {nearest[0]!r}? " if nearest else ""
                self._fail(
                    key_node,
                    qualified,
                    f"unknown key in the {what}: {hint}the keys are {', '.join(allowed)}",
                )
            entries[entry] = (key_node, value_node)
        return entries

    def _choice(
        self,
        entries: dict[str, tuple[Node, Node]],
        name: str,
        key: str,
        choices: tuple[str, ...],
        node: Node,
    ) -> str:
        if name not in entries:
            self._fail(node, key, f"the key {name!r} is missing: give one of {', '.join(choices)}")
        value = self._value(entries[name][1])
        if value not in choices:
            nearest = difflib.get_close_matches(str(value), choices, n=1, cutoff=0.6)
            hint = f"did you mean {nearest[0]!r}? " if nearest else ""
            self._fail(
                entries[name][1],
                f"{key}.{name}",
                f"{value!r} is not a choice: {hint}use one of {', '.join(choices)}",
            )
        return str(value)

    def _text(self, entry: tuple[Node, Node], key: str) -> str:
        value = self._value(entry[1])
        if not isinstance(value, str) or not value.strip():
            self._fail(entry[1], key, f"expected text, found {_kind(entry[1], value)}")
        return value

    def _number(self, entry: tuple[Node, Node], key: str) -> float:
        value = self._value(entry[1])
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            self._fail(entry[1], key, f"expected a number, found {_kind(entry[1], value)}")
        return float(value)

    def _integer(self, entry: tuple[Node, Node], key: str, low: int, high: int) -> int:
        return self._integer_value(entry[1], self._value(entry[1]), key, low, high)

    def _integer_value(self, node: Node, value: Any, key: str, low: int, high: int) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self._fail(node, key, f"expected a whole number from {low} to {high}, found {value!r}")
        return value

    def _duration(self, entry: tuple[Node, Node], key: str) -> timedelta:
        return self._duration_value(entry[1], self._value(entry[1]), key, zero=False)

    def _duration_value(self, node: Node, value: Any, key: str, *, zero: bool) -> timedelta:
        if zero and value in ("0", "0s", 0):
            return timedelta(0)
        duration = parse_duration(value) if isinstance(value, str) else None
        if duration is None:
            self._fail(
                node,
                key,
                f"{value!r} is not a duration: use a number and a unit (s, m, h, d or w), "
                f"such as {format_duration(timedelta(minutes=15))}",
            )
        return duration

    def _value(self, node: Node) -> Any:
        try:
            return self._loader.construct_object(node, deep=True)
        except yaml.MarkedYAMLError as error:
            self._fail(node, None, f"invalid YAML: {error.problem or error}")

    def _fail(self, node: Node, key: str | None, problem: str) -> NoReturn:
        raise RuleFileError(self._path, node.start_mark.line + 1, key, problem)


def _scalar_entry(node: Node, key: str) -> str | None:
    """Return the text of a mapping node's scalar entry ``key``, before the node is checked."""
    if not isinstance(node, MappingNode):
        return None
    for key_node, value_node in node.value:
        if isinstance(key_node, ScalarNode) and key_node.value == key:
            return value_node.value if isinstance(value_node, ScalarNode) else None
    return None


def _kind(node: Node, value: Any = None) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    if value is None and node.tag == "tag:yaml.org,2002:null":
        return "nothing"
    if isinstance(value, str):
        return "empty text"
    return f"{type(value).__name__} {node.value}"
