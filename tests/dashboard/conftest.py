"""Fixtures of the dashboard tests: the fixture lake, and the app run by Streamlit's AppTest."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.dashboard.fixture_lake import END, START, FixtureLake, build_fixture_lake

APP = Path(__file__).parents[2] / "loglake" / "dashboard" / "app.py"
TIMEOUT_S = 60


@pytest.fixture(autouse=True)
def no_usage_statistics(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep Streamlit from sending usage statistics from any test."""
    monkeypatch.setenv("STREAMLIT_BROWSER_GATHER_USAGE_STATS", "false")


@pytest.fixture(scope="module")
def fixture_lake(tmp_path_factory: pytest.TempPathFactory) -> FixtureLake:
    return build_fixture_lake(tmp_path_factory.mktemp("dashboard") / "lake")


def fixture_range() -> dict[str, str]:
    """Return the query parameters of a custom range over the fixture's hour."""
    return {
        "range": "custom",
        "start": START.strftime("%Y-%m-%dT%H:%M"),
        "end": END.strftime("%Y-%m-%dT%H:%M"),
    }


OpenApp = Callable[..., AppTest]


@pytest.fixture
def open_app(monkeypatch: pytest.MonkeyPatch) -> OpenApp:
    """Return a function that runs the dashboard over a lake on one page with query parameters."""

    def run(lake: Path, page: str | None = None, **parameters: Any) -> AppTest:
        monkeypatch.setenv("LOGLAKE_LAKE", str(lake))
        app = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S)
        app.query_params.update(parameters)
        app.run()
        if page is not None:
            app.switch_page(f"views/{page}.py").run()
        assert not app.exception, app.exception
        return app

    return run


def table(app: AppTest, name: str) -> pd.DataFrame:
    """Return the data of the one table drawn with key ``name``, or with a column ``name``.

    Streamlit records the key only of tables whose rows can be selected, so the others are
    found by a column that only they have.
    """
    for frame in app.dataframe:
        if frame.key == name:
            keyed: pd.DataFrame = frame.value
            return keyed
    found = [frame.value for frame in app.dataframe if name in frame.value.columns]
    columns = [list(frame.value.columns) for frame in app.dataframe]
    assert len(found) == 1, f"{len(found)} tables with key or column {name!r}: {columns}"
    value: pd.DataFrame = found[0]
    return value


def metrics(app: AppTest) -> dict[str, str]:
    """Return the values of the page's metrics by label."""
    return {metric.label: metric.value for metric in app.metric}


def row(data: pd.DataFrame, column: str, value: object) -> dict[str, Any]:
    """Return the one row of ``data`` whose ``column`` equals ``value``."""
    matching = data[data[column] == value]
    assert len(matching) == 1, f"{len(matching)} rows with {column} = {value!r}:\n{data}"
    found: dict[str, Any] = matching.iloc[0].to_dict()
    return found
