"""The queries behind the dashboard's pages: one tested function per table or chart.

Every function takes an open lake and a :class:`Selection` (a time range and functions) and
returns plain data, so the Streamlit scripts in ``loglake.dashboard`` only lay it out and
the numbers they show are the numbers these functions return.
"""

from __future__ import annotations

from loglake.analytics.dashboard_data.selection import Bucket, Selection, choose_bucket

__all__ = ["Bucket", "Selection", "choose_bucket"]
