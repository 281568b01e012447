"""Webhook delivery of a Slack-compatible message or the generic JSON body, with retries."""

from __future__ import annotations

import ipaddress
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any
from urllib.parse import urlparse

import orjson

from loglake.analytics.alerts.model import WebhookChannel
from loglake.analytics.alerts.notification import Notification

RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
MAX_BACKOFF_SECONDS = 8.0
_SLACK_TEXT_LIMIT = 3_000
"""Characters of one Slack section block's text."""


class DeliveryError(RuntimeError):
    """A notification that could not be delivered after every attempt."""


def check_webhook_url(url: str) -> str | None:
    """Return what is wrong with a webhook URL, or None.

    Webhooks use HTTPS. Plain HTTP is accepted only for a loopback host (127.0.0.0/8,
    ::1, localhost), where a local relay or a test receiver listens.
    """
    parsed = urlparse(url)
    if parsed.scheme == "https" and parsed.hostname:
        return None
    if parsed.scheme == "http" and parsed.hostname and _is_loopback(parsed.hostname):
        return None
    return f"{url!r} is not an https:// URL: webhooks send over HTTPS"


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def slack_message(notification: Notification) -> dict[str, Any]:
    """Return a Slack incoming-webhook message: a text fallback and section blocks."""
    text = notification.to_text()
    summary, _, rest = text.partition("\n")
    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": f"*{_escape(summary)}*"}}
    ]
    if rest:
        body = _escape(rest)
        if len(body) > _SLACK_TEXT_LIMIT - 8:
            body = body[: _SLACK_TEXT_LIMIT - 9] + "…"
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": f"```{body}```"}})
    return {"text": summary, "blocks": blocks}


def _escape(text: str) -> str:
    # Slack's mrkdwn reads &, < and > as control characters.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def send_webhook(
    channel: WebhookChannel,
    notification: Notification,
    *,
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    """POST the notification to the channel's URL; return the attempts it took.

    Connection errors, timeouts, HTTP 408, 429 and 5xx are retried ``channel.retries``
    times with exponential backoff (0.5 s, 1 s, 2 s, ... up to 8 s, or the server's
    Retry-After when it is shorter). Raises DeliveryError when every attempt failed or
    the server rejected the request with another status.
    """
    problem = check_webhook_url(channel.url)
    if problem is not None:
        raise DeliveryError(f"channel {channel.name}: {problem}; set its url or url_env")
    body = slack_message(notification) if channel.format == "slack" else notification.to_dict()
    data = orjson.dumps(body)
    headers = {"Content-Type": "application/json", "User-Agent": "loglake-alerts"}
    headers.update(channel.headers)

    attempts = channel.retries + 1
    last_error = ""
    for attempt in range(1, attempts + 1):
        request = urllib.request.Request(channel.url, data=data, headers=headers, method="POST")
        retry_after: float | None = None
        try:
            with urllib.request.urlopen(request, timeout=channel.timeout) as response:
                response.read()
                return attempt
        except urllib.error.HTTPError as error:
            last_error = f"HTTP {error.code} {error.reason}"
            if error.code not in RETRY_STATUSES:
                raise DeliveryError(
                    f"channel {channel.name}: {_redact(channel.url)} rejected the notification "
                    f"with {last_error}"
                ) from None
            retry_after = _retry_after(error.headers.get("Retry-After"))
        except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
            reason = getattr(error, "reason", error)
            last_error = f"{type(error).__name__}: {reason}"
        if attempt < attempts:
            backoff = min(MAX_BACKOFF_SECONDS, 0.5 * 2 ** (attempt - 1))
            sleep(backoff if retry_after is None else min(backoff, retry_after))
    raise DeliveryError(
        f"channel {channel.name}: sending to {_redact(channel.url)} failed after "
        f"{attempts} attempts: {last_error}"
    )


def _retry_after(value: str | None) -> float | None:
    if value is None or not value.strip().isdigit():
        return None
    return float(value.strip())


def _redact(url: str) -> str:
    """Return the URL without its path, which contains the secret of Slack-style webhooks."""
    parsed = urlparse(url)
    return f"{parsed.scheme}://{parsed.netloc}/…"
