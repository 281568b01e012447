"""A wheel of loglake ships the saved queries, and an installed loglake finds them."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

ROOT = Path(__file__).parents[2]

FIND_QUERIES = """
import json
import loglake
from loglake.analytics.saved_queries import default_queries_folder, load_saved_queries
folder = default_queries_folder()
print(json.dumps({
    "package": loglake.__file__,
    "folder": str(folder),
    "names": sorted(load_saved_queries(folder)),
}))
"""


def run(arguments: list[str], *, cwd: Path | None = None, env: dict[str, str] | None = None) -> str:
    """Run a command, fail the test with its output if it fails, and return its stdout."""
    done = subprocess.run(arguments, capture_output=True, text=True, cwd=cwd, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_installed_wheel_finds_queries(tmp_path: Path) -> None:
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(ROOT / "loglake", source / "loglake", ignore=ignore)
    shutil.copytree(ROOT / "queries", source / "queries", ignore=ignore)

    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input"]
    run([*pip, "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w",
         str(tmp_path / "dist"), str(source)])  # fmt: skip
    (wheel,) = (tmp_path / "dist").glob("loglake-*.whl")
    prefix = tmp_path / "prefix"
    environment_packages = Path(sysconfig.get_path("purelib"))
    installed_before = sorted(environment_packages.glob("loglake-*.dist-info"))
    # --ignore-installed, because pip otherwise uninstalls this environment's loglake first.
    run([*pip, "install", "--ignore-installed", "--no-deps", "--no-index", "--prefix",
         str(prefix), str(wheel)])  # fmt: skip
    assert sorted(environment_packages.glob("loglake-*.dist-info")) == installed_before

    (site_packages,) = prefix.glob("lib/python3*/site-packages")
    # -S leaves out this environment's editable install, so only the wheel provides loglake;
    # the environment's site-packages still provides PyYAML and the other dependencies.
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith("LOGLAKE_")
    }
    environment["PYTHONPATH"] = os.pathsep.join([str(site_packages), str(environment_packages)])
    found = json.loads(
        run([sys.executable, "-S", "-c", FIND_QUERIES], cwd=tmp_path, env=environment)
    )

    shipped = sorted(path.stem for path in (ROOT / "queries").glob("*.yaml"))
    assert Path(found["package"]).is_relative_to(site_packages)
    assert Path(found["folder"]) == (prefix / "share" / "loglake" / "queries").resolve()
    assert found["names"] == [name for name in shipped if name != "alerts"]
    for name in shipped:
        installed = Path(found["folder"]) / f"{name}.yaml"
        assert installed.read_bytes() == (ROOT / "queries" / f"{name}.yaml").read_bytes()
