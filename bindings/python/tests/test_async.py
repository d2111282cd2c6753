"""AsyncAltoClient: the same calls as awaitables on the same Rust runtime, concurrently."""

from __future__ import annotations

import asyncio
import threading
import time
from datetime import datetime, timedelta
from typing import Any, Tuple

import pytest

import alto_crm


def test_the_async_client_runs_the_calls_concurrently(sim: alto_crm.Simulator) -> None:
    client = sim.async_client()

    async def main() -> Tuple[Any, ...]:
        branches, negotiators, checks = await asyncio.gather(
            client.get_branches(),
            client.get_negotiators(),
            client.get_reference_checks(datetime.now() - timedelta(days=7)),
        )
        contact = await client.create_contact({"firstName": "Asy", "lastName": "Nc"})
        fetched = await client.get_contact(contact["id"])
        tenancy = (await client.raw("list_tenancies"))[0]["id"]
        tenants = await client.get_tenant_ids(tenancy)
        return branches, negotiators, checks, fetched, tenants

    branches, negotiators, checks, fetched, tenants = asyncio.run(main())
    assert branches == sim.client().get_branches()
    assert negotiators and checks and tenants
    assert fetched["people"][0]["surname"] == "Nc"


def test_async_errors_are_the_same_exceptions(sim: alto_crm.Simulator) -> None:
    client = sim.async_client()

    async def main() -> None:
        await client.get_contact(987654321)

    with pytest.raises(alto_crm.NotFoundError):
        asyncio.run(main())
    with pytest.raises(ValueError):
        client.update_reference_check_status("not-a-uuid", "Completed")


def test_the_sync_client_releases_the_gil_while_it_waits() -> None:
    with alto_crm.Simulator(latency_ms=400) as sim:
        client = sim.client()
        ticks = []
        done = threading.Event()

        def tick() -> None:
            while not done.is_set():
                ticks.append(time.monotonic())
                time.sleep(0.01)

        thread = threading.Thread(target=tick)
        thread.start()
        try:
            client.get_branches()
        finally:
            done.set()
            thread.join()
    assert len(ticks) > 10, "the other thread ran during the call"
