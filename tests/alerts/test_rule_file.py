"""Rule files: the shipped example is valid, and each mistake names its file, line and key."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from loglake.analytics.alerts.model import (
    ErrorPatternCheck,
    FunctionHealthCheck,
    QueryCheck,
    WebhookChannel,
)
from loglake.analytics.alerts.rule_file import RuleFileError, load_rule_file, parse_rule_file

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
        "rules:\n  - name: a\n    insights: fitler @message like /x/\n    value: n\n",
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
    ("", 1, None, "the file is empty"),
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
