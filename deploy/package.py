"""Build a Lambda function's zip from wheels: loglake's code and the packages it imports, trimmed.

Two packages:

* ``ingest`` (default): ``loglake.ingest`` and the base install. The ingest function, the
  X-Ray poller and the compaction function all run from it.
* ``alerts``: ``loglake.ingest``, ``loglake.analytics``, the saved queries and alert rules
  (``queries/``), and DuckDB with its httpfs and inet extensions, for the alert evaluation
  function. It is separate because DuckDB and its extensions take about 80 MB unzipped
  (arm64 wheels of DuckDB 1.5.5), and the ingest functions never import it.

Two sources for the third-party packages:

* default: ``pip install --platform`` downloads Linux wheels for the Lambda's architecture
  (arm64 unless ``--arch x86_64``) and Python version from the package index;
* ``--from-environment``: copies the distributions installed beside this script's Python,
  for a build with no downloads. The test suite uses it, and its result runs only on this
  machine's platform.

Then it removes what neither function imports: pyarrow's Flight, Substrait, S3 filesystem,
Acero, dataset and ORC modules, headers and Cython sources, and botocore's models of
services loglake does not call. When the package targets this machine, it imports every
module from the package alone and runs the package's handlers on a small lake to prove the
trimmed tree works, and it writes the zip.

Usage: python deploy/package.py OUTPUT.zip [--function ingest|alerts] [--arch arm64|x86_64]
       [--python 3.13] [--from-environment]
"""

from __future__ import annotations

import argparse
import importlib.metadata as metadata
import json
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LAMBDA_UNZIPPED_LIMIT_BYTES = 250 * 1024 * 1024
"""Lambda's limit on a function's unzipped code and layers."""

PYARROW_UNUSED = (
    "include", "includes", "src", "tests", "*.pyx", "*.pxd", "*.pxi", "*.h", "*.cc", "*flight*",
    "_substrait*", "substrait.py", "*_s3fs*", "libarrow_s3*", "_acero*", "acero.py",
    "_dataset*", "dataset.py", "*_orc*", "*orc.py", "*gandiva*", "*_hdfs*", "*_azurefs*",
    "*_gcsfs*", "*cuda*", "interchange", "*.so.*.*.*", "libarrow_python.so",
    "libarrow_python_flight*", "libarrow_python_parquet_encryption*",
)  # fmt: skip
"""Glob patterns under ``pyarrow/`` that ingest never loads.

The Acero, dataset and Substrait C++ libraries stay, because ``libarrow_python`` links them;
only their Python modules go.

Wheels store each shared library under three names (``libx.so``, ``libx.so.N`` and
``libx.so.N.M.P``); the loader uses ``libx.so.N``, so the other two are removed.
"""

BOTOCORE_SERVICES = ("s3", "logs", "sts", "xray", "sns")
"""Service models kept in botocore/data; the packaged functions call only these."""

INGEST_PATHS = ("loglake/__init__.py", "loglake/settings.py", "loglake/ingest")
ALERTS_PATHS = (*INGEST_PATHS, "loglake/analytics", "queries")

CLI_ONLY_REQUIREMENTS = ("click", "rich")
"""Requirements of the analytics extra that only the command line imports."""


