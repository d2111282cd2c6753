"""The seed workflow of workflow.py, through alto_crm instead of the requests client: same
calls, same arguments, same order. Prints {"requests": N, "cpu_seconds": S} for the loop alone
(process CPU time of every thread, the Rust runtime's included; start-up and imports excluded).

Run by compare.py, which starts the simulator in another process and passes its URLs,
credentials and record ids."""

import argparse
import json
import time
from datetime import datetime, timedelta, timezone

from alto_crm import AltoClient


def main():
    p = argparse.ArgumentParser()
    for name in ("base-url", "token-url", "client-id", "client-secret"):
        p.add_argument("--" + name, required=True)
    for name in ("branch", "negotiator", "tenancy", "iterations"):
        p.add_argument("--" + name, type=int, required=True)
    p.add_argument("--check", required=True)
    p.add_argument("--tag", default="rs")
    a = p.parse_args()

    client = AltoClient(client_id=a.client_id, client_secret=a.client_secret, sandbox=True,
                        api_url=a.base_url, token_url=a.token_url)
    client.get_branches()  # the token, fetched before the loop as the requests client does
    since = datetime.now(timezone.utc) - timedelta(days=7)
    day = datetime(2027, 6, 1, 9, 0, tzinfo=timezone.utc)
    calls = 0
    started = time.process_time()
    for i in range(a.iterations):
        email = f"{a.tag}-{i}@example.test"
        contact = client.create_contact({
            "branchId": str(a.branch),
            "people": [{"forename": "Ada", "surname": f"Bench{i}",
                        "emailAddresses": [{"address": email}]}],
        })
        contact_id = int(contact["id"])
        client.get_contact(contact_id)
        property_id = client.create_property(owner_contact_id=contact_id, property={
            "address": {"nameNumber": str(i), "street": "Bench Street", "town": "Bristol",
                        "postcode": "BS1 1AA", "countryCode": "GB"},
            "branchId": a.branch, "market": "Rent", "negotiatorId": a.negotiator,
        })
        client.get_reference_checks(since)
        client.update_reference_check_status(a.check, "Completed" if i % 2 else "Pending")
        client.get_tenant_ids(a.tenancy)
        start = day + timedelta(minutes=30 * i)
        client.create_appointment(property_id, [contact_id], start, start + timedelta(minutes=30),
                                  negotiator_id=a.negotiator, confirmed=True)
        calls += 7
    cpu = time.process_time() - started
    print(json.dumps({"requests": calls, "cpu_seconds": cpu}))


if __name__ == "__main__":
    main()
