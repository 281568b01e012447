"""Rule files: the shipped example is valid, and each mistake names its file, line and key."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from loglake.analytics.alerts.model import (
    ErrorPatternCheck,
    FunctionHealthCheck,
    QueryCheck,
    WebhookChannel,
)
from loglake.analytics.alerts.rule_file import RuleFileError, load_rule_file, parse_rule_file
from loglake.cli.main import cli

EXAMPLE = Path(__file__).parents[2] / "queries" / "alerts.yaml"


def test_example_file_is_valid() -> None:
    rule_file = load_rule_file(EXAMPLE)
    kinds = {type(rule.check) for rule in rule_file.rules}
    assert kinds == {FunctionHealthCheck, ErrorPatternCheck, QueryCheck}
    checks = {getattr(rule.check, "check", "query") for rule in rule_file.rules}
    assert checks == {
        "timeout", "out_of_memory", "new_pattern", "pattern_rate", "error_rate",
        "cold_start_rate", "p99_duration", "query",
    }  # fmt: skip
    error_rate = rule_file.rule("function-error-rate")
    assert error_rate is not None
    assert error_rate.schedule.datapoints_to_alarm == 2
    assert error_rate.schedule.evaluation_periods == 3
    assert error_rate.schedule.window == timedelta(minutes=15)
    assert isinstance(rule_file.channels["team-slack"], WebhookChannel)


def test_saved_query_rule_binds_parameters(tmp_path: Path) -> None:
    (tmp_path / "slow.yaml").write_text(
        "name: slow\ndescription: Slow invocations.\nsince: 1h\n"
        "parameters:\n  minimum:\n    type: number\n"
        'query: |\n  filter @type = "REPORT" and @duration > $minimum\n'
        "  | stats count(*) as slow by @function\n"
    )
    text = (
        "rules:\n  - name: slow-invocations\n    query: slow\n"
        "    parameters: {minimum: 2500}\n    value: slow\n    threshold: 3\n"
    )
    rule = parse_rule_file(text, Path("alerts.yaml"), queries_folder=tmp_path).rules[0]
    assert isinstance(rule.check, QueryCheck)
    assert rule.check.saved_query == "slow"
    assert rule.check.parameters == {"minimum": 2500.0}


def rule(lines: str, head: str = "rules:\n  - name: a\n    type: timeout\n") -> str:
    """Return a rule file with one rule: ``head`` and then ``lines``."""
    return head + lines


def typed(rule_type: str, lines: str = "") -> str:
    """Return a rule file with one rule of ``rule_type``."""
    return f"rules:\n  - name: a\n    type: {rule_type}\n" + lines


HOOK = "channels:\n  hook:\n    type: webhook\n    url: http://hooks.example.com/x\nrules: []\n"
TOPIC = "channels:\n  topic:\n    type: sns\n    topic_arn: loglake-alerts\nrules: []\n"
MISTAKES = [
    (rule("    windw: 5m\n"), 4, "rules.a.windw", "did you mean 'window'"),
    (rule("    window: 5 minutes\n"), 4, "rules.a.window", "not a duration"),
    (typed("error_rate"), 2, "rules.a", "'threshold' is missing"),
    (typed("latency"), 3, "rules.a.type", "not a choice"),
    (rule("    comparison: '=>'\n"), 4, "rules.a.comparison", "not a choice"),
    (
        rule("    datapoints_to_alarm: 3\n    evaluation_periods: 2\n"),
        4,
        "rules.a.datapoints_to_alarm",
        "3 of 2",
    ),
    (rule("    notify: [pager]\n"), 4, "rules.a.notify", "no channel is called 'pager'"),
    (rule("  - name: a\n    type: timeout\n"), 4, "rules[1].name", "already used on line 2"),
    (
        "rules:\n  - name: Orders_Errors\n    type: timeout\n",
        2,
        "rules[0].name",
        "not a valid rule name",
    ),
    (
        "rules:\n  - name: a\n    insights: filter @message like /x/ | stats count(*) as n\n",
        2,
        "rules.a",
        "'value' is missing",
    ),
    (
        "rules:\n  - name: a\n    insights: fitler @message like /x/\n    value: n\n"
        "    threshold: 1\n",
        3,
        "rules.a.insights",
        "the Insights query is invalid",
    ),
    (
        "rules:\n  - name: a\n    query: no-such-query\n    value: n\n    threshold: 1\n",
        3,
        "rules.a.query",
        "no saved query",
    ),
    (HOOK, 4, "channels.hook.url", "not an https:// URL"),
    (TOPIC, 4, "channels.topic.topic_arn", "not an SNS topic ARN"),
    (typed("new_pattern", "    threshold: 2\n"), 4, "rules.a.threshold", "set min_count"),
    (rule("    factor: 2\n"), 4, "rules.a.factor", "has no key 'factor'"),
    (
        rule("", head="defaults:\n  no_data: missing\nrules:\n  - name: a\n    type: timeout\n"),
        2,
        "defaults.no_data",
        "ok, breaching or keep",
    ),
    (rule("  bad: [\n"), 4, None, "invalid YAML"),
    (rule("    window: !!python/name:os.system 5m\n"), 4, None, "invalid YAML: could not"),
    (rule("    !!python/name:os.system window: 5m\n"), 4, None, "invalid YAML: could not"),
    ("", 1, None, "the file is empty"),
    (typed("p99_duration", "    threshold: five\n"), 4, "rules.a.threshold", "the text 'five'"),
    (rule("    functions: orders-api\n"), 4, "rules.a.functions", "found the text 'orders-api'"),
    (typed("new_pattern", "    baseline: 0s\n"), 4, "rules.a.baseline", "use a positive duration"),
    (rule("    window: 0m\n"), 4, "rules.a.window", "'0m' is zero"),
    (rule("    comparison: '=>'\n"), 4, "rules.a.comparison", "did you mean '>='?"),
    (rule("    comparison: '=='\n"), 4, "rules.a.comparison", "did you mean '='?"),
    (typed("error_rate", "    threshold: 5\n"), 4, "rules.a.threshold", "for 5 %, write 0.05"),
    (typed("cold_start_rate", "    threshold: -1\n"), 4, "rules.a.threshold", "outside 0 to 1"),
    (
        "rules:\n  - name: a\n    insights: stats count(*) as errors by @function\n"
        "    value: error\n    threshold: 1\n",
        4,
        "rules.a.value",
        "no column 'error': did you mean 'errors'? its columns are @function, errors",
    ),
]


@pytest.mark.parametrize(("text", "line", "key", "problem"), MISTAKES)
def test_mistake_names_line_and_key(text: str, line: int, key: str | None, problem: str) -> None:
    with pytest.raises(RuleFileError) as raised:
        parse_rule_file(text, Path("team/alerts.yaml"))
    error = raised.value
    assert error.line == line, str(error)
    assert error.key == key, str(error)
    assert problem in error.problem, str(error)
    assert str(error).startswith(f"team/alerts.yaml:{line}: ")


def test_missing_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(RuleFileError, match="does not exist"):
        load_rule_file(tmp_path / "missing.yaml")


def test_webhook_url_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    text = (
        "channels:\n  slack:\n    type: webhook\n    format: slack\n    url_env: HOOK_URL\n"
        "rules:\n  - name: a\n    type: timeout\n    notify: [slack, stdout]\n"
    )
    monkeypatch.setenv("HOOK_URL", "https://hooks.slack.example/services/T0/B0/x")
    channel = parse_rule_file(text, Path("alerts.yaml")).channels["slack"]
    assert isinstance(channel, WebhookChannel)
    assert channel.url == "https://hooks.slack.example/services/T0/B0/x"


def test_saved_query_hint_names_command() -> None:
    text = "rules:\n  - name: a\n    query: no-such-query\n    value: n\n    threshold: 1\n"
    with pytest.raises(RuleFileError) as raised:
        parse_rule_file(text, Path("alerts.yaml"))
    assert raised.value.problem.endswith("list them with loglake queries")


def test_saved_query_value_column_checked(tmp_path: Path) -> None:
    (tmp_path / "slow.yaml").write_text(
        "name: slow\ndescription: Slow invocations.\nsince: 1h\n"
        'query: |\n  filter @type = "REPORT" and @duration > 1000\n'
        "  | stats count(*) as slow by @function\n"
    )
    text = "rules:\n  - name: a\n    query: slow\n    value: m\n    threshold: 3\n"
    with pytest.raises(RuleFileError) as raised:
        parse_rule_file(text, Path("alerts.yaml"), queries_folder=tmp_path)
    assert raised.value.key == "rules.a.value"
    assert "no column 'm'" in raised.value.problem
    assert "its columns are @function, slow" in raised.value.problem


MANY_MISTAKES = """\
defaults:
  window: 5 minutes