def main() -> None:
    arguments = _arguments()
    package = PACKAGES[arguments.function]
    output = Path(arguments.output).resolve()
    with tempfile.TemporaryDirectory() as folder:
        tree = Path(folder) / "package"
        tree.mkdir()
        if arguments.from_environment:
            _copy_installed(tree, package.requirements())
        else:
            _pip_install(tree, package.requirements(), arguments.arch, arguments.python)
        _copy_sources(tree, package.paths)
        _trim(tree)
        if arguments.from_environment:
            _verify_imports(tree, package.check)
        unzipped = _zip(tree, output)

    report = {
        "function": package.name,
        "zip": str(output),
        "zipped_bytes": output.stat().st_size,
        "unzipped_bytes": unzipped,
    }
    print(json.dumps(report))
    if unzipped > LAMBDA_UNZIPPED_LIMIT_BYTES:
        sys.exit(
            f"package is {unzipped} bytes unzipped, over Lambda's {LAMBDA_UNZIPPED_LIMIT_BYTES}"
        )


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Build a loglake Lambda function's zip.")
    parser.add_argument("output", help="Path of the zip to write.")
    parser.add_argument(
        "--function",
        choices=("ingest", "alerts"),
        default="ingest",
        help="ingest: the ingest, X-Ray poller and compaction functions; alerts: alert evaluation.",
    )
    parser.add_argument("--arch", choices=("arm64", "x86_64"), default="arm64")
    parser.add_argument(
        "--python",
        choices=("3.12", "3.13"),
        default="3.13",
        help="Python version of the Lambda runtime; both run on Amazon Linux 2023.",
    )
    parser.add_argument(
        "--from-environment",
        action="store_true",
        help="Copy installed packages instead of downloading wheels (this platform only).",
    )
    return parser.parse_args()


def runtime_requirements() -> list[str]:
    """Return the pinned requirements of loglake's base install: what ingest imports."""
    requirements = metadata.requires("loglake") or []
    return [requirement for requirement in requirements if "extra ==" not in requirement]


def alerts_requirements() -> list[str]:
    """Return the base requirements plus the analytics extra without its CLI-only packages."""
    analytics = [
        requirement.split(";", 1)[0].strip()
        for requirement in metadata.requires("loglake") or []
        if 'extra == "analytics"' in requirement
    ]
    return runtime_requirements() + [
        requirement
        for requirement in analytics
        if _requirement_name(requirement) not in CLI_ONLY_REQUIREMENTS
    ]


def _pip_install(tree: Path, requirements: list[str], arch: str, python: str) -> None:
    # Lambda's Python 3.12 and 3.13 runtimes run on Amazon Linux 2023 (glibc 2.34), so
    # manylinux_2_28 wheels, the only ones pyarrow 26 publishes for aarch64, load there.
    machine = "aarch64" if arch == "arm64" else "x86_64"
    command = [
        sys.executable, "-m", "pip", "install", "--quiet", "--target", str(tree),
        "--platform", f"manylinux2014_{machine}", "--platform", f"manylinux_2_28_{machine}",
        "--implementation", "cp", "--python-version", python,
        "--only-binary=:all:", "--no-compile", *requirements,
    ]  # fmt: skip
    subprocess.run(command, check=True)


def _copy_installed(tree: Path, requirements: list[str]) -> None:
    """Copy the installed files of every distribution in ``requirements``, transitively."""
    for name in _dependency_closure(requirements):
        distribution = metadata.distribution(name)
        for file in distribution.files or []:
            if "__pycache__" in file.parts or file.parts[0] in ("..", "bin"):
                continue
            source = Path(str(distribution.locate_file(file)))
            if source.is_file():
                target = tree / file
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target)


def _dependency_closure(requirements: list[str]) -> list[str]:
    pending = [_requirement_name(requirement) for requirement in requirements]
    seen: list[str] = []
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.append(name)
        for requirement in metadata.requires(name) or []:
            if "extra ==" not in requirement and "python_version < " not in requirement:
                pending.append(_requirement_name(requirement))
    return seen


def _requirement_name(requirement: str) -> str:
    match = re.match(r"[A-Za-z0-9_.-]+", requirement)
    assert match is not None, requirement
    return match.group(0)


def _copy_sources(tree: Path, paths: tuple[str, ...]) -> None:
    for relative in paths:
        source = ROOT / relative
        if source.is_dir():
            shutil.copytree(source, tree / relative, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            (tree / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, tree / relative)


def _trim(tree: Path) -> None:
    for pattern in PYARROW_UNUSED:
        for path in list((tree / "pyarrow").rglob(pattern)):
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)

    data = tree / "botocore" / "data"
    for service in data.iterdir() if data.exists() else ():
        if service.is_dir() and service.name not in BOTOCORE_SERVICES:
            shutil.rmtree(service)

    for cache in tree.rglob("__pycache__"):
        shutil.rmtree(cache)


