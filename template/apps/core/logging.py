"""Logging filters of the project."""

import logging
import re

# Query parameters that carry credentials: a WebSocket's `?token=` JWT, an invitation's token.
_SECRET_QUERY_VALUE = re.compile(
    r"(?P<name>[?&](?:access|refresh|token|password|secret|signature|key)=)[^&\s\"]*",
    re.IGNORECASE,
)


def redact_query_secrets(text: str) -> str:
    """`text` with the values of credential-carrying query parameters replaced by `[redacted]`."""
    return _SECRET_QUERY_VALUE.sub(r"\g<name>[redacted]", text)


class RedactQuerySecrets(logging.Filter):
    """Keeps credentials in URLs out of the logs (access logs write every request's URL)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_query_secrets(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True
