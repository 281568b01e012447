"""Read and check an alert rule file, reporting every mistake with its file, line and key.

The whole file is checked before any rule is evaluated: every key, duration, comparison,
threshold, channel reference, saved query and its parameters, the syntax of every Insights
query and the column its rule tests. A mistake ends the check of its key, and the check goes
on with the next key, so one run lists every mistake.
"""

from __future__ import annotations

import difflib
import math
import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, NoReturn, ParamSpec, TypeVar, cast

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
from loglake.analytics.alerts.notification import format_number
from loglake.analytics.alerts.webhook import check_webhook_url
from loglake.analytics.insights import InsightsError, compile_query
from loglake.analytics.yaml_source import (
    Entries,
    YamlDocument,
    YamlSyntaxError,
    entry_node,
    line_of,
    mapping_entries,
)

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
RATE_CHECK_VALUES: Mapping[FunctionCheck, str] = {
    "error_rate": "failed or timed-out invocations / invocations",
    "cold_start_rate": "cold starts / invocations",
}
"""The checks whose value is a fraction from 0 to 1, and what it divides."""

COMPARISON_SPELLINGS: Mapping[str, str] = {
    "=>": ">=",
    "=<": "<=",
    "==": "=",
    "<>": "!=",
    "≥": ">=",
    "≤": "<=",
    "≠": "!=",
}
"""Comparisons written as other languages write them, and the spelling rule files use."""

MAX_BASELINE = timedelta(days=90)
MAX_WINDOW = timedelta(days=7)
_ZERO_DURATION = re.compile(r"0+(s|m|h|d|w)?")

_P = ParamSpec("_P")
_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class RuleFileProblem:
    """One mistake in a rule file: the file, the line and key where it is, and what is wrong."""

    path: Path
    line: int | None
    key: str | None
    problem: str

    def __str__(self) -> str:
        place = str(self.path) if self.line is None else f"{self.path}:{self.line}"
        return f"{place}: {self.key}: {self.problem}" if self.key else f"{place}: {self.problem}"


class RuleFileError(ValueError):
    """A rule file that is not valid: every mistake found, in line order, one a line.

    ``path``, ``line``, ``key`` and ``problem`` are those of the first mistake.
    """

    def __init__(self, problems: Sequence[RuleFileProblem]) -> None:
        if not problems:
            raise ValueError("RuleFileError needs at least one problem")
        self.problems = tuple(problems)
        first = self.problems[0]
        self.path = first.path
        self.line = first.line
        self.key = first.key
        self.problem = first.problem
        super().__init__("\n".join(str(problem) for problem in self.problems))


