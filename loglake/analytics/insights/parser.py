"""Recursive-descent parser from Insights query text to the syntax tree in ``ast``.

Grammar, lowest precedence first::

    query      := command ("|" command)*
    expression := or
    or         := and ("or" and)*
    and        := not ("and" not)*
    not        := "not" not | comparison
    comparison := additive [("=" | "==" | "!=" | "<" | "<=" | ">" | ">=") additive
                            | ["not"] "like" (additive | regex) | "=~" (additive | regex)
                            | ["not"] "in" list]
    additive   := multiplicative (("+" | "-") multiplicative)*
    multiplicative := power (("*" | "/" | "%") power)*
    power      := unary ["^" power]
    unary      := "-" unary | primary
    primary    := number | string | period | parameter | call | field | "(" expression ")"
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import replace

from loglake.analytics.insights import ast
from loglake.analytics.insights.errors import InsightsSyntaxError, Position
from loglake.analytics.insights.lexer import Lexer, Token, TokenType
from loglake.analytics.insights.regexes import group_names

MAX_NESTING = 40
"""Nesting of parentheses, calls and prefix operators a query may have: each level takes
about ten frames of Python's stack, which allows 1,000."""

MAX_TREE_DEPTH = 64
"""Depth of an expression's tree. Chains of ``and`` or ``or`` count as one level, because
they are compiled without recursion; chains of arithmetic grow it."""

MAX_CHAIN = 1_000
"""Operands one chain of the same precedence (a or b or ...) may have."""

ParameterValue = str | int | float | bool

_COMPARISONS = ("=", "==", "!=", "<", "<=", ">", ">=")
_KEYWORDS = frozenset({"and", "or", "not", "like", "in", "as", "by", "asc", "desc"})
_UNSUPPORTED_COMMANDS: Mapping[str, str] = {
    "head": "head is deprecated in Insights: use limit",
    "tail": "tail is deprecated in Insights: use sort @timestamp asc | limit",
    "diff": "diff compares two time ranges, which loglake does not run: run the query twice",
    "anomaly": "anomaly is a machine-learning command that loglake does not run",
    "unnest": "unnest is not supported yet",
    "lookup": "lookup tables are not supported: join in loglake sql instead",
    "join": "join is not supported: use loglake sql",
    "fillmissing": "fillmissing is not supported yet",
}


