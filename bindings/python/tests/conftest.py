"""Shared fixtures: one embedded simulator (demo data, sandbox) per test, and a client for it."""

from __future__ import annotations

from typing import Iterator

import pytest

import alto_crm


@pytest.fixture
def sim() -> Iterator[alto_crm.Simulator]:
    with alto_crm.Simulator() as simulator:
        yield simulator


@pytest.fixture
def client(sim: alto_crm.Simulator) -> alto_crm.AltoClient:
    return sim.client()
