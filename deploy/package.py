"""Build the ingest Lambda's zip: ``loglake.ingest`` and the packages it imports, trimmed.

Two sources for the third-party packages:

* default: ``pip install --platform`` downloads Linux wheels for the Lambda's architecture
  (arm64 unless ``--arch x86_64``) and Python version from the package index;
* ``--from-environment``: copies the distributions installed beside this script's Python,
  for a build with no downloads. The test suite uses it, and its result runs only on this
  machine's platform.

Then it removes what ingest never imports: pyarrow's Flight, Substrait, S3 filesystem,
Acero, dataset and ORC modules, headers and Cython sources, and botocore's models of
services ingest does not call. It imports every ingest module from the package alone to prove the
trimmed tree works (only when the package targets this machine), and writes the zip.

Usage: python deploy/package.py OUTPUT.zip [--arch arm64|x86_64] [--python 3.13]
       [--from-environment]
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
"""Service models kept in botocore/data; ingest and the X-Ray poller call only these."""

INGEST_PATHS = ("loglake/__init__.py", "loglake/settings.py", "loglake/ingest")


def main() -> None:
    arguments = _arguments()
    output = Path(arguments.output).resolve()
    with tempfile.TemporaryDirectory() as folder:
        tree = Path(folder) / "package"
        tree.mkdir()
        if arguments.from_environment:
            _copy_installed(tree)
        else:
            _pip_install(tree, arguments.arch, arguments.python)
        _copy_ingest(tree)
        _trim(tree)
        if arguments.from_environment:
            _verify_imports(tree)
        unzipped = _zip(tree, output)

    report = {"zip": str(output), "zipped_bytes": output.stat().st_size, "unzipped_bytes": unzipped}
    print(json.dumps(report))
    if unzipped > LAMBDA_UNZIPPED_LIMIT_BYTES:
        sys.exit(
            f"package is {unzipped} bytes unzipped, over Lambda's {LAMBDA_UNZIPPED_LIMIT_BYTES}"
        )


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Build the ingest Lambda's zip.")
    parser.add_argument("output", help="Path of the zip to write.")
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


def _pip_install(tree: Path, arch: str, python: str) -> None:
    # Lambda's Python 3.12 and 3.13 runtimes run on Amazon Linux 2023 (glibc 2.34), so
    # manylinux_2_28 wheels, the only ones pyarrow 26 publishes for aarch64, load there.
    machine = "aarch64" if arch == "arm64" else "x86_64"
    command = [
        sys.executable, "-m", "pip", "install", "--quiet", "--target", str(tree),
        "--platform", f"manylinux2014_{machine}", "--platform", f"manylinux_2_28_{machine}",
        "--implementation", "cp", "--python-version", python,
        "--only-binary=:all:", "--no-compile", *runtime_requirements(),
    ]  # fmt: skip
    subprocess.run(command, check=True)


def _copy_installed(tree: Path) -> None:
    """Copy the installed files of every distribution ingest depends on, transitively."""
    for name in _dependency_closure(runtime_requirements()):
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


def _copy_ingest(tree: Path) -> None:
    for relative in INGEST_PATHS:
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


def _verify_imports(tree: Path) -> None:
    """Import every ingest module and write a Parquet object using only the package's files."""
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
for name in {modules!r} + ["loglake.ingest.handler"]:
    importlib.import_module(name)
from loglake.ingest.model import LogBatch, LogEvent
from loglake.ingest.rows import build_logs_table
from loglake.ingest.write import parquet_bytes
import boto3
boto3.client("s3", region_name="us-east-1", endpoint_url="http://127.0.0.1:9")
event = LogEvent("1", 1, "REPORT RequestId: x\\tDuration: 1.00 ms\\t")
batch = LogBatch("1", "/aws/lambda/f", "s", [event], "subscription")
table = build_logs_table([batch], ingestion_time_ms=1)
assert parquet_bytes(table, row_group_rows=10)[:4] == b"PAR1"
outside = [m.__file__ for m in list(sys.modules.values()) if getattr(m, "__file__", None)
           and "site-packages" in m.__file__ and not m.__file__.startswith({str(tree)!r})]
assert not outside, outside
"""
    subprocess.run([sys.executable, "-S", "-c", script], check=True, env={"PATH": ""})


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