class _Invalid(Exception):
    """A mistake that ends the check of the current key; the reader records it."""

    def __init__(self, problem: RuleFileProblem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def load_rule_file(path: Path, *, queries_folder: Path | None = None) -> RuleFile:
    """Read and check the rule file at ``path``.

    Saved queries that rules name come from ``queries_folder`` (by default the saved
    queries folder). Raises RuleFileError with every mistake of the file.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise _file_error(path, None, "the rule file does not exist: pass --rules FILE") from None
    except UnicodeDecodeError as error:
        raise _file_error(path, None, f"is not UTF-8 text ({error.reason})") from None
    except OSError as error:
        raise _file_error(path, None, f"cannot be read: {error.strerror}") from None
    return parse_rule_file(text, path, queries_folder=queries_folder)


def parse_rule_file(text: str, path: Path, *, queries_folder: Path | None = None) -> RuleFile:
    """Check rule file ``text``; ``path`` names it in messages.

    Raises RuleFileError with every mistake of the file. Invalid YAML is one mistake,
    because nothing after it can be read.
    """
    try:
        document = YamlDocument(text)
    except YamlSyntaxError as error:
        raise _file_error(path, error.line, str(error)) from None
    with document:
        root = document.root
        if root is None:
            raise _file_error(path, 1, "the file is empty: expected a 'rules' list")
        reader = _Reader(path, document, queries_folder)
        rule_file = reader.attempt(None, reader.rule_file, root)
        if reader.problems or rule_file is None:
            raise RuleFileError(reader.problems)
        return rule_file


def _file_error(path: Path, line: int | None, problem: str) -> RuleFileError:
    return RuleFileError([RuleFileProblem(path, line, None, problem)])


class _Reader:
    """Checker of one rule file's node tree, which records every mistake it finds.

    A value that fails a check is replaced by a harmless one (a default, or None that skips
    the checks that need it), so one mistake does not cause reports on other keys.
    """

    def __init__(self, path: Path, document: YamlDocument, queries_folder: Path | None) -> None:
        self._path = path
        self._document = document
        self._queries_folder = queries_folder
        self._saved: dict[str, Any] | None = None
        self._problems: list[RuleFileProblem] = []

    @property
    def problems(self) -> list[RuleFileProblem]:
        """Return the mistakes found, in line order; the file's own problems first."""
        return sorted(self._problems, key=lambda problem: problem.line or 0)

    def attempt(
        self, fallback: _T, check: Callable[_P, _T], *args: _P.args, **kwargs: _P.kwargs
    ) -> _T:
        """Run one check; record its mistake and return ``fallback`` when it fails."""
        try:
            return check(*args, **kwargs)
        except _Invalid as invalid:
            self._record(invalid.problem)
            return fallback

    # The file

    def rule_file(self, root: Node) -> RuleFile:
        entries = self._mapping(root, None, TOP_KEYS, "rule file")
        if "rules" not in entries:
            self._report(root, None, "the key 'rules' is missing: expected a list of rules")

        defaults: dict[str, tuple[Node, Any]] = {
            key: (root, value) for key, value in BUILT_IN_DEFAULTS.items()
        }
        if "defaults" in entries:
            given = self._mapping(entries["defaults"][1], "defaults", SCHEDULE_KEYS, "defaults")
            for key, (_, value_node) in given.items():
                defaults[key] = (value_node, self._value(value_node))

        # A channel with mistakes keeps its name, so rules that notify it are not reported too.
        channels: dict[str, Channel | None] = {STDOUT: StdoutChannel(STDOUT)}
        if "channels" in entries:
            channels.update(self.attempt({}, self._channels, entries["channels"][1]))

        rules: list[Rule] = []
        if "rules" in entries:
            rules = self._rules(entries["rules"][1], defaults, channels)
        valid_channels = {name: channel for name, channel in channels.items() if channel}
        return RuleFile(path=self._path, rules=tuple(rules), channels=valid_channels)

    def _rules(
        self,
        node: Node,
        defaults: Mapping[str, tuple[Node, Any]],
        channels: Mapping[str, Channel | None],
    ) -> list[Rule]:
        if not isinstance(node, SequenceNode):
            self._fail(node, "rules", f"expected a list of rules, found {_kind(node)}")
        rules: list[Rule] = []
        seen: dict[str, int] = {}
        for index, rule_node in enumerate(node.value):
            name = _scalar_entry(rule_node, "name")
            if name is not None and RULE_NAME.fullmatch(name):
                line = line_of(rule_node)
                if name in seen:
                    self._report(
                        rule_node,
                        f"rules[{index}].name",
                        f"the rule name {name!r} is already used on line {seen[name]}: "
                        "rule names must be unique, because each names its alert state",
                    )
                seen.setdefault(name, line)
            rule = self.attempt(None, self._rule, rule_node, index, defaults, channels)
            if rule is not None:
                rules.append(rule)
        return rules

    # Channels

    def _channels(self, node: Node) -> dict[str, Channel | None]:
        channels: dict[str, Channel | None] = {}
        for name, (key_node, value_node) in self._mapping(node, "channels", None, "").items():
            key = f"channels.{name}"
            if not RULE_NAME.fullmatch(name):
                self._report(key_node, key, "use lower-case letters, digits and hyphens for a name")
            if name == STDOUT:
                self._report(key_node, key, "stdout is built in: choose another name")
                continue
            channels[name] = self.attempt(None, self._channel, name, value_node, key)
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
                self._report(
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
        url = self.attempt("", self._webhook_url, node, key, entries)
        message_format = "json"
        if "format" in entries:
            message_format = self.attempt(
                "json", self._choice, entries, "format", key, ("slack", "json"), node
            )
        timeout = 5.0
        if "timeout" in entries:
            timeout = self.attempt(5.0, self._webhook_timeout, entries["timeout"], key)
        retries = 3
        if "retries" in entries:
            retries = self.attempt(3, self._integer, entries["retries"], f"{key}.retries", 0, 10)
        headers: dict[str, str] = {}
        if "headers" in entries:
            headers = self.attempt({}, self._headers, entries["headers"][1], key)
        return WebhookChannel(
            name=name,
            url=url,
            format=cast("Any", message_format),
            timeout=timeout,
            retries=retries,
            headers=headers,
        )

    def _webhook_url(self, node: Node, key: str, entries: dict[str, tuple[Node, Node]]) -> str:
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
        return url

    def _webhook_timeout(self, entry: tuple[Node, Node], key: str) -> float:
        duration = self._duration(entry, f"{key}.timeout")
        if duration > timedelta(seconds=60):
            self._fail(entry[1], f"{key}.timeout", "use at most 60s")
        return duration.total_seconds()

    def _headers(self, node: Node, key: str) -> dict[str, str]:
        headers: dict[str, str] = {}
        for header, (header_key, header_value) in self._mapping(
            node, f"{key}.headers", None, ""
        ).items():
            if not _HEADER_NAME.fullmatch(header):
                self._report(header_key, f"{key}.headers", f"{header!r} is not a header name")
                continue
            value = self._value(header_value)
            if not isinstance(value, str) or "\n" in value or "\r" in value:
                self._report(header_value, f"{key}.headers.{header}", "expected one line of text")
                continue
            headers[header] = value
        return headers

    # Rules

    def _rule(
        self,
        node: Node,
        index: int,
        defaults: Mapping[str, tuple[Node, Any]],
        channels: Mapping[str, Channel | None],
    ) -> Rule | None:
        """Check one rule; return it, or None when a mistake leaves it incomplete."""
        where = f"rules[{index}]"
        named = _scalar_entry(node, "name")
        if named is not None and RULE_NAME.fullmatch(named):
            where = f"rules.{named}"
        entries = self._mapping(node, where, RULE_KEYS, "rule")
        name = self.attempt(None, self._rule_name, node, index, where, entries)
        key = where if name is None else f"rules.{name}"
        description = ""
        if "description" in entries:
            description = self.attempt(
                "", self._text, entries["description"], f"{key}.description"
            ).strip()

        rule_type = self.attempt(None, self._rule_type, node, key, entries)
        check: Check | None = None
        comparison: tuple[Comparison, float] | None = None
        if rule_type is not None:
            check = self._check(rule_type, node, key, entries)
            self._reject_keys_of_other_types(rule_type, key, entries)
            comparison = self.attempt(None, self._condition, rule_type, check, node, key, entries)
        schedule, notify = self._schedule(key, entries, defaults, channels)
        if name is None or check is None or comparison is None or schedule is None:
            return None
        return Rule(
            name=name,
            description=description,
            check=check,
            comparison=comparison[0],
            threshold=comparison[1],
            schedule=schedule,
            notify=notify,
            line=line_of(node),
        )

    def _rule_name(
        self, node: Node, index: int, where: str, entries: dict[str, tuple[Node, Node]]
    ) -> str:
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
        return name

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

    def _check(
        self, rule_type: str, node: Node, key: str, entries: dict[str, tuple[Node, Node]]
    ) -> Check | None:
        if rule_type == "query":
            return self.attempt(None, self._query_check, node, key, entries)
        if rule_type in FUNCTION_CHECKS:
            return self.attempt(None, self._function_check, rule_type, key, entries)
        return self.attempt(
            None, self._pattern_check, cast("PatternCheck", rule_type), key, entries
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
                self._report(
                    key_node,
                    f"{key}.{entry}",
                    f"a rule of type {rule_type} has no key {entry!r}: remove it",
                )

    def _query_check(
        self, node: Node, key: str, entries: dict[str, tuple[Node, Node]]
    ) -> QueryCheck | None:
        """Check a query rule's keys; None when 'value' has a mistake, already recorded."""
        if ("query" in entries) == ("insights" in entries):
            self._fail(
                node,
                key,
                "give exactly one of 'query' (the name of a saved query) and 'insights' "
                "(the text of a Logs Insights query)",
            )
        value_column = self.attempt(None, self._value_column, node, key, entries)
        parameters = self.attempt({}, self._parameters, key, entries)

        saved_query: str | None = None
        if "query" in entries:
            saved_query = self._text(entries["query"], f"{key}.query").strip()
            insights, bound = self._saved_query(entries["query"][1], key, saved_query, parameters)
            parameters = dict(bound)
        else:
            if parameters:
                self._report(
                    entries["parameters"][0],
                    f"{key}.parameters",
                    "parameters belong to a saved query: remove them, or name the saved "
                    "query with 'query' instead of 'insights'",
                )
            insights = self._text(entries["insights"], f"{key}.insights")
        query_key = "query" if saved_query is not None else "insights"
        columns = self._compile(entries[query_key][1], f"{key}.{query_key}", insights, parameters)
        if value_column is None:
            return None
        if value_column not in columns:
            nearest = difflib.get_close_matches(value_column, columns, n=1, cutoff=0.6)
            hint = f"did you mean {nearest[0]!r}? " if nearest else ""
            self._fail(
                entries["value"][1],
                f"{key}.value",
                f"the query has no column {value_column!r}: {hint}its columns are "
                f"{', '.join(columns)}",
            )
        return QueryCheck(
            insights=insights,
            saved_query=saved_query,
            parameters=parameters,
            value_column=value_column,
        )

    def _value_column(self, node: Node, key: str, entries: dict[str, tuple[Node, Node]]) -> str:
        if "value" not in entries:
            self._fail(
                node,
                key,
                "the key 'value' is missing: name the query's result column to compare "
                "with the threshold, such as the alias in stats count(*) as errors",
            )
        return self._text(entries["value"], f"{key}.value").strip()

    def _parameters(
        self, key: str, entries: dict[str, tuple[Node, Node]]
    ) -> dict[str, str | int | float]:
        parameters: dict[str, str | int | float] = {}
        if "parameters" not in entries:
            return parameters
        parameter_entries = self._mapping(entries["parameters"][1], f"{key}.parameters", None, "")
        for parameter, (_, value_node) in parameter_entries.items():
            value = self._value(value_node)
            if isinstance(value, bool) or not isinstance(value, str | int | float):
                self._report(
                    value_node,
                    f"{key}.parameters.{parameter}",
                    f"expected text or a number, found {_kind(value_node)}",
                )
                continue
            parameters[parameter] = value
        return parameters

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
                f"no saved query is called {name!r}: {hint}list them with loglake queries",
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

    def _compile(
        self, node: Node, key: str, text: str, parameters: Mapping[str, str | int | float]
    ) -> tuple[str, ...]:
        """Compile the query; return its result columns."""
        try:
            return compile_query(text, None, parameters).columns
        except InsightsError as error:
            self._fail(node, key, f"the Insights query is invalid: {error}")

    def _function_check(
        self, check: FunctionCheck, key: str, entries: dict[str, tuple[Node, Node]]
    ) -> FunctionHealthCheck:
        min_invocations = 1
        if "min_invocations" in entries:
            min_invocations = self.attempt(
                1, self._integer, entries["min_invocations"], f"{key}.min_invocations", 1, 1_000_000
            )
        return FunctionHealthCheck(
            check=check,
            functions=self.attempt((), self._functions, key, entries),
            min_invocations=min_invocations,
        )

    def _pattern_check(
        self, check: PatternCheck, key: str, entries: dict[str, tuple[Node, Node]]
    ) -> ErrorPatternCheck:
        baseline = timedelta(days=7) if check == "new_pattern" else timedelta(days=1)
        if "baseline" in entries:
            baseline = self.attempt(baseline, self._baseline, entries["baseline"], key)
        min_count = 1 if check == "new_pattern" else 5
        if "min_count" in entries:
            min_count = self.attempt(
                min_count, self._integer, entries["min_count"], f"{key}.min_count", 1, 1_000_000
            )
        return ErrorPatternCheck(
            check=check,
            functions=self.attempt((), self._functions, key, entries),
            baseline=baseline,
            min_count=min_count,
        )

    def _baseline(self, entry: tuple[Node, Node], key: str) -> timedelta:
        baseline = self._duration(entry, f"{key}.baseline")
        if baseline > MAX_BASELINE:
            self._fail(entry[1], f"{key}.baseline", "use at most 90d")
        return baseline

    def _functions(self, key: str, entries: dict[str, tuple[Node, Node]]) -> tuple[str, ...]:
        if "functions" not in entries:
            return ()
        node = entries["functions"][1]
        if not isinstance(node, SequenceNode):
            self._fail(
                node,
                f"{key}.functions",
                f"expected a list of function names, such as [orders-api], found {_kind(node)}",
            )
        names = []
        for item in node.value:
            value = self._value(item)
            if not isinstance(value, str) or not _FUNCTION_NAME.fullmatch(value):
                self._report(
                    item,
                    f"{key}.functions",
                    f"{_kind(item)} is not a Lambda function name (letters, digits, - and _)",
                )
                continue
            names.append(value)
        return tuple(names)

    def _condition(
        self,
        rule_type: str,
        check: Check | None,
        node: Node,
        key: str,
        entries: dict[str, tuple[Node, Node]],
    ) -> tuple[Comparison, float]:
        if rule_type in PATTERN_CHECKS:
            return self._pattern_condition(rule_type, check, key, entries)

        comparison: str = ">"
        if "comparison" in entries:
            comparison = self.attempt(
                ">",
                self._choice,
                entries,
                "comparison",
                key,
                tuple(COMPARISONS),
                node,
                COMPARISON_SPELLINGS,
            )
        if "threshold" in entries:
            threshold = self._threshold(rule_type, entries["threshold"], f"{key}.threshold")
        elif rule_type in _COUNT_CHECKS:
            threshold = 0.0
        else:
            unit = FUNCTION_CHECK_UNITS.get(cast("FunctionCheck", rule_type), "a number")
            self._fail(node, key, f"the key 'threshold' is missing: give {unit}")
        return cast("Comparison", comparison), threshold

    def _pattern_condition(
        self,
        rule_type: str,
        check: Check | None,
        key: str,
        entries: dict[str, tuple[Node, Node]],
    ) -> tuple[Comparison, float]:
        if rule_type == "new_pattern":
            problem = (
                "a new_pattern rule breaches when a new pattern has min_count lines: "
                "remove it and set min_count"
            )
        else:
            problem = (
                "a pattern_rate rule breaches when a pattern's rate reaches 'factor' times its "
                "baseline rate: remove it and set factor"
            )
        for entry in ("comparison", "threshold"):
            if entry in entries:
                self._report(entries[entry][0], f"{key}.{entry}", problem)
        if rule_type == "new_pattern":
            # The value is the count of a new pattern's lines in the window.
            min_count = check.min_count if isinstance(check, ErrorPatternCheck) else 1
            return ">=", float(min_count)
        factor = 3.0
        if "factor" in entries:
            factor = self._number(entries["factor"], f"{key}.factor")
            if factor <= 1:
                self._fail(entries["factor"][1], f"{key}.factor", "use a factor above 1")
        return ">=", factor

    def _threshold(self, rule_type: str, entry: tuple[Node, Node], key: str) -> float:
        threshold = self._number(entry, key)
        value = RATE_CHECK_VALUES.get(cast("FunctionCheck", rule_type))
        if value is not None and not 0 <= threshold <= 1:
            if 1 < threshold <= 100:
                hint = f"for {format_number(threshold)} %, write {format_number(threshold / 100)}"
            else:
                hint = "use a fraction such as 0.05"
            self._fail(
                entry[1],
                key,
                f"{format_number(threshold)} is outside 0 to 1: {rule_type} is {value}; {hint}",
            )
        return threshold

    def _schedule(
        self,
        key: str,
        entries: dict[str, tuple[Node, Node]],
        defaults: Mapping[str, tuple[Node, Any]],
        channels: Mapping[str, Channel | None],
    ) -> tuple[Schedule | None, tuple[str, ...]]:
        """Check the schedule keys; return None for the schedule when one is invalid."""

        def setting(name: str) -> tuple[Node, Any, str]:
            if name in entries:
                value_node = entries[name][1]
                return value_node, self._value(value_node), f"{key}.{name}"
            default_node, value = defaults[name]
            return default_node, value, f"defaults.{name}"

        durations: dict[str, timedelta | None] = {}
        for name in ("window", "interval", "delay"):
            value_node, value, where = setting(name)
            durations[name] = self.attempt(
                None, self._duration_value, value_node, value, where, zero=name == "delay"
            )
        window = durations["window"]
        if window is not None and window > MAX_WINDOW:
            value_node, _, where = setting("window")
            self._report(value_node, where, "use at most 7d")

        m_node, m_value, m_where = setting("datapoints_to_alarm")
        n_node, n_value, n_where = setting("evaluation_periods")
        evaluation_periods = self.attempt(
            None, self._integer_value, n_node, n_value, n_where, 1, 100
        )
        datapoints_to_alarm = self.attempt(
            None, self._integer_value, m_node, m_value, m_where, 1, 100
        )
        if (
            datapoints_to_alarm is not None
            and evaluation_periods is not None
            and datapoints_to_alarm > evaluation_periods
        ):
            self._report(
                m_node,
                m_where,
                f"{datapoints_to_alarm} of {evaluation_periods} cannot happen: "
                "datapoints_to_alarm must be at most evaluation_periods",
            )

        no_data_node, no_data, no_data_where = setting("no_data")
        if no_data not in ("ok", "breaching", "keep"):
            self._report(
                no_data_node,
                no_data_where,
                f"{no_data!r} is not a choice: use ok, breaching or keep (keep the state)",
            )

        repeat_node, repeat_value, repeat_where = setting("repeat")
        repeat: timedelta | None = None
        if repeat_value not in ("never", None):
            repeat = self.attempt(
                None, self._duration_value, repeat_node, repeat_value, repeat_where, zero=False
            )

        notify = self.attempt((), self._notify, setting("notify"), channels)
        if None in durations.values() or datapoints_to_alarm is None or evaluation_periods is None:
            return None, notify
        schedule = Schedule(
            window=cast("timedelta", durations["window"]),
            interval=cast("timedelta", durations["interval"]),
            delay=cast("timedelta", durations["delay"]),
            datapoints_to_alarm=datapoints_to_alarm,
            evaluation_periods=evaluation_periods,
            no_data=cast("NoData", no_data),
            repeat=repeat,
        )
        return schedule, notify

    def _notify(
        self, setting: tuple[Node, Any, str], channels: Mapping[str, Channel | None]
    ) -> tuple[str, ...]:
        notify_node, notify_value, notify_where = setting
        if isinstance(notify_value, str):
            notify_value = [notify_value]
        if not isinstance(notify_value, list) or not notify_value:
            self._fail(notify_node, notify_where, "expected a list of channel names")
        for channel in notify_value:
            if channel not in channels:
                self._report(
                    notify_node,
                    notify_where,
                    f"no channel is called {channel!r}: declare it under 'channels', or use "
                    f"one of {', '.join(sorted(channels))}",
                )
        return tuple(dict.fromkeys(str(channel) for channel in notify_value))

    # Values

    def _mapping(
        self, node: Node, key: str | None, allowed: tuple[str, ...] | None, what: str
    ) -> Entries:
        """Return a mapping's entries by key; unknown, repeated and non-text keys are reported
        and left out."""
        if not isinstance(node, MappingNode):
            expected = (
                "expected a mapping with the keys " + ", ".join(TOP_KEYS)
                if key is None
                else "expected a mapping"
            )
            self._fail(node, key, f"{expected}, found {_kind(node)}")
        entries, problems = mapping_entries(self._document, node, key, allowed, what, cutoff=0.6)
        for problem in problems:
            self._report(problem.node, problem.key, problem.problem)
        return entries

    def _choice(
        self,
        entries: dict[str, tuple[Node, Node]],
        name: str,
        key: str,
        choices: tuple[str, ...],
        node: Node,
        spellings: Mapping[str, str] | None = None,
    ) -> str:
        """Return the entry's value, one of ``choices``; ``spellings`` maps common mistakes
        to the choice they mean, for the hint."""
        if name not in entries:
            self._fail(node, key, f"the key {name!r} is missing: give one of {', '.join(choices)}")
        value = self._value(entries[name][1])
        if value not in choices:
            meant = (spellings or {}).get(str(value))
            nearest = (
                [meant]
                if meant is not None
                else difflib.get_close_matches(str(value), choices, n=1, cutoff=0.6)
            )
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
            self._fail(entry[1], key, f"expected text, found {_kind(entry[1])}")
        return value

    def _number(self, entry: tuple[Node, Node], key: str) -> float:
        value = self._value(entry[1])
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            self._fail(
                entry[1], key, f"expected a number, such as 5 or 0.05, found {_kind(entry[1])}"
            )
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
        example = format_duration(timedelta(minutes=15))
        if isinstance(value, str | int) and _ZERO_DURATION.fullmatch(str(value).strip()):
            self._fail(node, key, f"{value!r} is zero: use a positive duration, such as {example}")
        duration = parse_duration(value) if isinstance(value, str) else None
        if duration is None:
            self._fail(
                node,
                key,
                f"{value!r} is not a duration: use a number and a unit (s, m, h, d or w), "
                f"such as {example}",
            )
        return duration

    def _value(self, node: Node) -> Any:
        try:
            return self._document.value(node)
        except YamlSyntaxError as error:
            self._fail(node, None, str(error))

    def _problem(self, node: Node, key: str | None, problem: str) -> RuleFileProblem:
        return RuleFileProblem(self._path, line_of(node), key, problem)

    def _fail(self, node: Node, key: str | None, problem: str) -> NoReturn:
        """End the check of the current key with a mistake."""
        raise _Invalid(self._problem(node, key, problem))

    def _report(self, node: Node, key: str | None, problem: str) -> None:
        """Record a mistake and go on."""
        self._record(self._problem(node, key, problem))

    def _record(self, problem: RuleFileProblem) -> None:
        # A mistake in 'defaults' is found again by every rule that uses the default.
        if problem not in self._problems:
            self._problems.append(problem)


def _scalar_entry(node: Node, key: str) -> str | None:
    """Return the text of a mapping node's scalar entry ``key``, before the node is checked."""
    value = entry_node(node, key)
    return value.value if isinstance(value, ScalarNode) else None


_SCALAR_KINDS = {
    "tag:yaml.org,2002:int": "the number",
    "tag:yaml.org,2002:float": "the number",
    "tag:yaml.org,2002:bool": "the boolean",
    "tag:yaml.org,2002:timestamp": "the date",
}


def _kind(node: Node) -> str:
    """Describe what a node contains, for messages: ``the text 'five'``, ``a list``."""
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    if node.tag == "tag:yaml.org,2002:null":
        return "nothing"
    if node.tag == "tag:yaml.org,2002:str":
        return f"the text {node.value!r}" if node.value.strip() else "empty text"
    if node.tag in _SCALAR_KINDS:
        return f"{_SCALAR_KINDS[node.tag]} {node.value}"
    return repr(node.value)
