"""Send notifications to a rule's channels: standard output, webhooks and SNS topics."""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TextIO

import orjson

from loglake.analytics.alerts.model import Channel, SnsChannel, StdoutChannel, WebhookChannel
from loglake.analytics.alerts.notification import Notification
from loglake.analytics.alerts.webhook import DeliveryError, send_webhook

SNS_SUBJECT_CHARS = 100
SNS_MESSAGE_BYTES = 262_144


@dataclass(slots=True)
class Sender:
    """Delivers notifications, creating an SNS client only when a rule needs one."""

    channels: Mapping[str, Channel]
    stdout: TextIO = field(default_factory=lambda: sys.stdout)
    sns_client_factory: Callable[[], Any] | None = None
    _sns: Any = None

    def send(self, notification: Notification, channel_names: tuple[str, ...]) -> list[str]:
        """Send ``notification`` to each named channel; return the errors, one per failure.

        A failed channel does not stop the others.
        """
        errors = []
        for name in channel_names:
            channel = self.channels[name]
            try:
                self._send_one(channel, notification)
            except DeliveryError as error:
                errors.append(str(error))
        return errors

    def _send_one(self, channel: Channel, notification: Notification) -> None:
        if isinstance(channel, StdoutChannel):
            self.stdout.write(notification.to_text() + "\n\n")
            self.stdout.flush()
        elif isinstance(channel, WebhookChannel):
            send_webhook(channel, notification)
        elif isinstance(channel, SnsChannel):
            publish_sns(self._sns_client(), channel, notification)

    def _sns_client(self) -> Any:
        if self._sns is None:
            if self.sns_client_factory is not None:
                self._sns = self.sns_client_factory()
            else:
                import boto3

                # boto3 reads AWS_ENDPOINT_URL_SNS for an SNS-compatible endpoint.
                self._sns = boto3.client("sns")
        return self._sns


def publish_sns(client: Any, channel: SnsChannel, notification: Notification) -> str:
    # ``client`` is a boto3 SNS client; the project installs no type stubs for SNS.
    """Publish the generic JSON body to the topic; return the SNS message ID."""
    from botocore.exceptions import BotoCoreError, ClientError

    message = orjson.dumps(notification.to_dict()).decode()
    if len(message.encode()) > SNS_MESSAGE_BYTES:
        # Samples are the only part that can be large; the rest fits in a few KB.
        trimmed = notification.to_dict()
        for sample in trimmed["samples"]:
            sample["message"] = sample["message"][:200]
        message = orjson.dumps(trimmed).decode()
    subject = _subject(notification.summary())
    try:
        response = client.publish(TopicArn=channel.topic_arn, Subject=subject, Message=message)
    except (BotoCoreError, ClientError) as error:
        raise DeliveryError(
            f"channel {channel.name}: SNS Publish to {channel.topic_arn} failed: {error}"
        ) from error
    return str(response["MessageId"])


def _subject(text: str) -> str:
    """Return an SNS subject: printable ASCII on one line, at most 100 characters."""
    ascii_text = "".join(character if 32 <= ord(character) < 127 else "?" for character in text)
    if len(ascii_text) > SNS_SUBJECT_CHARS:
        ascii_text = ascii_text[: SNS_SUBJECT_CHARS - 3] + "..."
    return ascii_text
