"""DuckDB extensions loaded from their PyPI packages, so nothing is downloaded.

DuckDB checks that an extension's version equals its own, so each ``duckdb-extension-*``
package is pinned to the same version as ``duckdb``.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import duckdb


class ExtensionError(RuntimeError):
    """A DuckDB extension's package is missing or contains no file for this DuckDB."""


def extension_path(name: str) -> Path:
    """Return the file of extension ``name`` shipped by ``duckdb-extension-<name>``."""
    package = f"duckdb_extension_{name}"
    try:
        module = importlib.import_module(package)
    except ImportError as error:
        raise ExtensionError(
            f"the DuckDB extension {name} needs the package duckdb-extension-{name}: "
            "pip install 'loglake[analytics]'"
        ) from error

    if module.__file__ is None:
        raise ExtensionError(f"the package {package} has no files")
    folder = Path(module.__file__).parent / "extensions"
    version = duckdb.__version__
    candidates = sorted(folder.glob(f"{version}/{name}.duckdb_extension"))
    candidates += sorted(folder.glob(f"v{version}/{name}.duckdb_extension"))
    if not candidates:
        raise ExtensionError(
            f"no {name} extension for DuckDB {version} under {folder}: install "
            f"duckdb-extension-{name}=={version}"
        )
    return candidates[0]


def load_extension(connection: duckdb.DuckDBPyConnection, name: str) -> None:
    """Load extension ``name`` into the connection from its package file."""
    path = str(extension_path(name)).replace("'", "''")
    connection.execute(f"LOAD '{path}'")
