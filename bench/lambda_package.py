"""Measure the ingest Lambda's package size and the import time of its handler module.

Builds the package from the installed environment (``deploy/package.py --from-environment``),
then starts a fresh interpreter repeatedly, with only the package on its path, and times
``import loglake.ingest.handler`` inside it: what the Lambda's init phase spends on it.

Usage: python bench/lambda_package.py [--runs 15]
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

TIMER = """
import sys, time
sys.path[:0] = [{tree!r}]
started = time.perf_counter()
{statement}
print(time.perf_counter() - started)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs

    with tempfile.TemporaryDirectory() as folder:
        archive = Path(folder) / "ingest.zip"
        built = subprocess.run(
            [
                sys.executable,
                str(ROOT / "deploy" / "package.py"),
                str(archive),
                "--from-environment",
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        sizes = json.loads(built.stdout.strip().splitlines()[-1])
        tree = Path(folder) / "tree"
        with zipfile.ZipFile(archive) as opened:
            opened.extractall(tree)

        handler = _times(tree, "import loglake.ingest.handler", runs, Path(folder))

    print(f"machine: {platform.machine()}, Python {platform.python_version()}, runs: {runs}")
    print(
        f"package: {sizes['zipped_bytes'] / 1e6:.1f} MB zipped, "
        f"{sizes['unzipped_bytes'] / 1e6:.1f} MB unzipped"
    )
    print(f"import loglake.ingest.handler: median {statistics.median(handler) * 1000:.0f} ms "
          f"(min {min(handler) * 1000:.0f}, max {max(handler) * 1000:.0f})")  # fmt: skip


def _times(tree: Path, statement: str, runs: int, lake: Path) -> list[float]:
    script = TIMER.format(tree=str(tree), statement=statement)
    environment = {"PATH": "", "LOGLAKE_LAKE": str(lake / "lake"), "AWS_REGION": "us-east-1"}
    return [
        float(
            subprocess.run(
                [sys.executable, "-S", "-c", script],
                check=True,
                capture_output=True,
                text=True,
                env=environment,
            ).stdout
        )
        for _ in range(runs)
    ]


if __name__ == "__main__":
    main()
