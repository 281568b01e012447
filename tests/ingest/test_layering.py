"""What the ingest Lambda imports: nothing from analytics or the dashboard, nothing heavy."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

INGEST = Path(__file__).parents[2] / "loglake" / "ingest"
FORBIDDEN_PACKAGES = ("loglake.analytics", "loglake.dashboard", "loglake.cli")
# rich is absent: structlog imports it when installed, and the Lambda package does not carry it.
HEAVY_MODULES = ("duckdb", "pyarrow.dataset", "pandas", "click", "streamlit", "numpy")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_ingest_imports_no_analytics_or_dashboard() -> None:
    offenders = {
        f"{path.relative_to(INGEST)}: {name}"
        for path in INGEST.rglob("*.py")
        for name in imported_modules(path)
        if name.startswith(FORBIDDEN_PACKAGES)
    }
    assert offenders == set()


def test_handler_import_loads_nothing_heavy(tmp_path: Path) -> None:
    # The Lambda package carries no numpy, and pyarrow imports numpy only when it is
    # installed, as it is here for the dashboard. Blocking it gives the package's view; an
    # import of numpy by loglake itself would still fail the script.
    script = (
        "import sys; sys.modules['numpy'] = None; import loglake.ingest.handler; "
        f"print(sorted(m for m in {HEAVY_MODULES!r} if sys.modules.get(m) is not None))"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        env={"LOGLAKE_LAKE": str(tmp_path), "PATH": "", "AWS_REGION": "us-east-1"},
    )
    assert completed.stdout.strip() == "[]"