class Parser:
    """Parser of one query text; ``parse()`` returns its ``ast.Query``."""

    def __init__(self, text: str, parameters: Mapping[str, ParameterValue] | None = None):
        self.text = text
        self.lexer = Lexer(text)
        self.parameters = dict(parameters or {})
        self.token = self.lexer.scan(0)
        self.last_end = 0
        self.depth = 0
        self.commands: dict[str, Callable[[Token], ast.Command]] = {
            "fields": self.parse_fields,
            "display": self.parse_display,
            "filter": self.parse_filter,
            "where": self.parse_filter,
            "filterindex": self.parse_filter,
            "stats": self.parse_stats,
            "sort": self.parse_sort,
            "limit": self.parse_limit,
            "parse": self.parse_parse,
            "dedup": self.parse_dedup,
            "pattern": self.parse_pattern,
            "unmask": self.parse_unmask,
            "source": self.parse_source,
        }

    # Token handling

    def advance(self) -> Token:
        """Consume the current token and return it."""
        token = self.token
        self.last_end = token.end
        self.token = self.lexer.scan(token.end)
        return token

    def at_end(self) -> bool:
        """Return whether the whole query has been read."""
        return self.token.type is TokenType.EOF

    def error(self, message: str, token: Token | None = None) -> InsightsSyntaxError:
        """Return a syntax error at a token (the current one by default)."""
        token = token or self.token
        error = InsightsSyntaxError(message, token.position)
        error.with_text(self.text)
        return error

    def expected(self, what: str) -> InsightsSyntaxError:
        """Return the error for a token that is not what the grammar allows here."""
        return self.error(f"expected {what}, found {self.token.text}")

    def expect_operator(self, operator: str, what: str | None = None) -> Token:
        """Consume an operator or raise an error naming what was expected."""
        if not self.token.is_operator(operator):
            raise self.expected(what or f"'{operator}'")
        return self.advance()

    def accept_keyword(self, *words: str) -> Token | None:
        """Consume the current token if it is one of the keywords."""
        if self.token.is_keyword(*words):
            return self.advance()
        return None

    def source_since(self, start: int) -> str:
        """Return the query text from an offset to the end of the last consumed token."""
        return _normalize(self.text[start : self.last_end])

    # Query and commands

    def parse(self) -> ast.Query:
        """Parse the whole query."""
        commands: list[ast.Command] = []
        if self.at_end():
            raise self.error("the query is empty: write a command such as filter or stats")
        while True:
            commands.append(self.parse_command(first=not commands))
            if self.at_end():
                break
            self.expect_operator("|", "'|' before the next command")
            if self.at_end():
                raise self.expected("a command after '|'")
        return ast.Query(tuple(commands))

    def parse_command(self, *, first: bool) -> ast.Command:
        """Parse one command through the table of command keywords."""
        token = self.token
        if token.is_operator("|"):
            raise self.error("empty command between two '|': remove one '|'")
        if token.type is not TokenType.NAME or token.quoted:
            raise self.expected("a command such as fields, filter, stats, sort or parse")
        assert isinstance(token.value, tuple)
        keyword = token.value[0].lower() if len(token.value) == 1 else ""
        handler = self.commands.get(keyword)
        if handler is None:
            if keyword in _UNSUPPORTED_COMMANDS:
                raise self.error(_UNSUPPORTED_COMMANDS[keyword])
            raise self.error(
                f"unknown command {token.text}"
                + _suggestion(".".join(token.value).lower(), self.commands)
            )
        if keyword == "source" and not first:
            raise self.error("SOURCE must be the first command of a query")
        self.advance()
        return handler(token)

    def parse_fields(self, keyword: Token) -> ast.Command:
        """``fields item, ...``."""
        return ast.Fields(keyword.position, "fields", self.parse_items())

    def parse_display(self, keyword: Token) -> ast.Command:
        """``display item, ...``."""
        return ast.Display(keyword.position, "display", self.parse_items())

    def parse_filter(self, keyword: Token) -> ast.Command:
        """``filter condition`` (also ``where`` and ``filterIndex``)."""
        return ast.Filter(keyword.position, "filter", self.parse_expression())

    def parse_stats(self, keyword: Token) -> ast.Command:
        """``stats item, ... [by item, ...]``; ``group by`` is accepted for ``by``."""
        aggregates = self.parse_items()
        groups: tuple[ast.Item, ...] = ()
        if self.token.is_keyword("group"):
            self.advance()
            if not self.token.is_keyword("by"):
                raise self.expected("'by' after 'group'")
        if self.accept_keyword("by"):
            groups = self.parse_items()
        return ast.Stats(keyword.position, "stats", aggregates, groups)

    def parse_sort(self, keyword: Token) -> ast.Command:
        """``sort [by] key [asc|desc], ...``; the default direction is ascending."""
        self.accept_keyword("by")
        keys = [self.parse_sort_key()]
        while self.token.is_operator(","):
            self.advance()
            keys.append(self.parse_sort_key())
        return ast.Sort(keyword.position, "sort", tuple(keys))

    def parse_sort_key(self) -> ast.SortKey:
        """Parse one key of ``sort``."""
        expression = self.parse_expression()
        direction = self.accept_keyword("asc", "desc")
        descending = direction is not None and direction.is_keyword("desc")
        return ast.SortKey(expression, descending)

    def parse_limit(self, keyword: Token) -> ast.Command:
        """``limit n``."""
        if self.token.type is not TokenType.NUMBER or not isinstance(self.token.value, int):
            raise self.expected("a whole number of rows after limit")
        count = self.token.value
        if not 0 < count < 2**63:
            raise self.error(f"limit {count} is out of range: use 1 or more")
        self.advance()
        return ast.Limit(keyword.position, "limit", count)

    def parse_parse(self, keyword: Token) -> ast.Command:
        """``parse [field] "glob" as a, ...`` or ``parse [field] /regex/``."""
        field: ast.Expression
        if self.token.type is TokenType.STRING or self.token.is_operator("/"):
            # Without a field, parse reads @message.
            field = ast.FieldReference(keyword.position, "@message", ("@message",))
        else:
            # A primary, because the '/' of a regex after the field is not a division.
            field = self.parse_primary()
        if self.token.type is TokenType.STRING:
            pattern_token = self.advance()
            assert isinstance(pattern_token.value, str)
            stars = pattern_token.value.count("*")
            if stars == 0:
                raise self.error("a parse pattern needs at least one '*' to capture", pattern_token)
            if not self.accept_keyword("as"):
                raise self.expected(f"'as' and {stars} field name(s) for the '*' of the pattern")
            aliases = [self.parse_alias()]
            while self.token.is_operator(","):
                self.advance()
                aliases.append(self.parse_alias())
            if len(aliases) != stars:
                raise self.error(
                    f"the pattern has {stars} '*' but {len(aliases)} field name(s) follow 'as': "
                    "give one name per '*'",
                    pattern_token,
                )
            return ast.ParseGlob(
                keyword.position, "parse", field, pattern_token.value, tuple(aliases)
            )
        if self.token.is_operator("/"):
            regex_token = self.scan_regex()
            assert isinstance(regex_token.value, str)
            names = tuple(group_names(regex_token.value))
            if not names:
                raise self.error(
                    "a parse regular expression needs named groups such as (?<status>\\d+)",
                    regex_token,
                )
            duplicates = sorted({name for name in names if names.count(name) > 1})
            if duplicates:
                raise self.error(f"group name {duplicates[0]!r} appears twice", regex_token)
            return ast.ParseRegex(keyword.position, "parse", field, regex_token.value, names)
        raise self.expected("a quoted pattern with * or a /regular expression/")

    def parse_dedup(self, keyword: Token) -> ast.Command:
        """``dedup field, ...``."""
        keys = [self.parse_expression()]
        while self.token.is_operator(","):
            self.advance()
            keys.append(self.parse_expression())
        return ast.Dedup(keyword.position, "dedup", tuple(keys))

    def parse_pattern(self, keyword: Token) -> ast.Command:
        """``pattern expression`` (``@message`` when nothing follows)."""
        if self.at_end() or self.token.is_operator("|"):
            expression: ast.Expression = ast.FieldReference(
                keyword.position, "@message", ("@message",)
            )
        else:
            expression = self.parse_expression()
        return ast.Pattern(keyword.position, "pattern", expression)

    def parse_unmask(self, keyword: Token) -> ast.Command:
        """``unmask [field]``: accepted and ignored, because the lake is not masked."""
        if not (self.at_end() or self.token.is_operator("|")):
            self.parse_expression()
        return ast.Unmask(keyword.position, "unmask")

    def parse_source(self, keyword: Token) -> ast.Command:
        """``SOURCE 'group' [, 'group']`` or ``SOURCE logGroups(namePrefix: [...], ...)``."""
        if self.token.type is TokenType.STRING:
            groups = [self.parse_string()]
            while self.token.is_operator(","):
                self.advance()
                groups.append(self.parse_string())
            return ast.Source(keyword.position, "source", tuple(groups), (), ())
        if not self.token.is_keyword("loggroups"):
            raise self.expected("a quoted log group name or logGroups(...) after SOURCE")
        self.advance()
        self.expect_operator("(")
        options: dict[str, tuple[str, ...]] = {}
        while not self.token.is_operator(")"):
            if options:
                self.expect_operator(",", "',' or ')'")
            name_token = self.token
            if not name_token.is_keyword("nameprefix", "accountidentifiers", "class"):
                raise self.expected("namePrefix, accountIdentifiers or class")
            self.advance()
            self.expect_operator(":")
            assert isinstance(name_token.value, tuple)
            options[name_token.value[0].lower()] = self.parse_string_list()
        self.advance()
        classes = {value.upper() for value in options.get("class", ())}
        if classes - {"STANDARD"}:
            raise self.error(
                "the lake keeps every log group's events, so only class: ['STANDARD'] applies",
                keyword,
            )
        return ast.Source(
            keyword.position,
            "source",
            (),
            options.get("nameprefix", ()),
            options.get("accountidentifiers", ()),
        )

    def parse_string(self) -> str:
        """Parse a quoted string."""
        if self.token.type is not TokenType.STRING:
            raise self.expected("a quoted string")
        value = self.advance().value
        assert isinstance(value, str)
        return value

    def parse_string_list(self) -> tuple[str, ...]:
        """``['a', 'b']``."""
        self.expect_operator("[")
        values = [self.parse_string()]
        while self.token.is_operator(","):
            self.advance()
            values.append(self.parse_string())
        self.expect_operator("]")
        return tuple(values)

    def parse_items(self) -> tuple[ast.Item, ...]:
        """``expression [as alias], ...``."""
        items = [self.parse_item()]
        while self.token.is_operator(","):
            self.advance()
            items.append(self.parse_item())
        return tuple(items)

    def parse_item(self) -> ast.Item:
        """``expression [as alias]``."""
        if self.at_end() or self.token.is_operator("|", ","):
            raise self.expected("a field or an expression")
        expression = self.parse_expression()
        alias = self.parse_alias() if self.accept_keyword("as") else None
        return ast.Item(expression, alias)

    def parse_alias(self) -> str:
        """Parse the name after ``as``."""
        if self.token.type is not TokenType.NAME:
            raise self.expected("a field name")
        value = self.advance().value
        assert isinstance(value, tuple)
        return ".".join(value)

    # Expressions

    def parse_expression(self) -> ast.Expression:
        """Parse an expression, with the nesting depth bounded."""
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise self.error(f"the expression nests more than {MAX_NESTING} levels deep")
        start = self.token
        try:
            expression = self.parse_or()
        finally:
            self.depth -= 1
        if self.depth == 0 and _tree_depth(expression) > MAX_TREE_DEPTH:
            raise self.error(
                f"the expression is more than {MAX_TREE_DEPTH} operations deep: split it "
                "into several fields commands",
                start,
            )
        return expression

    def parse_or(self) -> ast.Expression:
        """``and-expression (or and-expression)*``."""
        return self.parse_chain(self.parse_and, ("or",))

    def parse_and(self) -> ast.Expression:
        """``not-expression (and not-expression)*``."""
        return self.parse_chain(self.parse_not, ("and",))

    def parse_not(self) -> ast.Expression:
        """``not not-expression`` or a comparison."""
        token = self.token
        if token.is_keyword("not"):
            self.advance()
            self.depth += 1
            if self.depth > MAX_NESTING:
                raise self.error(f"the expression nests more than {MAX_NESTING} levels deep")
            try:
                operand = self.parse_not()
            finally:
                self.depth -= 1
            return ast.UnaryOperation(
                token.position, self.source_since(token.position.offset), "not", operand
            )
        return self.parse_comparison()

    def parse_comparison(self) -> ast.Expression:
        """Parse a comparison, ``like``, ``=~`` or ``in``, or a plain additive expression."""
        start = self.token.position.offset
        left = self.parse_additive()
        token = self.token
        if token.is_operator(*_COMPARISONS):
            self.advance()
            operator = "=" if token.value == "==" else str(token.value)
            right = self.parse_additive()
            return ast.BinaryOperation(
                token.position, self.source_since(start), operator, left, right
            )
        if token.is_operator("=~"):
            self.advance()
            right = self.parse_match_operand()
            return ast.BinaryOperation(
                token.position, self.source_since(start), "like", left, right
            )
        negated = False
        if token.is_keyword("not"):
            self.advance()
            negated = True
            if not self.token.is_keyword("like", "in"):
                raise self.expected("'like' or 'in' after 'not'")
        if self.accept_keyword("like"):
            right = self.parse_match_operand()
            return ast.BinaryOperation(
                token.position, self.source_since(start), "like", left, right, negated
            )
        if self.accept_keyword("in"):
            right = self.parse_list()
            return ast.BinaryOperation(
                token.position, self.source_since(start), "in", left, right, negated
            )
        return left

    def parse_match_operand(self) -> ast.Expression:
        """Parse the right side of ``like`` and ``=~``: a ``/regex/`` or a text expression."""
        if self.token.is_operator("/"):
            token = self.scan_regex()
            assert isinstance(token.value, str)
            return ast.RegexLiteral(
                token.position,
                _normalize(self.text[token.position.offset : token.end]),
                token.value,
            )
        return self.parse_additive()

    def parse_list(self) -> ast.Expression:
        """``[literal, ...]`` after ``in``."""
        start = self.expect_operator("[", "'[' to start the list after 'in'")
        items: list[ast.Expression] = []
        while not self.token.is_operator("]"):
            if items:
                self.expect_operator(",", "',' or ']'")
            items.append(self.parse_unary())
        self.advance()
        if not items:
            raise self.error("the list after 'in' is empty: give at least one value", start)
        return ast.ListLiteral(
            start.position, self.source_since(start.position.offset), tuple(items)
        )

    def parse_additive(self) -> ast.Expression:
        """``multiplicative (("+" | "-") multiplicative)*``."""
        return self.parse_chain(self.parse_multiplicative, ("+", "-"))

    def parse_multiplicative(self) -> ast.Expression:
        """``power (("*" | "/" | "%") power)*``."""
        return self.parse_chain(self.parse_power, ("*", "/", "%"))

    def parse_chain(
        self, operand: Callable[[], ast.Expression], operators: tuple[str, ...]
    ) -> ast.Expression:
        """``operand (operator operand)*``, left-associative, for one precedence level.

        Only the whole chain gets its source text, because only a whole expression names
        an output column. Naming every link would take time quadratic in its length.
        """
        start = self.token.position.offset
        left = operand()
        links = 0
        while True:
            token = self.token
            if token.type is TokenType.OPERATOR and token.value in operators:
                operator = str(token.value)
            elif token.is_keyword(*operators):
                operator = operators[0]
            else:
                break
            links += 1
            if links > MAX_CHAIN:
                raise self.error(
                    f"more than {MAX_CHAIN} '{operator}' operations in a row: use in [...] "
                    "for a list of values, or split the expression"
                )
            self.advance()
            right = operand()
            position = token.position if operator not in ("and", "or") else left.position
            left = ast.BinaryOperation(position, "", operator, left, right)
        if links:
            left = replace(left, source=self.source_since(start))
        return left

    def parse_power(self) -> ast.Expression:
        """``unary ["^" power]``, right-associative."""
        start = self.token.position.offset
        base = self.parse_unary()
        if self.token.is_operator("^"):
            operator = self.advance()
            exponent = self.parse_nested(self.parse_power)
            return ast.BinaryOperation(
                operator.position, self.source_since(start), "^", base, exponent
            )
        return base

    def parse_unary(self) -> ast.Expression:
        """``"-" unary`` or a primary expression."""
        token = self.token
        if token.is_operator("-"):
            self.advance()
            operand = self.parse_nested(self.parse_unary)
            if isinstance(operand, ast.NumberLiteral):
                return ast.NumberLiteral(
                    token.position, self.source_since(token.position.offset), -operand.value
                )
            return ast.UnaryOperation(
                token.position, self.source_since(token.position.offset), "-", operand
            )
        return self.parse_primary()

    def parse_nested(self, rule: Callable[[], ast.Expression]) -> ast.Expression:
        """Run a rule that recurses without passing through ``parse_expression``."""
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise self.error(f"the expression nests more than {MAX_NESTING} levels deep")
        try:
            return rule()
        finally:
            self.depth -= 1

    def parse_primary(self) -> ast.Expression:
        """Parse a literal, a parameter, a call, a field, or a parenthesised expression."""
        token = self.token
        position = token.position
        if token.type is TokenType.NUMBER:
            self.advance()
            assert isinstance(token.value, int | float)
            return ast.NumberLiteral(position, self.source_since(position.offset), token.value)
        if token.type is TokenType.STRING:
            self.advance()
            assert isinstance(token.value, str)
            return ast.StringLiteral(position, self.source_since(position.offset), token.value)
        if token.type is TokenType.PERIOD:
            self.advance()
            assert isinstance(token.value, tuple)
            amount, unit = token.value
            return ast.PeriodLiteral(position, self.source_since(position.offset), amount, unit)
        if token.type is TokenType.PARAMETER:
            return self.parse_parameter()
        if token.is_operator("("):
            self.advance()
            inner = self.parse_expression()
            self.expect_operator(")", "')' to close the '('")
            return inner
        if token.type is TokenType.NAME:
            assert isinstance(token.value, tuple)
            if token.is_keyword(*_KEYWORDS):
                raise self.expected("a field, a value or a function call")
            self.advance()
            if self.token.is_operator("(") and len(token.value) == 1 and not token.quoted:
                return self.parse_call(token)
            return ast.FieldReference(position, self.source_since(position.offset), token.value)
        if token.is_operator("/"):
            raise self.error("a /regular expression/ is allowed only after like, =~ or parse")
        raise self.expected("a field, a value or a function call")

    def parse_call(self, name: Token) -> ast.Expression:
        """``name(argument, ...)``, ``name(*)`` or ``name()``."""
        assert isinstance(name.value, tuple)
        opening = self.advance()
        arguments: list[ast.Expression] = []
        star = False
        if self.token.is_operator("*"):
            self.advance()
            star = True
        else:
            while not self.token.is_operator(")"):
                if arguments:
                    self.expect_operator(",", "',' or ')'")
                if self.token.is_operator("/"):
                    token = self.scan_regex()
                    assert isinstance(token.value, str)
                    arguments.append(ast.RegexLiteral(token.position, "", token.value))
                else:
                    arguments.append(self.parse_expression())
        self.expect_operator(")", "')' to close the function call")
        # The name ends at the '(', even when the query puts a space between them.
        source = name.value[0] + self.source_since(opening.position.offset)
        return ast.FunctionCall(
            name.position,
            source,
            name.value[0],
            tuple(arguments),
            star,
        )

    def parse_parameter(self) -> ast.Expression:
        """``$name``: the bound value, as a literal."""
        token = self.advance()
        name = str(token.value)
        if name not in self.parameters:
            raise self.error(f"parameter ${name} has no value: pass --param {name}=VALUE", token)
        value = self.parameters[name]
        if isinstance(value, str) and "\x00" in value:
            raise self.error(f"the value of ${name} contains the NUL character (\\x00)", token)
        if isinstance(value, float) and not math.isfinite(value):
            raise self.error(f"the value of ${name} is {value}: use a finite number", token)
        if isinstance(value, int) and not isinstance(value, bool) and not -(2**63) <= value < 2**63:
            raise self.error(f"the value of ${name} is outside the 64-bit integer range", token)
        source = f"${name}"
        if isinstance(value, bool):
            return ast.BooleanLiteral(token.position, source, value)
        if isinstance(value, int | float):
            return ast.NumberLiteral(token.position, source, value)
        return ast.StringLiteral(token.position, source, value)

    def scan_regex(self) -> Token:
        """Read a ``/regex/`` where the current token is ``/``."""
        token = self.lexer.scan_regex(self.token.position.offset)
        self.last_end = token.end
        self.token = self.lexer.scan(token.end)
        following = self.token
        value = following.value
        flags = str(value[0]) if isinstance(value, tuple) and len(value) == 1 else ""
        if following.position.offset == token.end and re.fullmatch(r"[gimsux]+", flags):
            raise self.error(
                f"flags after the closing '/' are not supported: write /(?{flags})...", following
            )
        return token


