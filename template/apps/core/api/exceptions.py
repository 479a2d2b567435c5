"""The one place where exceptions become API responses, in drf-standardized-errors' shape.

drf-standardized-errors' handler (REST_FRAMEWORK["EXCEPTION_HANDLER"]) runs the class below
(DRF_STANDARDIZED_ERRORS["EXCEPTION_HANDLER_CLASS"]), which the schema relies on to document
every operation's errors. DRF answers its own exceptions; this class also answers what
services, Django and the services the project depends on raise, so no view needs a try/except
of its own:

- a body over DATA_UPLOAD_MAX_MEMORY_SIZE (or with too many fields) is a 413;
- an outage of the database or of Redis is a 503 with Retry-After (apps/core/outages.py);
- a JWT that simplejwt refused is a 401 `token_not_valid` (simplejwt's own answer nests its
  details, which the error shape would list as errors of fields named "detail" and "code");
- a sign-in that django-axes refused (too many failures for the account or from the client)
  is a 429 with Retry-After, not the 401 of a wrong password.
"""

import logging

from axes.helpers import get_cool_off
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from drf_standardized_errors.handler import ExceptionHandler as StandardizedExceptionHandler
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework_simplejwt.exceptions import InvalidToken

from apps.core.outages import OUTAGES, RETRY_AFTER_SECONDS, describe

logger = logging.getLogger(__name__)


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "payload_too_large"
    default_detail = "The request body is too large."


class ServiceUnavailable(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "service_unavailable"
    default_detail = "The service is temporarily unavailable. Please try again shortly."
    wait = RETRY_AFTER_SECONDS  # sent as Retry-After


class SignInLockedOut(exceptions.Throttled):
    default_detail = "Too many failed sign-in attempts."


class ExceptionHandler(StandardizedExceptionHandler):
    def convert_known_exceptions(self, exc: Exception) -> Exception:
        request = self.context.get("request")
        if getattr(request, "axes_locked_out", False):
            # authenticate() returned no user, so the view raised its usual 401: the client
            # must wait (AXES_COOLOFF_TIME), whatever credentials it tries next.
            cool_off = get_cool_off(request)
            return SignInLockedOut(wait=cool_off.total_seconds() if cool_off else None)
        if isinstance(exc, InvalidToken) and isinstance(exc.detail, dict):
            refused = exceptions.AuthenticationFailed(exc.detail["detail"], code="token_not_valid")
            refused.auth_header = getattr(exc, "auth_header", None)  # type: ignore[attr-defined]
            return refused
        if isinstance(exc, RequestDataTooBig | TooManyFieldsSent):
            return PayloadTooLarge()
        if isinstance(exc, OUTAGES):
            return ServiceUnavailable()
        return super().convert_known_exceptions(exc)

    def report_exception(self, exc: exceptions.APIException, response: Response) -> None:
        if isinstance(exc, ServiceUnavailable):
            # One line per request while the outage lasts: /readyz and the service's own
            # monitoring tell operators more than a traceback (or an e-mail) per request.
            logger.warning("Answered 503: %s", describe(self.exc))
            return
        super().report_exception(exc, response)
