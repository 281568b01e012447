"""The YAML reader that the saved query and alert rule readers share: lines of every mistake."""

from __future__ import annotations

import pytest
from yaml.nodes import MappingNode, ScalarNode

from loglake.analytics.yaml_source import (
    YamlDocument,
    YamlSyntaxError,
    entry_node,
    line_of,
    mapping_entries,
)


def root_mapping(document: YamlDocument) -> MappingNode:
    assert isinstance(document.root, MappingNode)
    return document.root


def test_document_keeps_node_lines() -> None:
    with YamlDocument("name: a\nrules:\n  - window: 5m\n") as document:
        rules = entry_node(document.root, "rules")
        assert rules is not None
        assert line_of(rules) == 3
        assert document.value(rules) == [{"window": "5m"}]


def test_empty_text_has_no_root() -> None:
    with YamlDocument("# only a comment\n") as document:
        assert document.root is None


def test_syntax_error_names_line() -> None:
    with pytest.raises(YamlSyntaxError) as raised:
        YamlDocument("name: a\nsince: [2h\nquery: x\n")
    assert raised.value.line is not None
    assert raised.value.line >= 2
    assert str(raised.value).startswith("invalid YAML: ")


def test_second_document_rejected() -> None:
    with pytest.raises(YamlSyntaxError) as raised:
        YamlDocument("name: a\n---\nname: b\n")
    assert raised.value.line == 2
    assert raised.value.reason == "but found another document"


def test_unknown_tag_names_node_line() -> None:
    with YamlDocument("name: a\nsince: !!python/name:os.system 2h\n") as document:
        since = entry_node(document.root, "since")
        assert since is not None
        with pytest.raises(YamlSyntaxError) as raised:
            document.value(since)
    assert raised.value.line == 2
    assert "could not determine a constructor" in str(raised.value)


def test_entry_node_before_checks() -> None:
    with YamlDocument("- a\n") as document:
        assert entry_node(document.root, "a") is None
    with YamlDocument("query: x\n1: y\n") as document:
        query = entry_node(document.root, "query")
        assert isinstance(query, ScalarNode)
        assert query.value == "x"
        assert entry_node(document.root, "name") is None
    assert entry_node(None, "query") is None


MISTAKES = """\
name: a
nmae: b
name: c
3: d
!!python/name:os.system since: 2h
query: x
"""


def test_mapping_entries_lists_key_mistakes() -> None:
    with YamlDocument(MISTAKES) as document:
        entries, problems = mapping_entries(
            document, root_mapping(document), "rules.a", ("name", "query"), "rule", cutoff=0.6
        )
        assert list(entries) == ["name", "query"]
        assert document.value(entries["name"][1]) == "a"
    found = [(problem.line, problem.key) for problem in problems]
    assert found == [(2, "rules.a.nmae"), (3, "rules.a.name"), (4, "rules.a"), (5, None)]
    assert problems[0].problem == (
        "unknown key in the rule: did you mean 'name'? the keys are name, query"
    )
    assert problems[1].problem == "the key appears twice: keep one"
    assert problems[2].problem == "the key 3 is not text"
    assert problems[3].problem.startswith("invalid YAML: could not determine a constructor")


def test_mapping_entries_cutoff_limits_hint() -> None:
    with YamlDocument("sinse: 2h\n") as document:
        _, loose = mapping_entries(
            document, root_mapping(document), None, ("since",), "file", cutoff=0.5
        )
        _, strict = mapping_entries(
            document, root_mapping(document), None, ("since",), "file", cutoff=0.99
        )
    assert "did you mean 'since'?" in loose[0].problem
    assert "did you mean" not in strict[0].problem


def test_mapping_entries_any_key() -> None:
    with YamlDocument("x-trace: 1\nx-user: 2\n") as document:
        entries, problems = mapping_entries(
            document, root_mapping(document), "headers", None, "", cutoff=0.6
        )
    assert list(entries) == ["x-trace", "x-user"]
    assert problems == []
