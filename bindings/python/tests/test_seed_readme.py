"""The seed README's example, rewritten only in its import line and constructor arguments
(credentials and URLs come from ALTO_* variables), runs against `alto sim serve`."""

from __future__ import annotations

import os
import re
import runpy
import socket
import subprocess
import time
from pathlib import Path
from typing import Iterator, Optional

import pytest

HERE = Path(__file__).resolve().parent
EXAMPLE = HERE.parent / "examples" / "seed_readme.py"
REPO = HERE.parents[2]


def alto_binary() -> Path:
    path = Path(os.environ.get("ALTO_CLI", REPO / "target" / "debug" / "alto"))
    if not path.is_file():
        pytest.fail(f"{path} is missing: build it with `cargo build -p alto-cli` (or set ALTO_CLI)")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def served() -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(
        [str(alto_binary()), "sim", "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("alto sim serve did not start") from None
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_the_seed_example_runs_against_alto_sim_serve(served: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALTO_CLIENT_ID", "sim-client")
    monkeypatch.setenv("ALTO_CLIENT_SECRET", "sim-secret")
    monkeypatch.setenv("ALTO_API_URL", served)
    monkeypatch.setenv("ALTO_TOKEN_URL", served + "/token")
    monkeypatch.delenv("ALTO_ENV", raising=False)

    namespace = runpy.run_path(str(EXAMPLE))

    assert namespace["contact"]["people"][0]["surname"] == "Doe"
    assert namespace["checks"], "the demo data has reference checks in the last 7 days"


def seed_example() -> Optional[str]:
    for seeds in (REPO.parent / "shared" / "seeds", REPO.parents[1] / "shared" / "seeds", Path("/work/shared/seeds")):
        seed = seeds / "000_06228653b6c74fe7.txt"
        if seed.is_file():
            block = re.search(r"```python\n(.*?)```", seed.read_text(), re.S)
            return block.group(1) if block else None
    return None


def test_only_the_import_and_the_constructor_differ_from_the_seed() -> None:
    original = seed_example()
    if original is None:
        pytest.skip("the seed file is not on this machine")
    ours = EXAMPLE.read_text().splitlines()
    theirs = original.splitlines()
    assert len(ours) == len(theirs)
    changed = [(a, b) for a, b in zip(theirs, ours) if a != b]
    assert changed == [
        ("from client import AltoClient", "from alto_crm import AltoClient"),
        ('client = AltoClient(api_key="your_api_key", sandbox=True)', "client = AltoClient(sandbox=True)"),
    ]
