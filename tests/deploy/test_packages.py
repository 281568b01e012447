"""The alerts function's zip: built from this environment, checked by running its handler.

tests/test_package.py builds the ingest zip, whose check runs a compaction.
"""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).parents[2]
LAMBDA_UNZIPPED_LIMIT_BYTES = 250 * 1024 * 1024


def test_alerts_package_fits_lambda_and_runs(tmp_path: Path) -> None:
    archive = tmp_path / "alerts.zip"
    # package.py imports every module from the unzipped tree alone, then evaluates the
    # shipped alert rules over a small lake with the packaged DuckDB; it exits 1 otherwise.
    built = subprocess.run(
        [
            sys.executable,
            str(ROOT / "deploy" / "package.py"),
            str(archive),
            "--function",
            "alerts",
            "--from-environment",
        ],
        capture_output=True,
        text=True,
    )
    assert built.returncode == 0, built.stderr
    sizes = json.loads(built.stdout.strip().splitlines()[-1])
    assert sizes["function"] == "alerts"
    assert sizes["unzipped_bytes"] < LAMBDA_UNZIPPED_LIMIT_BYTES
    assert '"event":"alerts_checked"' in built.stdout

    names = set(zipfile.ZipFile(archive).namelist())
    assert "loglake/analytics/alerts/handler.py" in names
    assert "queries/alerts.yaml" in names
    assert any(name.startswith("duckdb_extension_httpfs/") for name in names)
    assert not [name for name in names if name.startswith(("click/", "rich/", "loglake/cli/"))]