def _verify_imports(tree: Path, check: str) -> None:
    """Import every loglake module, then run ``check``, using only the package's files."""
    modules = sorted(
        ".".join(path.relative_to(tree).with_suffix("").parts).removesuffix(".__init__")
        for path in (tree / "loglake").rglob("*.py")
        if path.name != "handler.py"
    )
    script = f"""
import sys
sys.path[:0] = [{str(tree)!r}]
import importlib, os, tempfile
os.environ["LOGLAKE_LAKE"] = tempfile.mkdtemp()
for name in {modules!r}:
    importlib.import_module(name)
from datetime import UTC, datetime, timedelta
from loglake.ingest.model import LogBatch, LogEvent
from loglake.ingest.rows import build_logs_table
from loglake.ingest.store import open_store
from loglake.ingest.write import write_logs
store = open_store(os.environ["LOGLAKE_LAKE"])
for first in (1, 2):
    event = LogEvent(str(first), 1_793_606_400_000 + first,
                     "REPORT RequestId: x\\tDuration: 1.00 ms\\tStatus: timeout")
    batch = LogBatch("1", "/aws/lambda/f", "s", [event], "subscription")
    write_logs(store, build_logs_table([batch], ingestion_time_ms=1), row_group_rows=10)
{check}
outside = [m.__file__ for m in list(sys.modules.values()) if getattr(m, "__file__", None)
           and "site-packages" in m.__file__ and not m.__file__.startswith({str(tree)!r})]
assert not outside, outside
"""
    environment = {
        "PATH": "",
        "AWS_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_EC2_METADATA_DISABLED": "true",
        "LOGLAKE_QUERIES": str(tree / "queries"),
    }
    subprocess.run([sys.executable, "-S", "-c", script], check=True, env=environment)


INGEST_CHECK = """
import boto3
boto3.client("s3", region_name="us-east-1", endpoint_url="http://127.0.0.1:9")
for name in ("loglake.ingest.handler", "loglake.ingest.xray.handler",
             "loglake.ingest.compact.handler"):
    importlib.import_module(name)
from loglake.ingest.compact.compactor import compact_lake
report = compact_lake(store, now=datetime.now(tz=UTC), older_than=timedelta(hours=2),
                      grace=timedelta(0), row_group_rows=10)
assert [hour.rows_out for hour in report.hours] == [2], report
"""
"""Runs the handlers' imports and a compaction, which needs pyarrow.compute without Acero."""

ALERTS_CHECK = """
from loglake.analytics.alerts.handler import handler
summary = handler({"time": "2026-11-02T08:05:00Z"}, None)
assert summary["rules"] > 0, summary
assert summary["failures"] == [], summary
assert summary["alarms"] >= 1, summary
"""
"""Evaluates the shipped alert rules over a lake with a timeout, through DuckDB."""


@dataclass(frozen=True, slots=True)
class FunctionPackage:
    """The contents of one zip and the check that proves they run."""

    name: str
    requirements: Callable[[], list[str]]
    paths: tuple[str, ...]
    check: str


PACKAGES = {
    "ingest": FunctionPackage("ingest", runtime_requirements, INGEST_PATHS, INGEST_CHECK),
    "alerts": FunctionPackage("alerts", alerts_requirements, ALERTS_PATHS, ALERTS_CHECK),
}


def _zip(tree: Path, output: Path) -> int:
    output.parent.mkdir(parents=True, exist_ok=True)
    unzipped = 0
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for path in sorted(tree.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(tree).as_posix())
                unzipped += path.stat().st_size
    return unzipped


if __name__ == "__main__":
    main()
