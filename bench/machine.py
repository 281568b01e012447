"""The machine and software a benchmark ran on, as one line for the results page."""

from __future__ import annotations

import importlib.metadata
import os
import platform
import shutil
import subprocess
from pathlib import Path

LIBRARIES = ("pyarrow", "duckdb", "orjson", "chdb")


def describe_machine() -> str:
    """Return cores, processor, memory, system, Python and library versions."""
    parts = [
        f"{os.cpu_count()} cores ({_processor()})",
        f"{_memory_gib():.0f} GiB",
        f"{platform.system()} {platform.machine()}",
        f"Python {platform.python_version()}",
    ]
    versions = []
    for name in LIBRARIES:
        try:
            versions.append(f"{name} {importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            versions.append(f"{name} not installed")
    versions.append(_jq_version())
    return ", ".join(parts) + "; " + ", ".join(versions)


def _processor() -> str:
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown processor"


def _memory_gib() -> float:
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        for line in meminfo.read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    return pages / 1024**3


def _jq_version() -> str:
    jq = shutil.which("jq")
    if jq is None:
        return "jq not installed"
    completed = subprocess.run([jq, "--version"], capture_output=True, text=True, check=False)
    return completed.stdout.strip().replace("jq-", "jq ") or "jq of unknown version"
