"""Parse one CloudWatch Logs message from a Lambda log group into the columns of a row.

``parse_message`` recognises Lambda's platform lines in the TEXT and JSON log formats,
the runtimes' log prefixes and error output, JSON application logs and common logger
layouts. Any other message is plain application text (type APP).
"""

from __future__ import annotations

from loglake.ingest.parse.dispatch import parse_message

__all__ = ["parse_message"]
