"""Tokens, the syntax tree, and errors that point at the offending text."""

from __future__ import annotations

import re

import pytest

from loglake.analytics.insights import InsightsError, InsightsSyntaxError, ast, compile_query
from loglake.analytics.insights.lexer import Lexer, TokenType
from loglake.analytics.insights.parser import parse_query


def tokens(text: str) -> list[tuple[TokenType, object]]:
    lexer = Lexer(text)
    found = []
    offset = 0
    while True:
        token = lexer.scan(offset)
        if token.type is TokenType.EOF:
            return found
        found.append((token.type, token.value))
        offset = token.end


def test_tokens_of_each_kind() -> None:
    assert tokens("fields @message, `detail-type`, a.b.0 | limit 5 # trailing") == [
        (TokenType.NAME, ("fields",)),
        (TokenType.NAME, ("@message",)),
        (TokenType.OPERATOR, ","),
        (TokenType.NAME, ("detail-type",)),
        (TokenType.OPERATOR, ","),
        (TokenType.NAME, ("a", "b", "0")),
        (TokenType.OPERATOR, "|"),
        (TokenType.NAME, ("limit",)),
        (TokenType.NUMBER, 5),
    ]


def test_tokens_of_literals() -> None:
    assert tokens("5m 1.5 'it''s' \"a\\\"b\" $name <= =~ !=") == [
        (TokenType.PERIOD, (5, "m")),
        (TokenType.NUMBER, 1.5),
        (TokenType.STRING, "it's"),
        (TokenType.STRING, 'a"b'),
        (TokenType.PARAMETER, "name"),
        (TokenType.OPERATOR, "<="),
        (TokenType.OPERATOR, "=~"),
        (TokenType.OPERATOR, "!="),
    ]


def test_quoted_system_field() -> None:
    assert tokens("@`aws.region`") == [(TokenType.NAME, ("@aws.region",))]


def test_token_positions_count_lines_and_columns() -> None:
    lexer = Lexer("fields a\n| filter  b")
    offset = 0
    for _ in range(4):
        offset = lexer.scan(offset).end
    token = lexer.scan(offset)
    assert token.value == ("b",)
    assert (token.position.line, token.position.column) == (2, 11)


def test_hash_inside_a_word_is_not_a_comment() -> None:
    with pytest.raises(InsightsSyntaxError, match="comment starts with '#'"):
        compile_query("filter a#b")


def test_slash_is_division_after_an_operand_and_regex_after_like() -> None:
    query = parse_query("fields a / 2 as half | filter b like /x\\/y/")
    fields, condition = query.commands
    assert isinstance(fields, ast.Fields)
    assert isinstance(fields.items[0].expression, ast.BinaryOperation)
    assert isinstance(condition, ast.Filter)
    assert isinstance(condition.condition, ast.BinaryOperation)
    regex = condition.condition.right
    assert isinstance(regex, ast.RegexLiteral)
    assert regex.pattern == "x/y"


def test_keywords_are_case_insensitive() -> None:
    query = parse_query("FILTER a IN [1] AND NOT b LIKE 'x' | STATS COUNT(*) BY c | SORT c DESC")
    assert [command.keyword for command in query.commands] == ["filter", "stats", "sort"]


def test_operator_precedence() -> None:
    [fields] = parse_query("fields a or b and not c = 1 + 2 * 3 ^ 2 as x").commands
    assert isinstance(fields, ast.Fields)
    top = fields.items[0].expression
    assert isinstance(top, ast.BinaryOperation)
    assert top.operator == "or"
    assert isinstance(top.right, ast.BinaryOperation)
    assert top.right.operator == "and"


def test_stats_items_keep_their_text_as_name() -> None:
    [stats] = parse_query("stats pct( @duration ,99 ), count(*) by bin (5m)").commands
    assert isinstance(stats, ast.Stats)
    assert [item.name for item in stats.aggregates] == ["pct(@duration, 99)", "count(*)"]
    assert [item.name for item in stats.groups] == ["bin(5m)"]


def test_syntax_error_shows_line_column_and_caret() -> None:
    with pytest.raises(InsightsSyntaxError) as caught:
        compile_query('filter @type = "REPORT"\n| stats count(*) by ,')
    assert str(caught.value) == (
        "line 2, column 21: expected a field or an expression, found ','\n"
        "  | stats count(*) by ,\n"
        "                      ^"
    )


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "the query is empty"),
        ("filter a |", "expected a command after '|'"),
        ("filter a | | limit 1", "empty command between two '|'"),
        ("filer a", "unknown command 'filer': did you mean filter?"),
        ("head 5", "use limit"),
        ("fields a | SOURCE 'x'", "SOURCE must be the first command"),
        ('parse @message "a * b" as x, y', "1 '*' but 2 field name(s)"),
        ("parse @message /no groups/", "named groups"),
        ("filter a = 'open", "no closing '"),
        ("filter a like /open", "no closing '/'"),
        ("limit 0", "out of range"),
        ("filter a in []", "empty"),
        ("stats count(*) | stats count(*) | stats count(*)", "at most 2 stats"),
        ("stats count(*) as n by a | sort n | stats max(n)", "after the second stats"),
        ("stats bin(5m)", "not an aggregate"),
        ("stats max(a) + b", "outside an aggregate"),
        ("stats max(count(*))", "cannot be inside another aggregate"),
        ("stats count(*) by a | fields b", "unknown field b after stats"),
        ("stats count(*) as n | stats count(*) by bin(5m)", "reads @timestamp"),
        ("fields bin(5x)", "unknown time unit"),
        ("fields 5m", "allowed only as an argument"),
        ("fields pct(a, 150)", "use it in stats"),
        ("stats pct(a, 150)", "outside 0 to 100"),
        ("fields abs(1, 2)", "takes 1 argument(s), not 2"),
        ("fields " + "(" * 200 + "1" + ")" * 200, "nests more than"),
        ("fields " + " + ".join(["a"] * 100), "operations deep"),
        ("fields " + "dateceil(" * 30 + "@timestamp" + ", 1h)" * 30, "more than 1,000,000"),
    ],
)
def test_errors_name_the_problem(query: str, message: str) -> None:
    with pytest.raises(InsightsError, match=re.escape(message)):
        compile_query(query)


def test_error_positions_point_into_the_text() -> None:
    with pytest.raises(InsightsError) as caught:
        compile_query("fields a\n| stats count(*) by zz(1)")
    position = caught.value.position
    assert position is not None
    assert (position.line, position.column) == (2, 21)