channels:
  hook: {type: webhook, url: http://hooks.example.com/x, retries: 50}
rules:
  - name: errors
    type: error_rate
    threshold: 5
    windw: 5m
    functions: orders-api
  - name: db
    insights: stats count(*) as errors by @function
    value: m
    comparison: "=>"
    threshold: five
  - name: patterns
    type: new_pattern
    baseline: 0s
    notify: [pager]
  - name: errors
    type: timeout
"""


def test_every_mistake_in_one_run() -> None:
    with pytest.raises(RuleFileError) as raised:
        parse_rule_file(MANY_MISTAKES, Path("alerts.yaml"))
    found = [(problem.line, problem.key) for problem in raised.value.problems]
    assert found == [
        (2, "defaults.window"),
        (4, "channels.hook.url"),
        (4, "channels.hook.retries"),
        (8, "rules.errors.threshold"),
        (9, "rules.errors.windw"),
        (10, "rules.errors.functions"),
        (13, "rules.db.value"),
        (14, "rules.db.comparison"),
        (15, "rules.db.threshold"),
        (18, "rules.patterns.baseline"),
        (19, "rules.patterns.notify"),
        (20, "rules[3].name"),
    ]
    lines = str(raised.value).splitlines()
    assert len(lines) == len(found)
    assert lines[0].startswith("alerts.yaml:2: defaults.window: '5 minutes' is not a duration")
    assert lines[-1].startswith("alerts.yaml:20: rules[3].name: the rule name 'errors' is already")


def test_default_mistake_reported_once() -> None:
    text = (
        "defaults:\n  interval: 5 minutes\n"
        "rules:\n  - name: a\n    type: timeout\n  - name: b\n    type: out_of_memory\n"
    )
    with pytest.raises(RuleFileError) as raised:
        parse_rule_file(text, Path("alerts.yaml"))
    assert [(p.line, p.key) for p in raised.value.problems] == [(2, "defaults.interval")]


def test_validate_prints_plain_values() -> None:
    result = CliRunner().invoke(cli, ["alerts", "validate", "--rules", str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    assert "function-timeouts: timeout, every 5m over 5m, notify stdout\n" in result.output
    assert "function-cold-starts: cold_start_rate, every 15m over 1h, notify stdout\n" in (
        result.output
    )


def test_validate_lists_every_mistake(tmp_path: Path) -> None:
    path = tmp_path / "alerts.yaml"
    path.write_text(MANY_MISTAKES)
    result = CliRunner().invoke(cli, ["alerts", "validate", "--rules", str(path)])
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 12
    assert errors[0].startswith(f"error: {path}:2: defaults.window: ")
    assert f"Error: {path} has 12 mistakes; no rule was evaluated" in result.stderr


def test_unknown_tag_does_not_end_check() -> None:
    text = (
        "rules:\n  - name: a\n    type: timeout\n    !!python/name:os.system window: 5m\n"
        "    windw: 5m\n"
    )
    with pytest.raises(RuleFileError) as raised:
        parse_rule_file(text, Path("alerts.yaml"))
    found = [(problem.line, problem.key) for problem in raised.value.problems]
    assert found == [(4, None), (5, "rules.a.windw")]
