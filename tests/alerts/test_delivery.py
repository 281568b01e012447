"""Notifications delivered for real: a webhook receiver on 127.0.0.1, and SNS to SQS on moto."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import boto3
import orjson
import pytest

from loglake.analytics.alerts.delivery import Sender, publish_sns
from loglake.analytics.alerts.model import SnsChannel, StdoutChannel, WebhookChannel
from loglake.analytics.alerts.notification import Notification, Pattern, Sample
from loglake.analytics.alerts.webhook import DeliveryError, check_webhook_url, send_webhook

AT = datetime(2026, 11, 2, 15, 40, tzinfo=UTC)


def notification() -> Notification:
    return Notification(
        rule="new-error-patterns",
        description="An error pattern new to a function.",
        event="fired",
        evaluated_at=AT,
        window_start=AT - timedelta(minutes=5),
        window_end=AT,
        labels={"function": "ledger-worker", "pattern": "00df87b56721"},
        value=1.0,
        comparison=">=",
        threshold=1.0,
        samples=(
            Sample(
                timestamp=AT - timedelta(minutes=4, seconds=25),
                function="ledger-worker",
                request_id="379f8a69-c4fe-4f61-a61b-bcbafc6ff7cc",
                message="2026-11-02T15:35:35.830Z 379f8a69 Task timed out after 30.03 seconds\n",
            ),
        ),
        reproduce="loglake patterns --errors-only --start 2026-11-02T15:35:00.000Z",
        pattern=Pattern("00df87b56721", "<TIMESTAMP> <UUID> Task timed out after <DURATION>"),
    )


def webhook(url: str, message_format: str = "json", retries: int = 2) -> WebhookChannel:
    return WebhookChannel(
        name="hook",
        url=url,
        format=message_format,  # type: ignore[arg-type]
        timeout=2.0,
        retries=retries,
        headers={"X-Team": "payments"},
    )


def test_webhook_json_body(webhook_receiver) -> None:  # type: ignore[no-untyped-def]
    attempts = send_webhook(webhook(webhook_receiver.url), notification(), sleep=lambda _: None)
    assert attempts == 1
    request = webhook_receiver.requests[0]
    assert request["path"] == "/hooks/alerts"
    assert request["headers"]["Content-Type"] == "application/json"
    assert request["headers"]["X-Team"] == "payments"
    body = webhook_receiver.bodies[0]
    assert body["rule"] == "new-error-patterns"
    assert body["state"] == "ALARM"
    assert body["function"] == "ledger-worker"
    assert body["pattern"]["id"] == "00df87b56721"
    assert body["window"] == {
        "start": "2026-11-02T15:35:00.000Z",
        "end": "2026-11-02T15:40:00.000Z",
    }
    assert body["samples"][0]["request_id"] == "379f8a69-c4fe-4f61-a61b-bcbafc6ff7cc"
    assert body["reproduce"].startswith("loglake patterns")


def test_webhook_slack_message(webhook_receiver) -> None:  # type: ignore[no-untyped-def]
    send_webhook(webhook(webhook_receiver.url, "slack"), notification(), sleep=lambda _: None)
    body = webhook_receiver.bodies[0]
    assert body["text"].startswith("[ALARM] new-error-patterns on ledger-worker: 1 >= 1")
    assert [block["type"] for block in body["blocks"]] == ["section", "section"]
    details = body["blocks"][1]["text"]["text"]
    assert "379f8a69-c4fe-4f61-a61b-bcbafc6ff7cc" in details
    assert "&lt;TIMESTAMP&gt;" in details


def test_webhook_retries_server_errors(webhook_receiver) -> None:  # type: ignore[no-untyped-def]
    webhook_receiver.statuses.extend([503, 500])
    pauses: list[float] = []
    attempts = send_webhook(webhook(webhook_receiver.url), notification(), sleep=pauses.append)
    assert attempts == 3
    assert pauses == [0.5, 1.0]
    assert len(webhook_receiver.requests) == 3


def test_webhook_gives_up(webhook_receiver) -> None:  # type: ignore[no-untyped-def]
    webhook_receiver.statuses.extend([503, 503, 503])
    with pytest.raises(DeliveryError, match="failed after 3 attempts: HTTP 503"):
        send_webhook(webhook(webhook_receiver.url), notification(), sleep=lambda _: None)


def test_webhook_client_error_not_retried(webhook_receiver) -> None:  # type: ignore[no-untyped-def]
    webhook_receiver.statuses.append(404)
    with pytest.raises(DeliveryError, match="rejected the notification with HTTP 404"):
        send_webhook(webhook(webhook_receiver.url), notification(), sleep=lambda _: None)
    assert len(webhook_receiver.requests) == 1


def test_webhook_connection_refused() -> None:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    channel = webhook(f"http://127.0.0.1:{port}/x", retries=1)
    with pytest.raises(DeliveryError, match="failed after 2 attempts"):
        send_webhook(channel, notification(), sleep=lambda _: None)


def test_webhook_urls() -> None:
    assert check_webhook_url("https://hooks.slack.com/services/T/B/x") is None
    assert check_webhook_url("http://127.0.0.1:8080/x") is None
    assert check_webhook_url("http://[::1]:8080/x") is None
    assert check_webhook_url("http://hooks.example.com/x") is not None
    assert check_webhook_url("ftp://127.0.0.1/x") is not None


def test_sender_reports_failures_and_goes_on(webhook_receiver) -> None:  # type: ignore[no-untyped-def]
    webhook_receiver.statuses.append(400)
    output = io.StringIO()
    channels = {"hook": webhook(webhook_receiver.url), "stdout": StdoutChannel("stdout")}
    errors = Sender(channels=channels, stdout=output).send(notification(), ("hook", "stdout"))
    assert len(errors) == 1
    assert "HTTP 400" in errors[0]
    assert output.getvalue().startswith("[ALARM] new-error-patterns on ledger-worker")
    assert "reproduce: loglake patterns" in output.getvalue()


def test_sns_message_reaches_sqs(moto_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_SNS", moto_endpoint)
    sns = boto3.client("sns", endpoint_url=moto_endpoint)
    sqs = boto3.client("sqs", endpoint_url=moto_endpoint)
    topic_arn = sns.create_topic(Name="loglake-alerts-delivery")["TopicArn"]
    queue_url = sqs.create_queue(QueueName="loglake-alerts-delivery")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])[
        "Attributes"
    ]["QueueArn"]
    sns.subscribe(TopicArn=topic_arn, Protocol="sqs", Endpoint=queue_arn)

    channels = {"oncall": SnsChannel("oncall", topic_arn)}
    errors = Sender(channels=channels).send(notification(), ("oncall",))
    assert errors == []

    received = sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=1)["Messages"]
    envelope = orjson.loads(received[0]["Body"])
    assert envelope["Subject"].startswith("[ALARM] new-error-patterns on ledger-worker")
    body = orjson.loads(envelope["Message"])
    assert body["samples"][0]["request_id"] == "379f8a69-c4fe-4f61-a61b-bcbafc6ff7cc"
    assert body["pattern"]["template"] == "<TIMESTAMP> <UUID> Task timed out after <DURATION>"


def test_sns_failure_is_a_delivery_error(moto_endpoint: str) -> None:
    sns = boto3.client("sns", endpoint_url=moto_endpoint)
    missing = SnsChannel("oncall", "arn:aws:sns:us-east-1:123456789012:no-such-topic")
    with pytest.raises(DeliveryError, match="SNS Publish"):
        publish_sns(sns, missing, notification())
