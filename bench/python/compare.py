"""CPU per request of the seed workflow, alto_crm vs the seed-shaped requests client, in one run
(docs/performance.md).

    target/python-bench-venv/bin/python bench/python/compare.py \
        --requests-python bench/python/.venv/bin/python --iterations 300 --rounds 3

Runs under a Python with alto_crm installed: the embedded simulators live in this process, and
each client runs its workflow in a child process, so each one's CPU time is its own. The two
clients alternate for --rounds rounds (this machine is noisy); the figure is the ratio of the
medians."""

import argparse
import json
import statistics
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import alto_crm

HERE = Path(__file__).resolve().parent


def run(python, script, sim, ids, iterations, tag):
    args = [python, str(HERE / script),
            "--base-url", sim.api_url, "--token-url", sim.token_url,
            "--client-id", sim.client_id, "--client-secret", sim.client_secret,
            "--branch", str(ids["branch"]), "--negotiator", str(ids["negotiator"]),
            "--tenancy", str(ids["tenancy"]), "--check", ids["check"],
            "--iterations", str(iterations), "--tag", tag]
    out = subprocess.run(args, check=True, capture_output=True, text=True, cwd=HERE).stdout
    result = json.loads(out.strip().splitlines()[-1])
    return result["cpu_seconds"] / result["requests"]


def fresh(python, script, iterations, tag):
    """One workflow run against a simulator of its own (same demo data for both clients: each
    books the same viewing slots, which a shared diary would refuse the second time)."""
    with alto_crm.Simulator() as sim:
        client = sim.client()
        ids = {
            "branch": int(client.get_branches()[0]["branchId"]),
            "negotiator": int(client.get_negotiators()[0]["id"]),
            "tenancy": int(client.raw("list_tenancies")[0]["id"]),
            "check": client.get_reference_checks(datetime.now() - timedelta(days=14))[0]["referenceCheckId"],
        }
        return run(python, script, sim, ids, iterations, tag)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--alto-python", default=sys.executable)
    p.add_argument("--requests-python", required=True)
    p.add_argument("--iterations", type=int, default=300)
    p.add_argument("--rounds", type=int, default=3)
    a = p.parse_args()

    rust, python = [], []
    for r in range(a.rounds):
        rust.append(fresh(a.alto_python, "alto_crm_workflow.py", a.iterations, f"rs{r}"))
        python.append(fresh(a.requests_python, "workflow.py", a.iterations, f"py{r}"))
    rs, py = statistics.median(rust), statistics.median(python)
    print(json.dumps({
        "iterations": a.iterations, "rounds": a.rounds,
        "alto_crm_us_per_request": round(rs * 1e6, 1),
        "requests_us_per_request": round(py * 1e6, 1),
        "ratio": round(rs / py, 3),
        "alto_crm_rounds_us": [round(x * 1e6, 1) for x in rust],
        "requests_rounds_us": [round(x * 1e6, 1) for x in python],
    }, indent=1))


if __name__ == "__main__":
    main()
