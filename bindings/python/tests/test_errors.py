"""Every exception kind, raised by the simulator's real answers (or refused before sending):
the class, the facade's message, and the details as attributes."""

from __future__ import annotations

import socket
from typing import Type

import pytest

import alto_crm


def test_not_found(client: alto_crm.AltoClient) -> None:
    with pytest.raises(alto_crm.NotFoundError) as raised:
        client.get_contact(987654321)
    error = raised.value
    assert (error.status, error.operation) == (404, "get_contact")
    assert "not found in Alto" in str(error)
    assert isinstance(error, alto_crm.AltoError)


def test_validation_names_the_fields(client: alto_crm.AltoClient) -> None:
    with pytest.raises(alto_crm.ValidationError) as raised:
        client.raw("create_contact", body={"branchId": "1", "people": []})
    error = raised.value
    assert error.status == 400 and error.operation == "create_contact"
    assert error.field_errors and all(len(pair) == 2 for pair in error.field_errors)
    assert error.problem is not None and error.problem["errors"] == error.field_errors
    assert "fix the fields named" in str(error)


def test_duplicate_names_the_existing_record(client: alto_crm.AltoClient) -> None:
    first = client.create_contact({"firstName": "Dup", "lastName": "Licate", "email": "dup@example.com"})
    with pytest.raises(alto_crm.DuplicateError) as raised:
        client.create_contact({"firstName": "Dup", "lastName": "Licate", "email": "dup@example.com"})
    error = raised.value
    assert error.status == 409
    assert error.existing_ids == [first["id"]]
    assert "use the existing one" in str(error)


def test_forbidden_names_the_agency_ref_and_scope() -> None:
    with alto_crm.Simulator(agencies={"1b7c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e": "Acme Lettings"}) as sim:
        assert sim.client(agency_ref="1b7c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e").get_branches()
        with pytest.raises(alto_crm.ForbiddenError) as raised:
            sim.client(agency_ref="2c8d3e4f-5a6b-4c7d-9e8f-0a1b2c3d4e5f").get_branches()
    error = raised.value
    assert error.status == 403 and error.environment == "production"
    assert error.agency_ref == "2c8d3e4f-5a6b-4c7d-9e8f-0a1b2c3d4e5f"
    assert error.required_scopes == ["alto/route:get-branches"]
    assert "AgencyRef 2c8d3e4f-5a6b-4c7d-9e8f-0a1b2c3d4e5f" in str(error)


def test_configuration_errors_come_before_any_call(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("ALTO_CLIENT_ID", "ALTO_CLIENT_SECRET", "ALTO_ENV", "ALTO_AGENCY_REF"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(alto_crm.ConfigurationError, match="no AgencyRef"):
        alto_crm.AltoClient(client_id="id", client_secret="secret", sandbox=False)
    with pytest.raises(alto_crm.ConfigurationError, match="ALTO_CLIENT_ID"):
        alto_crm.AltoClient(sandbox=True)
    with pytest.raises(alto_crm.ConfigurationError, match="not a valid URL"):
        alto_crm.AltoClient(client_id="id", client_secret="s", api_url="not a url")
    monkeypatch.setenv("ALTO_CLIENT_ID", "from-env")
    monkeypatch.setenv("ALTO_CLIENT_SECRET", "from-env")
    monkeypatch.setenv("ALTO_ENV", "production")
    monkeypatch.setenv("ALTO_AGENCY_REF", "3d9e4f5a-6b7c-4d8e-af90-1b2c3d4e5f60")
    assert alto_crm.AltoClient().environment == "production"


@pytest.mark.parametrize(
    "status, kind",
    [
        (429, alto_crm.RateLimitedError),
        (503, alto_crm.ServerError),
        (418, alto_crm.UnexpectedStatusError),
    ],
)
def test_injected_answers(status: int, kind: Type[alto_crm.AltoError]) -> None:
    with alto_crm.Simulator(error_rate=1.0, error_status=status, retry_after_secs=2) as sim:
        client = sim.client(max_attempts=1)
        with pytest.raises(kind) as raised:
            client.get_branches()
    error = raised.value
    assert error.status == status and error.operation == "list_branches"
    if isinstance(error, alto_crm.RateLimitedError):
        assert error.retry_after == 2.0
    if isinstance(error, alto_crm.ServerError):
        assert error.retried is True, "a GET is safe to retry"


def test_timeout() -> None:
    with alto_crm.Simulator(latency_ms=1500) as sim:
        with pytest.raises(alto_crm.TimeoutError) as raised:
            sim.client(timeout=0.2, max_attempts=1).get_negotiators()
    assert isinstance(raised.value, TimeoutError), "also the builtin"
    assert "did not answer in time" in str(raised.value)


def test_token_transport_and_invalid_request(sim: alto_crm.Simulator) -> None:
    wrong = alto_crm.AltoClient(
        client_id=sim.client_id, client_secret="wrong", api_url=sim.api_url, token_url=sim.token_url
    )
    with pytest.raises(alto_crm.TokenError) as raised:
        wrong.get_branches()
    assert "wrong" not in str(raised.value), "the secret is never in a message"

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    closed = alto_crm.AltoClient(
        client_id="id", client_secret="s", api_url=f"http://127.0.0.1:{port}", max_attempts=1
    )
    with pytest.raises((alto_crm.TokenError, alto_crm.TransportError)):
        closed.get_branches()

    client = sim.client()
    with pytest.raises(alto_crm.InvalidRequestError, match="no such operation"):
        client.raw("no_such_operation")
    with pytest.raises(alto_crm.InvalidRequestError, match="was not given"):
        client.raw("get_contact")
    assert isinstance(alto_crm.InvalidRequestError("x"), ValueError)