def parse_query(text: str, parameters: Mapping[str, ParameterValue] | None = None) -> ast.Query:
    """Parse query text into its syntax tree."""
    return Parser(text, parameters).parse()


def _tree_depth(root: ast.Expression) -> int:
    """Return the depth of an expression tree, walked without recursion."""
    deepest = 0
    pending: list[tuple[ast.Expression, int]] = [(root, 1)]
    while pending:
        node, depth = pending.pop()
        deepest = max(deepest, depth)
        children: tuple[ast.Expression, ...] = ()
        if isinstance(node, ast.BinaryOperation):
            left_in_chain = (
                node.operator in ("and", "or")
                and isinstance(node.left, ast.BinaryOperation)
                and node.left.operator == node.operator
            )
            if left_in_chain:
                # The chain's next link, which does not deepen the compiled SQL.
                pending.append((node.left, depth))
                children = (node.right,)
            else:
                children = (node.left, node.right)
        elif isinstance(node, ast.UnaryOperation):
            children = (node.operand,)
        elif isinstance(node, ast.FunctionCall):
            children = node.arguments
        elif isinstance(node, ast.ListLiteral):
            children = node.items
        pending.extend((child, depth + 1) for child in children)
    return deepest


def _normalize(source: str) -> str:
    """Return expression text as an output column name: one space after commas, no others
    inside brackets, and runs of blanks collapsed."""
    collapsed = re.sub(r"\s+", " ", source.strip())
    collapsed = re.sub(r"\s*,\s*", ", ", collapsed)
    collapsed = re.sub(r"\(\s+", "(", collapsed)
    return re.sub(r"\s+\)", ")", collapsed)


def _suggestion(word: str, known: Mapping[str, object]) -> str:
    matches = difflib.get_close_matches(word, list(known), n=1)
    return f": did you mean {matches[0]}?" if matches else ""


__all__ = ["MAX_NESTING", "ParameterValue", "Parser", "Position", "parse_query"]
