"""Altair charts of the pages. Time axes are in UTC and labelled so, whatever the browser's zone."""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

UTC_TIME_TITLE = "time (UTC)"


def _time_axis(column: str) -> alt.X:
    return alt.X(
        f"{column}:T",
        title=UTC_TIME_TITLE,
        scale=alt.Scale(type="utc"),
        axis=alt.Axis(format="%m-%d %H:%M"),
    )


def _time_tooltip(column: str) -> alt.Tooltip:
    return alt.Tooltip(
        f"{column}:T", title=UTC_TIME_TITLE, format="%Y-%m-%d %H:%M", formatType="utc"
    )


def time_series(
    data: pd.DataFrame, *, time: str, value: str, series: str, kind: str = "bar"
) -> alt.Chart:
    """Return a chart of ``value`` per time bucket, one colour per ``series``.

    ``kind`` ``bar`` stacks the series; ``line`` draws one line each.
    """
    base = alt.Chart(data)
    mark = base.mark_bar() if kind == "bar" else base.mark_line(point=True)
    return mark.encode(
        x=_time_axis(time),
        y=alt.Y(f"{value}:Q", title=value, stack=kind == "bar" or None),
        color=alt.Color(f"{series}:N", title=series),
        tooltip=[_time_tooltip(time), f"{series}:N", alt.Tooltip(f"{value}:Q")],
    ).properties(height=260)


def category_bars(data: pd.DataFrame, *, category: str, value: str, series: str) -> alt.Chart:
    """Return grouped horizontal bars of ``value`` per category, one colour per series."""
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y(f"{category}:N", title=None),
            x=alt.X(f"{value}:Q", title=value),
            yOffset=f"{series}:N",
            color=alt.Color(f"{series}:N", title=series),
            tooltip=[f"{category}:N", f"{series}:N", f"{value}:Q"],
        )
    )


def histogram(
    data: pd.DataFrame, *, start: str, end: str, count: str, series: str, title: str
) -> alt.Chart:
    """Return a histogram of pre-binned rows ``[start, end)`` with ``count``, stacked by series."""
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X(f"{start}:Q", title=title, bin="binned"),
            x2=alt.X2(f"{end}:Q"),
            y=alt.Y(f"{count}:Q", title=count, stack=True),
            color=alt.Color(f"{series}:N", title=series),
            tooltip=[f"{series}:N", f"{start}:Q", f"{end}:Q", f"{count}:Q"],
        )
        .properties(height=260)
    )


def waterfall(data: pd.DataFrame) -> alt.Chart:
    """Return a trace waterfall: one bar per segment from its start offset for its duration.

    ``data`` has ``order``, ``label``, ``start ms``, ``end ms`` and ``outcome`` columns.
    """
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("label:N", sort=alt.SortField("order"), title=None),
            x=alt.X("start ms:Q", title="milliseconds from the trace's first segment"),
            x2=alt.X2("end ms:Q"),
            color=alt.Color(
                "outcome:N",
                scale=alt.Scale(
                    domain=["ok", "error", "throttle", "fault", "in progress"],
                    range=["#4c78a8", "#f58518", "#b279a2", "#e45756", "#bab0ac"],
                ),
            ),
            tooltip=["label:N", "start ms:Q", "duration ms:Q", "outcome:N", "detail:N"],
        )
        .properties(height=max(120, 22 * len(data)))
    )


def grouped_series(
    data: pd.DataFrame, *, time: str, values: Sequence[str], groups: Sequence[str]
) -> alt.Chart:
    """Return a line per numeric column and group of an Insights ``stats ... by bin()`` result."""
    long = data.melt(
        id_vars=[time, *groups], value_vars=list(values), var_name="measure", value_name="value"
    )
    if groups:
        long["series"] = (
            long["measure"] + " " + long[list(groups)].astype(str).agg(" ".join, axis=1)
        )
    else:
        long["series"] = long["measure"]
    return time_series(long, time=time, value="value", series="series", kind="line")
