"""Settings: defaults, validation, and the page that documents them."""

from __future__ import annotations

from pathlib import Path

import pytest

from loglake.settings import ALL_SETTINGS, load_settings

DOCS = Path(__file__).parents[1] / "docs" / "settings.md"


def test_defaults() -> None:
    settings = load_settings({})
    assert settings.lake == "lake"
    assert settings.row_group_rows == 131072
    assert settings.s3_endpoint_url is None


def test_environment_overrides() -> None:
    settings = load_settings({"LOGLAKE_LAKE": "s3://b/p", "LOGLAKE_LOG_LEVEL": "debug"})
    assert settings.lake == "s3://b/p"
    assert settings.log_level == "DEBUG"


@pytest.mark.parametrize("value", ["0", "-5", "many", "99999999999999999999"])
def test_invalid_row_group_rows_named(value: str) -> None:
    with pytest.raises(ValueError, match=f"LOGLAKE_ROW_GROUP_ROWS={value!r} is invalid"):
        load_settings({"LOGLAKE_ROW_GROUP_ROWS": value})


def test_docs_list_every_setting() -> None:
    page = DOCS.read_text()
    missing = [setting.env for setting in ALL_SETTINGS if f"`{setting.env}`" not in page]
    assert missing == []
