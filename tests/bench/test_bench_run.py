"""Smoke tests of the benchmark harness in ``bench/``: a whole run at a tiny size.

They check that the harness runs and that its page and its engines agree, never how fast
anything is.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.corpus import load_corpus, parse_size
from bench.query_cases import ACCEPTANCE_CASES, SAVED_QUERY_CASES
from bench.report import begin_marker, end_marker, replace_section
from bench.run import main, size_label
from bench.sql_ratios import main as sql_ratios_main

PAGE = """# Benchmarks

Text before the results.

## An older section

Text after the results.
"""


@pytest.fixture(scope="module")
def page_after_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, int]:
    folder = tmp_path_factory.mktemp("bench")
    page = folder / "benchmarks.md"
    page.write_text(PAGE)
    code = main(
        [
            "--size", "2k", "--repeat", "1", "--skip", "lambda",
            "--cache", str(folder / "cache"), "--page", str(page),
        ]
    )  # fmt: skip
    return page.read_text(), code


def test_run_exits_zero(page_after_run: tuple[str, int]) -> None:
    assert page_after_run[1] == 0


def test_run_keeps_text_outside_markers(page_after_run: tuple[str, int]) -> None:
    text, _ = page_after_run
    before, rest = text.split(begin_marker("2k"))
    section, after = rest.split(end_marker("2k"))
    assert before == "# Benchmarks\n\nText before the results.\n\n"
    assert after == "\n\n## An older section\n\nText after the results.\n"
    assert section.count("## Results at 2k events") == 1


def test_run_writes_every_table(page_after_run: tuple[str, int]) -> None:
    text, _ = page_after_run
    for heading in ("### Targets", "### Ingest", "### Storage", "### Needle lookups"):
        assert heading in text
    assert "### The ingest Lambda" not in text


def test_run_measures_every_case(page_after_run: tuple[str, int]) -> None:
    text, _ = page_after_run
    for case in ACCEPTANCE_CASES + SAVED_QUERY_CASES:
        assert f"| {case.name} |" in text


def test_engines_agree_on_rows(page_after_run: tuple[str, int]) -> None:
    text, _ = page_after_run
    assert "engines disagree" not in text
    assert "failed:" not in text


def test_replace_section_replaces_own_size(page_after_run: tuple[str, int]) -> None:
    text, _ = page_after_run
    updated = replace_section(text, "2k", "## Results at 2k events\n\nnew")
    assert updated.count(begin_marker("2k")) == 1
    assert "\nnew\n" in updated
    assert "### Ingest" not in updated
    assert updated.endswith("## An older section\n\nText after the results.\n")


def test_replace_section_adds_size_after_last(page_after_run: tuple[str, int]) -> None:
    text, _ = page_after_run
    updated = replace_section(text, "10M", "## Results at 10M events")
    assert updated.index(end_marker("2k")) < updated.index(begin_marker("10M"))
    assert updated.index(end_marker("10M")) < updated.index("## An older section")
    assert "### Ingest" in updated


def test_replace_section_appends_without_heading() -> None:
    updated = replace_section("# Benchmarks\n\nIntro.\n", "200k", "body")
    assert updated == (
        f"# Benchmarks\n\nIntro.\n\n{begin_marker('200k')}\nbody\n{end_marker('200k')}\n"
    )


def test_corpus_comes_from_cache(tmp_path: Path) -> None:
    first = load_corpus(500, tmp_path)
    again = load_corpus(500, tmp_path)
    assert first.generate_seconds is not None
    assert again.generate_seconds is None
    assert again.payloads == first.payloads
    assert again.events == first.events


@pytest.mark.parametrize(
    ("text", "events"),
    [("200k", 200_000), ("10M", 10_000_000), ("1.5m", 1_500_000), ("5000", 5000)],
)
def test_parse_size(text: str, events: int) -> None:
    assert parse_size(text) == events


@pytest.mark.parametrize("text", ["ten", "10G", "", "50"])
def test_parse_size_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="size"):
        parse_size(text)


@pytest.mark.parametrize(
    ("events", "label"), [(10_000_000, "10M"), (200_000, "200k"), (1234, "1234")]
)
def test_size_label(events: int, label: str) -> None:
    assert size_label(events) == label


def test_sql_ratios_prints_every_case(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = sql_ratios_main(["--size", "2k", "--runs", "1", "--cache", str(tmp_path)])

    assert code == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("| ")]
    names = [line.split(" | ")[0].removeprefix("| ") for line in lines[2:]]
    assert names == [case.name for case in ACCEPTANCE_CASES + SAVED_QUERY_CASES]
