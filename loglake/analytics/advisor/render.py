"""A report as JSON for scripts, or as Markdown a team can paste into a ticket."""

from __future__ import annotations

from typing import Any

import orjson

from loglake.analytics.advisor.model import Finding, Report


def report_to_json(report: Report) -> str:
    """Return the report as one indented JSON object."""
    return orjson.dumps(report.to_dict(), option=orjson.OPT_INDENT_2).decode()


def format_impact(finding: Finding) -> str:
    """Return the finding's monthly impact in words, such as ``91 invocations, $0.12``."""
    impact = finding.impact
    parts = []
    if impact.monthly_invocations > 0:
        parts.append(f"{impact.monthly_invocations:,.0f} invocations")
    if impact.monthly_usd > 0:
        parts.append(f"${impact.monthly_usd:,.2f}")
    if impact.monthly_wait_seconds > 0:
        parts.append(f"{impact.monthly_wait_seconds / 3600:,.1f} h waiting")
    return ", ".join(parts) if parts else "none measured"


def report_to_markdown(report: Report) -> str:
    """Return the report as Markdown: a summary table, then one section per finding."""
    data = report.to_dict()
    scope = f"{data['start']} to {data['end']}"
    if report.scope.function_name:
        scope += f", function `{report.scope.function_name}`"
    lines = [
        "# Lambda advisor report",
        "",
        f"Lake `{report.lake}`, {scope}, {report.observed_hours:.1f} hours observed.",
        "",
    ]
    if not report.findings:
        lines += ["No findings.", ""]
    else:
        lines += [
            "| # | function | finding | impact per month |",
            "| --- | --- | --- | --- |",
        ]
        for rank, finding in enumerate(report.findings, start=1):
            lines.append(
                f"| {rank} | {_escape(_function(finding))} | {_escape(finding.title)} | "
                f"{format_impact(finding)} |"
            )
        lines.append("")
    for rank, finding in enumerate(report.findings, start=1):
        lines += _section(rank, finding)
    if report.notes:
        lines += ["## Notes", ""]
        lines += [f"- {note}" for note in report.notes]
        lines.append(
            f"- Price sources: {', '.join(report.prices_sources)} "
            f"(list prices as of {report.prices_as_of})."
        )
        lines.append("")
    return "\n".join(lines)


def _function(finding: Finding) -> str:
    name = finding.function_name
    if finding.function_version is not None:
        name += f" ({finding.function_version})"
    return name


def _section(rank: int, finding: Finding) -> list[str]:
    lines = [
        f"## {rank}. {_function(finding)}: {finding.title}",
        "",
        finding.summary,
        "",
        f"**Impact per month:** {format_impact(finding)}. {finding.impact.basis}.",
        "",
        "**Evidence**",
        "",
    ]
    evidence = finding.to_dict()["evidence"]
    for name, value in evidence.items():
        lines += _evidence_lines(name, value)
    if finding.request_ids:
        listed = ", ".join(f"`{request_id}`" for request_id in finding.request_ids[:10])
        more = len(finding.request_ids) - 10
        lines.append(f"- request IDs: {listed}" + (f" and {more} more" if more > 0 else ""))
    lines += ["", f"**What to do:** {finding.recommendation}", ""]
    return lines


def _evidence_lines(name: str, value: Any, indent: str = "") -> list[str]:
    if isinstance(value, dict):
        if not value:
            return [f"{indent}- {name}: none"]
        lines = [f"{indent}- {name}:"]
        for key, item in value.items():
            lines += _evidence_lines(str(key), item, indent + "  ")
        return lines
    if isinstance(value, list):
        lines = [f"{indent}- {name}:"]
        for item in value:
            text = (
                ", ".join(f"{key} {_text(inner)}" for key, inner in item.items())
                if (isinstance(item, dict))
                else _text(item)
            )
            lines.append(f"{indent}  - {text}")
        return lines
    return [f"{indent}- {name}: {_text(value)}"]


def _text(value: Any) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, str):
        value = value.replace("\t", " ")
    if isinstance(value, str) and ("\n" in value or "|" in value or "`" in value):
        return "`" + value.replace("`", "'").replace("\n", " ").replace("|", "\\|") + "`"
    if isinstance(value, str) and len(value) > 60:
        return f"`{value}`"
    return str(value)


def _escape(text: str) -> str:
    return text.replace("|", "\\|")
