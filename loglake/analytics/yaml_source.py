"""YAML files read as a node tree, so that every mistake can name the line it is on.

The readers of alert rule files and saved query files check the tree node by node. This
module contains what they share: composing the document, constructing a node's value, the
line of a node, and the entries of a mapping with its unknown, repeated and non-text keys.
Each reader turns :class:`YamlSyntaxError` and :class:`NodeProblem` into its own error,
with the file name and the fix.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode

Entries = dict[str, tuple[Node, Node]]
"""A mapping's entries by key, with the key node and the value node of each."""


class YamlSyntaxError(ValueError):
    """Text that is not one valid YAML document, or a value that YAML cannot construct.

    ``line`` is 1-based, or None when the parser names no place.
    """

    def __init__(self, line: int | None, reason: str) -> None:
        self.line = line
        self.reason = reason
        super().__init__(f"invalid YAML: {reason}")


@dataclass(frozen=True, slots=True)
class NodeProblem:
    """A mistake at a node: the dotted key it is under (None at the top) and what is wrong."""

    node: Node
    key: str | None
    problem: str

    @property
    def line(self) -> int:
        """The 1-based line the node starts on."""
        return line_of(self.node)


class YamlDocument:
    """One YAML document of a text, composed into nodes that keep their place in the text.

    Use it as a context manager, or call :meth:`close`, to free the parser.
    """

    def __init__(self, text: str) -> None:
        """Compose ``text``. Raises :class:`YamlSyntaxError` for invalid YAML or two documents."""
        self._loader = yaml.SafeLoader(text)
        try:
            self.root: Node | None = self._loader.get_single_node()
            """The document's top node, or None for a text without a document."""
        except yaml.MarkedYAMLError as error:
            self._loader.dispose()
            mark = error.problem_mark or error.context_mark
            line = mark.line + 1 if mark is not None else None
            raise YamlSyntaxError(line, error.problem or error.context or "invalid YAML") from None
        except yaml.YAMLError as error:
            self._loader.dispose()
            raise YamlSyntaxError(None, str(error)) from None

    def value(self, node: Node) -> Any:
        """Return the Python value of ``node`` and of every node under it.

        Raises :class:`YamlSyntaxError` at the node for a value that YAML's safe loader
        cannot construct, such as an unknown tag.
        """
        try:
            return self._loader.construct_object(node, deep=True)
        except yaml.MarkedYAMLError as error:
            raise YamlSyntaxError(line_of(node), error.problem or str(error)) from None

    def close(self) -> None:
        """Free the parser."""
        self._loader.dispose()

    def __enter__(self) -> YamlDocument:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def line_of(node: Node) -> int:
    """Return the 1-based line that ``node`` starts on."""
    return int(node.start_mark.line) + 1


def entry_node(node: Node | None, key: str) -> Node | None:
    """Return the value node of the entry ``key`` of a mapping node, before any check.

    None when ``node`` is not a mapping or has no plain-text key ``key``.
    """
    if not isinstance(node, MappingNode):
        return None
    for key_node, value_node in node.value:
        if isinstance(key_node, ScalarNode) and key_node.value == key:
            return value_node  # type: ignore[no-any-return]
    return None


def mapping_entries(
    document: YamlDocument,
    node: MappingNode,
    key: str | None,
    allowed: Sequence[str] | None,
    label: str,
    *,
    cutoff: float,
) -> tuple[Entries, list[NodeProblem]]:
    """Return the entries of a mapping node by key, and the mistakes among its keys.

    ``key`` is the dotted key of the mapping (None at the top), ``allowed`` the keys it may
    have (None for any), and ``label`` names it in messages ("rule", "channel"). A key that
    YAML cannot construct, is not text, repeats an earlier key or is not allowed is a
    mistake and is left out of the entries. The message of an unknown key suggests the
    allowed key most like it, if one scores at least ``cutoff`` in
    :func:`difflib.get_close_matches`. The mistakes are in the order of the keys.
    """
    entries: Entries = {}
    problems: list[NodeProblem] = []
    for key_node, value_node in node.value:
        try:
            entry = document.value(key_node)
        except YamlSyntaxError as error:
            problems.append(NodeProblem(key_node, None, str(error)))
            continue
        if not isinstance(entry, str):
            problems.append(NodeProblem(key_node, key, f"the key {entry!r} is not text"))
            continue
        qualified = entry if key is None else f"{key}.{entry}"
        if entry in entries:
            problems.append(NodeProblem(key_node, qualified, "the key appears twice: keep one"))
            continue
        if allowed is not None and entry not in allowed:
            nearest = difflib.get_close_matches(entry, allowed, n=1, cutoff=cutoff)
            hint = f"did you mean {nearest[0]!r}? " if nearest else ""
            problem = f"unknown key in the {label}: {hint}the keys are {', '.join(allowed)}"
            problems.append(NodeProblem(key_node, qualified, problem))
            continue
        entries[entry] = (key_node, value_node)
    return entries, problems
