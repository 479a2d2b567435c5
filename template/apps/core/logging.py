"""Logging filters of the project."""

import hashlib
import logging
import re
import time
import traceback
from http import HTTPStatus

from django.core.cache import cache

# Query parameters that carry credentials: a `?token=` JWT, an invitation's token.
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


class ServerErrorsOnly(logging.Filter):
    """Drops records about a client's error, which anyone can cause at will: a response below
    500 (a bad request, a missing page) and every `django.security.*` record (DisallowedHost,
    a body over DATA_UPLOAD_MAX_MEMORY_SIZE, a forged session), which Django logs as errors."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith("django.security."):
            return False
        status_code = getattr(record, "status_code", None)
        return not (isinstance(status_code, int) and status_code < HTTPStatus.INTERNAL_SERVER_ERROR)


class OncePerInterval(logging.Filter):
    """Lets the first record of each distinct error through, then none of the same error for
    `seconds`: a burst of one failure is one mail, not one per request.

    Records are the same error when they come from the same place (the exception's type and
    where it was raised, or where the record was logged), whatever the request's URL. The
    cache counts across processes; while it is down, each process keeps its own count.
    """

    def __init__(self, seconds: int = 300) -> None:
        super().__init__()
        self.seconds = seconds
        self._until: dict[str, float] = {}  # error -> when it may pass again, if the cache fails

    def filter(self, record: logging.LogRecord) -> bool:
        key = "logging.once:" + hashlib.sha256(_error_identity(record).encode()).hexdigest()
        try:
            return bool(cache.add(key, True, timeout=self.seconds))
        except Exception:  # the cache is down: fall back to this process's memory
            now = time.monotonic()
            if self._until.get(key, 0.0) > now:
                return False
            self._until = {k: t for k, t in self._until.items() if t > now}
            self._until[key] = now + self.seconds
            return True


def _error_identity(record: logging.LogRecord) -> str:
    if record.exc_info and record.exc_info[1] is not None:
        exc = record.exc_info[1]
        origin = traceback.extract_tb(exc.__traceback__)[-1:] if exc.__traceback__ else []
        place = f"{origin[0].filename}:{origin[0].lineno}" if origin else ""
        return f"{record.name}|{type(exc).__module__}.{type(exc).__qualname__}|{place}"
    return f"{record.name}|{record.pathname}:{record.lineno}|{record.msg}"
