"""The X-Ray poller's checkpoint: the end of the last window it wrote, kept in the lake.

The checkpoint is the object ``_state/xray/checkpoint.json``. The poller saves it after a
window's objects are written, so a run that fails halfway leaves it at the last complete
window and the next run pulls the failed window again under the same object names.
"""

from __future__ import annotations

from datetime import UTC, datetime

import orjson

from loglake.ingest.decode.records import preview
from loglake.ingest.errors import IngestError
from loglake.ingest.store import LakeStore

CHECKPOINT_KEY = "_state/xray/checkpoint.json"


class CheckpointError(IngestError):
    """A checkpoint object that cannot be read."""


def read_checkpoint(store: LakeStore) -> int | None:
    """Return the end of the last pulled window in epoch seconds, or None before the first run."""
    body = store.get(CHECKPOINT_KEY)
    if body is None:
        return None
    try:
        document = orjson.loads(body)
        end_s = document["end_epoch_s"]
    except (orjson.JSONDecodeError, KeyError, TypeError):
        end_s = None
    if isinstance(end_s, bool) or not isinstance(end_s, int) or end_s < 0:
        raise CheckpointError(
            f"{store.url}/{CHECKPOINT_KEY} is not a loglake checkpoint ({preview(body)}): "
            'expected {"end_epoch_s": <int>}. Fix it, or delete it to start again one '
            "hour back"
        )
    return end_s


def write_checkpoint(store: LakeStore, end_s: int) -> None:
    """Save ``end_s`` (epoch seconds) as the end of the last pulled window."""
    document = {
        "end_epoch_s": end_s,
        "end": datetime.fromtimestamp(end_s, tz=UTC).isoformat().replace("+00:00", "Z"),
    }
    store.put(CHECKPOINT_KEY, orjson.dumps(document, option=orjson.OPT_INDENT_2))
