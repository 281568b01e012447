"""Regular expressions of a query: RE2 syntax as the compiler checks it, and its groups.

Queries write regexes in the syntax Insights documents; DuckDB runs RE2 and Athena runs
Java's syntax. These helpers rename named groups, number them, and adjust the end anchor,
without changing what a regex matches otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_NAMED_GROUP = re.compile(r"\(\?P?<([^>=!][^>]*)>")


def prepare_regex(pattern: str) -> tuple[str, list[str]]:
    """Return a query's regex in RE2 syntax, with its named groups renamed, and their names.

    A ``$`` anchor also matches before a final newline, as in Java's syntax, because
    Lambda's text log lines end with one and RE2's ``$`` never matches there.
    """
    regex, names = rename_groups(pattern)
    return allow_final_newline(regex), names


def allow_final_newline(regex: str) -> str:
    r"""Write each ``$`` anchor of an RE2 regex as ``\n?$``."""
    output: list[str] = []
    for token, literal in regex_tokens(regex):
        output.append("\\n?$" if token == "$" and not literal else token)
    return "".join(output)


def regex_tokens(regex: str) -> Iterator[tuple[str, bool]]:
    r"""Yield the pieces of an RE2 regex, each with whether it is literal text.

    Escapes, ``\Q...\E`` quotes and character classes are literal pieces. Every other
    character is a piece of its own that is not literal.
    """
    index = 0
    while index < len(regex):
        if regex.startswith("\\Q", index):
            end = regex.find("\\E", index + 2)
            end = len(regex) if end < 0 else end + 2
        elif regex[index] == "\\":
            end = index + 2
        elif regex[index] == "[":
            end = index + 1
            # A ] right after [ or [^ is a member of the class, not its end.
            if regex.startswith("^", end):
                end += 1
            if regex.startswith("]", end):
                end += 1
            while end < len(regex) and regex[end] != "]":
                end += 2 if regex[end] == "\\" else 1
            end += 1
        else:
            yield regex[index], False
            index += 1
            continue
        yield regex[index:end], True
        index = end


def group_names(pattern: str) -> list[str]:
    """Return the names of the named groups, ``(?<name>`` or ``(?P<name>``, in order."""
    return _NAMED_GROUP.findall(pattern)


def rename_groups(pattern: str) -> tuple[str, list[str]]:
    """Rename named groups to g1, g2, ... (RE2 spells them ``(?P<name>``)."""
    names: list[str] = []

    def rename(match: re.Match[str]) -> str:
        names.append(match.group(1))
        return f"(?P<g{len(names)}>"

    return _NAMED_GROUP.sub(rename, pattern), names


_GROUP_NAME = re.compile(r"\(\?P<[^>]*>")


def plain_groups(regex: str) -> str:
    """Return the regex with each ``(?P<name>`` group written as a plain ``(`` group.

    Java's syntax, which Trino reads, has no ``(?P<``; a group's number stays the same.
    """
    return _GROUP_NAME.sub("(", regex)


def group_numbers(regex: str) -> list[int]:
    r"""Return the number of each named group ``(?P<`` of an RE2 regex, in order.

    Every ``(`` outside escapes, ``\Q...\E`` quotes and character classes that is not
    followed by ``?`` opens a numbered group, and so does ``(?P<``.
    """
    numbers: list[int] = []
    count = 0
    pieces = list(regex_tokens(regex))
    for index, (piece, literal) in enumerate(pieces):
        if literal or piece != "(":
            continue
        following = "".join(text for text, _ in pieces[index + 1 : index + 4])
        if following.startswith("?P<"):
            count += 1
            numbers.append(count)
        elif not following.startswith("?"):
            count += 1
    return numbers
