"""alto_crm: a typed client for Zoopla's Alto CRM API, on the Rust ``alto`` toolkit.

``AltoClient`` keeps the seed client's shape (one method per call, dicts with Alto's field
names); ``AsyncAltoClient`` has the same methods as awaitables; ``Simulator`` runs the embedded
Alto simulator for tests. Tokens, environments, the AgencyRef rule, retries, paging and typed
errors (``alto_crm.errors``) all come from the Rust side.
"""

from ._native import OPERATION_IDS, AltoClient, AsyncAltoClient, Simulator
from .errors import (
    AltoError,
    ConfigurationError,
    DecodeError,
    DuplicateError,
    ForbiddenError,
    InvalidRequestError,
    NotFoundError,
    RateLimitedError,
    RedirectError,
    ServerError,
    TimeoutError,
    TokenError,
    TransportError,
    UnauthorizedError,
    UnexpectedStatusError,
    ValidationError,
)

#: ``linked_type`` values of ``upload_document`` (Alto takes other types too).
CONTACT = "Contact"
TENANCY = "Tenancy"
PROPERTY = "Property"

__all__ = [
    "OPERATION_IDS",
    "AltoClient",
    "AsyncAltoClient",
    "Simulator",
    "CONTACT",
    "TENANCY",
    "PROPERTY",
    "AltoError",
    "ConfigurationError",
    "DecodeError",
    "DuplicateError",
    "ForbiddenError",
    "InvalidRequestError",
    "NotFoundError",
    "RateLimitedError",
    "RedirectError",
    "ServerError",
    "TimeoutError",
    "TokenError",
    "TransportError",
    "UnauthorizedError",
    "UnexpectedStatusError",
    "ValidationError",
]
