import logging

import pytest

from apps.core.logging import RedactQuerySecrets, redact_query_secrets


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            '"GET /api/v1/tasks/?token=eyJhbGciOi.eyJzdWIi.c2lnbmF0dXJl HTTP/1.1" 200',
            '"GET /api/v1/tasks/?token=[redacted] HTTP/1.1" 200',
        ),
        (
            "GET /invitations/accept/?page=2&TOKEN=abc&next=/home",
            "GET /invitations/accept/?page=2&TOKEN=[redacted]&next=/home",
        ),
        ("GET /api/v1/tasks/?ordering=-due_date&page=3",) * 2,
        ("GET /api/v1/tasks/?tokenizer=x", "GET /api/v1/tasks/?tokenizer=x"),
    ],
)
def test_credentials_in_query_strings_are_redacted(line: str, expected: str) -> None:
    assert redact_query_secrets(line) == expected


def test_the_filter_redacts_the_formatted_message(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("test.access")
    logger.addFilter(RedactQuerySecrets())
    with caplog.at_level(logging.INFO, logger="test.access"):
        logger.info('%s - "%s %s"', "203.0.113.7", "GET", "/api/v1/tasks/?token=secret.jwt")
    assert caplog.messages == ['203.0.113.7 - "GET /api/v1/tasks/?token=[redacted]"']
