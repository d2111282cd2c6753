"""Type stubs of the native module (checked against it by mypy's stubtest in CI)."""

import datetime
import os
from typing import IO, Any, Awaitable, Dict, List, Mapping, Optional, Sequence, Union

from typing_extensions import final

__all__ = ["AltoClient", "AsyncAltoClient", "Simulator", "OPERATION_IDS"]

_When = Union[datetime.datetime, datetime.date, str]
_Id = Union[int, str]
_File = Union[str, os.PathLike[str], bytes, bytearray, IO[bytes]]
_Json = Dict[str, Any]

OPERATION_IDS: List[str]

@final
class AltoClient:
    """A client for one Alto agency; every method blocks until Alto answers."""

    def __new__(
        cls,
        client_id: Optional[str] = None,
        client_secret: Optional[str] = None,
        sandbox: Optional[bool] = None,
        agency_ref: Optional[str] = None,
        api_url: Optional[str] = None,
        token_url: Optional[str] = None,
        timeout: Optional[float] = None,
        max_attempts: Optional[int] = None,
    ) -> "AltoClient": ...
    @property
    def environment(self) -> str: ...
    @property
    def api_url(self) -> str: ...
    def get_reference_checks(
        self, start_date: _When, end_date: Optional[_When] = None
    ) -> List[_Json]: ...
    def update_reference_check_status(self, reference_check_id: str, status: str) -> None: ...
    def create_contact(self, contact: Mapping[str, Any]) -> _Json: ...
    def get_contact(self, contact_id: _Id) -> _Json: ...
    def create_property(self, owner_contact_id: _Id, property: Mapping[str, Any]) -> int: ...
    def upload_document(
        self,
        file: _File,
        file_name: Optional[str] = None,
        *,
        linked_type: str,
        linked_id: _Id,
    ) -> int: ...
    def get_tenant_ids(self, tenancy_id: _Id) -> List[_Json]: ...
    def get_guarantor_ids(self, tenant_id: _Id) -> List[_Json]: ...
    def create_appointment(
        self,
        property_id: _Id,
        contact_ids: Union[_Id, Sequence[_Id]],
        start: _When,
        end: _When,
        negotiator_id: Optional[_Id] = None,
        notes: Optional[str] = None,
        confirmed: bool = True,
    ) -> int: ...
    def get_branches(self) -> List[_Json]: ...
    def get_negotiators(self) -> List[_Json]: ...
    def raw(self, operation_id: str, /, body: Any = None, **params: Any) -> Any: ...

@final
class AsyncAltoClient:
    """The same methods as AltoClient, returning awaitables."""

    def __new__(
        cls,
        client_id: Optional[str] = None,
        client_secret: Optional[str] = None,
        sandbox: Optional[bool] = None,
        agency_ref: Optional[str] = None,
        api_url: Optional[str] = None,
        token_url: Optional[str] = None,
        timeout: Optional[float] = None,
        max_attempts: Optional[int] = None,
    ) -> "AsyncAltoClient": ...
    @property
    def environment(self) -> str: ...
    @property
    def api_url(self) -> str: ...
    def get_reference_checks(
        self, start_date: _When, end_date: Optional[_When] = None
    ) -> Awaitable[List[_Json]]: ...
    def update_reference_check_status(
        self, reference_check_id: str, status: str
    ) -> Awaitable[None]: ...
    def create_contact(self, contact: Mapping[str, Any]) -> Awaitable[_Json]: ...
    def get_contact(self, contact_id: _Id) -> Awaitable[_Json]: ...
    def create_property(
        self, owner_contact_id: _Id, property: Mapping[str, Any]
    ) -> Awaitable[int]: ...
    def upload_document(
        self,
        file: _File,
        file_name: Optional[str] = None,
        *,
        linked_type: str,
        linked_id: _Id,
    ) -> Awaitable[int]: ...
    def get_tenant_ids(self, tenancy_id: _Id) -> Awaitable[List[_Json]]: ...
    def get_guarantor_ids(self, tenant_id: _Id) -> Awaitable[List[_Json]]: ...
    def create_appointment(
        self,
        property_id: _Id,
        contact_ids: Union[_Id, Sequence[_Id]],
        start: _When,
        end: _When,
        negotiator_id: Optional[_Id] = None,
        notes: Optional[str] = None,
        confirmed: bool = True,
    ) -> Awaitable[int]: ...
    def get_branches(self) -> Awaitable[List[_Json]]: ...
    def get_negotiators(self) -> Awaitable[List[_Json]]: ...
    def raw(self, operation_id: str, /, body: Any = None, **params: Any) -> Awaitable[Any]: ...

@final
class Simulator:
    """The embedded Alto simulator on a free loopback port (a context manager)."""

    def __new__(
        cls,
        agencies: Optional[Mapping[str, str]] = None,
        seed_demo_data: bool = True,
        error_rate: float = 0.0,
        error_status: int = 503,
        latency_ms: int = 0,
        retry_after_secs: int = 0,
    ) -> "Simulator": ...
    @property
    def api_url(self) -> str: ...
    @property
    def token_url(self) -> str: ...
    @property
    def client_id(self) -> str: ...
    @property
    def client_secret(self) -> str: ...
    def client(
        self,
        agency_ref: Optional[str] = None,
        timeout: Optional[float] = None,
        max_attempts: Optional[int] = None,
    ) -> AltoClient: ...
    def async_client(
        self,
        agency_ref: Optional[str] = None,
        timeout: Optional[float] = None,
        max_attempts: Optional[int] = None,
    ) -> AsyncAltoClient: ...
    def counts(self, agency_ref: Optional[str] = None) -> Dict[str, int]: ...
    def close(self) -> None: ...
    def __enter__(self) -> "Simulator": ...
    def __exit__(self, *_exc: object) -> bool: ...
