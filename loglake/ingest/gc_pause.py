"""Pause CPython's cyclic garbage collector while ingest builds many objects at once."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collection_paused() -> Iterator[None]:
    """Disable the cyclic garbage collector for the block, then restore its previous state.

    Decoding a file or building a unit's rows allocates a few objects per event and keeps
    many of them until the block ends. The collector runs a pass about once per 700
    allocations (CPython's default threshold), and its full passes walk every object kept so
    far, so the passes cost more the larger the unit. Ingest builds no reference cycles
    (JSON values, strings, dataclasses of them), so reference counting frees all of it
    without the collector. Garbage with cycles made by other code meanwhile waits for the
    collector's next pass after the block.
    """
    if not gc.isenabled():
        yield
        return

    gc.disable()
    try:
        yield
    finally:
        gc.enable()
