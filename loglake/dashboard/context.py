"""The lake the dashboard reads, and the cache of query results per query and lake state.

A result is cached under the query's name, its arguments, the lake URL and the lake's
fingerprint (object count, total size and newest modification time). Paging between views
reuses results, and an ingest that adds or replaces objects changes the fingerprint, so
the next run queries the lake again. The fingerprint itself is listed again at most every
``FINGERPRINT_SECONDS``.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import streamlit as st

from loglake.analytics.dashboard_data.fingerprint import LakeFingerprint, lake_fingerprint
from loglake.analytics.lake import Lake, open_lake
from loglake.dashboard.queries import QUERIES
from loglake.settings import load_settings

FINGERPRINT_SECONDS = 10
"""How long a listing of the lake is trusted before the dashboard lists it again."""
MAX_CACHED_RESULTS = 512


@dataclass(frozen=True, slots=True)
class LakeState:
    """The lake URL and endpoint from the settings, and the fingerprint of its objects now."""

    url: str
    endpoint_url: str | None
    fingerprint: LakeFingerprint

    @property
    def empty(self) -> bool:
        """Return whether the lake has no objects in any table yet."""
        return self.fingerprint.objects == 0


@dataclass(frozen=True, slots=True)
class _OpenLake:
    lake: Lake
    lock: threading.Lock
    """One query at a time: a DuckDB connection must not run two statements at once."""


@st.cache_data(ttl=FINGERPRINT_SECONDS, show_spinner=False)
def _fingerprint(url: str, endpoint_url: str | None) -> LakeFingerprint:
    return lake_fingerprint(url, endpoint_url=endpoint_url)


@st.cache_resource(max_entries=4, show_spinner=False)
def _open(url: str, endpoint_url: str | None, fingerprint: LakeFingerprint) -> _OpenLake:
    # The fingerprint is part of the key, so a changed lake gets a new connection whose
    # views see the tables that appeared since.
    del fingerprint
    return _OpenLake(lake=open_lake(url, endpoint_url=endpoint_url), lock=threading.Lock())


@st.cache_data(max_entries=MAX_CACHED_RESULTS, show_spinner=False)
def _cached(
    name: str,
    url: str,
    endpoint_url: str | None,
    fingerprint: LakeFingerprint,
    arguments: tuple[Any, ...],
) -> Any:
    opened = _open(url, endpoint_url, fingerprint)
    with opened.lock:
        return QUERIES[name](opened.lake, *arguments)


def lake_state() -> LakeState:
    """Return the lake named by ``LOGLAKE_LAKE`` (``loglake dashboard --lake`` sets it)."""
    settings = load_settings()
    return LakeState(
        url=settings.lake,
        endpoint_url=settings.s3_endpoint_url,
        fingerprint=_fingerprint(settings.lake, settings.s3_endpoint_url),
    )


def run(state: LakeState, name: str, *arguments: Any) -> Any:
    """Return the result of the query ``name`` with ``arguments``, from the cache when the
    lake has not changed since it ran."""
    return _cached(name, state.url, state.endpoint_url, state.fingerprint, arguments)
