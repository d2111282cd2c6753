"""Exceptions raised by alto_crm: one class per kind of failure of the Rust facade.

The message is the facade's own (it says what to do); the details are attributes. Every class
derives from AltoError, so ``except alto_crm.AltoError`` catches them all.
"""

from __future__ import annotations

import builtins
from typing import Any, Dict, List, Optional, Tuple


class AltoError(Exception):
    """A call to Alto failed, or was refused before it was sent.

    Attributes: ``operation`` (the operation id, when a call was made), ``status`` (the HTTP
    status, when Alto answered), ``problem`` (Alto's problem details as a dict, when given).
    """

    def __init__(
        self,
        message: str,
        *,
        operation: Optional[str] = None,
        status: Optional[int] = None,
        problem: Optional[Dict[str, Any]] = None,
        **details: Any,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.operation = operation
        self.status = status
        self.problem = problem
        for name, value in details.items():
            setattr(self, name, value)


class ConfigurationError(AltoError):
    """The client is not set up right (credentials, URLs, a production agency without an
    AgencyRef); raised before anything is sent."""


class TokenError(AltoError):
    """No access token could be obtained from the token endpoint."""


class UnauthorizedError(AltoError):
    """Alto refused the token (HTTP 401) even after a refresh."""


class ForbiddenError(AltoError):
    """HTTP 403: a wrong AgencyRef, or the integration lacks the operation's scope.

    Attributes: ``environment``, ``agency_ref`` (the one sent, if any), ``required_scopes``.
    """

    environment: str
    agency_ref: Optional[str]
    required_scopes: List[str]


class NotFoundError(AltoError):
    """HTTP 404: no such record for this agency."""


class ValidationError(AltoError, ValueError):
    """HTTP 400/422: Alto rejected the input. ``field_errors`` lists (field, message) pairs."""

    field_errors: List[Tuple[str, str]]


class DuplicateError(AltoError):
    """HTTP 409: Alto already has the record; ``existing_ids`` names it."""

    existing_ids: List[str]


class RateLimitedError(AltoError):
    """HTTP 429 after the retries; ``retry_after`` is Alto's wait in seconds, if given."""

    retry_after: Optional[float]


class ServerError(AltoError):
    """HTTP 5xx. ``retried`` says whether the call was safe to retry (and was retried); when
    False the request may have been applied: check before sending it again."""

    retried: bool


class RedirectError(AltoError):
    """Alto answered with a redirect, which the client never follows (it would carry the
    AgencyRef to another host). ``location`` is where it pointed, if it said."""

    location: Optional[str]


class UnexpectedStatusError(AltoError):
    """An HTTP status the spec does not describe."""


class TimeoutError(AltoError, builtins.TimeoutError):
    """Alto did not answer in time."""


class TransportError(AltoError, ConnectionError):
    """Alto could not be reached (DNS, connection, TLS)."""


class DecodeError(AltoError):
    """Alto's answer did not match the spec."""


class InvalidRequestError(AltoError, ValueError):
    """The request could not be built from the input (refused before sending)."""


__all__ = [
    "AltoError",
    "ConfigurationError",
    "TokenError",
    "UnauthorizedError",
    "ForbiddenError",
    "NotFoundError",
    "ValidationError",
    "DuplicateError",
    "RateLimitedError",
    "ServerError",
    "RedirectError",
    "UnexpectedStatusError",
    "TimeoutError",
    "TransportError",
    "DecodeError",
    "InvalidRequestError",
]
