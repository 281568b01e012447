"""Compaction manifests: which objects one merged object replaces.

A manifest is JSON at ``_state/compaction/<table>/date=.../hour=.../<merged name>.json``, so a
reader that lists a merged object finds its manifest without listing manifests.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import orjson

from loglake.ingest.errors import IngestError

MANIFESTS_PREFIX = "_state/compaction"
COMPACTED_PREFIX = "compacted-"
"""Name prefix of merged objects; no writer of the lake names other objects this way."""

_FORMAT_VERSION = 1


class CompactionError(IngestError):
    """Lake contents that compaction and readers cannot resolve; the message names the fix."""


class ManifestError(CompactionError):
    """A manifest that loglake cannot read; it names the key and what is wrong."""


@dataclass(frozen=True, slots=True)
class ReplacedObject:
    """An object whose rows a merged object contains, as the compaction read it."""

    key: str
    tag: str


@dataclass(frozen=True, slots=True)
class Manifest:
    """The objects one compaction merged into ``output``."""

    output: str
    """Key of the merged object."""
    replaced: tuple[ReplacedObject, ...]
    created_at: datetime
    rows: int


def is_compacted(key: str) -> bool:
    """Return whether ``key`` names a merged object."""
    return key.rsplit("/", 1)[-1].startswith(COMPACTED_PREFIX)


def manifest_key(output_key: str) -> str:
    """Return where the manifest of the merged object at ``output_key`` is stored."""
    stem = output_key.removesuffix(".parquet")
    return f"{MANIFESTS_PREFIX}/{stem}.json"


def output_key_of(manifest_key_: str) -> str:
    """Return the merged object's key for a manifest key; the inverse of ``manifest_key``."""
    stem = manifest_key_.removeprefix(f"{MANIFESTS_PREFIX}/").removesuffix(".json")
    return f"{stem}.parquet"


def encode_manifest(manifest: Manifest) -> bytes:
    """Serialise a manifest as indented JSON."""
    document = {
        "format_version": _FORMAT_VERSION,
        "output": manifest.output,
        "created_at": manifest.created_at.isoformat(),
        "rows": manifest.rows,
        "replaced": [{"key": item.key, "tag": item.tag} for item in manifest.replaced],
    }
    return orjson.dumps(document, option=orjson.OPT_INDENT_2)


def decode_manifest(key: str, body: bytes) -> Manifest:
    """Parse a manifest; raise ``ManifestError`` naming ``key`` when it is malformed."""
    try:
        document = orjson.loads(body)
        version = document.get("format_version")
        replaced = tuple(
            ReplacedObject(key=str(item["key"]), tag=str(item["tag"]))
            for item in document["replaced"]
        )
        manifest = Manifest(
            output=str(document["output"]),
            replaced=replaced,
            created_at=datetime.fromisoformat(document["created_at"]),
            rows=int(document["rows"]),
        )
    except (orjson.JSONDecodeError, AttributeError, KeyError, TypeError, ValueError) as error:
        raise ManifestError(
            f"manifest {key} is invalid ({error!r}): delete it and run loglake compact again"
        ) from error
    if version != _FORMAT_VERSION:
        raise ManifestError(
            f"manifest {key} has format_version {version!r}; this loglake reads version "
            f"{_FORMAT_VERSION}: upgrade loglake"
        )
    return manifest
