"""Fixtures of the Insights query tests: the fixture lake, built once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from loglake.analytics.lake import Lake, open_lake
from tests.insights.fixture_lake import build_fixture_lake


@pytest.fixture(scope="session")
def fixture_lake_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_fixture_lake(tmp_path_factory.mktemp("insights-lake"))


@pytest.fixture
def fixture_lake(fixture_lake_path: Path) -> Lake:
    return open_lake(str(fixture_lake_path))
