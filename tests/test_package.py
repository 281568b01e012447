"""The ingest Lambda's package: built from this environment, trimmed, importable, small enough."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).parents[1]
LAMBDA_UNZIPPED_LIMIT_BYTES = 250 * 1024 * 1024


def test_package_fits_lambda_and_imports(tmp_path: Path) -> None:
    archive = tmp_path / "ingest.zip"
    built = subprocess.run(
        [sys.executable, str(ROOT / "deploy" / "package.py"), str(archive), "--from-environment"],
        capture_output=True,
        text=True,
    )
    assert built.returncode == 0, built.stderr
    sizes = json.loads(built.stdout.strip().splitlines()[-1])
    assert sizes["unzipped_bytes"] < LAMBDA_UNZIPPED_LIMIT_BYTES

    names = zipfile.ZipFile(archive).namelist()
    assert "loglake/ingest/handler.py" in names
    assert not [name for name in names if name.startswith(("duckdb", "loglake/analytics"))]
    assert not [name for name in names if "flight" in name]
